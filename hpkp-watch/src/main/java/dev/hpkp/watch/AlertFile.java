package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hpkp.files.FileTail;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * Alerts appended to a JSON-lines file, one object a line, synced before {@link #accept}
 * returns: the family of the report collector's file (a {@code kind} field tells them apart).
 * The keys and issuances of the alerts it holds are read back when it is first used, so a
 * batch offered again (after a crash, or after another sink failed) is not written twice.
 */
public final class AlertFile implements AlertSink {

  /** At most this much of the file's end is read back at start-up. */
  static final int READ_BACK_BYTES = 16 << 20;

  private static final JsonFactory JSON = WatchJson.FACTORY;

  private static final int REMEMBERED = 100_000;

  private final Path file;
  /** The keys of the alerts the file holds: a batch offered again is not written twice. */
  private Set<String> written;

  public AlertFile(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void accept(List<Alert> alerts) throws IOException {
    if (written == null) {
      written = new LinkedHashSet<>(keysHeld());
    }
    StringBuilder lines = new StringBuilder();
    List<String> keys = new ArrayList<>();
    for (Alert alert : alerts) {
      if (!written.contains(alert.key()) && !keys.contains(alert.key())) {
        lines.append(alert.json()).append('\n');
        keys.add(alert.key());
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
    written.addAll(keys);
    Iterator<String> oldest = written.iterator();
    while (written.size() > REMEMBERED && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** The {@code key} and {@code issuance} of each alert the file holds (its last 16 MiB). */
  @Override
  public List<String> keysHeld() throws IOException {
    List<String> keys = new ArrayList<>();
    for (byte[] line : FileTail.lines(file, READ_BACK_BYTES, Integer.MAX_VALUE)) {
      try (JsonParser json = JSON.createParser(line)) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
          continue;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (value == JsonToken.VALUE_STRING && (field.equals("key")
              || field.equals("issuance"))) {
            keys.add(json.getText());
          } else {
            json.skipChildren();
          }
        }
      } catch (IOException e) {
        // a torn last line, or the start of the window: not an alert to remember
      }
    }
    return keys;
  }
}
