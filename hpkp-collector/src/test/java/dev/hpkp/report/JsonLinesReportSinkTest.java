package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesReportSinkTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final ReportParser PARSER = new ReportParser(65_536, 10);

  @TempDir Path dir;

  private static ReceivedReport report(String host) throws Exception {
    return ReceivedReport.of(Instant.parse("2026-11-23T00:00:00Z"), "192.0.2.7",
        PARSER.parse(Reports.interception(PKI, host).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void closesATornLastLineBeforeAppending() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    Files.writeString(file, "{\"hostname\":\"whole.example\"}\n{\"hostname\":\"torn");
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1 << 20, 1)) {
      sink.accept(report("next.example"));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).isEqualTo("{\"hostname\":\"torn");
    assertThat(lines.get(2)).startsWith("{\"received-at\":\"2026-11-23T00:00:00Z\","
        + "\"remote-address\":\"192.0.2.7\"").contains("\"hostname\":\"next.example\"");
  }

  @Test
  void rotatesBySizeKeepingTheConfiguredNumberOfFiles() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    int lineLength = ReportLines.of(report("a.example")).length;
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, lineLength * 2L, 2)) {
      for (int i = 0; i < 7; i++) {
        sink.accept(report("a.example"));
      }
    }
    // Every second line fills a file: 7 lines -> 3 full files (2 kept) and 1 line current.
    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("hpkp.jsonl.1"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("hpkp.jsonl.2"))).hasSize(2);
    assertThat(dir.resolve("hpkp.jsonl.3")).doesNotExist();
  }

  @Test
  void concurrentWritersAllLandAsWholeLines() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    ReceivedReport report = report("c.example");
    int threads = 8;
    int each = 50;
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1L << 30, 1)) {
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        workers[t] = new Thread(() -> {
          for (int i = 0; i < each; i++) {
            try {
              sink.accept(report);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          }
        });
        workers[t].start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(threads * each);
    assertThat(lines).allMatch(l -> l.startsWith("{\"received-at\"") && l.endsWith("}"));
  }

  @Test
  void acceptAfterCloseFails() throws Exception {
    JsonLinesReportSink sink = new JsonLinesReportSink(dir.resolve("x.jsonl"), 1 << 20, 1);
    sink.close();
    ReceivedReport report = report("d.example");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.accept(report))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("is closed");
  }

  /** A disk whose sync waits until the test opens {@code gate}. */
  private static JsonLinesReportSink withHeldSync(Path file, java.util.concurrent.CountDownLatch gate)
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger never = new java.util.concurrent.atomic.AtomicInteger();
    return new JsonLinesReportSink(file, 1 << 20, 1, path -> new TornWriteTest.FillingDisk(
        java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND),
        never, never) {
      @Override
      public void force(boolean metaData) throws java.io.IOException {
        try {
          gate.await();
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
        super.force(metaData);
      }
    });
  }

  @Test
  void storeCompletesOnlyOnceTheBatchIsSynced() throws Exception {
    Path file = dir.resolve("held.jsonl");
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    try (JsonLinesReportSink sink = withHeldSync(file, gate)) {
      java.util.concurrent.CompletableFuture<Void> first =
          sink.store(report("first.example")).toCompletableFuture();
      Thread.sleep(200);
      java.util.concurrent.CompletableFuture<Void> second =
          sink.store(report("second.example")).toCompletableFuture();
      Thread.sleep(200);
      assertThat(first).as("written, but the sync has not returned").isNotDone();
      assertThat(second).isNotDone();
      gate.countDown();
      first.get(5, java.util.concurrent.TimeUnit.SECONDS);
      second.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void closeWritesWhatIsQueuedThenRefuses() throws Exception {
    Path file = dir.resolve("drain.jsonl");
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    JsonLinesReportSink sink = withHeldSync(file, gate);
    List<java.util.concurrent.CompletableFuture<Void>> queued = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(sink.store(report("q" + i + ".example")).toCompletableFuture());
    }
    Thread closer = new Thread(() -> {
      try {
        sink.close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    closer.start();
    Thread.sleep(200);
    assertThat(sink.store(report("late.example")).toCompletableFuture())
        .as("refused once closing began").isCompletedExceptionally();
    gate.countDown();
    closer.join(5_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(queued).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(Files.readString(file)).contains("q0.example", "q4.example")
        .doesNotContain("late.example");
  }

  @Test
  void aFailedRotationLosesNothingAndIsTriedAgainAfterTheNextBatch() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    int lineLength = ReportLines.of(report("a.example")).length;
    // hpkp.jsonl.2 is a directory that is not empty: shifting hpkp.jsonl.1 onto it fails
    Path first = Files.createDirectories(dir.resolve("hpkp.jsonl.1"));
    Path second = Files.createDirectories(dir.resolve("hpkp.jsonl.2"));
    Files.writeString(second.resolve("keep"), "x");
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, lineLength * 2L, 2)) {
      for (int i = 0; i < 3; i++) {
        // each store completes: the batch was durable before rotation was tried
        sink.store(report("a.example")).toCompletableFuture().get();
      }
      assertThat(Files.readAllLines(file)).as("still one file: rotation failed").hasSize(3);

      // the empty one first: a rotation running in between must not move it onto data
      Files.delete(first);
      Files.delete(second.resolve("keep"));
      Files.delete(second);
      sink.store(report("b.example")).toCompletableFuture().get();
      sink.store(report("c.example")).toCompletableFuture().get();
    }
    // rotated since (when exactly depends on the writer thread): every line kept, once, in order
    assertThat(dir.resolve("hpkp.jsonl.1")).isRegularFile();
    List<String> all = new java.util.ArrayList<>();
    for (String name : List.of("hpkp.jsonl.2", "hpkp.jsonl.1", "hpkp.jsonl")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        all.addAll(Files.readAllLines(dir.resolve(name)));
      }
    }
    assertThat(all).extracting(line -> line.replaceAll(".*\"hostname\":\"([^\"]+)\".*", "$1"))
        .containsExactly("a.example", "a.example", "a.example", "b.example", "c.example");
  }
}
