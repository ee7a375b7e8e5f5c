package dev.hpkp.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link CollectorServerMain} in a child JVM, and a raw HTTP/1.1 client that picks its source. */
public final class CollectorProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final java.util.Queue<String> output;

  private CollectorProcess(Process process, int port, java.util.Queue<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** What the collector printed after it was ready: its log. */
  public List<String> output() {
    return List.copyOf(output);
  }

  /** Starts the collector with {@code jvmOptions} (e.g. -Xmx128m), appending to {@code file}. */
  public static CollectorProcess start(Path file, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CollectorServerMain.class.getName());
    command.add(file.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    StringBuilder log = new StringBuilder();
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        int port = Integer.parseInt(line.substring(6).strip());
        java.util.Queue<String> output = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Thread drain = new Thread(() -> {
          try {
            String logged;
            while ((logged = out.readLine()) != null) {
              if (output.size() < 100_000) {
                output.add(logged);
              }
            }
          } catch (IOException e) {
            // process ended
          }
        });
        drain.setDaemon(true);
        drain.start();
        return new CollectorProcess(process, port, output);
      }
      log.append(line).append('\n');
    }
    throw new IOException("collector process ended before it was ready:\n" + log);
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hooks, no flushing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  /** POSTs {@code body} from {@code source} (a loopback address); returns the status code. */
  public int post(String source, byte[] body) throws IOException {
    return post(source, "application/json", body);
  }

  public int post(String source, String contentType, byte[] body) throws IOException {
    try (Socket socket = connect(source)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /hpkp-report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
          + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(body);
        out.flush();
      } catch (IOException refusedMidBody) {
        // the server answered early (413) and stopped reading; the status is still readable
      }
      return status(socket.getInputStream());
    }
  }

  /** Sends headers announcing {@code length} bytes, then one byte every {@code pauseMillis}. */
  public int postSlowly(String source, int length, int bytes, long pauseMillis)
      throws IOException, InterruptedException {
    try (Socket socket = connect(source)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /hpkp-report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
          + " application/json\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      try {
        for (int i = 0; i < bytes; i++) {
          out.write('[');
          out.flush();
          Thread.sleep(pauseMillis);
        }
      } catch (IOException closed) {
        // the server gave up on us: that is the point
      }
      return status(socket.getInputStream());
    }
  }

  /** Used and maximum heap of the collector JVM, and its accepted count. */
  public long[] heap() throws IOException {
    try (Socket socket = connect("127.0.0.2")) {
      socket.getOutputStream().write(("GET /heap HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection:"
          + " close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.US_ASCII);
      String[] parts = response.substring(response.indexOf("\r\n\r\n") + 4).strip().split(" ");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]),
          Long.parseLong(parts[2])};
    }
  }

  private Socket connect(String source) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static int status(InputStream in) throws IOException {
    byte[] head = in.readNBytes(12);
    String line = new String(head, StandardCharsets.US_ASCII);
    if (!line.startsWith("HTTP/1.1 ")) {
      return -1; // connection closed without an answer
    }
    return Integer.parseInt(line.substring(9, 12));
  }
}
