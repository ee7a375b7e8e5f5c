package dev.hpkp.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hpkp.policy.Pin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;

/**
 * Appends one JSON object per line to a file and returns only when the line is on disk.
 *
 * <p>Concurrent writers share one write and one {@code fsync}: the first writer to find the disk
 * idle writes every line queued so far and syncs, while the others wait for that sync (group
 * commit). Durability therefore costs one sync per batch, not per report.
 *
 * <p>When the file grows past {@code maxBytes} it is renamed to {@code file.1} (older ones
 * shift to {@code .2} …, keeping {@code keep} of them) and a new file is started. A batch whose
 * write fails (disk full) is truncated away before anything else is acknowledged; a line torn by
 * a crash is closed with a newline on the next start. So every acknowledged line is whole;
 * readers skip a line that does not parse.
 */
public final class JsonLinesReportSink implements ReportSink {

  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final Object lock = new Object();
  private FileChannel channel;
  private Batch current = new Batch();
  private boolean writing;
  private boolean closed;
  /** Where a failed batch began, until it is truncated away; -1 when the file ends whole. */
  private long tornAt = -1;

  private static final class Batch {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean done;
    IOException failure;
  }

  /**
   * Opens (or creates) {@code file} for appending.
   *
   * @param maxBytes size at which the file is rotated
   * @param keep how many rotated files to keep
   */
  public JsonLinesReportSink(Path file, long maxBytes, int keep) throws IOException {
    this(file, maxBytes, keep, path -> FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  /** How the sink opens its file; tests put a failing channel here. */
  @FunctionalInterface
  interface Opener {
    FileChannel open(Path file) throws IOException;
  }

  private final Opener opener;

  JsonLinesReportSink(Path file, long maxBytes, int keep, Opener opener) throws IOException {
    this.opener = opener;
    this.file = file.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.keep = keep;
    Path parent = this.file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.channel = open();
    closeTornLine();
  }

  public Path file() {
    return file;
  }

  @Override
  public void accept(ReceivedReport report) throws IOException {
    byte[] line = toJsonLine(report);
    Batch mine;
    synchronized (lock) {
      if (closed) {
        throw new IOException("report sink " + file + " is closed");
      }
      mine = current;
      mine.bytes.write(line, 0, line.length);
      while (writing && !mine.done) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the report to reach disk", e);
        }
      }
      if (mine.done) {
        if (mine.failure != null) {
          throw new IOException("could not store the report in " + file, mine.failure);
        }
        return;
      }
      writing = true; // this thread writes the batch that holds its own line
      current = new Batch();
    }
    IOException failure = null;
    try {
      writeAndSync(ByteBuffer.wrap(mine.bytes.toByteArray()));
    } catch (IOException e) {
      failure = e;
    }
    synchronized (lock) {
      mine.done = true;
      mine.failure = failure;
      writing = false;
      lock.notifyAll();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void writeAndSync(ByteBuffer buffer) throws IOException {
    repairTornBatch();
    long start = channel.size();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      // A part of the batch may be on disk (disk full mid-line). Cut it off before anything
      // else is acknowledged, or the next line would be appended onto the fragment and lost.
      tornAt = start;
      try {
        repairTornBatch();
      } catch (IOException repair) {
        e.addSuppressed(repair);
      }
      throw e;
    }
    if (channel.size() >= maxBytes) {
      rotate();
    }
  }

  /** Truncates a failed batch away; while that fails, every batch fails with it. */
  private void repairTornBatch() throws IOException {
    if (tornAt >= 0) {
      if (channel.size() > tornAt) {
        channel.truncate(tornAt);
        channel.force(false);
      }
      tornAt = -1;
    }
  }

  private void rotate() throws IOException {
    channel.close();
    for (int i = keep - 1; i >= 1; i--) {
      Path older = rotated(i);
      if (Files.exists(older)) {
        Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (keep > 0) {
      Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.delete(file);
    }
    channel = open();
    syncDirectory();
  }

  private Path rotated(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  private FileChannel open() throws IOException {
    return opener.open(file);
  }

  private void syncDirectory() {
    try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      // Not every platform can sync a directory; the file contents are synced regardless.
    }
  }

  private void closeTornLine() throws IOException {
    long size = channel.size();
    if (size == 0) {
      syncDirectory();
      return;
    }
    try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      reader.read(last, size - 1);
      if (last.get(0) != '\n') {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        channel.force(false);
      }
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      closed = true;
      while (writing) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      channel.close();
    }
  }

  /** The line written for a report, ending in a newline. */
  static byte[] toJsonLine(ReceivedReport received) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    PinFailureReport report = received.report();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("received-at", received.receivedAt().toString());
      json.writeStringField("remote-address", received.remoteAddress());
      json.writeStringField("date-time",
          report.dateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      json.writeStringField("hostname", report.hostname());
      json.writeNumberField("port", report.port());
      json.writeStringField("effective-expiration-date",
          report.effectiveExpirationDate().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      json.writeBooleanField("include-subdomains", report.includeSubdomains());
      json.writeStringField("noted-hostname", report.notedHostname());
      json.writeArrayFieldStart("served-certificate-chain");
      for (String pem : report.servedCertificateChain()) {
        json.writeString(QuotedPems.of(pem));
      }
      json.writeEndArray();
      json.writeArrayFieldStart("validated-certificate-chain");
      for (String pem : report.validatedCertificateChain()) {
        json.writeString(QuotedPems.of(pem));
      }
      json.writeEndArray();
      json.writeArrayFieldStart("known-pins");
      for (Pin pin : report.knownPins()) {
        json.writeString(pin.toDirective());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("served-pins");
      for (Pin pin : received.servedPins()) {
        json.writeString(pin.toString());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("matching-known-pins");
      for (Pin pin : received.matchingKnownPins()) {
        json.writeString(pin.toString());
      }
      json.writeEndArray();
      json.writeStringField("served-leaf-subject", received.servedLeafSubject());
      json.writeStringField("served-leaf-issuer", received.servedLeafIssuer());
      json.writeStringField("verdict", received.verdict().code());
      json.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }
}
