package dev.hpkp.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark log's server: Jetty over loopback serving the Static CT API files (data tiles
 * with Content-Encoding: gzip), and RFC 6962's get-sth and get-entries made from them.
 */
final class BenchLogServer {

  /** Data tiles served since start: what run-watch-crash.sh counts repeated reading with. */
  private static final java.util.concurrent.atomic.AtomicLong DATA_TILES =
      new java.util.concurrent.atomic.AtomicLong();

  private BenchLogServer() {}

  /** Jetty over loopback, serving the files; data tiles with Content-Encoding: gzip. */
  static Server serve(Path dir) throws Exception {
    Server server = new Server(new QueuedThreadPool(16, 4));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        String path = Request.getPathInContext(request).substring(1);
        if (path.startsWith("ct/v1/")) {
          byte[] body = rfc6962(dir, path, request.getHttpURI().getQuery());
          response.setStatus(body == null ? 404 : 200);
          response.write(true, ByteBuffer.wrap(body == null ? new byte[0] : body), callback);
          return true;
        }
        if (path.equals("bench/data-tiles-served")) { // not a CT resource: the count, as text
          response.setStatus(200);
          response.write(true, ByteBuffer.wrap(Long.toString(DATA_TILES.get()).getBytes(
              java.nio.charset.StandardCharsets.US_ASCII)), callback);
          return true;
        }
        Path file = dir.resolve(path).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
          response.setStatus(404);
          callback.succeeded();
          return true;
        }
        if (path.startsWith("tile/data/")) {
          DATA_TILES.incrementAndGet();
          response.getHeaders().put("Content-Encoding", "gzip");
        }
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap(Files.readAllBytes(file)), callback);
        return true;
      }
    });
    server.start();
    return server;
  }

  /** RFC 6962's get-sth, and get-entries (at most 256 a request) read from the data tiles. */
  private static byte[] rfc6962(Path dir, String path, String query) throws IOException {
    if (path.equals("ct/v1/get-sth")) {
      return Files.readAllBytes(dir.resolve("sth.json"));
    }
    if (!path.equals("ct/v1/get-entries") || query == null) {
      return null;
    }
    long start = 0;
    long end = 0;
    for (String pair : query.split("&")) {
      if (pair.startsWith("start=")) {
        start = Long.parseLong(pair.substring(6));
      } else if (pair.startsWith("end=")) {
        end = Long.parseLong(pair.substring(4));
      }
    }
    long size = Long.parseLong(new String(Files.readAllBytes(dir.resolve("checkpoint")),
        StandardCharsets.UTF_8).split("\n")[1]);
    end = Math.min(Math.min(end, size - 1), start + 255);
    byte[] issuer;
    try (var issuers = Files.list(dir.resolve("issuer"))) {
      issuer = Files.readAllBytes(issuers.findFirst().orElseThrow());
    }
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    BenchLogWriter.put(extra, 3, issuer.length + 3);
    BenchLogWriter.put(extra, 3, issuer.length);
    extra.write(issuer);
    String extraData = Base64.getEncoder().encodeToString(extra.toByteArray());
    StringBuilder json = new StringBuilder("{\"entries\":[");
    long tile = -1;
    ByteBuffer data = null;
    for (long i = start; i <= end; i++) {
      if (i / 256 != tile) {
        tile = i / 256;
        int width = (int) Math.min(256, size - tile * 256);
        data = ByteBuffer.wrap(new GZIPInputStream(Files.newInputStream(
            BenchLogWriter.tilePath(dir, "data", tile, width))).readAllBytes());
        for (long skip = tile * 256; skip < i; skip++) {
          leafInput(data);
        }
      }
      json.append(i == start ? "" : ",").append("{\"leaf_input\":\"")
          .append(Base64.getEncoder().encodeToString(leafInput(data)))
          .append("\",\"extra_data\":\"").append(extraData).append("\"}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The next TileLeaf of {@code data} as an RFC 6962 leaf_input (x509 entries only). */
  private static byte[] leafInput(ByteBuffer data) {
    int from = data.position();
    data.position(from + 10);
    int certificate = (data.get() & 0xff) << 16 | (data.get() & 0xff) << 8 | data.get() & 0xff;
    data.position(data.position() + certificate);
    int extensions = data.getShort() & 0xffff;
    data.position(data.position() + extensions);
    byte[] leaf = new byte[2 + data.position() - from];
    data.get(from, leaf, 2, data.position() - from);
    int chain = data.getShort() & 0xffff;
    data.position(data.position() + chain);
    return leaf;
  }
}
