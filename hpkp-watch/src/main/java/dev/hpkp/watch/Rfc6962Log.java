package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A log read through RFC 6962 §4: {@code get-sth}, {@code get-sth-consistency}, {@code
 * get-entries} (a log may answer with fewer entries than asked: the next request goes on from
 * there) and, to start at the end of the log, {@code get-proof-by-hash} for its last entry.
 */
final class Rfc6962Log implements CtLog {

  /**
   * Entries asked for at once; logs cap it lower (often 256 or 1000) and say so by answering
   * less.
   */
  static final int BATCH = 1000;

  private static final JsonFactory JSON = WatchJson.FACTORY;

  private final URI url;
  private final LogKey key;
  private final LogHttp http;
  private final MessageDigest digest = Merkle.sha256();

  Rfc6962Log(URI url, LogKey key, LogHttp http) {
    String text = url.toString();
    this.url = URI.create(text.endsWith("/") ? text : text + "/");
    this.key = key;
    this.http = http;
  }

  @Override
  public String name() {
    return url.toString();
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public LogKey key() {
    return key;
  }

  @Override
  public SignedTreeHead treeHead() throws LogUnavailable, LogMisbehaviour,
      InterruptedException {
    Json sth = get("ct/v1/get-sth");
    long size = sth.number("tree_size");
    long timestamp = sth.number("timestamp");
    byte[] root = sth.bytes("sha256_root_hash");
    if (root.length != Merkle.HASH_BYTES) {
      throw new LogMisbehaviour("get-sth's sha256_root_hash has " + root.length + " bytes");
    }
    if (!key.verifiesTreeHead(timestamp, size, root, sth.bytes("tree_head_signature"))) {
      throw new LogMisbehaviour("get-sth's signature (size " + size + ") does not verify"
          + " with the log's key");
    }
    return new SignedTreeHead(size, root, timestamp);
  }

  @Override
  public void checkConsistency(SignedTreeHead last, SignedTreeHead head)
      throws LogUnavailable, LogMisbehaviour, InterruptedException {
    if (last.size() == 0 || last.size() >= head.size()) {
      return;
    }
    List<byte[]> proof = get("ct/v1/get-sth-consistency?first=" + last.size() + "&second="
        + head.size()).hashes("consistency");
    if (!Merkle.consistent(last.size(), head.size(), last.rootHash(), head.rootHash(), proof)) {
      throw new LogMisbehaviour("its tree head (" + head.describe() + ") is not consistent"
          + " with the last verified one (" + last.describe() + "): the consistency proof"
          + " fails (a fork)");
    }
  }

  @Override
  public void entries(long from, long to, SignedTreeHead head, Entries entries)
      throws LogUnavailable, LogMisbehaviour, InterruptedException {
    long next = from;
    while (next < to) {
      long end = Math.min(to, next + BATCH) - 1;
      List<Json> batch = get("ct/v1/get-entries?start=" + next + "&end=" + end)
          .objects("entries");
      if (batch.isEmpty()) {
        throw new LogMisbehaviour("get-entries returned no entry for " + next + " to " + end
            + ", which its tree head of size " + head.size() + " holds");
      }
      if (batch.size() > end - next + 1) {
        throw new LogMisbehaviour("get-entries returned " + batch.size() + " entries for "
            + (end - next + 1) + " asked");
      }
      for (Json entry : batch) {
        entries.accept(LogEntry.fromLeafInput(next, entry.bytes("leaf_input"),
            entry.bytes("extra_data"), digest));
        next++;
      }
    }
  }

  @Override
  public Merkle.Range rangeAt(long size, SignedTreeHead head) throws LogUnavailable,
      LogMisbehaviour, InterruptedException {
    if (size == 0) {
      return new Merkle.Range();
    }
    List<LogEntry> last = new ArrayList<>();
    entries(size - 1, size, head, last::add);
    byte[] leafHash = last.get(0).leafHash();
    Json proof = get("ct/v1/get-proof-by-hash?hash=" + URLEncoder.encode(
        Base64.getEncoder().encodeToString(leafHash), StandardCharsets.UTF_8) + "&tree_size="
        + size);
    if (proof.number("leaf_index") != size - 1) {
      throw new LogMisbehaviour("get-proof-by-hash placed entry " + (size - 1) + " at index "
          + proof.number("leaf_index"));
    }
    Merkle.Range range;
    try {
      range = Merkle.rangeFromLastLeaf(size, leafHash, proof.hashes("audit_path"));
    } catch (IllegalArgumentException e) {
      throw new LogMisbehaviour("get-proof-by-hash: " + e.getMessage());
    }
    if (size == head.size() && !range.rootEquals(head.rootHash())) {
      throw new LogMisbehaviour("the audit path of its last entry does not lead to its tree"
          + " head (" + head.describe() + ")");
    }
    return range;
  }

  @Override
  public byte[] issuer(byte[] fingerprint) {
    return null; // RFC 6962 entries carry their issuers
  }

  private Json get(String path) throws LogUnavailable, LogMisbehaviour, InterruptedException {
    URI uri = url.resolve(path);
    // get-entries carries certificates; every other answer is a few KiB
    byte[] body = http.get(uri, "application/json", path.contains("get-entries")
        ? LogHttp.MAX_BODY_BYTES : LogHttp.MAX_SMALL_BYTES).orElseThrow(
        () -> new LogMisbehaviour(uri + " answered 404"));
    return Json.parse(body, uri.getPath());
  }

  /** A JSON object of a response, its fields read as a log's answers need them. */
  private record Json(Map<String, Object> fields, String what) {

    static Json parse(byte[] body, String what) throws LogMisbehaviour {
      try (JsonParser parser = JSON.createParser(body)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new LogMisbehaviour(what + " did not answer a JSON object");
        }
        Json json = object(parser, what);
        if (parser.nextToken() != null) {
          throw new LogMisbehaviour(what + " has data after its JSON object");
        }
        return json;
      } catch (IOException e) {
        throw new LogMisbehaviour(what + " is not valid JSON (" + e.getMessage().lines()
            .findFirst().orElse("") + ")", e);
      }
    }

    private static Json object(JsonParser parser, String what) throws IOException {
      Map<String, Object> fields = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        fields.put(name, value(parser, value, what));
      }
      return new Json(fields, what);
    }

    private static Object value(JsonParser parser, JsonToken value, String what)
        throws IOException {
      return switch (value) {
        case VALUE_STRING -> parser.getText();
        case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.LONG
            || parser.getNumberType() == JsonParser.NumberType.INT ? parser.getLongValue() : null;
        case START_ARRAY -> {
          List<Object> items = new ArrayList<>();
          for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY;
              t = parser.nextToken()) {
            items.add(value(parser, t, what));
          }
          yield items;
        }
        case START_OBJECT -> object(parser, what);
        default -> {
          parser.skipChildren();
          yield null;
        }
      };
    }

    long number(String name) throws LogMisbehaviour {
      if (fields.get(name) instanceof Long number && number >= 0) {
        return number;
      }
      throw new LogMisbehaviour(what + " has no non-negative whole number " + name);
    }

    byte[] bytes(String name) throws LogMisbehaviour {
      if (fields.get(name) instanceof String text) {
        try {
          return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          throw new LogMisbehaviour(what + "'s " + name + " is not base64");
        }
      }
      throw new LogMisbehaviour(what + " has no string " + name);
    }

    List<byte[]> hashes(String name) throws LogMisbehaviour {
      List<byte[]> hashes = new ArrayList<>();
      if (!(fields.get(name) instanceof List<?> items)) {
        throw new LogMisbehaviour(what + " has no array " + name);
      }
      for (Object item : items) {
        byte[] hash;
        try {
          hash = item instanceof String text ? Base64.getDecoder().decode(text) : null;
        } catch (IllegalArgumentException e) {
          hash = null;
        }
        if (hash == null || hash.length != Merkle.HASH_BYTES) {
          throw new LogMisbehaviour(what + "'s " + name + " holds something that is not a"
              + " base64 SHA-256 hash");
        }
        hashes.add(hash);
      }
      return hashes;
    }

    List<Json> objects(String name) throws LogMisbehaviour {
      if (!(fields.get(name) instanceof List<?> items)) {
        throw new LogMisbehaviour(what + " has no array " + name);
      }
      List<Json> objects = new ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof Json json)) {
          throw new LogMisbehaviour(what + "'s " + name + " holds something not an object");
        }
        objects.add(json);
      }
      return objects;
    }
  }
}
