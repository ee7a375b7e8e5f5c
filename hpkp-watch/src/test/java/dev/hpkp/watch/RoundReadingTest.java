package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round's reading is saved as it goes (#32): a round stopped midway goes on from there in the
 * next, repeating no more than the entries since the last save and losing no alert; and logs
 * are read independently, so one that stalls holds up no other.
 */
class RoundReadingTest {

  private static final TestCa OWN = new TestCa("Own CA");
  private static final TestCa OTHER = new TestCa("Other CA");
  private static final KeyPair SITE_KEY = TestCa.key();

  @TempDir Path dir;
  private TestLog log;

  @BeforeEach
  void start() throws Exception {
    log = new TestLog("log2026");
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
  }

  private CtWatcher.Builder builder() {
    return CtWatcher.builder()
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).sink(new AlertFile(dir.resolve("alerts.jsonl")))
        .host(new WatchedHost("shop.example", Set.of(TestCa.pin(SITE_KEY)), false))
        .fromStart(true)
        // set after the log: the builder applies it all the same
        .http(Duration.ofSeconds(3), 1, Duration.ofMillis(10));
  }

  private List<String> alerts() throws Exception {
    Path file = dir.resolve("alerts.jsonl");
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  /** 1,000 entries: impostors for shop.example at 100 and 900, the rest another site's. */
  private void logThousandEntries() throws Exception {
    KeyPair noise = TestCa.key();
    for (int i = 0; i < 1000; i++) {
      if (i == 100 || i == 900) {
        log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
      } else {
        log.addCertificate(OWN.leaf(noise, "host" + i + ".other.test"), OWN.intermediate);
      }
    }
    log.publish();
  }

  @Test
  void aRoundStoppedMidwayGoesOnFromItsSavedReadingAndAlertsOnce() throws Exception {
    logThousandEntries();
    String third = TestLog.dataTilePath(2, 256);
    log.statuses.put(third, 503);
    log.retryAfter = "0";

    try (CtWatcher watcher = builder().saveEvery(256).build()) {
      assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
        assertThat(p.status()).isEqualTo(CtWatcher.Status.UNAVAILABLE);
        assertThat(p.to()).as("nothing verified yet").isZero();
      });
    }
    assertThat(alerts()).as("the alert at 100 waits for the tree head's root").isEmpty();
    String state = Files.readString(dir.resolve("state").resolve(stateFile()));
    assertThat(state).contains("\"size\":0").contains("\"reading\":{\"size\":512");

    log.statuses.clear();
    try (CtWatcher watcher = builder().saveEvery(256).build()) {
      assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
        assertThat(p.status()).isEqualTo(CtWatcher.Status.OK);
        assertThat(p.from()).isZero();
        assertThat(p.to()).isEqualTo(1000);
        assertThat(p.alerts()).isEqualTo(2);
      });
    }
    assertThat(log.requests.get(TestLog.dataTilePath(0, 256))).as("tile 0 read once")
        .isEqualTo(1);
    assertThat(log.requests.get(TestLog.dataTilePath(1, 256))).as("tile 1 read once")
        .isEqualTo(1);
    assertThat(alerts()).hasSize(2).satisfiesExactly(
        first -> assertThat(first).contains("\"index\":100"),
        second -> assertThat(second).contains("\"index\":900"));
    assertThat(Files.readString(dir.resolve("state").resolve(stateFile())))
        .contains("\"size\":1000").doesNotContain("reading");
    try (var files = Files.list(dir.resolve("state"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no pending alerts left").noneMatch(name -> name.endsWith(".pending.jsonl"));
    }
  }

  @Test
  void aReadingWhosePendingAlertsAreGoneIsReadAgainFromTheVerifiedHead() throws Exception {
    logThousandEntries();
    log.statuses.put(TestLog.dataTilePath(2, 256), 503);
    try (CtWatcher watcher = builder().saveEvery(256).build()) {
      watcher.runOnce();
    }
    Path pending = dir.resolve("state").resolve(stateFile().replace(".json", ".pending.jsonl"));
    assertThat(pending).as("the alert at 100 waits here").isNotEmptyFile();
    Files.delete(pending);
    log.statuses.clear();

    try (CtWatcher watcher = builder().saveEvery(256).build()) {
      assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
        assertThat(p.status()).isEqualTo(CtWatcher.Status.OK);
        assertThat(p.alerts()).isEqualTo(2);
      });
    }
    assertThat(log.requests.get(TestLog.dataTilePath(0, 256))).as("read again").isEqualTo(2);
    assertThat(alerts()).hasSize(2);
  }

  @Test
  void aReadingThatLeadsToAnotherRootIsDroppedAndReadAgain() throws Exception {
    logThousandEntries();
    log.statuses.put(TestLog.dataTilePath(2, 256), 503);
    try (CtWatcher watcher = builder().saveEvery(256).build()) {
      watcher.runOnce();
    }
    log.statuses.clear();
    log.files.put(TestLog.dataTilePath(3, 1000 - 768), log.forgedDataTile(800));

    try (CtWatcher watcher = builder().saveEvery(256).build()) {
      assertThat(watcher.runOnce()).singleElement().satisfies(p ->
          assertThat(p.status()).isEqualTo(CtWatcher.Status.MISBEHAVING));
    }
    assertThat(Files.readString(dir.resolve("state").resolve(stateFile())))
        .as("the reading is not believed").doesNotContain("reading");
  }

  @Test
  void oneWatcherAtATimeHoldsAStateDirectory() throws Exception {
    try (CtWatcher first = builder().build()) {
      assertThatThrownBy(() -> builder().build()).isInstanceOf(java.io.IOException.class)
          .hasMessage("the watch state " + dir.resolve("state") + " is in use by another"
              + " watcher (its .lock is held); run one watcher per state directory, or give"
              + " this one another");
      assertThat(first.logNames()).hasSize(1);
    }
    try (CtWatcher again = builder().build()) {
      assertThat(again.logNames()).as("free once the first is closed").hasSize(1);
    }
  }

  @Test
  void aLogThatNeverAnswersHoldsUpNoOther() throws Exception {
    logThousandEntries();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread accept = new Thread(() -> {
        while (true) {
          try {
            held.add(silent.accept()); // and never a byte back
          } catch (Exception e) {
            return;
          }
        }
      });
      accept.setDaemon(true);
      accept.start();
      URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
      try (CtWatcher watcher = builder().staticLog(url, url, LogKey.of(TestCa.key().getPublic().getEncoded()))
          .build()) {
        List<CtWatcher.Progress> round = watcher.runOnce();
        assertThat(round).extracting(CtWatcher.Progress::status)
            .containsExactly(CtWatcher.Status.OK, CtWatcher.Status.UNAVAILABLE);
        assertThat(round.get(0).to()).isEqualTo(1000);
        assertThat(round.get(0).took()).as("each log's own time").isPositive()
            .isLessThan(round.get(1).took());
        assertThat(round.get(1).problem()).contains(url + "checkpoint could not be read after"
            + " 1 attempts");
      }
    }
  }

  private String stateFile() {
    return Checkpoint.hex(log.logKey.logId()).substring(0, 32) + ".json";
  }
}
