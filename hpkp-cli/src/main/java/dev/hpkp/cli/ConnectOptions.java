package dev.hpkp.cli;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --trust} and {@code --timeout}, for every command that connects to a site. */
final class ConnectOptions {

  @Option(names = "--trust", paramLabel = "FILE",
      description = "Extra trust anchors (PEM), e.g. a private CA. Repeatable.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "Connect and read timeout (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** The certificates of the {@code --trust} files. */
  List<X509Certificate> anchors() {
    return Tls.anchors(trust);
  }

  Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new UsageException("--timeout " + timeoutSeconds + " is not a positive"
          + " number of seconds");
    }
    return Duration.ofSeconds(timeoutSeconds);
  }
}
