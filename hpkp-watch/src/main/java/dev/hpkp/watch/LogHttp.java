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
  static final int MAX_BODY_BYTES = 64 << 20;

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
          return Optional.of(body(response, uri));
        }
        response.body().close();
        if (status == 404) {
          return Optional.empty();
        }
        failure = "HTTP " + status;
        if (status != 429 && status < 500) {
          throw new LogUnavailable(uri + " answered HTTP " + status, null);
        }
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent() && retryAfter.get().matches("[0-9]{1,5}")) {
          wait = Duration.ofSeconds(Math.min(Long.parseLong(retryAfter.get()), 300));
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? ""
            : ": " + e.getMessage());
      }
      if (attempt < attempts) {
        Thread.sleep(wait.toMillis());
        backoff = backoff.multipliedBy(2);
      }
    }
    throw new LogUnavailable(uri + " could not be read after " + attempts + " attempts ("
        + failure + ")", null);
  }

  private static byte[] body(HttpResponse<InputStream> response, URI uri)
      throws IOException, LogMisbehaviour {
    boolean gzip = response.headers().firstValue("Content-Encoding")
        .map(e -> e.strip().equalsIgnoreCase("gzip")).orElse(false);
    try (InputStream raw = response.body();
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          throw new LogMisbehaviour(uri + " is larger than " + MAX_BODY_BYTES + " bytes");
        }
      }
      return out.toByteArray();
    } catch (ZipException e) {
      throw new LogMisbehaviour(uri + " is not valid gzip (" + e.getMessage() + ")", e);
    }
  }
}
