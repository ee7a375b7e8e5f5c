package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.Pin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against a Static CT API log written in test code, served over loopback. */
class CtWatcherTest {

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
    log = new TestLog("log2026");
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
  }

  private static WatchedHost shop(boolean includeSubDomains) {
    return new WatchedHost("shop.example", Set.of(TestCa.pin(SITE_KEY), TestCa.pin(BACKUP_KEY)),
        includeSubDomains);
  }

  private CtWatcher watcher(boolean fromStart, WatchedHost... hosts) throws Exception {
    CtWatcher.Builder builder = CtWatcher.builder()
        .http(Duration.ofSeconds(5), 3, Duration.ofMillis(10))
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).sink(new AlertFile(dir.resolve("alerts.jsonl")))
        .fromStart(fromStart);
    for (WatchedHost host : hosts) {
      builder.host(host);
    }
    return watchers.open(builder);
  }

  private List<String> alerts() throws Exception {
    Path file = dir.resolve("alerts.jsonl");
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  private void logNoise(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      log.addCertificate(OTHER.leaf(TestCa.key(), "host" + i + ".other.test"),
          OTHER.intermediate);
    }
  }

  @Test
  void certificatesWhoseChainHoldsAPinnedKeyAreSilentAndAMisIssuanceAlertsOnce()
      throws Exception {
    logNoise(300); // more than one data tile
    log.addCertificate(OWN.leaf(SITE_KEY, "shop.example"), OWN.intermediate);
    log.addCertificate(OWN.leaf(BACKUP_KEY, "shop.example", "www.shop.example"),
        OWN.intermediate);
    X509Certificate impostor = OTHER.leaf(TestCa.key(), "shop.example");
    log.addCertificate(impostor, OTHER.intermediate);
    log.publish();

    CtWatcher watcher = watcher(true, shop(false));
    List<CtWatcher.Progress> progress = watcher.runOnce();

    assertThat(progress).singleElement().satisfies(p -> {
      assertThat(p.problem()).isNull();
      assertThat(p.entries()).isEqualTo(303);
      assertThat(p.alerts()).isEqualTo(1);
    });
    assertThat(alerts()).singleElement().satisfies(line -> assertThat(line)
        .contains("\"kind\":\"ct-unpinned-issuance\"", "\"index\":302",
            "\"names\":[\"shop.example\"]", "\"entry-type\":\"x509\"",
            TestCa.pin(impostor).toString(), TestCa.pin(OTHER.intermediate).toString(),
            "Other CA Intermediate")
        .contains("mis-issuance"));
  }

  @Test
  void aPinnedIntermediateMakesItsLeavesLegitimate() throws Exception {
    WatchedHost byIntermediate = new WatchedHost("shop.example",
        Set.of(TestCa.pin(OWN.intermediate), TestCa.pin(BACKUP_KEY)), false);
    log.addCertificate(OWN.leaf(TestCa.key(), "shop.example"), OWN.intermediate);
    log.publish();

    assertThat(watcher(true, byIntermediate).runOnce()).singleElement()
        .satisfies(p -> assertThat(p.alerts()).isZero());
    assertThat(alerts()).isEmpty();
  }

  @Test
  void aPrecertificateAndItsCertificateAreOneIssuanceAndOneAlert() throws Exception {
    TestCa.Issuance issuance = OTHER.issuance(TestCa.key(), "shop.example");
    log.addPrecert(issuance.precert(), issuance.certificate(), OTHER.intermediate);
    log.publish();
    CtWatcher watcher = watcher(true, shop(false));
    watcher.runOnce();
    log.addCertificate(issuance.certificate(), OTHER.intermediate);
    log.publish();
    watcher.runOnce();

    assertThat(alerts()).singleElement().satisfies(line -> assertThat(line)
        .contains("\"entry-type\":\"precert\"", "\"index\":0"));
    // and after a restart, the final certificate logged again elsewhere is still the same one
    log.addCertificate(issuance.certificate(), OTHER.intermediate);
    log.publish();
    watcher(true, shop(false)).runOnce();
    assertThat(alerts()).hasSize(1);
  }

  @Test
  void subdomainsAndWildcardsFollowIncludeSubDomainsAndLookAlikesAreSilent() throws Exception {
    for (String name : new String[] {"api.shop.example", "*.shop.example",
        "shop.example.evil.test", "notshop.example", "*.example", "SHOP.EXAMPLE."}) {
      log.addCertificate(OTHER.leaf(TestCa.key(), name), OTHER.intermediate);
    }
    log.publish();

    watcher(true, shop(false)).runOnce();
    // the host itself (however cased and dotted) and a wildcard one label above it
    assertThat(alerts()).hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("\"names\":[\"shop.example\"]"))
        .anySatisfy(l -> assertThat(l).contains("\"names\":[\"*.example\"]"));

    Files.delete(dir.resolve("alerts.jsonl"));
    try (var states = Files.list(dir.resolve("state"))) {
      for (Path state : states.toList()) {
        Files.delete(state);
      }
    }
    watcher(true, shop(true)).runOnce();
    assertThat(alerts()).hasSize(4).anySatisfy(l -> assertThat(l).contains("api.shop.example"))
        .anySatisfy(l -> assertThat(l).contains("\"*.shop.example\""))
        .noneSatisfy(l -> assertThat(l).contains("evil.test"))
        .noneSatisfy(l -> assertThat(l).contains("notshop"));
  }

  @Test
  void aWildcardCoversAWatchedNameOneLabelBelowIt() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "*.shop.example"), OTHER.intermediate);
    log.publish();
    WatchedHost www = new WatchedHost("www.shop.example", Set.of(TestCa.pin(SITE_KEY),
        TestCa.pin(BACKUP_KEY)), false);

    watcher(true, www).runOnce();

    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l)
        .contains("\"watched-hosts\":[\"www.shop.example\"]"));
  }

  @Test
  void aFirstRunStartsAtTheEndAndARestartGoesOnWithNeitherGapNorRepeat() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    logNoise(600);
    log.publish();

    assertThat(watcher(false, shop(false)).runOnce()).singleElement().satisfies(p -> {
      assertThat(p.from()).isEqualTo(601);
      assertThat(p.entries()).isZero();
    });
    assertThat(alerts()).isEmpty(); // history is not scanned unless asked

    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    logNoise(10);
    log.publish();
    assertThat(watcher(false, shop(false)).runOnce()).singleElement().satisfies(p -> {
      assertThat(p.from()).isEqualTo(601);
      assertThat(p.to()).isEqualTo(612);
    });
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l).contains("\"index\":601"));
    assertThat(watcher(false, shop(false)).runOnce()).singleElement()
        .satisfies(p -> assertThat(p.entries()).isZero());
    assertThat(alerts()).hasSize(1);
  }

  @Test
  void gzipAndPartialThenFullTilesAreRead() throws Exception {
    log.gzipDataTiles = true;
    logNoise(100);
    log.publish();
    CtWatcher watcher = watcher(true, shop(false));
    watcher.runOnce();
    logNoise(156);
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
    // the partial data tile 0 of width 100 is gone once the full one is served
    log.files.remove("tile/data/000.p/100");

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.problem()).isNull();
      assertThat(p.to()).isEqualTo(257);
    });
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l).contains("\"index\":256"));
  }

  @Test
  void aForkIsMisbehaviourAndThePositionStays() throws Exception {
    logNoise(5);
    log.publish();
    CtWatcher watcher = watcher(true, shop(false));
    watcher.runOnce();
    // the same size signed with another root: two views of the log
    byte[] other = new byte[32];
    log.files.put("checkpoint", log.checkpoint(5, other, log.key)
        .getBytes(StandardCharsets.UTF_8));

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> assertThat(p.problem())
        .contains("two roots for size 5"));
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l)
        .contains("\"kind\":\"log-misbehaviour\"", "a fork"));
    watcher.runOnce();
    assertThat(alerts()).as("the same misbehaviour is told once").hasSize(1);
  }

  @Test
  void entriesThatDoNotHashToTheTreeHeadAreMisbehaviourAndNothingIsAlerted() throws Exception {
    logNoise(3);
    log.publish();
    CtWatcher watcher = watcher(true, shop(false));
    watcher.runOnce();
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
    // a data tile that is not what the log signed: swap in another entry's bytes
    byte[] signed = log.files.get("tile/data/000.p/4");
    log.files.put("tile/data/000.p/4", log.forgedDataTile(3));

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.problem()).contains("do not hash to its tree head");
      assertThat(p.from()).isEqualTo(3);
      assertThat(p.to()).isEqualTo(3);
    });
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l)
        .contains("log-misbehaviour").doesNotContain("ct-unpinned-issuance"));

    log.files.put("tile/data/000.p/4", signed); // the log serves the right tile again
    assertThat(watcher.runOnce()).singleElement().satisfies(p -> assertThat(p.problem())
        .isNull());
    assertThat(alerts()).hasSize(2).last().satisfies(l -> assertThat(l)
        .contains("ct-unpinned-issuance", "\"index\":3"));
  }

  @Test
  void aBadSignatureAWrongKeyAndGarbageAreMisbehaviour() throws Exception {
    logNoise(2);
    log.publish();
    CtWatcher watcher = watcher(true, shop(false));
    watcher.runOnce();
    logNoise(1);
    log.publish();
    byte[] good = log.files.get("checkpoint");

    log.files.put("checkpoint", log.checkpoint(3, log.root(log.leafHashes()), TestCa.key())
        .getBytes(StandardCharsets.UTF_8));
    assertThat(watcher.runOnce().get(0).problem()).contains("does not verify");

    String text = new String(good, StandardCharsets.UTF_8);
    log.files.put("checkpoint", text.replace("\n3\n", "\n4\n").getBytes(StandardCharsets.UTF_8));
    assertThat(watcher.runOnce().get(0).problem()).contains("does not verify");

    log.files.put("checkpoint", "garbage\u0000\n".getBytes(StandardCharsets.UTF_8));
    assertThat(watcher.runOnce().get(0).problem()).contains("not a signed note");

    log.files.put("checkpoint", good);
    log.files.put("tile/data/000.p/3", Arrays.copyOf(log.files.get("tile/data/000.p/3"), 10));
    assertThat(watcher.runOnce().get(0).problem()).contains("truncated");
    assertThat(alerts()).hasSize(4).allSatisfy(l -> assertThat(l).contains("log-misbehaviour"));
  }

  @Test
  void aWatcherWithTheWrongKeyForALogTrustsNothing() throws Exception {
    logNoise(2);
    log.publish();
    CtWatcher watcher = watchers.open(CtWatcher.builder()
        .http(Duration.ofSeconds(5), 2, Duration.ofMillis(10))
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(),
            LogKey.of(TestCa.key().getPublic().getEncoded()))
        .stateDirectory(dir.resolve("state")).sink(new AlertFile(dir.resolve("alerts.jsonl")))
        .host(shop(false)));

    assertThat(watcher.runOnce().get(0).problem()).contains("no signature of the log's key");
    try (var files = Files.list(dir.resolve("state"))) {
      assertThat(files.map(f -> f.getFileName().toString())).as("nothing saved but the lock")
          .containsExactly(".lock");
    }
  }

  @Test
  void rateLimitsAreRetriedAndAreNotAlerts() throws Exception {
    logNoise(2);
    log.publish();
    log.statuses.put("checkpoint", 429);
    CtWatcher watcher = watcher(true, shop(false));

    assertThat(watcher.runOnce().get(0).problem()).contains("HTTP 429");
    assertThat(alerts()).isEmpty();
    log.statuses.clear();
    assertThat(watcher.runOnce().get(0).entries()).isEqualTo(2);

    // a server error takes the same path: retried, unavailable, never an alert
    logNoise(1);
    log.publish();
    log.statuses.put("checkpoint", 503);
    CtWatcher.Progress unavailable = watcher.runOnce().get(0);
    assertThat(unavailable.status()).isEqualTo(CtWatcher.Status.UNAVAILABLE);
    assertThat(unavailable.problem()).contains("HTTP 503");
    assertThat(alerts()).isEmpty();
    log.statuses.clear();
    assertThat(watcher.runOnce().get(0).entries()).isEqualTo(1);
  }

  @Test
  void aSinkThatFailsKeepsThePositionAndTheBatchComesAgain() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    logNoise(3);
    log.publish();
    boolean[] fail = {true};
    CtWatcher failing = watchers.open(CtWatcher.builder().http(Duration.ofSeconds(5), 2,
        Duration.ofMillis(10))
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).fromStart(true).host(shop(false))
        .sink(new AlertFile(dir.resolve("alerts.jsonl")))
        .sink(alerts -> {
          if (fail[0]) {
            throw new java.io.IOException("disk full");
          }
        }));

    assertThat(failing.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.FAILED);
      assertThat(p.to()).isZero();
    });
    fail[0] = false;
    assertThat(failing.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.OK);
      assertThat(p.to()).isEqualTo(4);
    });
    // the file took the alert on the first try already: written once all the same
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l).contains("\"index\":0"));
  }

  @Test
  void aCrashBetweenTheAlertsAndTheStateWritesNoAlertTwiceAndSkipsNoEntry() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
    watcher(true, shop(false)).runOnce();
    // as if killed after the alerts were synced and before the state was renamed into place
    try (var states = Files.list(dir.resolve("state"))) {
      for (Path state : states.toList()) {
        Files.delete(state);
      }
    }
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();

    assertThat(watcher(true, shop(false)).runOnce()).singleElement()
        .satisfies(p -> assertThat(p.entries()).isEqualTo(2));
    assertThat(alerts()).hasSize(2).anySatisfy(l -> assertThat(l).contains("\"index\":0"))
        .anySatisfy(l -> assertThat(l).contains("\"index\":1"));
  }

  @Test
  void aMerelyOldTreeHeadIsNotMisbehaviour() throws Exception {
    logNoise(2);
    log.publish();
    CtWatcher watcher = watchers.open(CtWatcher.builder().http(Duration.ofSeconds(5), 2, Duration.ofMillis(10))
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).fromStart(true).host(shop(false))
        .sink(new AlertFile(dir.resolve("alerts.jsonl")))
        .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(3))));

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.OK);
      assertThat(p.entries()).isEqualTo(2);
    });
    assertThat(alerts()).isEmpty();
  }

  @Test
  void aLogCanBeReadFromAGivenIndexAndTheEntriesFromThereProveTheRange() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    logNoise(520);
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    logNoise(3);
    log.publish();
    CtWatcher watcher = watchers.open(CtWatcher.builder().http(Duration.ofSeconds(5), 2, Duration.ofMillis(10))
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .stateDirectory(dir.resolve("state")).startAt(300).host(shop(false))
        .sink(new AlertFile(dir.resolve("alerts.jsonl"))));

    assertThat(watcher.runOnce()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(CtWatcher.Status.OK);
      assertThat(p.from()).isEqualTo(300);
      assertThat(p.to()).isEqualTo(525);
    });
    assertThat(alerts()).singleElement().satisfies(l -> assertThat(l).contains("\"index\":521"));
  }

  @Test
  void pinsOfAWatchedHostAreItsLegitimateKeys() {
    Pin pin = TestCa.pin(SITE_KEY);
    WatchedHost host = new WatchedHost("Shop.Example.", Set.of(pin), true);
    assertThat(host.host()).isEqualTo("shop.example");
    assertThat(host.covers("a.b.shop.example")).isTrue();
    assertThat(host.covers("shop.example.evil.test")).isFalse();
    assertThat(new WatchedHost("a.b.shop.example", Set.of(pin), false).covers("*.shop.example"))
        .isFalse();
  }
}
