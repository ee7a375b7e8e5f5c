package dev.hpkp.client;

import dev.hpkp.policy.HostName;
import dev.hpkp.files.DurableFiles;
import dev.hpkp.text.Printable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pin store kept in a file, so that pins survive restarts.
 *
 * <p><b>Durability.</b> The file is a log: a header line, then one line per change ({@code
 * {"put":…}} or {@code {"remove":"host"}}), appended and synced ({@code fdatasync}) before
 * {@link #put}, {@link #remove} or {@link #removeExpired} returns. A crash can leave at most a
 * torn last line, of a change whose call had not returned; it is ignored when the store is next
 * opened. A log of more than twice as many lines as entries is compacted (written whole to a
 * temporary file, synced, renamed over it): a note costs one short append and O(log n) however
 * many hosts. An unreadable file is an error naming it ({@link PinStoreException}), never an
 * empty store; a whole-object store of earlier versions is read, then written as a log.
 *
 * <p><b>One process per file.</b> {@link #open} takes an OS lock on {@code FILE.lock} and a
 * second process (or a second open in the same JVM) is refused: two processes would each miss
 * what the other noted, and overwrite it. {@link #close} releases it. Within the process, the
 * store is safe for concurrent use.
 */
public final class FilePinStore implements PinStore, AutoCloseable {

  /** A longer line is not one this store wrote; past 2 × entries + slack lines, compact. */
  private static final int MAX_LINE_BYTES = 64 * 1024;
  private static final int COMPACTION_SLACK = 64;

  /** The store files open in this JVM. */
  private static final Map<Path, Boolean> OPEN = new ConcurrentHashMap<>();

  private final Path file;
  private final PinIndex index = new PinIndex();
  private boolean registered;
  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel log;
  private long lines;

  private FilePinStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  /**
   * Opens the store in {@code file}, reading what it holds; a file that does not exist yet is
   * an empty store, created on the first change.
   *
   * @throws PinStoreException when the file exists but cannot be read or is not a pin store, or
   *     when another process (or another open in this JVM) has it
   */
  public static FilePinStore open(Path file) {
    FilePinStore store = new FilePinStore(file);
    store.lock();
    try {
      store.load();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  public Path file() {
    return file;
  }
  private void lock() {
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    if (Files.isDirectory(file)) {
      throw new PinStoreException("pin store " + file + " is a directory; name a file");
    }
    // Before any channel on the lock file is opened: closing a second channel on it would
    // release this JVM's OS lock (POSIX locks belong to the process, not the channel).
    if (OPEN.putIfAbsent(file, Boolean.TRUE) != null) {
      throw new PinStoreException("pin store " + file + " is open already in this JVM; share"
          + " the one FilePinStore (a store is safe for concurrent use)");
    }
    registered = true;
    try {
      Files.createDirectories(file.getParent());
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      close();
      throw new PinStoreException("pin store " + file + " is open already in this JVM; share"
          + " the one FilePinStore (a store is safe for concurrent use)");
    } catch (IOException e) {
      close();
      throw new PinStoreException("pin store " + file + " cannot be locked ("
          + Printable.escape(String.valueOf(e.getMessage())) + "); check the directory's"
          + " permissions", e);
    }
    if (lock == null) {
      close();
      throw new PinStoreException("pin store " + file + " is in use by another process (it"
          + " holds " + lockFile.getFileName() + "); one process per store file: give each"
          + " process its own file");
    }
  }

  private void load() {
    byte[] header = PinStoreFormat.logHeader();
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw unreadable(e);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      byte[] first = in.readNBytes(header.length);
      if (!Arrays.equals(first, header)) {
        if (size > PinStoreFormat.MAX_BYTES) {
          throw new PinStoreException("pin store " + file + " is larger than "
              + PinStoreFormat.MAX_BYTES + " bytes and is not a pin store; name another file");
        }
        // the whole-object form of earlier versions: read it, and write a log at the next change
        byte[] content = Arrays.copyOf(first, (int) size);
        in.readNBytes(content, first.length, (int) size - first.length);
        for (PinnedHost entry : PinStoreFormat.read(content, file.toString(), false)) {
          index.put(entry);
        }
        lines = Long.MAX_VALUE; // compact at the first change
        return;
      }
      long complete = header.length;
      ByteArrayOutputStream line = new ByteArrayOutputStream(512);
      int number = 1;
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b != '\n') {
          if (line.size() >= MAX_LINE_BYTES) {
            throw PinStoreFormat.corrupt(file.toString(), "line " + (number + 1) + " is longer"
                + " than " + MAX_LINE_BYTES + " bytes");
          }
          line.write(b);
          continue;
        }
        number++;
        PinStoreFormat.applyLogLine(line.toByteArray(), file.toString(), number, index);
        complete += line.size() + 1;
        line.reset();
        lines++;
      }
      if (line.size() > 0) {
        // a torn last line: an append a crash cut short, whose call never returned
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(complete);
          channel.force(true);
        }
      }
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private PinStoreException unreadable(IOException e) {
    return new PinStoreException("pin store " + file + " cannot be read ("
        + Printable.escape(String.valueOf(e.getMessage())) + "); check its permissions", e);
  }

  @Override
  public synchronized Optional<PinnedHost> get(String host) {
    return Optional.ofNullable(index.get(HostName.normalize(host)));
  }

  @Override
  public synchronized void put(PinnedHost entry) {
    PinnedHost before = index.put(entry);
    try {
      append(PinStoreFormat.putLine(entry), 1);
    } catch (PinStoreException e) {
      if (before == null) {
        index.remove(entry.host());
      } else {
        index.put(before);
      }
      throw e;
    }
  }

  @Override
  public synchronized boolean remove(String host) {
    PinnedHost before = index.remove(HostName.normalize(host));
    if (before == null) {
      return false;
    }
    try {
      append(PinStoreFormat.removeLine(before.host()), 1);
    } catch (PinStoreException e) {
      index.put(before);
      throw e;
    }
    return true;
  }

  @Override
  public synchronized List<PinnedHost> entries() {
    return index.entries();
  }

  @Override
  public synchronized int size() {
    return index.size();
  }

  @Override
  public synchronized Optional<PinnedHost> soonestExpiring() {
    return index.soonestExpiring();
  }

  /** Removes every expired entry with one append and one sync. */
  @Override
  public synchronized int removeExpired(Instant now) {
    List<PinnedHost> expired = index.expired(now);
    if (expired.isEmpty()) {
      return 0;
    }
    ByteArrayOutputStream changes = new ByteArrayOutputStream();
    for (PinnedHost entry : expired) {
      index.remove(entry.host());
      changes.writeBytes(PinStoreFormat.removeLine(entry.host()));
    }
    try {
      append(changes.toByteArray(), expired.size());
    } catch (PinStoreException e) {
      expired.forEach(index::put);
      throw e;
    }
    return expired.size();
  }

  /** Appends {@code bytes} ({@code count} lines) and syncs, or compacts the log instead. */
  private void append(byte[] bytes, int count) {
    if (lock == null) {
      throw new PinStoreException("pin store " + file + " is closed; open it again");
    }
    try {
      if (lines > 2L * index.size() + COMPACTION_SLACK || log == null && !Files.exists(file)) {
        // also how a new store file starts: whole, with its header, never empty
        compact();
        return;
      }
      if (log == null) {
        log = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      write(log, bytes);
      log.force(false);
      lines += count;
    } catch (IOException e) {
      throw new PinStoreException("pin store " + file + " cannot be written ("
          + Printable.escape(String.valueOf(e.getMessage())) + "); the change is not kept —"
          + " check the disk and the directory's permissions", e);
    }
  }

  /** Writes the entries as a fresh log beside the file and renames it over the file. */
  private void compact() throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(PinStoreFormat.logHeader());
    for (PinnedHost entry : index.entries()) {
      content.writeBytes(PinStoreFormat.putLine(entry));
    }
    if (log != null) {
      log.close(); // the next append opens the new file
    }
    log = null;
    DurableFiles.replace(file, content.toByteArray());
    lines = index.size();
  }

  private static void write(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /**
   * Writes {@code entry}'s fields into the JSON object {@code json} is in, spelled as the store
   * file spells them ({@code include-subdomains}, {@code report-uri}): for tools that show
   * entries, so an entry has one JSON form.
   */
  public static void writeJsonFields(com.fasterxml.jackson.core.JsonGenerator json,
      PinnedHost entry) throws IOException {
    PinStoreFormat.writeFields(json, entry);
  }

  /** Releases the file and its lock; later changes are refused. Idempotent. */
  @Override
  public synchronized void close() {
    try {
      if (log != null) {
        log.close();
      }
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) { // closing what the OS closes at exit anyway
    } finally {
      log = null;
      lock = null;
      lockChannel = null;
      if (registered) {
        OPEN.remove(file);
        registered = false;
      }
    }
  }
}
