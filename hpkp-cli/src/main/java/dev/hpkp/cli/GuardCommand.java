package dev.hpkp.cli;

import dev.hpkp.config.Wording;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "guard", mixinStandardHelpOptions = true,
    description = {"Judges a new certificate chain before it is deployed, with the filter's own"
        + " start-up checks: exit 0 when the filter would start with it, so that an ACME"
        + " client's hook can run 'hpkp guard … && systemctl reload …'.",
        "Verdicts: the key is pinned (0; a warning alone exits 1 only with --strict); rotated"
        + " onto a backup key, a lockout (no key clients hold is in the chain), or another"
        + " refusal (1); an unreadable chain (2).",
        "Without CHAIN it reads the ACME client's hook environment: certbot's RENEWED_LINEAGE"
        + " (--deploy-hook), lego's LEGO_CERT_PATH or LEGO_HOOK_CERT_PATH (--renew-hook,"
        + " --run-hook, --deploy-hook), acme.sh's CERT_FULLCHAIN_PATH (--reloadcmd,"
        + " --renew-hook).",
        "With a certbot lineage it also says whether the next renewal keeps the key."})
final class GuardCommand implements Callable<Integer> {

  /** The hook environment; tests replace it. */
  static volatile Function<String, String> environment = System::getenv;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CHAIN",
      description = "The new chain, leaf first (PEM, as fullchain.pem).")
  Path chain;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The filter's properties file: the policy to judge against.")
  Path config;

  @Option(names = "--web-xml", paramLabel = "FILE",
      description = "A web.xml whose HpkpFilter init-params (or hpkp.* context-params) hold the"
          + " policy.")
  Path webXml;

  @Option(names = "--filter-name", paramLabel = "NAME",
      description = "With --web-xml: which HpkpFilter, when it declares more than one.")
  String filterName;

  @Option(names = "--pins", split = ",", paramLabel = "PIN",
      description = "Pins of keys in use (sha256/…), comma-separated.")
  List<String> pins = new ArrayList<>();

  @Option(names = "--backup-pins", split = ",", paramLabel = "PIN",
      description = "Pins of the offline backup keys, comma-separated.")
  List<String> backupPins = new ArrayList<>();

  @Option(names = "--max-age", paramLabel = "SECONDS|60d", converter = MaxAge.class,
      description = "The max-age the site sends (default 60 days).")
  Long maxAge;

  @Option(names = "--include-subdomains", description = "The policy covers subdomains.")
  boolean includeSubdomains;

  @Option(names = "--report-uri", paramLabel = "URI",
      description = "Checked when given, never required.")
  String reportUri;

  @Option(names = "--report-only", description = "The policy is sent report-only.")
  boolean reportOnly;

  @Option(names = "--trust", paramLabel = "FILE",
      description = "Roots the chain is completed with (PEM or keystore), for a private CA.")
  Path trust;

  @Option(names = "--lineage", paramLabel = "DIR",
      description = "A certbot lineage (/etc/letsencrypt/live/NAME): its fullchain.pem is the"
          + " chain, and its renewal configuration is read.")
  Path lineage;

  @picocli.CommandLine.Mixin
  StrictOption strict;

  @Option(names = "--json", description = "JSON output: the verdict, the sentence, the chain,"
      + " what each pin matches, the warnings.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    CertbotLineage certbot = lineage();
    Path judged = chain != null ? chain : certbot != null ? certbot.fullchain() : hookChain();
    Map<String, String> settings = policySettings();
    Wording.Names names = names();
    HpkpConfig config = HpkpConfig.of(settings, source()).with(HpkpConfig.SERVED_CHAIN,
        judged.toString(), "CHAIN");
    if (trust != null) {
      config = config.with(HpkpConfig.TRUST_STORE, trust.toString(), "--trust");
    }
    ChainVerdict verdict = config.judge(null);
    if (verdict.kind() == ChainVerdict.Kind.UNREADABLE) {
      throw new UsageException(verdict.sentence(names));
    }
    List<String> warnings = new ArrayList<>();
    verdict.policy().ifPresent(policy -> warnings.addAll(policy.warnings(names)));
    if (certbot != null && !verdict.chain().isEmpty()) {
      certbot.nextRenewalWarning(verdict.chain().get(0).notAfter()).ifPresent(warnings::add);
    }
    List<Pin> held = heldPins(verdict);
    if (json) {
      Json.print(out, g -> {
        g.writeStartObject();
        g.writeStringField("chain", judged.toString());
        g.writeStringField("verdict", label(verdict.kind()));
        g.writeBooleanField("deployable", verdict.kind().deployable());
        g.writeStringField("sentence", verdict.sentence(names));
        g.writeArrayFieldStart("certificates");
        for (ChainCertificate certificate : verdict.chain()) {
          g.writeStartObject();
          g.writeStringField("role", certificate.role().toString());
          g.writeStringField("subject", certificate.subject());
          g.writeStringField("pin", certificate.pin().toString());
          g.writeStringField("notAfter", certificate.notAfter().toString());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("pins");
        for (Pin pin : held) {
          g.writeStartObject();
          g.writeStringField("pin", pin.toString());
          g.writeStringField("matches", verdict.matches(pin));
          g.writeEndObject();
        }
        g.writeEndArray();
        if (!verdict.chain().isEmpty() && maxAgeSeconds(verdict) != null) {
          g.writeStringField("renewBy", PinPolicy.renewBy(verdict.chain().get(0).notAfter(),
              maxAgeSeconds(verdict)).toString());
        }
        g.writeArrayFieldStart("warnings");
        for (String warning : warnings) {
          g.writeString(warning);
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    } else {
      out.println(label(verdict.kind()) + ": " + Printable.escape(verdict.sentence(names)));
      for (ChainCertificate certificate : verdict.chain()) {
        out.println("  " + certificate.role() + " " + Printable.escape(certificate.subject())
            + ": " + certificate.pin() + ", expires " + certificate.notAfter());
      }
      for (Pin pin : held) {
        out.println("  pin " + pin + ": " + Printable.escape(verdict.matches(pin)));
      }
      for (String warning : warnings) {
        out.println("warning: " + Printable.escape(warning));
      }
    }
    return strict.exit(!verdict.kind().deployable(), !warnings.isEmpty());
  }

  static String label(ChainVerdict.Kind kind) {
    return kind.code();
  }

  private Long maxAgeSeconds(ChainVerdict verdict) {
    return verdict.policy().map(PinPolicy::maxAgeSeconds)
        .orElse(maxAge != null ? maxAge : null);
  }

  /** Every pin clients may hold, as the policy lists them; what the flags gave otherwise. */
  private List<Pin> heldPins(ChainVerdict verdict) {
    if (verdict.policy().isPresent()) {
      return verdict.policy().get().allPins();
    }
    List<Pin> held = new ArrayList<>();
    for (String text : java.util.stream.Stream.concat(pins.stream(), backupPins.stream())
        .toList()) {
      try {
        held.add(Pin.fromString(text.strip()));
      } catch (RuntimeException e) {
        // not a pin as written (a file: reference, or malformed): the sentence says which
      }
    }
    return held;
  }

  private CertbotLineage lineage() {
    if (lineage != null) {
      return CertbotLineage.read(lineage, "--lineage");
    }
    if (chain != null) {
      return null;
    }
    String renewed = environment.apply("RENEWED_LINEAGE");
    return renewed == null || renewed.isEmpty() ? null
        : CertbotLineage.read(path("RENEWED_LINEAGE", renewed), "RENEWED_LINEAGE (certbot's"
        + " --deploy-hook)");
  }

  /** The chain an ACME client's hook names in its environment. */
  private Path hookChain() {
    for (String[] hook : new String[][] {
        {"LEGO_HOOK_CERT_PATH", "lego's --deploy-hook"},
        {"LEGO_CERT_PATH", "lego's --renew-hook or --run-hook"},
        {"CERT_FULLCHAIN_PATH", "acme.sh's --reloadcmd or --renew-hook"}}) {
      String value = environment.apply(hook[0]);
      if (value != null && !value.isEmpty()) {
        Path file = path(hook[0], value);
        if (!Files.isRegularFile(file)) {
          throw new UsageException(hook[0] + " (" + hook[1] + ") is '"
              + Printable.escape(value) + "', which is not a file: run the guard from that"
              + " hook, or give the new chain as CHAIN");
        }
        return file;
      }
    }
    throw new UsageException("no CHAIN given, and no ACME client's hook variable is set"
        + " (certbot's RENEWED_LINEAGE, lego's LEGO_CERT_PATH or LEGO_HOOK_CERT_PATH, acme.sh's"
        + " CERT_FULLCHAIN_PATH): give the new chain, leaf first, as CHAIN, or --lineage DIR");
  }

  private static Path path(String variable, String value) {
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new UsageException(variable + " is '" + Printable.escape(value) + "', which is not"
          + " a valid path (" + Printable.message(e.getReason()) + ")", e);
    }
  }

  /** The policy's settings, from exactly one of --config, --web-xml and the flags. */
  private Map<String, String> policySettings() throws IOException {
    boolean flags = !pins.isEmpty() || !backupPins.isEmpty() || maxAge != null
        || includeSubdomains || reportUri != null || reportOnly;
    int sources = (config != null ? 1 : 0) + (webXml != null ? 1 : 0) + (flags ? 1 : 0);
    if (sources == 0) {
      throw new UsageException("no policy given: name the filter's properties file with"
          + " --config FILE, a web.xml with --web-xml FILE, or give --pins and --backup-pins");
    }
    if (sources > 1) {
      throw new UsageException("give the policy one way: --config, --web-xml, or the --pins,"
          + " --backup-pins, --max-age, … options");
    }
    if (filterName != null && webXml == null) {
      throw new UsageException("--filter-name goes with --web-xml");
    }
    Map<String, String> settings;
    if (config != null) {
      settings = PropertiesFile.read(config);
    } else if (webXml != null) {
      settings = WebXml.filterSettings(webXml, filterName);
      String nested = settings.remove(HpkpConfig.CONFIG);
      if (nested != null) {
        if (nested.startsWith("classpath:")) {
          throw new UsageException(webXml + " reads the policy from " + nested + ", inside the"
              + " application: give that properties file with --config FILE instead");
        }
        settings.putAll(PropertiesFile.read(Path.of(nested.startsWith("file:")
            ? nested.substring("file:".length()) : nested)));
      }
    } else {
      settings = new LinkedHashMap<>();
      settings.put(HpkpConfig.PINS, String.join(",", pins));
      settings.put(HpkpConfig.BACKUP_PINS, String.join(",", backupPins));
      if (maxAge != null) {
        settings.put(HpkpConfig.MAX_AGE_SECONDS, Long.toString(maxAge));
      }
      settings.put(HpkpConfig.INCLUDE_SUB_DOMAINS, Boolean.toString(includeSubdomains));
      if (reportUri != null) {
        settings.put(HpkpConfig.REPORT_URI, reportUri);
      }
      settings.put(HpkpConfig.REPORT_ONLY, Boolean.toString(reportOnly));
    }
    // the chain judged is the new one, whatever the policy's own file names
    for (String chainSetting : List.of(HpkpConfig.SERVED_CHAIN, HpkpConfig.SERVED_CHAIN_CHECK,
        HpkpConfig.SERVED_CHAIN_ALIAS, HpkpConfig.SERVED_CHAIN_PASSWORD)) {
      settings.remove(chainSetting);
    }
    if (trust != null) {
      settings.remove(HpkpConfig.TRUST_STORE);
      settings.remove(HpkpConfig.TRUST_STORE_PASSWORD);
    }
    // report-uri and report-only shape the header, not what a key change breaks: checked when
    // given, never required
    if (!settings.containsKey(HpkpConfig.REPORT_ONLY)
        && !settings.containsKey(HpkpConfig.REPORT_URI)) {
      settings.put(HpkpConfig.REPORT_ONLY, "false");
    }
    return settings;
  }

  private String source() {
    return config != null ? "properties file " + config : webXml != null ? "init-param in "
        + webXml : "option";
  }

  /** The settings as this command's input names them; the chain is CHAIN. */
  private Wording.Names names() {
    Map<String, String> flags = Map.of(HpkpConfig.PINS, "--pins", HpkpConfig.BACKUP_PINS,
        "--backup-pins", HpkpConfig.MAX_AGE_SECONDS, "--max-age",
        HpkpConfig.INCLUDE_SUB_DOMAINS, "--include-subdomains", HpkpConfig.REPORT_URI,
        "--report-uri", HpkpConfig.REPORT_ONLY, "--report-only", HpkpConfig.TRUST_STORE,
        "--trust");
    boolean fromFlags = config == null && webXml == null;
    return (setting, value) -> {
      if (HpkpConfig.SERVED_CHAIN.equals(setting)) {
        return "CHAIN";
      }
      if (HpkpConfig.TRUST_STORE.equals(setting) && trust != null) {
        return "--trust";
      }
      String name = fromFlags ? flags.getOrDefault(setting, setting) : setting;
      if (value == null) {
        return name;
      }
      return fromFlags ? ("false".equals(value.toLowerCase(Locale.ROOT)) ? "no " + name
          : name + ("true".equals(value) ? "" : " " + value)) : name + "=" + value;
    };
  }
}
