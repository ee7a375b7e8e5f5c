package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilePinStoreTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path dir;

  private static PinnedHost entry(String host) {
    return new PinnedHost(host, Set.of(PKI.leafPin(), PKI.backupPin()), true, NOW,
        NOW.plusSeconds(600), "https://reports.example.net/hpkp", PinnedHost.Source.NOTED);
  }

  @Test
  void keepsEntriesAcrossReopeningAndLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("state/pins.json");
    FilePinStore store = FilePinStore.open(file);
    assertThat(store.entries()).isEmpty();
    assertThat(file).doesNotExist();

    store.put(entry("a.example"));
    store.put(entry("b.example"));
    store.remove("A.EXAMPLE.");
    store.close();

    try (FilePinStore reopened = FilePinStore.open(file)) {
      assertThat(reopened.entries()).containsExactly(entry("b.example"));
    }
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("pins.json", "pins.json.lock");
    }
  }

  @Test
  void eachChangeIsOneAppendedLineAndTheLogIsCompactedWhenItOutgrowsTheEntries()
      throws Exception {
    Path file = dir.resolve("pins.json");
    try (FilePinStore store = FilePinStore.open(file)) {
      store.put(entry("a.example"));
      long afterFirst = Files.size(file);
      store.put(entry("b.example"));
      List<String> lines = Files.readAllLines(file);
      assertThat(lines).hasSize(3).first().isEqualTo("{\"format\":\"hpkp-pin-store/2\"}");
      assertThat(lines.get(2)).startsWith("{\"put\":{\"host\":\"b.example\"");
      assertThat(Files.size(file)).isGreaterThan(afterFirst);

      for (int i = 0; i < 200; i++) {
        store.put(entry("a.example")); // the same host again and again
      }
      assertThat(Files.readAllLines(file).size()).as("compacted, not 203 lines")
          .isLessThanOrEqualTo(2 * 2 + 64 + 2);
    }
    try (FilePinStore reopened = FilePinStore.open(file)) {
      assertThat(reopened.entries()).containsExactly(entry("a.example"), entry("b.example"));
    }
  }

  @Test
  void aTornLastLineIsTheChangeACrashCutShortAndIsDropped() throws Exception {
    Path file = dir.resolve("pins.json");
    try (FilePinStore store = FilePinStore.open(file)) {
      store.put(entry("a.example"));
      store.put(entry("b.example"));
    }
    String whole = Files.readString(file);
    Files.writeString(file, whole + "{\"put\":{\"host\":\"c.exa");

    try (FilePinStore reopened = FilePinStore.open(file)) {
      assertThat(reopened.entries()).containsExactly(entry("a.example"), entry("b.example"));
      reopened.put(entry("d.example"));
    }
    try (FilePinStore again = FilePinStore.open(file)) {
      assertThat(again.entries()).extracting(PinnedHost::host)
          .containsExactly("a.example", "b.example", "d.example");
    }
  }

  @Test
  void aStoreWrittenWholeByEarlierVersionsIsReadAndRewrittenAsALog() throws Exception {
    Path file = Files.writeString(dir.resolve("pins.json"), "{\"format\": \"hpkp-pin-store/1\","
        + " \"hosts\": [{\"host\": \"a.example\", \"pins\": [\"" + PKI.leafPin() + "\", \""
        + PKI.backupPin() + "\"], \"include-subdomains\": true, \"noted\": \"" + NOW
        + "\", \"expires\": \"" + NOW.plusSeconds(600) + "\", \"report-uri\":"
        + " \"https://reports.example.net/hpkp\"}]}");

    try (FilePinStore store = FilePinStore.open(file)) {
      assertThat(store.entries()).containsExactly(entry("a.example"));
      store.put(entry("b.example"));
    }
    assertThat(Files.readAllLines(file)).hasSize(3).first().asString()
        .contains("hpkp-pin-store/2");
  }

  @Test
  void oneProcessPerFile() throws Exception {
    Path file = dir.resolve("pins.json");
    try (FilePinStore first = FilePinStore.open(file)) {
      assertThatThrownBy(() -> FilePinStore.open(file))
          .isInstanceOf(PinStoreException.class)
          .hasMessage("pin store " + file + " is open already in this JVM; share the one"
              + " FilePinStore (a store is safe for concurrent use)");

      // another process: the lock is an OS lock on pins.json.lock
      Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          OtherProcess.class.getName(), file.toString()).redirectErrorStream(true).start();
      String said = new String(other.getInputStream().readAllBytes()).strip();
      assertThat(other.waitFor()).isEqualTo(3);
      assertThat(said).isEqualTo("pin store " + file + " is in use by another process (it"
          + " holds pins.json.lock); one process per store file: give each process its own"
          + " file");
      first.put(entry("a.example"));
    }
    try (FilePinStore reopened = FilePinStore.open(file)) {
      assertThat(reopened.entries()).hasSize(1);
    }
  }

  /** Opens the store named by its argument in a second JVM; exit 3 with the message if refused. */
  public static final class OtherProcess {
    public static void main(String[] args) {
      try (FilePinStore store = FilePinStore.open(Path.of(args[0]))) {
        System.out.println("opened " + store.size());
      } catch (PinStoreException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
  }

  @Test
  void whatTheAgentNotesAtTheLimitsIsReadBackAfterARestart() throws Exception {
    Path file = dir.resolve("pins.json");
    String longest = "https://r.example/" + "u".repeat(PinnedHost.MAX_REPORT_URI_LENGTH - 18);
    try (FilePinStore store = FilePinStore.open(file)) {
      store.put(new PinnedHost("x".repeat(63) + "." + "y".repeat(63) + ".example", Set.of(
          PKI.leafPin(), PKI.backupPin()), false, NOW, NOW.plusSeconds(60), longest,
          PinnedHost.Source.NOTED));
    }
    try (FilePinStore reopened = FilePinStore.open(file)) {
      assertThat(reopened.entries()).singleElement()
          .extracting(PinnedHost::reportUri).isEqualTo(longest);
    }
  }

  @Test
  void removingExpiredEntriesIsOneAppendAndTheSoonestExpiryIsKnown() throws Exception {
    Path file = dir.resolve("pins.json");
    try (FilePinStore store = FilePinStore.open(file)) {
      for (int i = 0; i < 10; i++) {
        store.put(new PinnedHost("h" + i + ".example", Set.of(PKI.leafPin()), false, NOW,
            NOW.plusSeconds(10 + i), null, PinnedHost.Source.NOTED));
      }
      assertThat(store.soonestExpiring()).get().extracting(PinnedHost::host)
          .isEqualTo("h0.example");
      int lines = Files.readAllLines(file).size();

      assertThat(store.removeExpired(NOW.plusSeconds(15))).isEqualTo(6);

      assertThat(Files.readAllLines(file)).hasSize(lines + 6);
      assertThat(store.soonestExpiring()).get().extracting(PinnedHost::host)
          .isEqualTo("h6.example");
    }
  }

  @Test
  void concurrentChangesAllReachTheFile() throws Exception {
    Path file = dir.resolve("pins.json");
    FilePinStore store = FilePinStore.open(file);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        for (int i = 0; i < 25; i++) {
          store.put(entry("h" + thread + "-" + i + ".example"));
        }
      }));
    }
    for (Future<?> future : done) {
      future.get();
    }
    pool.shutdown();
    store.close();

    try (FilePinStore reopened = FilePinStore.open(file)) {
      assertThat(reopened.entries()).hasSize(200);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|it is empty",
      "{\"hosts\": []}|\"format\" is missing, not 'hpkp-pin-store/1'",
      "{\"format\": \"other/2\", \"hosts\": []}|\"format\" is 'other/2', not 'hpkp-pin-store/1'",
      "{\"format\": \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"a.example\", \"pins\":"
          + " [\"sha256/short\"], \"noted\": \"2026-11-23T12:00:00Z\", \"expires\":"
          + " \"2026-11-23T12:10:00Z\"}]}|host entry 1: ",
      "{\"format\": \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"a.example\", \"pins\":"
          + " [\"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"]}]}|host entry 1"
          + " (a.example): \"noted\" and \"expires\" are needed in a pin store",
      "{\"format\": \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"a.example\", \"pins\":"
          + " [\"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"], \"noted\": \"yesterday\","
          + " \"expires\": \"2026-11-23T12:10:00Z\"}]}|\"noted\" 'yesterday' is not an ISO-8601"
          + " instant",
      "{\"format\": \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"a\\u0000\", \"pins\": []}]}"
          + "|host entry 1 (a\\u0000): no pins",
      // limits: each used to be a NullPointerException (a limit has no location)
      "{\"format\": \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"a.example\", \"pins\":"
          + " [\"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"], \"report-uri\": \"LONG\"}]}"
          + "|it is not valid JSON within a pin store's limits (String value length (9000)",
      "{\"format\": \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"a.example\", \"pins\":"
          + " [\"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"], \"noted\":"
          + " \"2026-11-23T12:00:00Z\", \"expires\": \"2026-11-23T12:10:00Z\", \"report-uri\":"
          + " \"https://r.example/URI\"}]}|host entry 1 (a.example): a report-uri of 3018"
          + " characters, more than 2048"})
  void aCorruptFileIsAnErrorNamingItNeverAnEmptyStore(String content, String problem)
      throws Exception {
    Path file = Files.writeString(dir.resolve("pins.json"), content
        .replace("LONG", "x".repeat(9000)).replace("URI", "u".repeat(3000)));

    assertThatThrownBy(() -> FilePinStore.open(file))
        .isInstanceOf(PinStoreException.class)
        .hasMessageStartingWith("pin store " + file + " cannot be read: ")
        .hasMessageContaining(problem)
        .hasMessageEndingWith("; repair or delete the file (a client that forgot its pins"
            + " silently would trust whatever it is shown next)");
  }

  @Test
  void aDirectoryIsNotAStore() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("pins.json"));

    assertThatThrownBy(() -> FilePinStore.open(directory))
        .isInstanceOf(PinStoreException.class)
        .hasMessage("pin store " + directory + " is a directory; name a file");
  }

  @Test
  void aPreloadFileMayLeaveOutTheTimes() throws Exception {
    Path file = Files.writeString(dir.resolve("preload.json"), "{\"format\":"
        + " \"hpkp-pin-store/1\", \"hosts\": [{\"host\": \"Example.COM\", \"pins\": [\""
        + PKI.rootPin() + "\", \"" + PKI.backupPin() + "\"], \"include-subdomains\": true}]}");

    try (HpkpAgent agent = HpkpAgent.builder().preload(file)
        .trustManager(TestPki.trustManager(PKI.root())).build()) {
      PinnedHost preloaded = agent.pinsFor("www.example.com").orElseThrow();
      assertThat(preloaded.source()).isEqualTo(PinnedHost.Source.PRELOADED);
      assertThat(preloaded.expiresAt()).isEqualTo(Instant.MAX);
      assertThat(preloaded.pins()).containsExactlyInAnyOrder(PKI.rootPin(), PKI.backupPin());
    }
  }
}
