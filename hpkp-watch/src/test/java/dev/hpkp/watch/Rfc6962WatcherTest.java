package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against the same test log read through the RFC 6962 API. */
class Rfc6962WatcherTest {

  private static final TestCa OWN = new TestCa("Own CA");
  private static final TestCa OTHER = new TestCa("Other CA");
  private static final KeyPair SITE_KEY = TestCa.key();
  private static final KeyPair BACKUP_KEY = TestCa.key();

  @TempDir Path dir;

  @RegisterExtension
  final OpenedWatchers watchers = new OpenedWatchers();
  private TestLog log;

  @BeforeEach
  void start() throws Exception {
    log = new TestLog("rfc6962");
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
  }

  private CtWatcher watcher(boolean fromStart) throws Exception {
    return watchers.open(CtWatcher.builder().http(Duration.ofSeconds(5), 2, Duration.ofMillis(10))
        .rfc6962Log(log.monitoringPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).sink(new AlertFile(dir.resolve("alerts.jsonl")))
        .host(new WatchedHost("shop.example", Set.of(TestCa.pin(SITE_KEY),
            TestCa.pin(BACKUP_KEY)), true))
        .fromStart(fromStart));
  }

  private List<String> alerts() throws Exception {
    Path file = dir.resolve("alerts.jsonl");
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  private void noise(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      log.addCertificate(OTHER.leaf(TestCa.key(), "n" + i + ".other.test"), OTHER.intermediate);
    }
  }

  @Test
  void entriesComeInShortBatchesAndAreCheckedAgainstTheSignedTreeHead() throws Exception {
    noise(20);
    log.addCertificate(OWN.leaf(SITE_KEY, "shop.example"), OWN.intermediate);
    TestCa.Issuance issuance = OTHER.issuance(TestCa.key(), "api.shop.example");
    log.addPrecert(issuance.precert(), issuance.certificate(), OTHER.intermediate);
    noise(5);
    log.addCertificate(issuance.certificate(), OTHER.intermediate);
    log.publish();

    assertThat(watcher(true).runOnce()).singleElement().satisfies(p -> {
      assertThat(p.problem()).isNull();
      assertThat(p.entries()).isEqualTo(28);
    });
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l)
        .contains("\"entry-type\":\"precert\"", "\"index\":21", "api.shop.example"));
  }

  @Test
  void aFirstRunStartsAtTheEndOfTreesOfEveryShape() throws Exception {
    int logged = 0;
    for (int size : new int[] {1, 6, 7, 8, 13, 64, 65}) {
      noise(size - logged);
      logged = size;
      log.publish();
      try (var states = Files.list(dir).filter(p -> p.endsWith("state"))) {
        for (Path state : states.toList()) {
          try (var files = Files.list(state)) {
            for (Path file : files.toList()) {
              Files.delete(file);
            }
          }
        }
      }
      assertThat(watcher(false).runOnce()).as("size " + size).singleElement()
          .satisfies(p -> {
            assertThat(p.problem()).isNull();
            assertThat(p.from()).isEqualTo(size);
          });
    }
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
    assertThat(watcher(false).runOnce()).singleElement()
        .satisfies(p -> assertThat(p.alerts()).isOne());
  }

  @Test
  void aLogCanBeReadFromAGivenIndex() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    noise(12);
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
    CtWatcher watcher = watchers.open(CtWatcher.builder().http(Duration.ofSeconds(5), 2, Duration.ofMillis(10))
        .rfc6962Log(log.monitoringPrefix(), log.logKey).stateDirectory(dir.resolve("state"))
        .sink(new AlertFile(dir.resolve("alerts.jsonl"))).startAt(7)
        .host(new WatchedHost("shop.example", Set.of(TestCa.pin(SITE_KEY),
            TestCa.pin(BACKUP_KEY)), false)));

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.problem()).isNull();
      assertThat(p.from()).isEqualTo(7);
    });
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l).contains("\"index\":13"));
  }

  @Test
  void aTreeHeadThatIsNotConsistentWithTheLastIsAFork() throws Exception {
    noise(5);
    log.publish();
    CtWatcher watcher = watcher(true);
    watcher.runOnce();
    noise(3);
    log.publish();
    log.serveSth(log.sth(8, new byte[32], log.key));

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> assertThat(p.problem())
        .contains("not consistent"));
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l)
        .contains("log-misbehaviour"));
  }

  @Test
  void aTreeHeadSignedByAnotherKeyIsMisbehaviour() throws Exception {
    noise(2);
    log.publish();
    log.serveSth(log.sth(2, log.root(log.leafHashes()), TestCa.key()));

    assertThat(watcher(true).runOnce().get(0).problem()).contains("does not verify");
  }

  @Test
  void consistencyProofsAndLastLeafRangesOfEverySize() throws Exception {
    noise(40);
    List<byte[]> hashes = log.leafHashes();
    for (int n = 2; n <= 40; n++) {
      byte[] second = log.root(hashes.subList(0, n));
      for (int m = 1; m < n; m++) {
        byte[] first = log.root(hashes.subList(0, m));
        List<byte[]> proof = proof(m, n);
        assertThat(Merkle.consistent(m, n, first, second, proof)).as(m + " to " + n).isTrue();
        assertThat(Merkle.consistent(m, n, second, second, proof)).isFalse();
      }
    }
    for (int n = 1; n <= 40; n++) {
      Merkle.Range range = Merkle.rangeFromLastLeaf(n, hashes.get(n - 1), auditPath(n));
      assertThat(range.rootEquals(log.root(hashes.subList(0, n)))).as("size " + n).isTrue();
    }
  }

  private List<byte[]> proof(int m, int n) throws Exception {
    log.publish();
    String json = new String(new java.net.URI(log.monitoringPrefix()
        + "ct/v1/get-sth-consistency?first=" + m + "&second=" + n).toURL().openStream()
        .readAllBytes(), StandardCharsets.UTF_8);
    return decode(json.substring(json.indexOf('[') + 1, json.indexOf(']')));
  }

  private List<byte[]> auditPath(int n) throws Exception {
    log.publish();
    String hash = java.net.URLEncoder.encode(java.util.Base64.getEncoder().encodeToString(
        log.leafHashes().get(n - 1)), StandardCharsets.UTF_8);
    String json = new String(new java.net.URI(log.monitoringPrefix()
        + "ct/v1/get-proof-by-hash?hash=" + hash + "&tree_size=" + n).toURL().openStream()
        .readAllBytes(), StandardCharsets.UTF_8);
    return decode(json.substring(json.indexOf('[') + 1, json.indexOf(']')));
  }

  private static List<byte[]> decode(String items) {
    if (items.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(items.split(",")).map(s -> java.util.Base64.getDecoder()
        .decode(s.replace("\"", ""))).toList();
  }
}
