package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hpkp.files.DurableFiles;
import dev.hpkp.text.Failures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Each log's position: the last verified tree head and the compact range at its size (where
 * the next entries are appended). One file per log, named by its LogID, replaced with {@link
 * DurableFiles}: a crash leaves the old state or the new one, never a torn one.
 */
final class StateStore {

  /**
   * A log's position: the last verified tree head and the range at its size; and, during a
   * round, where the reading has got to, not yet verified.
   */
  record State(String log, SignedTreeHead head, Merkle.Range range, Reading reading) {
    State(String log, SignedTreeHead head, Merkle.Range range) {
      this(log, head, range, null);
    }
  }

  /**
   * How far a round read beyond the verified head before it stopped (a crash, a log gone
   * unavailable): the range of the entries read (its size is the next entry to read) and the
   * length of the pending-alerts file at that point ({@link PendingAlerts}). Nothing here is
   * believed until the entries after it lead to a signed tree head's root.
   */
  record Reading(Merkle.Range range, long pendingBytes) {}

  private static final JsonFactory JSON = WatchJson.FACTORY;

  private final Path directory;
  private FileLock lock;

  StateStore(Path directory) {
    this.directory = directory;
  }

  /**
   * Takes the directory for this watcher alone (a lock on {@code .lock} in it, held until
   * {@link #unlock}): two watchers on one state would each read and save the other's positions
   * and pending alerts.
   *
   * @throws IOException naming the directory when another watcher holds it, or it cannot be made
   */
  synchronized void lock() throws IOException {
    FileChannel channel;
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException("the watch state " + directory + " cannot be made or written ("
          + Failures.why(e) + "); give a directory this program can write", e);
    }
    FileLock taken;
    try {
      taken = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      taken = null;
    }
    if (taken == null) {
      channel.close();
      throw new IOException("the watch state " + directory + " is in use by another watcher"
          + " (its .lock is held); run one watcher per state directory, or give this one"
          + " another");
    }
    lock = taken;
  }

  /** Lets another watcher take the directory. */
  synchronized void unlock() {
    if (lock != null) {
      try {
        lock.channel().close(); // releases the lock
      } catch (IOException e) {
        // the process's exit releases it all the same
      }
      lock = null;
    }
  }

  Path file(LogKey key) {
    return directory.resolve(Checkpoint.hex(key.logId()).substring(0, 32) + ".json");
  }

  /**
   * The state of the log with {@code key}; null when it has none yet.
   *
   * @throws IOException when the file is there but cannot be read or is not a state
   */
  State load(LogKey key) throws IOException {
    Path file = file(key);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    String log = null;
    Long size = null;
    Long timestamp = null;
    byte[] root = null;
    List<byte[]> hashes = new ArrayList<>();
    Reading reading = null;
    try (JsonParser json = JSON.createParser(bytes)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "log" -> log = json.getText();
          case "size" -> size = json.getLongValue();
          case "timestamp" -> timestamp = json.getLongValue();
          case "root" -> root = Base64.getDecoder().decode(json.getText());
          case "range" -> hashes(json, hashes);
          case "reading" -> reading = reading(json);
          default -> json.skipChildren();
        }
      }
      if (log == null || size == null || timestamp == null || root == null) {
        throw new IOException("a field is missing");
      }
      Merkle.Range range = Merkle.Range.of(size, hashes);
      if (!range.rootEquals(root)) {
        throw new IOException("its range does not hash to its root");
      }
      if (reading != null && reading.range().size() < size) {
        throw new IOException("it reads from before its verified size");
      }
      return new State(log, new SignedTreeHead(size, root, timestamp), range, reading);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("the watch state " + file + " cannot be read (" + e.getMessage()
          + "); move it away to start that log again from its end", e);
    }
  }

  private static void hashes(JsonParser json, List<byte[]> hashes) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw new IOException("a range is not an array");
    }
    while (json.nextToken() == JsonToken.VALUE_STRING) {
      hashes.add(Base64.getDecoder().decode(json.getText()));
    }
  }

  private static Reading reading(JsonParser json) throws IOException {
    Long size = null;
    Long pending = null;
    List<byte[]> hashes = new ArrayList<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      switch (field) {
        case "size" -> size = json.getLongValue();
        case "pending-bytes" -> pending = json.getLongValue();
        case "range" -> hashes(json, hashes);
        default -> json.skipChildren();
      }
    }
    if (size == null || pending == null || pending < 0) {
      throw new IOException("its reading lacks a field");
    }
    return new Reading(Merkle.Range.of(size, hashes), pending);
  }

  /** Where the alerts found by an unfinished round of the log with {@code key} wait. */
  Path pendingFile(LogKey key) {
    return directory.resolve(Checkpoint.hex(key.logId()).substring(0, 32) + ".pending.jsonl");
  }

  void save(LogKey key, State state) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("log", state.log());
      json.writeNumberField("size", state.head().size());
      json.writeNumberField("timestamp", state.head().timestamp());
      json.writeStringField("root", Base64.getEncoder().encodeToString(state.head().rootHash()));
      json.writeArrayFieldStart("range");
      for (String hash : state.range().encoded()) {
        json.writeString(hash);
      }
      json.writeEndArray();
      if (state.reading() != null) {
        json.writeObjectFieldStart("reading");
        json.writeNumberField("size", state.reading().range().size());
        json.writeNumberField("pending-bytes", state.reading().pendingBytes());
        json.writeArrayFieldStart("range");
        for (String hash : state.reading().range().encoded()) {
          json.writeString(hash);
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    out.write('\n');
    DurableFiles.replace(file(key), out.toByteArray());
  }
}
