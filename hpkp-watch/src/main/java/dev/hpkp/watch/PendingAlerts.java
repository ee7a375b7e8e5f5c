package dev.hpkp.watch;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The alerts a round found in entries not yet verified, kept in a file beside the log's state
 * (not in memory: a log may serve a million certificates for a watched host), so that a round
 * stopped by a crash goes on from its last saved reading without losing or repeating one. They
 * are handed to the sinks only once the entries are verified, in batches.
 */
final class PendingAlerts implements Closeable {

  /** Alerts handed to the sinks at once. */
  static final int BATCH = 1000;
  private static final int BUFFERED = 64 << 10;
  private static final int ISSUANCES_KEPT = 100_000;

  private final Path file;
  /** Opened when the first alert is written: a round without alerts leaves no file. */
  private FileChannel channel;
  private final StringBuilder buffer = new StringBuilder();
  private final Set<String> issuances = new LinkedHashSet<>();
  private long bytes;
  private long count;

  private PendingAlerts(Path file, long keep) throws IOException {
    this.file = file;
    if (keep == 0) {
      Files.deleteIfExists(file); // what an earlier round left: made again if needed
      return;
    }
    this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (channel.size() < keep) {
        throw new IOException(file + " holds " + channel.size() + " bytes, fewer than the "
            + keep + " its state names");
      }
      channel.truncate(keep); // what a crashed round wrote after its last saved reading
      this.bytes = keep;
      forEach(alert -> {
        count++;
        remember(alert.issuance());
      });
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** None pending: what an earlier round left is dropped. */
  static PendingAlerts fresh(Path file) throws IOException {
    return new PendingAlerts(file, 0);
  }

  /** The first {@code bytes} of the file, as the reading saved with them left it. */
  static PendingAlerts resume(Path file, long bytes) throws IOException {
    return new PendingAlerts(file, bytes);
  }

  /** Appends an alert (written to the file as the buffer fills, synced by {@link #sync}). */
  void add(Alert alert) throws IOException {
    buffer.append(alert.json()).append('\n');
    count++;
    remember(alert.issuance());
    if (buffer.length() >= BUFFERED) {
      write();
    }
  }

  /** True when an alert of this issuance (a precertificate and its certificate) is pending. */
  boolean holdsIssuance(String issuance) {
    return issuance != null && issuances.contains(issuance);
  }

  long count() {
    return count;
  }

  /** Writes and syncs what was added; returns the file's length, for the saved reading. */
  long sync() throws IOException {
    write();
    if (channel != null) {
      channel.force(false);
    }
    return bytes;
  }

  /** Hands every pending alert to {@code batches}, {@link #BATCH} at a time, in order. */
  void deliver(Batches batches) throws IOException {
    sync();
    List<Alert> batch = new ArrayList<>(BATCH);
    forEach(alert -> {
      batch.add(alert);
      if (batch.size() == BATCH) {
        batches.accept(List.copyOf(batch));
        batch.clear();
      }
    });
    if (!batch.isEmpty()) {
      batches.accept(List.copyOf(batch));
    }
  }

  /** Receives pending alerts. */
  @FunctionalInterface
  interface Batches {
    void accept(List<Alert> alerts) throws IOException;
  }

  /** Receives one pending alert. */
  @FunctionalInterface
  private interface Each {
    void accept(Alert alert) throws IOException;
  }

  private void forEach(Each each) throws IOException {
    if (channel == null) {
      return;
    }
    BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(
        channel.position(0)), StandardCharsets.UTF_8));
    long left = bytes;
    for (String line = lines.readLine(); line != null && left > 0; line = lines.readLine()) {
      left -= line.getBytes(StandardCharsets.UTF_8).length + 1;
      each.accept(Alert.parse(line));
    }
    channel.position(bytes);
  }

  private void write() throws IOException {
    if (buffer.length() == 0) {
      return;
    }
    if (channel == null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
    ByteBuffer out = ByteBuffer.wrap(buffer.toString().getBytes(StandardCharsets.UTF_8));
    buffer.setLength(0);
    bytes += out.remaining();
    while (out.hasRemaining()) {
      channel.write(out, channel.size());
    }
  }

  private void remember(String issuance) {
    if (issuance != null && issuances.add(issuance) && issuances.size() > ISSUANCES_KEPT) {
      Iterator<String> oldest = issuances.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Closes the file and removes it: its alerts were delivered, or are not to be. */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(file);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
