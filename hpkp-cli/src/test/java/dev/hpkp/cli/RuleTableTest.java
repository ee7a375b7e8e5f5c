package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Finding;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.policy.Rule;
import dev.hpkp.policy.Rule.Judge;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the rule table: for every {@link Rule}, one example that breaks it and one that does not,
 * judged by each caller that can see the rule — filter start-up ({@code HpkpConfig} →
 * {@code PinPolicy.build}), {@code hpkp lint --chain} and {@code hpkp check} against a live TLS
 * server — and all of them must agree.
 */
class RuleTableTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final TestPki SHORT_LIVED = TestPki.create("localhost", Duration.ofDays(30));
  private static final String STRANGER = TestPki.pem(TestPki.ecKey().getPublic());
  private static final String REPORTS = "https://reports.example.net/hpkp";

  @TempDir static Path dir;
  private static final Map<Served, TlsJetty> SERVERS = new EnumMap<>(Served.class);
  private static final Map<Served, Path> CHAINS = new EnumMap<>(Served.class);
  /** What the servers answer with: header name → values; read by {@link Answer}. */
  private static volatile Map<String, List<String>> answer = Map.of();

  /** The chain an example is judged against, and the server that presents it. */
  enum Served { NORMAL, SHORT_LIVED, OUT_OF_ORDER }

  /**
   * One policy, as the filter's init-params and as the header they stand for.
   *
   * @param config init-params; null where start-up cannot see the rule
   * @param header the header value; null where lint and check cannot see it
   * @param headers extra header fields the server sends (check only)
   */
  record Example(Map<String, String> config, String header, boolean reportOnly, Served served,
      boolean trusted, List<String> headers) {

    Example config(UnaryOperator<Map<String, String>> change) {
      return new Example(change.apply(new LinkedHashMap<>(config)), header, reportOnly, served,
          trusted, headers);
    }

    Example header(String value) {
      return new Example(config, value, reportOnly, served, trusted, headers);
    }

    Example asReportOnly() {
      return new Example(config, header, true, served, trusted, headers);
    }

    Example served(Served chain) {
      return new Example(config, header, reportOnly, chain, trusted, headers);
    }

    Example untrusted() {
      return new Example(config, header, reportOnly, served, false, headers);
    }

    Example sendsTwice() {
      return new Example(config, header, reportOnly, served, trusted, List.of(header, header));
    }

    Example sendsNothing() {
      return new Example(config, null, reportOnly, served, trusted, List.of());
    }
  }

  static String d(Pin pin) {
    return pin.toDirective();
  }

  /** A valid, quiet policy for {@code pki}: no rule is broken. */
  static Example baseline(TestPki pki, Served served) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("pins", pki.leafPin().toString());
    config.put("backupPins", pki.backupPin() + ", " + pki.secondBackupPin());
    config.put("maxAgeSeconds", "600");
    config.put("reportUri", REPORTS);
    config.put("reportOnly", "false");
    config.put("servedChain", "file:" + CHAINS.get(served));
    String header = d(pki.leafPin()) + "; " + d(pki.backupPin()) + "; "
        + d(pki.secondBackupPin()) + "; max-age=600; report-uri=\"" + REPORTS + "\"";
    return new Example(config, header, false, served, true, null);
  }

  static Example base() {
    return baseline(PKI, Served.NORMAL);
  }

  static String strangerPin() {
    return KeyMaterial.read(STRANGER.getBytes(), "stranger", null).get(0).pin()
        .toString();
  }

  /** The example that breaks each rule. Every rule must have one. */
  static Map<Rule, Example> broken() {
    String leaf = PKI.leafPin().toString();
    String b1 = PKI.backupPin().toString();
    String b2 = PKI.secondBackupPin().toString();
    String tail = "; max-age=600; report-uri=\"" + REPORTS + "\"";
    String pins3 = d(PKI.leafPin()) + "; " + d(PKI.backupPin()) + "; "
        + d(PKI.secondBackupPin());
    Map<Rule, Example> examples = new EnumMap<>(Rule.class);
    examples.put(Rule.PARSE_ERROR, base().header(pins3 + tail + "; =x"));
    examples.put(Rule.LENIENT_SYNTAX, base().config(c -> null).header(pins3 + ";" + tail));
    examples.put(Rule.INVALID_PIN, base().config(c -> put(c, "pins", "sha256/AAAA"))
        .header("pin-sha256=\"AAAA\"; " + d(PKI.backupPin()) + "; " + d(PKI.secondBackupPin())
            + tail));
    examples.put(Rule.NON_CANONICAL_PIN, base().config(c -> null).header(d(PKI.leafPin())
        + "; pin-sha256=\"" + PKI.backupPin().base64().replace("=", "") + "\"; "
        + d(PKI.secondBackupPin()) + tail));
    examples.put(Rule.DUPLICATE_PIN, base().config(c -> put(c, "backupPins", b1 + ", " + b1
        + ", " + b2)).header(pins3 + "; " + d(PKI.backupPin()) + tail));
    List<Pin> many = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      byte[] hash = new byte[32];
      hash[0] = (byte) i;
      hash[1] = (byte) 0x5a;
      many.add(Pin.ofHash(hash));
    }
    String manyPins = String.join(", ", many.stream().map(Pin::toString).toList());
    String manyDirectives = String.join("; ", many.stream().map(Pin::toDirective).toList());
    examples.put(Rule.HEADER_TOO_LONG, base().config(c -> put(c, "backupPins", b1 + ", " + b2
        + ", " + manyPins)).header(pins3 + "; " + manyDirectives + tail));
    examples.put(Rule.NO_PINS, base().config(c -> put(c, "pins", ""))
        .header("max-age=600; report-uri=\"" + REPORTS + "\""));
    examples.put(Rule.NO_BACKUP_PIN, base().config(c -> put(put(c, "pins", leaf + ", "
        + PKI.intermediatePin()), "backupPins", "")).header(d(PKI.leafPin()) + "; "
        + d(PKI.intermediatePin()) + tail));
    examples.put(Rule.BACKUP_PIN_IN_PINS, base().config(c -> put(c, "backupPins", leaf + ", "
        + b1)).header(null));
    examples.put(Rule.BACKUP_PIN_IN_CHAIN, base().config(c -> put(c, "backupPins",
        PKI.intermediatePin() + ", " + b1)).header(null));
    examples.put(Rule.NO_PIN_MATCHES_CHAIN, base().config(c -> put(c, "pins", strangerPin()))
        .header("pin-sha256=\"" + strangerPin().substring(7) + "\"; " + d(PKI.backupPin())
            + "; " + d(PKI.secondBackupPin()) + tail));
    examples.put(Rule.ROTATED_ONTO_BACKUP, base().config(c -> put(put(c, "pins",
        strangerPin()), "backupPins", leaf + ", " + b1)).header(null));
    examples.put(Rule.INCOMPLETE_CHAIN, base().config(c -> put(c, "servedChain", "file:"
        + dir.resolve("cert.pem"))).header(null));
    examples.put(Rule.PIN_NOT_IN_CHAIN, base().config(c -> put(c, "pins", leaf + ", "
        + strangerPin())).header(null));
    examples.put(Rule.SINGLE_BACKUP_PIN, base().config(c -> put(c, "backupPins", b1))
        .header(d(PKI.leafPin()) + "; " + d(PKI.backupPin()) + tail));
    examples.put(Rule.MISSING_MAX_AGE, base().config(c -> null).header(pins3
        + "; report-uri=\"" + REPORTS + "\""));
    examples.put(Rule.DUPLICATE_MAX_AGE, base().config(c -> null).header(pins3 + tail
        + "; max-age=600"));
    examples.put(Rule.INVALID_MAX_AGE, base().config(c -> put(c, "maxAgeSeconds", "6O0"))
        .header(pins3 + "; max-age=6O0"));
    examples.put(Rule.MAX_AGE_ABOVE_CAP, base().config(c -> put(c, "maxAgeSeconds", "5184001"))
        .header(pins3 + "; max-age=5184001"));
    examples.put(Rule.MAX_AGE_ZERO, base().config(c -> put(c, "maxAgeSeconds", "0"))
        .header(pins3 + "; max-age=0"));
    examples.put(Rule.DUPLICATE_INCLUDE_SUBDOMAINS, base().config(c -> null)
        .header(pins3 + tail + "; includeSubDomains; includeSubDomains"));
    examples.put(Rule.VALUED_INCLUDE_SUBDOMAINS, base().config(c -> null)
        .header(pins3 + tail + "; includeSubDomains=1"));
    examples.put(Rule.INVALID_REPORT_URI, base().config(c -> put(c, "reportUri",
        "ftp://reports.example.net/x")).header(pins3
        + "; max-age=600; report-uri=\"ftp://reports.example.net/x\""));
    examples.put(Rule.DUPLICATE_REPORT_URI, base().config(c -> null).header(pins3 + tail
        + "; report-uri=\"" + REPORTS + "\""));
    examples.put(Rule.REPORT_ONLY_WITHOUT_REPORT_URI, base().config(c -> {
      c.remove("reportUri");
      return put(c, "reportOnly", "true");
    }).header(pins3 + "; max-age=600").asReportOnly());
    examples.put(Rule.REPORT_URI_SAME_HOST, base().config(c -> put(c, "reportUri",
        "https://localhost/hpkp-report")).header(pins3
        + "; max-age=600; report-uri=\"https://localhost/hpkp-report\""));
    examples.put(Rule.LEAF_EXPIRY, baseline(SHORT_LIVED, Served.SHORT_LIVED));
    examples.put(Rule.CHAIN_ORDER, base().served(Served.OUT_OF_ORDER).config(c -> put(c,
        "servedChain", "file:" + CHAINS.get(Served.OUT_OF_ORDER))));
    examples.put(Rule.SERVED_CHAIN_MISSING, base().config(c -> {
      c.remove("servedChain");
      return c;
    }).header(null));
    examples.put(Rule.SERVED_CHAIN_CHECK_OFF, base().config(c -> {
      c.remove("servedChain");
      return put(c, "servedChainCheck", "false");
    }).header(null));
    examples.put(Rule.UNKNOWN_DIRECTIVE, base().config(c -> null).header(pins3 + tail
        + "; preload"));
    examples.put(Rule.UNKNOWN_PIN_ALGORITHM, base().config(c -> null).header(pins3 + tail
        + "; pin-sha1=\"xJNXVqG7MCG4ldeOE5a0G2fd5j4=\""));
    examples.put(Rule.MULTIPLE_HEADERS, base().config(c -> null).sendsTwice());
    examples.put(Rule.TLS, base().config(c -> null).untrusted());
    examples.put(Rule.NO_POLICY, base().config(c -> null).sendsNothing());
    return examples;
  }

  private static Map<String, String> put(Map<String, String> map, String key, String value) {
    map.put(key, value);
    return map;
  }

  static Stream<Arguments> rules() {
    Map<Rule, Example> broken = broken();
    return Stream.of(Rule.values()).map(rule -> Arguments.of(rule, broken.get(rule)));
  }

  @BeforeAll
  static void servers() throws Exception {
    CHAINS.put(Served.NORMAL, PKI.writeChainPem(dir.resolve("fullchain.pem")));
    CHAINS.put(Served.SHORT_LIVED, SHORT_LIVED.writeChainPem(dir.resolve("short.pem")));
    CHAINS.put(Served.OUT_OF_ORDER, Files.writeString(dir.resolve("disordered.pem"),
        TestPki.pem(PKI.leaf(), PKI.root(), PKI.intermediate())));
    Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root()));
    Files.writeString(dir.resolve("cert.pem"), TestPki.pem(PKI.leaf()));
    Files.writeString(dir.resolve("short-root.pem"), TestPki.pem(SHORT_LIVED.root()));
    SERVERS.put(Served.NORMAL, new TlsJetty(PKI).servlet("/", new Answer()).start());
    SERVERS.put(Served.SHORT_LIVED, new TlsJetty(SHORT_LIVED).servlet("/", new Answer())
        .start());
    SERVERS.put(Served.OUT_OF_ORDER, new TlsJetty(PKI.keyStore("server", PKI.leaf(), PKI.root(),
        PKI.intermediate())).servlet("/", new Answer()).start());
  }

  @AfterAll
  static void stop() throws Exception {
    for (TlsJetty server : SERVERS.values()) {
      server.close();
    }
  }

  @Test
  void everyRuleHasAnExampleThatBreaksIt() {
    assertThat(broken().keySet()).containsExactlyInAnyOrder(Rule.values());
    assertThat(Stream.of(Rule.values()).map(Rule::code).distinct()).hasSize(Rule.values().length);
  }

  @Test
  void theReadmeListsEveryRuleWithItsSeverityAndJudges() throws Exception {
    String readme = Files.readString(Path.of("").toAbsolutePath().getParent()
        .resolve("README.md"));
    for (Rule rule : Rule.values()) {
      String row = "| `" + rule.code() + "` | " + rule.severity().name()
          .toLowerCase(java.util.Locale.ROOT) + " | " + rule.section() + " | "
          + (rule.judges().contains(Judge.START_UP) ? "✓" : "") + " | "
          + (rule.judges().contains(Judge.LINT) ? "✓" : "") + " | "
          + (rule.judges().contains(Judge.CHECK) ? "✓" : "") + " | ";
      assertThat(readme).as("README row of " + rule).contains(row);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void startUpLintAndCheckAgreeOnEveryRule(Rule rule, Example example) throws Exception {
    Example fine = base();
    for (Judge judge : rule.judges()) {
      assertThat(codes(judge, example)).as(judge + " on the example that breaks " + rule)
          .contains(rule.code());
      assertThat(codes(judge, fine)).as(judge + " on the baseline").doesNotContain(rule.code());
    }
    if (rule.judges().contains(Judge.START_UP) && rule.severity() == Rule.Severity.ERROR) {
      assertThat(refusal(example)).as("start-up refuses").isNotNull()
          .extracting(PolicyException::rule).isEqualTo(rule);
    }
  }

  /** The codes a judge reports for an example. */
  private static List<String> codes(Judge judge, Example example) throws Exception {
    List<String> codes = new ArrayList<>();
    switch (judge) {
      case START_UP -> {
        PolicyException refused = refusal(example);
        if (refused != null) {
          codes.add(refused.rule() == null ? "(no rule)" : refused.rule().code());
        } else {
          PinPolicy policy = HpkpConfig.of(example.config(), "test").toPolicy();
          policy.findings().stream().map(Finding::code).forEach(codes::add);
        }
      }
      case LINT -> {
        List<String> args = new ArrayList<>(List.of("lint", example.header(), "--chain",
            CHAINS.get(example.served()).toString()));
        if (example.reportOnly()) {
          args.add("--report-only");
        }
        codes.addAll(printedCodes(Cli.run(args.toArray(String[]::new)).out()));
      }
      case CHECK -> {
        String name = example.reportOnly() ? PinPolicy.HEADER_REPORT_ONLY : PinPolicy.HEADER;
        answer = Map.of(name, example.headers() != null ? example.headers()
            : List.of(example.header()));
        List<String> args = new ArrayList<>(List.of("check",
            SERVERS.get(example.served()).https("/").toString()));
        if (example.trusted()) {
          args.add("--trust");
          args.add(dir.resolve(example.served() == Served.SHORT_LIVED ? "short-root.pem"
              : "root.pem").toString());
        }
        codes.addAll(printedCodes(Cli.run(args.toArray(String[]::new)).out()));
      }
      default -> throw new IllegalStateException(judge.toString());
    }
    return codes;
  }

  private static PolicyException refusal(Example example) {
    try {
      HpkpConfig.of(example.config(), "test").toPolicy();
      return null;
    } catch (PolicyException e) {
      return e;
    }
  }

  /** {@code error [code] …} and {@code warning [code] …} lines. */
  private static List<String> printedCodes(String output) {
    List<String> codes = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.matches("(error|warning) \\[[a-z0-9-]+\\] .*")) {
        codes.add(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
      }
    }
    return codes;
  }

  /** Answers 200 with whatever header fields the current example sends. */
  static final class Answer extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      answer.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
      response.setStatus(200);
    }
  }
}
