package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log that misbehaves at the HTTP level, beside the rules it breaks: oversized answers and
 * gzip bombs are misbehaviour named with the URL and the limit, read no further than the limit;
 * a dripping body and a long Retry-After make the log unavailable this round; a tree head from
 * the future is not believed and not saved. Bodies are made here; none is kept in the repository.
 */
class HostileLogTest {

  private static final TestCa OTHER = new TestCa("Other CA");

  @TempDir Path dir;

  @RegisterExtension
  final OpenedWatchers watchers = new OpenedWatchers();
  private TestLog log;

  @BeforeEach
  void start() throws Exception {
    log = new TestLog("hostile");
    log.addCertificate(OTHER.leaf(TestCa.key(), "host.other.test"), OTHER.intermediate);
    log.publish();
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
  }

  private CtWatcher watcher(java.time.Clock clock) throws Exception {
    return watchers.open(CtWatcher.builder().http(Duration.ofSeconds(3), 2, Duration.ofMillis(10))
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).fromStart(true)
        .host(new WatchedHost("shop.example", Set.of(TestCa.pin(TestCa.key())), false))
        .sink(new AlertFile(dir.resolve("alerts.jsonl"))).clock(clock));
  }

  private long savedStates() throws Exception {
    Path state = dir.resolve("state");
    if (!Files.exists(state)) {
      return 0;
    }
    try (var files = Files.list(state)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
    }
  }

  private CtWatcher watcher() throws Exception {
    return watcher(java.time.Clock.systemUTC());
  }

  @Test
  void anOversizedCheckpointIsMisbehaviourNamingTheUrlAndTheLimit() throws Exception {
    log.files.put("checkpoint", new byte[LogHttp.MAX_SMALL_BYTES + 1]);

    assertThat(watcher().runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.MISBEHAVING);
      assertThat(p.problem()).contains(log.monitoringPrefix() + "checkpoint sent more than "
          + LogHttp.MAX_SMALL_BYTES + " bytes");
    });
  }

  @Test
  void aGzipBombAsADataTileIsReadNoFurtherThanTheLimit() throws Exception {
    log.gzipDataTiles = true;
    String tile = log.files.keySet().stream().filter(k -> k.startsWith("tile/data/"))
        .findFirst().orElseThrow();
    log.files.put(tile, new byte[LogHttp.MAX_BODY_BYTES + (1 << 20)]); // zeros: ~20 KB gzipped

    assertThat(watcher().runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.MISBEHAVING);
      assertThat(p.problem()).contains(tile + " sent more than " + LogHttp.MAX_BODY_BYTES
          + " bytes once decompressed");
    });
    assertThat(savedStates()).as("nothing saved for the log").isZero();
  }

  @Test
  void aLongRetryAfterMakesTheLogUnavailableThisRoundAtOnce() throws Exception {
    log.statuses.put("checkpoint", 503);
    log.retryAfter = "300";
    long started = System.nanoTime();

    assertThat(watcher().runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.UNAVAILABLE);
      assertThat(p.problem()).contains("asks to be asked again in 300 s, longer than the 30 s"
          + " this watcher waits within a round; unavailable this round");
    });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aRedirectLoopIsNamedInWords() throws Exception {
    log.redirects.put("checkpoint", log.monitoringPrefix() + "checkpoint");

    assertThat(watcher().runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.UNAVAILABLE);
      assertThat(p.problem()).contains(log.monitoringPrefix() + "checkpoint",
          "redirect");
    });
  }

  @Test
  void aTreeHeadFromTheFutureIsNotBelievedNorSaved() throws Exception {
    java.time.Clock tenYearsBehind = java.time.Clock.offset(java.time.Clock.systemUTC(),
        Duration.ofDays(-3650));

    assertThat(watcher(tenYearsBehind).runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.MISBEHAVING);
      assertThat(p.problem()).contains("minutes ahead of this monitor's clock (more than the 10"
          + " allowed): not believed, and not saved");
    });
    assertThat(savedStates()).as("nothing saved for the log").isZero();
    // with a clock that agrees, the same head is read
    assertThat(watcher().runOnce()).singleElement().satisfies(p ->
        assertThat(p.status()).isEqualTo(CtWatcher.Status.OK));
  }

  @Test
  void aBodyDrippedByteByByteEndsAtTheRequestTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread drip = new Thread(() -> {
        try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/plain\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          for (int i = 0; i < 1000; i++) {
            out.write('x');
            out.flush();
            Thread.sleep(200);
          }
        } catch (Exception e) {
          // the client hung up: what the test wants
        }
      });
      drip.setDaemon(true);
      drip.start();
      LogHttp http = new LogHttp(Duration.ofSeconds(2), 1, Duration.ofMillis(10));
      URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/checkpoint");
      long started = System.nanoTime();

      assertThatThrownBy(() -> http.get(uri, "text/plain", LogHttp.MAX_SMALL_BYTES))
          .isInstanceOf(LogUnavailable.class)
          .hasMessageContaining(uri + " did not send its whole answer within 2 s (a slow or"
              + " stalled body)");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void theHonestLogIsReadBesideAHostileOne() throws Exception {
    try (TestLog honest = new TestLog("honest")) {
      honest.addCertificate(OTHER.leaf(TestCa.key(), "a.other.test"), OTHER.intermediate);
      honest.publish();
      log.files.put("checkpoint", new byte[LogHttp.MAX_SMALL_BYTES + 1]);
      CtWatcher watcher = watchers.open(CtWatcher.builder().http(Duration.ofSeconds(3), 2,
              Duration.ofMillis(10))
          .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
          .staticLog(honest.monitoringPrefix(), honest.submissionPrefix(), honest.logKey)
          .stateDirectory(dir.resolve("state")).fromStart(true)
          .host(new WatchedHost("shop.example", Set.of(TestCa.pin(TestCa.key())), false))
          .sink(new AlertFile(dir.resolve("alerts.jsonl"))));

      assertThat(watcher.runOnce()).extracting(CtWatcher.Progress::status)
          .containsExactly(CtWatcher.Status.MISBEHAVING, CtWatcher.Status.OK);
      assertThat(savedStates()).as("the honest log's state is saved").isEqualTo(1);
    }
  }
}
