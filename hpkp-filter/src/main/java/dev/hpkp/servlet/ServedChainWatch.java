package dev.hpkp.servlet;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices that a served-chain file changed, as an ACME client or an operator replaces it: the
 * file's directory is watched, and once nothing in it has changed for a quiet period (an ACME
 * client may write the chain and the key one after the other, or replace a symlink as certbot
 * does) the file's bytes are compared with the last ones seen; only a real change reaches the
 * listener, on the watch's own daemon thread. Never throws at the listener's caller: a failure
 * to watch is logged, and the watch ends.
 */
public final class ServedChainWatch implements AutoCloseable {

  /** The quiet period Spring Boot's SSL bundle watch uses too. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(ServedChainWatch.class.getName());

  private final Path file;
  private final Duration quietPeriod;
  private final Consumer<Path> listener;
  private final WatchService service;
  private final Thread thread;
  private volatile byte[] lastDigest;
  private volatile boolean closed;

  private ServedChainWatch(Path file, Duration quietPeriod, Consumer<Path> listener,
      WatchService service, String name) {
    this.file = file;
    this.quietPeriod = quietPeriod;
    this.listener = listener;
    this.service = service;
    this.lastDigest = digest(file);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /**
   * Watches {@code file} and calls {@code listener} with it after each change, once the quiet
   * period has passed without another.
   *
   * @param name the thread's name, e.g. {@code hpkp-served-chain-watch-hpkp}
   * @throws IOException when the file's directory cannot be watched
   */
  public static ServedChainWatch start(Path file, Duration quietPeriod, String name,
      Consumer<Path> listener) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    Path directory = Objects.requireNonNull(absolute.getParent(), "a file has a directory");
    WatchService service = FileSystems.getDefault().newWatchService();
    try {
      directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    ServedChainWatch watch = new ServedChainWatch(absolute, quietPeriod, listener, service, name);
    watch.thread.start();
    return watch;
  }

  /** The file watched. */
  public Path file() {
    return file;
  }

  private void run() {
    try {
      while (!closed) {
        WatchKey key = service.take();
        drain(key);
        // wait out the quiet period: every further event starts it again
        long quietNanos = quietPeriod.toNanos();
        while (true) {
          WatchKey more = service.poll(quietNanos, TimeUnit.NANOSECONDS);
          if (more == null) {
            break;
          }
          drain(more);
        }
        byte[] now = digest(file);
        if (!Arrays.equals(now, lastDigest)) {
          lastDigest = now;
          try {
            listener.accept(file);
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the served-chain re-check of " + file + " failed", e);
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  /** The SHA-256 of the file's bytes (symlinks followed); null when it cannot be read now. */
  private static byte[] digest(Path file) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      service.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the watch of " + file, e);
    }
    thread.interrupt();
  }
}
