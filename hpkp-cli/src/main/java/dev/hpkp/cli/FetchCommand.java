package dev.hpkp.cli;

import dev.hpkp.client.HpkpAgent;
import dev.hpkp.client.Observation;
import dev.hpkp.client.PinValidationException;
import dev.hpkp.client.PinnedHost;
import dev.hpkp.client.ReportSender;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = {"Fetches an https:// URL as a pinning user agent would: refuses the"
        + " connection when the host is pinned in --pin-store and no key of the validated chain"
        + " is pinned, notes a Public-Key-Pins header, evaluates a Public-Key-Pins-Report-Only"
        + " one, sends reports, and says what it did. Redirects are not followed.",
        "Exit code 1 when the connection was refused for its pins."})
final class FetchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", converter = HttpsUrl.class,
      description = "An https:// URL.")
  URI url;

  @Mixin
  PinStoreOption store;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--report-to-private", description = "Also send reports to a report-uri whose"
      + " host is a loopback, link-local or private address (by default they are not sent: a"
      + " server's header must not make a client post into its own network). For a local"
      + " collector, such as the example's.")
  boolean reportToPrivate;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String host = url.getHost();
    int port = url.getPort() < 0 ? 443 : url.getPort();
    Duration timeout = connect.timeout();
    try (HpkpAgent agent = HpkpAgent.builder().store(store.open())
        .reportToPrivateAddresses(reportToPrivate)
        .trustManager(Tls.trustManager(connect.anchors())).build()) {
      Optional<PinnedHost> known = agent.pinsFor(host);
      out.println(known.map(e -> Printable.escape(host) + " is a known pinned host: "
          + PinStoreCommand.describe(e, Instant.now()))
          .orElse(Printable.escape(host) + " is not a known pinned host"));
      HttpClient client = HttpClient.newBuilder().sslContext(agent.sslContext())
          .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<Void> response;
      try {
        response = client.send(HttpRequest.newBuilder(url).timeout(timeout).build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        PinValidationException pins = PinValidationException.in(e);
        if (pins == null) {
          throw Tls.named(host, port, e);
        }
        out.println("REFUSED: " + pins.getMessage());
        reports(out, agent.reports(), timeout);
        return Hpkp.FINDING;
      }
      out.println("HTTP " + response.statusCode());
      List<X509Certificate> served = served(response.sslSession());
      Observation observation = agent.observe(host, port, served,
          response.headers().allValues("Public-Key-Pins"),
          response.headers().allValues("Public-Key-Pins-Report-Only"));
      out.println("Public-Key-Pins: " + describe(observation.noting()));
      out.println("Public-Key-Pins-Report-Only: " + describe(observation.reportOnly()));
      if (!observation.detail().isEmpty()) {
        out.println("  " + Printable.escape(observation.detail()));
      }
      reports(out, agent.reports(), timeout);
      return 0;
    }
  }

  private static List<X509Certificate> served(Optional<SSLSession> session) throws IOException {
    List<X509Certificate> served = new ArrayList<>();
    if (session.isPresent()) {
      for (Certificate certificate : session.get().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          served.add(x509);
        }
      }
    }
    return served;
  }

  private static void reports(PrintWriter out, ReportSender reports, Duration timeout)
      throws InterruptedException {
    if (reports.queued() == 0) {
      return;
    }
    boolean done = reports.flush(timeout);
    out.println("reports: " + reports.sent() + " sent, " + reports.failed() + " failed"
        + (reports.blocked() == 0 ? "" : ", " + reports.blocked() + " not sent to a loopback or"
        + " private address (--report-to-private sends them)")
        + (done ? "" : ", still sending after " + timeout.toSeconds() + " s"));
  }

  private static String describe(Observation.Noting noting) {
    return switch (noting) {
      case NOTED -> "noted";
      case REMOVED -> "max-age=0, the host's pins removed";
      case NO_HEADER -> "none";
      case IP_ADDRESS -> "ignored (an IP address is never noted)";
      case NOT_VALIDATED -> "ignored (no validated chain)";
      case TOO_LONG -> "ignored (too long)";
      case MALFORMED -> "ignored (malformed)";
      case NO_PIN_OF_VALIDATED_CHAIN -> "ignored (no pin of the validated chain)";
      case NO_BACKUP_PIN -> "ignored (no backup pin)";
    };
  }

  private static String describe(Observation.ReportOnly reportOnly) {
    return switch (reportOnly) {
      case NO_HEADER -> "none";
      case IGNORED -> "ignored";
      case PASSED -> "a pin matches the validated chain";
      case FAILED_REPORTED -> "NO pin matches the validated chain; reported";
      case FAILED_NOT_REPORTED -> "NO pin matches the validated chain; reported within the"
          + " last minute already";
    };
  }
}
