package dev.hpkp.client;

import dev.hpkp.text.Printable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pin store kept in a JSON file, so that pins survive restarts. Every change rewrites the file
 * whole: a temporary file beside it is written and synced, then renamed over it, so a crash
 * leaves either the old or the new store, never half of one. A file that cannot be read or
 * parsed is an error naming the file ({@link PinStoreException}), never an empty store. One JVM
 * may use a file at a time; within it, the store is safe for concurrent use.
 */
public final class FilePinStore implements PinStore {

  private final Path file;
  private final TreeMap<String, PinnedHost> entries = new TreeMap<>();

  private FilePinStore(Path file) {
    this.file = file.toAbsolutePath();
  }

  /**
   * Opens the store in {@code file}, reading what it holds; a file that does not exist yet is
   * an empty store, created on the first change.
   *
   * @throws PinStoreException when the file exists but cannot be read or is not a pin store
   */
  public static FilePinStore open(Path file) {
    FilePinStore store = new FilePinStore(file);
    byte[] content;
    try {
      if (Files.isDirectory(store.file)) {
        throw new PinStoreException("pin store " + store.file + " is a directory; name a file");
      }
      if (Files.size(store.file) > PinStoreFile.MAX_BYTES) {
        throw new PinStoreException("pin store " + store.file + " is larger than "
            + PinStoreFile.MAX_BYTES + " bytes and is not a pin store; name another file");
      }
      content = Files.readAllBytes(store.file);
    } catch (NoSuchFileException e) {
      return store;
    } catch (IOException e) {
      throw new PinStoreException("pin store " + store.file + " cannot be read ("
          + Printable.escape(String.valueOf(e.getMessage())) + "); check its permissions", e);
    }
    for (PinnedHost entry : PinStoreFile.read(content, store.file.toString(), false)) {
      store.entries.put(entry.host(), entry);
    }
    return store;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized Optional<PinnedHost> get(String host) {
    return Optional.ofNullable(entries.get(Hosts.normalize(host)));
  }

  @Override
  public synchronized void put(PinnedHost entry) {
    PinnedHost before = entries.put(entry.host(), entry);
    try {
      save();
    } catch (PinStoreException e) {
      if (before == null) {
        entries.remove(entry.host());
      } else {
        entries.put(entry.host(), before);
      }
      throw e;
    }
  }

  @Override
  public synchronized boolean remove(String host) {
    PinnedHost before = entries.remove(Hosts.normalize(host));
    if (before == null) {
      return false;
    }
    try {
      save();
    } catch (PinStoreException e) {
      entries.put(before.host(), before);
      throw e;
    }
    return true;
  }

  @Override
  public synchronized List<PinnedHost> entries() {
    return List.copyOf(entries.values());
  }

  private void save() {
    byte[] content = PinStoreFile.write(List.copyOf(entries.values()));
    Path directory = file.getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
      syncDirectory(directory);
    } catch (IOException e) {
      throw new PinStoreException("pin store " + file + " cannot be written ("
          + Printable.escape(String.valueOf(e.getMessage())) + "); the change is not kept —"
          + " check the disk and the directory's permissions", e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the failure above is what the caller needs to hear
        }
      }
    }
  }

  /** Makes the rename durable where the platform allows opening a directory (Linux, macOS). */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its rename is durable enough for a cache of pins
    }
  }
}
