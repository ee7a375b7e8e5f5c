package dev.hpkp.cli;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.ParsedHeader.Finding;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
      for (KeyEntry entry : KeyMaterial.read(file, null)) {
        entry.certificate().ifPresent(anchors::add);
      }
    }
    Tls.Fetched fetched = Tls.fetch(url, timeoutSeconds * 1000);
    List<ChainCertificate> chain = KeyMaterial.toChain(fetched.chain());
    out.println(url + " answered " + fetched.status() + "; served chain:");
    for (ChainCertificate certificate : chain) {
      out.println(String.format("  %d  %-12s  %s  expires %s", certificate.position(),
          certificate.role(), certificate.pin(), certificate.notAfter()));
      out.println("                    " + certificate.subject());
    }
    boolean rejected = false;
    String invalid = Tls.validate(url, anchors, timeoutSeconds * 1000);
    if (invalid != null) {
      out.println("error [tls] the certificate does not validate (" + invalid + "); user agents"
          + " process pinning headers only over an error-free connection (RFC 7469 §2.2.2)");
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
      out.println(name + ": " + values.get(0));
      if (values.size() > 1) {
        out.println("warning [multiple-headers] " + values.size() + " " + name + " fields; user"
            + " agents process only the first");
      }
      ParsedHeader parsed = ParsedHeader.parse(values.get(0), reportOnly);
      for (Pin pin : parsed.pins()) {
        out.println("  " + pin + "  " + chain.stream().filter(c -> c.pin().equals(pin))
            .map(c -> c.role() + " " + c.subject()).findFirst().orElse("backup (not in chain)"));
      }
      List<Finding> findings = new ArrayList<>(parsed.findings());
      findings.addAll(parsed.judgeAgainst(chain));
      findings.addAll(siteFindings(parsed, chain));
      for (Finding finding : findings) {
        out.println(finding);
      }
      boolean accepted = findings.stream()
          .noneMatch(f -> f.severity() == Finding.Severity.ERROR);
      out.println(accepted && invalid == null
          ? "verdict: a user agent would accept this " + (reportOnly ? "report-only " : "")
              + "policy"
          : "verdict: a user agent would REJECT this policy");
      rejected |= !accepted;
    }
    if (policies == 0) {
      out.println("error [no-policy] the response carries neither " + PinPolicy.HEADER + " nor "
          + PinPolicy.HEADER_REPORT_ONLY);
      return Hpkp.FINDING;
    }
    return rejected ? Hpkp.FINDING : 0;
  }

  private List<Finding> siteFindings(ParsedHeader parsed, List<ChainCertificate> chain) {
    List<Finding> findings = new ArrayList<>();
    parsed.reportUri().ifPresent(uri -> {
      String host = URI.create(uri).getHost();
      if (host != null && (host.equalsIgnoreCase(url.getHost())
          || !chain.isEmpty() && chain.get(0).dnsNames().contains(host.toLowerCase(Locale.ROOT)))) {
        findings.add(new Finding(Finding.Severity.WARNING, "report-uri-same-host", "report-uri "
            + uri + " is on the pinned host; a pin failure also blocks the report (RFC 7469"
            + " §2.1.4)"));
      }
    });
    if (!chain.isEmpty() && parsed.maxAgeSeconds().isPresent()) {
      Instant leafExpiry = chain.get(0).notAfter();
      long maxAge = Math.min(parsed.maxAgeSeconds().get(), PinPolicy.MAX_AGE_CAP_SECONDS);
      Instant renewBy = Instant.now().plusSeconds(maxAge).plus(PinPolicy.RENEWAL_MARGIN);
      if (leafExpiry.isBefore(renewBy)) {
        findings.add(new Finding(Finding.Severity.WARNING, "leaf-expiry", "the leaf expires "
            + leafExpiry + ", before now + max-age + 30 days (" + renewBy + "): clients will"
            + " hold these pins past the certificate's life — start the renewal (hpkp plan)"));
      }
    }
    return findings;
  }
}
