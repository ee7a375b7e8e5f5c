package dev.hpkp.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * GETs a log's resources: gzip {@code Content-Encoding} decoded (Static API logs send it
 * without negotiation), bodies capped, network errors, 429 and 5xx retried with backoff
 * honouring {@code Retry-After}. A 404 is an answer, not an error: the caller decides (a
 * partial tile replaced by the full one).
 */
class LogHttp {

  /** The most a response body may hold: a data tile of 256 large entries is a few MiB. */
  static final int MAX_BODY_BYTES = 16 << 20;
  /** A checkpoint, a signed tree head, a proof, an issuer: a few KiB at most. */
  static final int MAX_SMALL_BYTES = 64 << 10;
  /** The longest {@code Retry-After} honoured: a log asking for more is unavailable this round. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  /** Closes the body of a response still being read at its deadline (a dripping log). */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hpkp-watch-deadlines");
        thread.setDaemon(true);
        return thread;
      });

  private final HttpClient client;
  private final Duration timeout;
  private final int attempts;
  private final Duration firstBackoff;

  LogHttp(Duration timeout, int attempts, Duration firstBackoff) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    this.timeout = timeout;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
  }

  /**
   * The body of {@code uri}, or empty on 404.
   *
   * @throws LogUnavailable after the retries, naming the URL and the last failure
   * @throws LogMisbehaviour when a body is over the cap or its gzip is broken
   */
  Optional<byte[]> get(URI uri, String accept) throws LogUnavailable, LogMisbehaviour,
      InterruptedException {
    return get(uri, accept, MAX_BODY_BYTES);
  }

  /**
   * As {@link #get(URI, String)}, the body (decompressed) at most {@code maxBytes}: checked as
   * the bytes arrive, before a buffer grows, so no log can make this watcher hold more; the
   * whole answer, body included, within the request timeout.
   */
  Optional<byte[]> get(URI uri, String accept, int maxBytes) throws LogUnavailable,
      LogMisbehaviour, InterruptedException {
    String failure = null;
    Duration backoff = firstBackoff;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
          .header("Accept", accept).header("Accept-Encoding", "gzip, identity")
          .header("User-Agent", "hpkp-watch").GET().build();
      Duration wait = backoff;
      try {
        HttpResponse<InputStream> response = client.send(request,
            HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 200) {
          return Optional.of(body(response, uri, maxBytes));
        }
        response.body().close();
        if (status == 404) {
          return Optional.empty();
        }
        failure = "HTTP " + status;
        if (status >= 300 && status < 400) {
          throw new LogUnavailable(uri + " answered HTTP " + status + " still after following"
              + " its redirects (a redirect loop, too many redirects, or one without a"
              + " Location); unavailable this round", null);
        }
        if (status != 429 && status < 500) {
          throw new LogUnavailable(uri + " answered HTTP " + status, null);
        }
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent() && retryAfter.get().strip().matches("[0-9]{1,9}")) {
          long seconds = Long.parseLong(retryAfter.get().strip());
          if (seconds > MAX_RETRY_AFTER.toSeconds()) {
            throw new LogUnavailable(uri + " answered HTTP " + status + " and asks to be asked"
                + " again in " + seconds + " s, longer than the " + MAX_RETRY_AFTER.toSeconds()
                + " s this watcher waits within a round; unavailable this round", null);
          }
          wait = Duration.ofSeconds(seconds);
        }
      } catch (IOException e) {
        failure = dev.hpkp.text.Failures.why(e);
      } catch (IllegalArgumentException e) { // a URL the HTTP client will not request
        throw new LogUnavailable(uri + " cannot be requested ("
            + dev.hpkp.text.Failures.why(e) + ")", e);
      }
      if (attempt < attempts) {
        Thread.sleep(wait.toMillis());
        backoff = backoff.multipliedBy(2);
      }
    }
    throw new LogUnavailable(uri + " could not be read after " + attempts + " attempts ("
        + failure + ")", null);
  }

  private byte[] body(HttpResponse<InputStream> response, URI uri, int maxBytes)
      throws IOException, LogMisbehaviour, LogUnavailable {
    boolean gzip = response.headers().firstValue("Content-Encoding")
        .map(e -> e.strip().equalsIgnoreCase("gzip")).orElse(false);
    InputStream raw = response.body();
    boolean[] late = {false};
    ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
      late[0] = true;
      try {
        raw.close(); // unblocks a read that waits for bytes that never come
      } catch (IOException e) {
        // closing is all that is wanted
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (raw; InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 1 << 16));
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - out.size()))) > 0) {
        if (out.size() + n > maxBytes) { // before the buffer grows (gzip bombs included)
          throw new LogMisbehaviour(uri + " sent more than " + maxBytes + " bytes"
              + (gzip ? " once decompressed" : "") + ", the most this watcher reads for it");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (ZipException e) {
      throw new LogMisbehaviour(uri + " is not valid gzip (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      if (late[0]) {
        throw new LogUnavailable(uri + " did not send its whole answer within "
            + timeout.toSeconds() + " s (a slow or stalled body); unavailable this round", e);
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }
}
