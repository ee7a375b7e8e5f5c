package dev.hpkp.report;

import dev.hpkp.text.Printable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends one JSON object per line to a file and acknowledges a report only when its line is on
 * disk.
 *
 * <p>One writer thread owns the file. Callers render their line, queue it and wait (or, through
 * {@link #store}, are called back); the writer takes everything queued since its last sync,
 * writes it with one copy into a reused direct buffer, syncs once and then acknowledges the whole
 * batch (group commit). Durability therefore costs one sync per batch, not per report, and a
 * waiting caller is woken once, by its own acknowledgement.
 *
 * <p>When the file grows past {@code maxBytes} it is renamed to {@code file.1} (older ones
 * shift to {@code .2} …, keeping {@code keep} of them) and a new file is started. A batch whose
 * write fails (disk full) is truncated away before anything else is acknowledged; a line torn by
 * a crash is closed with a newline on the next start. So every acknowledged line is whole;
 * readers skip a line that does not parse.
 */
public final class JsonLinesReportSink implements ReportSink {

  /** The writer's buffer; a larger batch or line is written in pieces of this size. */
  private static final int BUFFER_BYTES = 256 * 1024;

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private List<Queued> queue = new ArrayList<>();
  private boolean closed;
  private final Thread writer;
  /** The writer thread's alone from here on. */
  private FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
  /** Where a failed batch began, until it is truncated away; -1 when the file ends whole. */
  private long tornAt = -1;

  /**
   * How long the writer may wait for more lines before a sync when the last batch had company:
   * a sync costs the same for one line as for fifty, so under load a short wait buys larger
   * batches (measured in benchmarks/README.md); an idle sink never waits.
   */
  private static final long GATHER_NANOS = 250_000;
  /** The size of the last batch: the writer stops gathering once as many lines are queued. */
  private int lastBatch;
  /** Whether the last rotation failed (said once, tried again after each batch). */
  private boolean rotationFailing;
  private static final System.Logger LOG =
      System.getLogger(JsonLinesReportSink.class.getName());

  private record Queued(byte[] line, CompletableFuture<Void> stored) {}

  /**
   * Opens (or creates) {@code file} for appending and starts its writer thread.
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
    writer = new Thread(this::writeBatches, "hpkp-jsonl-writer " + this.file.getFileName());
    writer.setDaemon(true);
    writer.start();
  }

  public Path file() {
    return file;
  }

  /** Stores the report; returns once its line is on disk. */
  @Override
  public void accept(ReceivedReport report) throws IOException {
    CompletableFuture<Void> stored = store(report).toCompletableFuture();
    try {
      stored.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the report to reach disk", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io
          : new IOException("could not store the report in " + file, e.getCause());
    }
  }

  /**
   * Queues the report's line; the stage completes on the writer thread once the line is on
   * disk, or fails with an {@link IOException}. Dependent actions should be short: they run
   * before the next batch is written.
   */
  @Override
  public CompletionStage<Void> store(ReceivedReport report) {
    byte[] line;
    try {
      line = ReportLines.of(report);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> stored = new CompletableFuture<>();
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new IOException("report sink " + file + " is closed"));
      }
      queue.add(new Queued(line, stored));
      if (queue.size() == 1 || queue.size() == lastBatch) {
        queued.signal();
      }
    } finally {
      lock.unlock();
    }
    return stored;
  }

  /** Under the lock: waits a little for more lines while the sink is busy (see GATHER_NANOS). */
  private void gather() {
    if (lastBatch < 2) {
      return;
    }
    long deadline = System.nanoTime() + GATHER_NANOS;
    long left;
    while (!closed && queue.size() < lastBatch && (left = deadline - System.nanoTime()) > 0) {
      try {
        queued.awaitNanos(left);
      } catch (InterruptedException e) {
        return; // the writer is never interrupted on purpose; write what there is
      }
    }
  }

  /** The writer thread: until closed and drained, write and sync what is queued. */
  private void writeBatches() {
    while (true) {
      List<Queued> batch;
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          queued.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        gather();
        batch = queue;
        lastBatch = batch.size();
        queue = new ArrayList<>(batch.size());
      } finally {
        lock.unlock();
      }
      IOException failure = null;
      try {
        writeAndSync(batch);
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException | Error e) {
        // Never let the writer die: every later report would wait forever.
        failure = new IOException("could not store the report in " + file, e);
      }
      for (Queued each : batch) {
        if (failure == null) {
          each.stored().complete(null);
        } else {
          each.stored().completeExceptionally(
              new IOException("could not store the report in " + file, failure));
        }
      }
      if (failure == null) {
        rotateIfDue(); // after the acknowledgements: the batch is durable whatever rotation does
      }
    }
  }

  /**
   * Rotates once the file has reached its size. A failed rotation breaks nothing: the sink goes
   * on appending to the file (reopened if closed), says so once, and tries after each batch.
   */
  private void rotateIfDue() {
    try {
      if (channel.size() < maxBytes) {
        return;
      }
      rotate();
      if (rotationFailing) {
        rotationFailing = false;
        LOG.log(System.Logger.Level.INFO, "HPKP report sink rotated " + file + " again");
      }
    } catch (IOException | RuntimeException e) {
      if (!rotationFailing) {
        LOG.log(System.Logger.Level.WARNING, "HPKP report sink could not rotate " + file + " ("
            + Printable.escape(String.valueOf(e)) + "); reports go on into it, and"
            + " rotation is tried again after each batch");
      }
      rotationFailing = true;
      if (!channel.isOpen()) {
        try {
          channel = open();
        } catch (IOException reopen) {
          // the next batch fails, each caller is told, and the open is tried again then
        }
      }
    }
  }

  private void writeAndSync(List<Queued> batch) throws IOException {
    if (!channel.isOpen()) {
      channel = open(); // a failed rotation, or a failed reopen after one
    }
    repairTornBatch();
    long start = channel.size();
    try {
      buffer.clear();
      for (Queued each : batch) {
        byte[] line = each.line();
        for (int offset = 0; offset < line.length; ) {
          if (!buffer.hasRemaining()) {
            flush();
          }
          int length = Math.min(buffer.remaining(), line.length - offset);
          buffer.put(line, offset, length);
          offset += length;
        }
      }
      flush();
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
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
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
    RotatedFiles.shift(file, keep);
    channel = open();
    RotatedFiles.syncDirectory(file);
  }

  private FileChannel open() throws IOException {
    return opener.open(file);
  }

  private void closeTornLine() throws IOException {
    long size = channel.size();
    if (size == 0) {
      RotatedFiles.syncDirectory(file);
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

  /**
   * Writes what is queued, ends the writer thread and closes the file; later reports are
   * refused. A servlet container's undeploy calls this through the servlet's {@code destroy}.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      closed = true;
      queued.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (writer.isAlive() && Thread.currentThread() != writer) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
