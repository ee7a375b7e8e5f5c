package dev.hpkp.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The newest whole lines of a JSON-lines file this library appends to (the collector's
 * reports, the watch's alerts), read from its end within a bound: the one reader of such a
 * tail. A last line without its newline was torn by a crash and is left out; so is a line the
 * window begins inside. Empty lines are skipped. What the lines say is the caller's to judge.
 */
public final class FileTail {

  private FileTail() {}

  /**
   * The last {@code count} whole lines of {@code file}'s last {@code maxBytes}, oldest first,
   * without their newlines; none for an absent file.
   */
  public static List<byte[]> lines(Path file, int maxBytes, int count) throws IOException {
    if (count <= 0) {
      return List.of();
    }
    byte[] tail;
    boolean fromStart;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long start = Math.max(0, size - maxBytes);
      fromStart = start == 0;
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
      while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
        // read until full, or the file shrank under us
      }
      tail = Arrays.copyOf(buffer.array(), buffer.position());
    } catch (NoSuchFileException e) {
      return List.of();
    }
    Deque<byte[]> lines = new ArrayDeque<>();
    int limit = tail.length;
    while (limit > 0 && tail[limit - 1] != '\n') {
      limit--; // a last line without its newline was torn by a crash: leave it out
    }
    int end = limit - 1; // the newline that ends the line being cut out
    while (end >= 0 && lines.size() < count) {
      int start = end - 1;
      while (start >= 0 && tail[start] != '\n') {
        start--;
      }
      if (start < 0 && !fromStart) {
        break; // the window began inside this line
      }
      if (end > start + 1) {
        lines.addFirst(Arrays.copyOfRange(tail, start + 1, end));
      }
      end = start;
    }
    return List.copyOf(lines);
  }
}
