package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk fills in the middle of a line: the acknowledged reports around it stay whole. */
class TornWriteTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  /** A file channel that, while {@code failures} is positive, writes half and then fails. */
  static class FillingDisk extends FileChannel {
    final FileChannel real;
    final AtomicInteger failures;
    final AtomicInteger truncateFailures;

    FillingDisk(FileChannel real, AtomicInteger failures, AtomicInteger truncateFailures) {
      this.real = real;
      this.failures = failures;
      this.truncateFailures = truncateFailures;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      if (failures.get() > 0 && source.remaining() > 1) {
        failures.decrementAndGet();
        ByteBuffer half = source.duplicate();
        half.limit(source.position() + source.remaining() / 2);
        real.write(half);
        throw new IOException("No space left on device");
      }
      return real.write(source);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (truncateFailures.get() > 0) {
        truncateFailures.decrementAndGet();
        throw new IOException("No space left on device (truncate)");
      }
      real.truncate(size);
      return this;
    }

    @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
    @Override public long read(ByteBuffer[] d, int o, int l) throws IOException { return real.read(d, o, l); }
    @Override public long write(ByteBuffer[] s, int o, int l) throws IOException { return real.write(s, o, l); }
    @Override public long position() throws IOException { return real.position(); }
    @Override public FileChannel position(long p) throws IOException { real.position(p); return this; }
    @Override public long size() throws IOException { return real.size(); }
    @Override public void force(boolean m) throws IOException { real.force(m); }
    @Override public long transferTo(long p, long c, WritableByteChannel t) throws IOException { return real.transferTo(p, c, t); }
    @Override public long transferFrom(ReadableByteChannel s, long p, long c) throws IOException { return real.transferFrom(s, p, c); }
    @Override public int read(ByteBuffer d, long p) throws IOException { return real.read(d, p); }
    @Override public int write(ByteBuffer s, long p) throws IOException { return real.write(s, p); }
    @Override public MappedByteBuffer map(MapMode m, long p, long s) throws IOException { return real.map(m, p, s); }
    @Override public FileLock lock(long p, long s, boolean sh) throws IOException { return real.lock(p, s, sh); }
    @Override public FileLock tryLock(long p, long s, boolean sh) throws IOException { return real.tryLock(p, s, sh); }
    @Override protected void implCloseChannel() throws IOException { real.close(); }
  }

  private static int post(ReportCollector collector, String hostname) {
    byte[] body = Reports.interception(PKI, hostname).getBytes(StandardCharsets.UTF_8);
    return collector.handle("192.0.2.9", "application/json", body.length,
        () -> new ByteArrayInputStream(body)).status();
  }

  @Test
  void aFailedWriteIsCutOffBeforeTheNextReportIsAcknowledged() throws Exception {
    Path file = dir.resolve("reports.jsonl");
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger truncateFailures = new AtomicInteger();
    JsonLinesReportSink sink = new JsonLinesReportSink(file, 1 << 20, 2, path ->
        new FillingDisk(FileChannel.open(path, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND), failures, truncateFailures));
    ReportCollector collector = ReportCollector.builder(sink).build();

    assertThat(post(collector, "one.example")).isEqualTo(204);
    failures.set(1);
    assertThat(post(collector, "torn.example")).isEqualTo(503);
    assertThat(post(collector, "two.example")).isEqualTo(204);

    // The cut fails too, twice: the next report is refused rather than appended to the fragment,
    // and once the cut succeeds reports are stored whole again.
    failures.set(1);
    truncateFailures.set(2);
    assertThat(post(collector, "torn-again.example")).isEqualTo(503);
    assertThat(post(collector, "torn-refused.example")).isEqualTo(503);
    assertThat(post(collector, "three.example")).isEqualTo(204);
    sink.close();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{")
        .endsWith("}"));
    assertThat(String.join("\n", lines)).contains("one.example", "two.example", "three.example")
        .doesNotContain("torn");
    assertThat(Files.readString(file)).endsWith("}\n");
  }
}
