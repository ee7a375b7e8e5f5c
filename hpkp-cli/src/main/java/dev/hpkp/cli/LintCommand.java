package dev.hpkp.cli;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Finding;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.Rule;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lint", mixinStandardHelpOptions = true,
    description = {"Parses a header value strictly per RFC 7469 §2.1 and names every problem:"
        + " parse errors, missing/duplicate/invalid max-age, duplicate or valued"
        + " includeSubDomains, invalid pins, duplicate report-uri, no pin matching the chain, no"
        + " backup pin, max-age above the 60-day cap, report-only without report-uri.",
        "Where Chromium or Firefox did something else than the RFC asks, the message says what.",
        "Exit code 1 for an error; a warning alone exits 0 (1 with --strict)."})
final class LintCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HEADER",
      description = "The header value, in quotes; a leading 'Public-Key-Pins:' or"
          + " 'Public-Key-Pins-Report-Only:' is accepted and sets --report-only accordingly.")
  String header;

  @Option(names = "--chain", paramLabel = "FILE",
      description = "The served chain, to check that a pin matches it and one does not.")
  Path chain;

  @Option(names = "--report-only",
      description = "Lint as Public-Key-Pins-Report-Only (max-age optional, report-uri needed).")
  boolean reportOnly;

  @Option(names = "--json", description = "JSON output: pins, max-age, report-uri and the"
      + " findings (code, severity, section, message).")
  boolean json;

  @Mixin
  PasswordOptions password;

  @Mixin
  StrictOption strict;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String value = header.strip();
    for (String name : new String[] {"public-key-pins-report-only:", "public-key-pins:"}) {
      if (value.toLowerCase(Locale.ROOT).startsWith(name)) {
        reportOnly |= name.contains("report-only");
        value = value.substring(name.length()).strip();
        break;
      }
    }
    ParsedHeader parsed = ParsedHeader.parse(value, reportOnly);
    List<Finding> findings = new ArrayList<>(parsed.findings());
    List<String> matches = new ArrayList<>();
    if (chain != null) {
      List<ChainCertificate> served = password.read(chain.toString(),
          p -> KeyMaterial.readServedChain(chain, p, null));
      findings.addAll(parsed.judgeAgainst(served, null, Clock.systemUTC()));
      for (var pin : parsed.pins()) {
        matches.add(served.stream().filter(c -> c.pin().equals(pin))
            .map(c -> c.role() + " " + c.subject()).findFirst()
            .orElse("backup (not in the chain)"));
      }
    }
    if (json) {
      Json.print(out, g -> {
        g.writeStartObject();
        g.writeStringField("header", reportOnly ? "Public-Key-Pins-Report-Only"
            : "Public-Key-Pins");
        g.writeArrayFieldStart("pins");
        for (int i = 0; i < parsed.pins().size(); i++) {
          g.writeStartObject();
          g.writeStringField("pin", parsed.pins().get(i).toString());
          if (!matches.isEmpty()) {
            g.writeStringField("matches", matches.get(i));
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        if (parsed.maxAgeSeconds().isPresent()) {
          g.writeNumberField("maxAgeSeconds", parsed.maxAgeSeconds().get());
        }
        g.writeBooleanField("includeSubDomains", parsed.includeSubDomains());
        if (parsed.reportUri().isPresent()) {
          g.writeStringField("reportUri", parsed.reportUri().get());
        }
        Json.findings(g, "findings", findings);
        g.writeBooleanField("valid", findings.stream()
            .noneMatch(f -> f.severity() == Rule.Severity.ERROR));
        g.writeEndObject();
      });
      return exit(findings);
    }
    for (int i = 0; i < matches.size(); i++) {
      out.println("pin " + parsed.pins().get(i) + ": " + Printable.escape(matches.get(i)));
    }
    for (Finding finding : findings) {
      out.println(Printable.escape(finding.toString()));
    }
    if (findings.isEmpty()) {
      out.println("ok: " + parsed.pins().size() + " pins, max-age="
          + parsed.maxAgeSeconds().map(String::valueOf).orElse("(none)")
          + (parsed.includeSubDomains() ? ", includeSubDomains" : "")
          + parsed.reportUri().map(u -> ", report-uri=" + u).orElse(""));
    }
    return exit(findings);
  }

  private int exit(List<Finding> findings) {
    return strict.exit(findings.stream().anyMatch(f -> f.severity() == Rule.Severity.ERROR),
        !findings.isEmpty());
  }
}
