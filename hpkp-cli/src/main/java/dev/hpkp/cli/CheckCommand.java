package dev.hpkp.cli;

import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Finding;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.Rule;
import dev.hpkp.text.Printable;
import java.io.IOException;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Connects to a site, reads its chain and its Public-Key-Pins and"
        + " Public-Key-Pins-Report-Only headers, and judges them as a user agent would: what each"
        + " pin matches, the max-age cap, report-uri on the same host, leaf expiry versus"
        + " max-age.",
        "Exit code 1 when a user agent would reject a policy (or the site sends none); a"
            + " warning alone exits 0 (1 with --strict)."})
final class CheckCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", converter = HttpsUrl.class,
      description = "https://host[:port]/path")
  URI url;

  @Mixin
  ConnectOptions connect;

  @Mixin
  StrictOption strict;

  @Option(names = "--json", description = "JSON output: the validated chain, each policy with"
      + " its pins and findings (code, severity, section, message), and the verdict.")
  boolean json;

  /** One header the site sent, judged. */
  record Policy(String name, String value, List<Pin> pins, List<String> matches,
      List<Finding> findings, boolean accepted) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<X509Certificate> anchors = connect.anchors();
    int timeoutMillis = (int) connect.timeout().toMillis();
    Tls.Fetched fetched = Tls.fetch(url, timeoutMillis);
    // Pins are judged against the chain a user agent validates: the served chain completed to
    // a trust anchor (RFC 7469 §2.6), not only what the server sent.
    List<ChainCertificate> chain = TrustAnchors.jvmDefault().plus(anchors)
        .validatedChain(fetched.chain(), Instant.now());
    List<Finding> site = new ArrayList<>();
    String invalid = Tls.validate(url, anchors, timeoutMillis);
    if (invalid != null) {
      site.add(Finding.of(Rule.TLS, null, "the certificate does not validate ("
          + Printable.message(invalid) + ")", "user agents process pinning headers only over an"
          + " error-free connection (RFC 7469 §2.2.2) — if the server uses a private CA, name"
          + " its root certificate with --trust FILE"));
    }
    List<Policy> policies = new ArrayList<>();
    for (String name : new String[] {PinPolicy.HEADER, PinPolicy.HEADER_REPORT_ONLY}) {
      List<String> values = fetched.headers().getOrDefault(name, List.of());
      if (!values.isEmpty()) {
        policies.add(judge(name, values, chain, invalid == null));
      }
    }
    if (policies.isEmpty()) {
      site.add(Finding.of(Rule.NO_POLICY, null, "the response carries neither "
          + PinPolicy.HEADER + " nor " + PinPolicy.HEADER_REPORT_ONLY, null));
    }
    boolean rejected = !site.isEmpty() || policies.stream().anyMatch(p -> !p.accepted());
    if (json) {
      printJson(out, fetched.status(), chain, site, policies, rejected);
    } else {
      printText(out, fetched.status(), chain, site, policies);
    }
    return strict.exit(rejected, !site.isEmpty() || policies.stream()
        .anyMatch(p -> !p.findings().isEmpty()));
  }

  private Policy judge(String name, List<String> values, List<ChainCertificate> chain,
      boolean tlsValid) {
    ParsedHeader parsed = ParsedHeader.parse(values.get(0),
        name.equals(PinPolicy.HEADER_REPORT_ONLY));
    List<Finding> findings = new ArrayList<>();
    if (values.size() > 1) {
      findings.add(Finding.of(Rule.MULTIPLE_HEADERS, null, values.size() + " " + name
          + " fields", "user agents process only the first"));
    }
    findings.addAll(parsed.findings());
    findings.addAll(parsed.judgeAgainst(chain, url.getHost(), Clock.systemUTC()));
    List<String> matches = new ArrayList<>();
    for (Pin pin : parsed.pins()) {
      matches.add(chain.stream().filter(c -> c.pin().equals(pin))
          .map(c -> c.role() + " " + c.subject()).findFirst().orElse("backup (not in chain)"));
    }
    boolean accepted = tlsValid
        && findings.stream().noneMatch(f -> f.severity() == Rule.Severity.ERROR);
    return new Policy(name, values.get(0), parsed.pins(), matches, findings, accepted);
  }

  private void printText(PrintWriter out, int status, List<ChainCertificate> chain,
      List<Finding> site, List<Policy> policies) {
    out.println(url + " answered " + status + "; validated chain:");
    for (ChainCertificate certificate : chain) {
      out.println(String.format("  %d  %-12s  %s  expires %s", certificate.position(),
          certificate.role(), certificate.pin(), certificate.notAfter()));
      out.println("                    " + Printable.escape(certificate.subject()));
    }
    site.stream().filter(f -> f.rule() == Rule.TLS)
        .forEach(f -> out.println(Printable.escape(f.toString())));
    for (Policy policy : policies) {
      out.println();
      out.println(policy.name() + ": " + Printable.escape(policy.value()));
      for (int i = 0; i < policy.pins().size(); i++) {
        out.println("  " + policy.pins().get(i) + "  " + Printable.escape(policy.matches()
            .get(i)));
      }
      for (Finding finding : policy.findings()) {
        out.println(Printable.escape(finding.toString()));
      }
      out.println(policy.accepted()
          ? "verdict: a user agent would accept this "
              + (policy.name().equals(PinPolicy.HEADER_REPORT_ONLY) ? "report-only " : "")
              + "policy"
          : "verdict: a user agent would REJECT this policy");
    }
    site.stream().filter(f -> f.rule() == Rule.NO_POLICY)
        .forEach(f -> out.println(Printable.escape(f.toString())));
  }

  private void printJson(PrintWriter out, int status, List<ChainCertificate> chain,
      List<Finding> site, List<Policy> policies, boolean rejected) throws IOException {
    Json.print(out, g -> {
      g.writeStartObject();
      g.writeStringField("url", url.toString());
      g.writeNumberField("status", status);
      g.writeArrayFieldStart("validatedChain");
      for (ChainCertificate certificate : chain) {
        g.writeStartObject();
        g.writeNumberField("position", certificate.position());
        g.writeStringField("role", certificate.role().toString());
        g.writeStringField("pin", certificate.pin().toString());
        g.writeStringField("subject", certificate.subject());
        g.writeStringField("notAfter", certificate.notAfter().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      Json.findings(g, "findings", site);
      g.writeArrayFieldStart("policies");
      for (Policy policy : policies) {
        g.writeStartObject();
        g.writeStringField("header", policy.name());
        g.writeStringField("value", policy.value());
        g.writeArrayFieldStart("pins");
        for (int i = 0; i < policy.pins().size(); i++) {
          g.writeStartObject();
          g.writeStringField("pin", policy.pins().get(i).toString());
          g.writeStringField("matches", policy.matches().get(i));
          g.writeEndObject();
        }
        g.writeEndArray();
        Json.findings(g, "findings", policy.findings());
        g.writeBooleanField("accepted", policy.accepted());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeBooleanField("accepted", !rejected);
      g.writeEndObject();
    });
  }
}
