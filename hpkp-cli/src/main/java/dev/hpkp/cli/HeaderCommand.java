package dev.hpkp.cli;

import dev.hpkp.config.Wording;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.InvalidPinException;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "header", mixinStandardHelpOptions = true,
    description = {"Builds a header value from pins and key files, validated by the same rules"
        + " the filter enforces at start-up, and prints it with web.xml, properties, Apache and"
        + " nginx snippets.",
        "Warnings go to standard error and exit 0 (1 with --strict); a policy the filter would"
            + " refuse exits 2, with the filter's sentence."})
final class HeaderCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--pin", required = true, paramLabel = "PIN|FILE",
      description = "A pin of a key in use (sha256/…, or base64), or a key file whose keys to"
          + " pin. Repeatable.")
  List<String> pins = new ArrayList<>();

  @Option(names = "--backup", paramLabel = "PIN|FILE",
      description = "A backup pin, or a backup key's CSR or public key file. Repeatable.")
  List<String> backups = new ArrayList<>();

  @Option(names = "--max-age", defaultValue = "" + PinPolicy.MAX_AGE_CAP_SECONDS,
      paramLabel = "SECONDS|60d", converter = MaxAge.class,
      description = "max-age in seconds, or with s, m, h or d (default ${DEFAULT-VALUE}, 60"
          + " days).")
  long maxAge;

  @Option(names = "--include-subdomains", description = "Add includeSubDomains.")
  boolean includeSubDomains;

  @Option(names = "--report-uri", paramLabel = "URI", description = "Where reports go.")
  String reportUri;

  @Option(names = "--enforce",
      description = "Public-Key-Pins instead of the default Public-Key-Pins-Report-Only.")
  boolean enforce;

  @Option(names = "--chain", paramLabel = "FILE",
      description = "The served chain (PEM/DER/keystore) to check the pins against.")
  Path chain;

  @Mixin
  StrictOption strict;

  @Mixin
  PasswordOptions password;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(HpkpConfig.PINS, references("--pin", pins));
    if (!backups.isEmpty()) {
      settings.put(HpkpConfig.BACKUP_PINS, references("--backup", backups));
    }
    settings.put(HpkpConfig.MAX_AGE_SECONDS, Long.toString(maxAge));
    settings.put(HpkpConfig.INCLUDE_SUB_DOMAINS, Boolean.toString(includeSubDomains));
    settings.put(HpkpConfig.REPORT_ONLY, Boolean.toString(!enforce));
    if (reportUri != null) {
      settings.put(HpkpConfig.REPORT_URI, reportUri);
    }
    if (chain != null) {
      settings.put(HpkpConfig.SERVED_CHAIN, "file:" + chain);
      // Read here first, so that a keystore's password comes from the CLI's own options.
      char[][] used = new char[1][];
      password.read(chain.toString(), p -> {
        KeyMaterial.readServedChain(chain, p, null);
        used[0] = p;
        return null;
      });
      if (used[0] != null) {
        settings.put(HpkpConfig.SERVED_CHAIN_PASSWORD, new String(used[0]));
      }
    } else {
      settings.put(HpkpConfig.SERVED_CHAIN_CHECK, "false");
    }
    PinPolicy policy;
    try {
      policy = HpkpConfig.of(settings, "option").toPolicy();
    } catch (PolicyException e) {
      throw new UsageException(e.message(OPTIONS), e);
    }
    for (String warning : policy.warnings(OPTIONS)) {
      err.println("warning: " + warning);
    }
    String name = policy.headerName();
    String value = policy.headerValue();
    out.println(name + ": " + value);
    out.println();
    out.println("web.xml:");
    out.println(webXml(policy));
    out.println("properties:");
    out.println(properties(policy));
    out.println("Apache (mod_headers):");
    out.println("  Header always set " + name + " \"" + value.replace("\"", "\\\"") + "\"");
    out.println();
    out.println("nginx:");
    out.println("  add_header " + name + " '" + value + "' always;");
    return strict.exit(false, !policy.warnings().isEmpty());
  }

  /** The filter's settings as this command's options name them; others keep their names. */
  static final Wording.Names OPTIONS = (setting, value) -> switch (setting) {
    case HpkpConfig.PINS -> "--pin";
    case HpkpConfig.BACKUP_PINS -> "--backup";
    case HpkpConfig.MAX_AGE_SECONDS -> "--max-age";
    case HpkpConfig.INCLUDE_SUB_DOMAINS -> "--include-subdomains";
    case HpkpConfig.REPORT_URI -> "--report-uri";
    case HpkpConfig.REPORT_ONLY -> "--enforce";
    case HpkpConfig.SERVED_CHAIN -> "--chain";
    case HpkpConfig.SERVED_CHAIN_PASSWORD -> "--password-env/--password-file";
    case HpkpConfig.SERVED_CHAIN_CHECK -> "false".equals(value) ? "no --chain" : "--chain";
    default -> Wording.Names.AS_WRITTEN.of(setting, value);
  };

  /** Existing files become file: references; everything else must be a pin. */
  static String references(String option, List<String> values) {
    return values.stream().map(v -> {
      if (v.startsWith("file:") || v.startsWith("classpath:") || v.startsWith("sha256/")) {
        return v;
      }
      if (Files.isRegularFile(Path.of(v))) {
        return "file:" + v;
      }
      if (looksLikePath(v)) {
        throw new UsageException(option + " " + v + ": no such file (relative to "
            + Path.of("").toAbsolutePath() + "); give a pin (sha256/…) or the path of an"
            + " existing certificate, CSR or key");
      }
      return v;
    }).collect(Collectors.joining(" "));
  }

  /** Not a pin: a pin is 44 characters of base64 with no '.' and exactly one '='. */
  private static boolean looksLikePath(String value) {
    try {
      Pin.fromString(value);
      return false;
    } catch (InvalidPinException e) {
      return value.contains(".") || value.contains("/") && !value.matches("(?i)[a-z0-9-]+[/=].*");
    }
  }

  private String webXml(PinPolicy policy) {
    StringBuilder xml = new StringBuilder();
    xml.append("  <filter>\n    <filter-name>hpkp</filter-name>\n")
        .append("    <filter-class>dev.hpkp.servlet.HpkpFilter</filter-class>\n");
    param(xml, "pins", join(policy.pins(), "\n        "));
    param(xml, "backupPins", join(policy.backupPins(), "\n        "));
    param(xml, "maxAgeSeconds", Long.toString(policy.maxAgeSeconds()));
    if (policy.includeSubDomains()) {
      param(xml, "includeSubDomains", "true");
    }
    param(xml, "reportOnly", Boolean.toString(policy.reportOnly()));
    policy.reportUri().ifPresent(u -> param(xml, "reportUri", u.toString()));
    param(xml, "servedChain", chain == null ? "/path/to/fullchain.pem"
        : chain.toAbsolutePath().toString());
    xml.append("  </filter>\n  <filter-mapping>\n    <filter-name>hpkp</filter-name>\n")
        .append("    <url-pattern>/*</url-pattern>\n  </filter-mapping>\n");
    return xml.toString();
  }

  private static void param(StringBuilder xml, String name, String value) {
    xml.append("    <init-param>\n      <param-name>").append(name)
        .append("</param-name>\n      <param-value>").append(value)
        .append("</param-value>\n    </init-param>\n");
  }

  private String properties(PinPolicy policy) {
    StringBuilder text = new StringBuilder();
    text.append("  pins = ").append(join(policy.pins(), ", \\\n         ")).append('\n');
    text.append("  backupPins = ").append(join(policy.backupPins(), ", \\\n               "))
        .append('\n');
    text.append("  maxAgeSeconds = ").append(policy.maxAgeSeconds()).append('\n');
    if (policy.includeSubDomains()) {
      text.append("  includeSubDomains = true\n");
    }
    text.append("  reportOnly = ").append(policy.reportOnly()).append('\n');
    policy.reportUri().ifPresent(u -> text.append("  reportUri = ").append(u).append('\n'));
    text.append("  servedChain = ").append(chain == null ? "/path/to/fullchain.pem"
        : chain.toAbsolutePath()).append('\n');
    return text.toString();
  }

  private static String join(List<Pin> pins, String separator) {
    return pins.stream().map(Pin::toString).collect(Collectors.joining(separator));
  }
}
