package dev.hpkp.cli;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.text.Printable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Turns a pin policy into static pins for clients: OkHttp's"
        + " CertificatePinner (Java and Kotlin), Android's network_security_config.xml, iOS's"
        + " App Transport Security pins (Info.plist), TrustKit's configuration for iOS and for"
        + " Android (with the report URI), or a properties file. The policy is checked by the"
        + " filter's rules first: a pin of the chain and a backup pin that is not in it.",
        "Android's pin-set and TrustKit's pins expire with the leaf certificate, after which"
        + " the app trusts the CA alone instead of failing."})
final class ExportCommand implements Callable<Integer> {

  enum Format { okhttp, android_nsc, ios_ats, trustkit_ios, trustkit_android, properties }

  @Spec
  CommandSpec spec;

  @Option(names = "--chain", required = true, paramLabel = "FILE",
      description = "The served chain, leaf first (PEM, DER or keystore).")
  Path chain;

  @Option(names = "--pin", paramLabel = "PIN|FILE",
      description = "A pin of a key in use; default the leaf's. Repeatable.")
  List<String> pins = new ArrayList<>();

  @Option(names = "--backup", required = true, paramLabel = "PIN|FILE",
      description = "A backup pin, or a backup key's CSR or public key file. Repeatable.")
  List<String> backups = new ArrayList<>();

  @Option(names = "--host", paramLabel = "HOST",
      description = "The host the pins are for; default the leaf's first DNS name.")
  String host;

  @Option(names = "--include-subdomains", description = "The pins cover every subdomain too.")
  boolean includeSubDomains;

  @Option(names = "--format", required = true, paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "okhttp, android-nsc, ios-ats, trustkit-ios, trustkit-android or"
          + " properties.")
  Format format;

  @Option(names = "--report-uri", paramLabel = "URI",
      description = "Where TrustKit sends pin-failure reports (trustkit-ios, trustkit-android):"
          + " the collector, on another host than the pinned one.")
  String reportUri;

  @Option(names = "--report-only",
      description = "TrustKit reports failures but does not block (TSKEnforcePinning,"
          + " enforcePinning=false).")
  boolean reportOnly;

  @Mixin
  PasswordOptions password;

  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format candidate : Format.values()) {
        if (candidate.name().replace('_', '-').equals(value)) {
          return candidate;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format;"
          + " use okhttp, android-nsc, ios-ats, trustkit-ios, trustkit-android or properties");
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    char[][] used = new char[1][];
    List<ChainCertificate> served = password.read(chain.toString(), p -> {
      List<ChainCertificate> read = KeyMaterial.readServedChain(chain, p, null);
      used[0] = p;
      return read;
    });
    ChainCertificate leaf = served.get(0);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(HpkpConfig.PINS, pins.isEmpty() ? leaf.pin().toString()
        : HeaderCommand.references("--pin", pins));
    settings.put(HpkpConfig.BACKUP_PINS, HeaderCommand.references("--backup", backups));
    settings.put(HpkpConfig.REPORT_ONLY, "false");
    settings.put(HpkpConfig.SERVED_CHAIN, "file:" + chain);
    if (reportUri != null) { // checked by the filter's own report-uri rule
      settings.put(HpkpConfig.REPORT_URI, reportUri);
    }
    if (used[0] != null) {
      settings.put(HpkpConfig.SERVED_CHAIN_PASSWORD, new String(used[0]));
    }
    PinPolicy policy;
    try {
      policy = HpkpConfig.of(settings, "option").toPolicy();
    } catch (PolicyException e) {
      throw new UsageException(e.message(HeaderCommand.OPTIONS), e);
    }
    String name = host != null ? host : leaf.dnsNames().stream().findFirst().orElseThrow(() ->
        new UsageException("the leaf " + leaf.subject() + " names no DNS host; give"
            + " --host HOST"));
    if (!name.matches("[A-Za-z0-9.-]+")) {
      throw new UsageException("--host '" + Printable.escape(name)
          + "' is not a host name (letters, digits, dots and hyphens)");
    }
    List<Pin> all = new ArrayList<>(policy.pins());
    all.addAll(policy.backupPins());
    LocalDate expires = LocalDate.ofInstant(leaf.notAfter(), ZoneOffset.UTC);
    switch (format) {
      case okhttp -> okhttp(out, name, all, policy.pins().size());
      case android_nsc -> MobileExports.androidNsc(out, name, includeSubDomains, all, expires,
          null);
      case ios_ats -> MobileExports.iosAts(out, name, includeSubDomains, policy, served);
      case trustkit_ios -> MobileExports.trustKitIos(out, name, includeSubDomains, all, expires,
          !reportOnly, report(policy));
      case trustkit_android -> MobileExports.androidNsc(out, name, includeSubDomains, all,
          expires, new MobileExports.TrustKit(!reportOnly, report(policy)));
      case properties -> properties(out, name, all, expires);
    }
    return 0;
  }

  private static String report(PinPolicy policy) {
    return policy.reportUri().map(java.net.URI::toASCIIString).orElse(null);
  }

  private void okhttp(PrintWriter out, String name, List<Pin> all, int inUse) {
    String pattern = includeSubDomains ? "**." + name : name;
    out.println("// OkHttp CertificatePinner for " + pattern + ": " + inUse + " key(s) in use,"
        + " then the offline backups. From 'hpkp export'.");
    out.println("// Java");
    out.println("CertificatePinner certificatePinner = new CertificatePinner.Builder()");
    for (Pin pin : all) {
      out.println("    .add(\"" + pattern + "\", \"" + pin + "\")");
    }
    out.println("    .build();");
    out.println("// Kotlin");
    out.println("val certificatePinner = CertificatePinner.Builder()");
    for (Pin pin : all) {
      out.println("    .add(\"" + pattern + "\", \"" + pin + "\")");
    }
    out.println("    .build()");
  }

  private void properties(PrintWriter out, String name, List<Pin> all, LocalDate expires) {
    out.println("# static pins for " + name + ", from 'hpkp export'");
    out.println("host = " + name);
    out.println("includeSubDomains = " + includeSubDomains);
    out.println("pins = " + String.join(" ", all.stream().map(Pin::toString).toList()));
    out.println("expires = " + expires);
  }
}
