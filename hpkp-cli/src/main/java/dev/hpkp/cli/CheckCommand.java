package dev.hpkp.cli;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.Finding;
import dev.hpkp.text.Printable;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.Rule;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Connects to a site, reads its chain and its Public-Key-Pins and"
        + " Public-Key-Pins-Report-Only headers, and judges them as a user agent would: what each"
        + " pin matches, the max-age cap, report-uri on the same host, leaf expiry versus"
        + " max-age.",
        "Exit code 1 when a user agent would reject a policy (or the site sends none)."})
final class CheckCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "https://host[:port]/path")
  URI url;

  @Option(names = "--trust", paramLabel = "FILE",
      description = "Extra trust anchors (PEM), e.g. a private CA. Repeatable.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "Connect and read timeout (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("'" + url + "' is not an https:// URL; user agents"
          + " ignore pinning headers on plain HTTP");
    }
    List<X509Certificate> anchors = new ArrayList<>();
    for (Path file : trust) {
      int before = anchors.size();
      for (KeyEntry entry : KeyMaterial.read(file, null)) {
        entry.certificate().ifPresent(anchors::add);
      }
      if (anchors.size() == before) {
        throw new IllegalArgumentException("--trust " + file + " holds no certificate; name the"
            + " PEM file of a CA's root certificate");
      }
    }
    Tls.Fetched fetched = Tls.fetch(url, timeoutSeconds * 1000);
    // Pins are judged against the chain a user agent validates: the served chain completed to
    // a trust anchor (RFC 7469 §2.6), not only what the server sent.
    List<ChainCertificate> chain = TrustAnchors.jvmDefault().plus(anchors)
        .validatedChain(fetched.chain(), Instant.now());
    out.println(url + " answered " + fetched.status() + "; validated chain:");
    for (ChainCertificate certificate : chain) {
      out.println(String.format("  %d  %-12s  %s  expires %s", certificate.position(),
          certificate.role(), certificate.pin(), certificate.notAfter()));
      out.println("                    " + Printable.escape(certificate.subject()));
    }
    boolean rejected = false;
    String invalid = Tls.validate(url, anchors, timeoutSeconds * 1000);
    if (invalid != null) {
      out.println(new Finding(Rule.TLS, "the certificate does not validate ("
          + Printable.message(invalid) + "); user agents process pinning headers only over an"
          + " error-free connection (RFC 7469 §2.2.2) — if the server uses a private CA, name"
          + " its root certificate with --trust FILE"));
      rejected = true;
    }
    int policies = 0;
    for (String name : new String[] {PinPolicy.HEADER, PinPolicy.HEADER_REPORT_ONLY}) {
      List<String> values = fetched.headers().getOrDefault(name, List.of());
      if (values.isEmpty()) {
        continue;
      }
      policies++;
      boolean reportOnly = name.equals(PinPolicy.HEADER_REPORT_ONLY);
      out.println();
      out.println(name + ": " + Printable.escape(values.get(0)));
      if (values.size() > 1) {
        out.println(new Finding(Rule.MULTIPLE_HEADERS, values.size() + " " + name + " fields;"
            + " user agents process only the first"));
      }
      ParsedHeader parsed = ParsedHeader.parse(values.get(0), reportOnly);
      for (Pin pin : parsed.pins()) {
        out.println("  " + pin + "  " + chain.stream().filter(c -> c.pin().equals(pin))
            .map(c -> c.role() + " " + c.subject()).findFirst().orElse("backup (not in chain)"));
      }
      List<Finding> findings = new ArrayList<>(parsed.findings());
      findings.addAll(parsed.judgeAgainst(chain, url.getHost(), Clock.systemUTC()));
      for (Finding finding : findings) {
        out.println(Printable.escape(finding.toString()));
      }
      boolean accepted = findings.stream()
          .noneMatch(f -> f.severity() == Rule.Severity.ERROR);
      out.println(accepted && invalid == null
          ? "verdict: a user agent would accept this " + (reportOnly ? "report-only " : "")
              + "policy"
          : "verdict: a user agent would REJECT this policy");
      rejected |= !accepted;
    }
    if (policies == 0) {
      out.println(new Finding(Rule.NO_POLICY, "the response carries neither " + PinPolicy.HEADER
          + " nor " + PinPolicy.HEADER_REPORT_ONLY));
      return Hpkp.FINDING;
    }
    return rejected ? Hpkp.FINDING : 0;
  }
}
