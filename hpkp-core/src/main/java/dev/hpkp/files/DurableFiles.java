package dev.hpkp.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way this library replaces a file it keeps (the watch's state, the client's pin store)
 * and makes a rename last (the collector's rotation): a temporary file beside it, written and
 * synced, renamed over it atomically (a plain rename where the file system has no atomic one),
 * then the directory synced where the platform can open one. A crash leaves the old content or
 * the new, never a mix; a failure leaves the old content and no temporary file.
 */
public final class DurableFiles {

  private DurableFiles() {}

  /**
   * Replaces {@code file}'s content with {@code content}, durably; creates its directory when
   * missing.
   *
   * @throws IOException as the file system reports it; {@code file} is then as it was
   */
  public static void replace(Path file, byte[] content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
    try {
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
    } finally {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * Makes the renames in {@code directory} durable where the platform can open a directory
   * (Linux, macOS); elsewhere (Windows) a rename is as durable as the platform makes it.
   */
  public static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the file contents were synced; only the directory entry waits for the OS
    }
  }
}
