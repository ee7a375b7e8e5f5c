package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/** Every hpkp.* property, the conditions and every refusal, without a running server. */
class HpkpAutoConfigurationTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir static Path dir;
  static String chain;
  static String keystore;
  static String leaf;
  static String backups;

  @BeforeAll
  static void files() throws Exception {
    chain = "file:" + PKI.writeChainPem(dir.resolve("chain.pem"));
    keystore = PKI.writeKeystore(dir.resolve("server.p12"), "tomcat").toString();
    leaf = PKI.leafPin().toString();
    backups = PKI.backupPin() + "," + PKI.secondBackupPin();
  }

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HpkpAutoConfiguration.class,
          SslAutoConfiguration.class));

  private static String header(FilterRegistrationBean<?> registration) {
    return ((HpkpFilter) registration.getFilter()).policy().toString();
  }

  @Test
  void nothingIsRegisteredWithoutPinsOrWhenSwitchedOff() {
    runner.run(context -> assertThat(context).doesNotHaveBean("hpkpFilter"));
    runner.withPropertyValues("hpkp.pins=" + leaf, "hpkp.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("hpkpFilter"));
  }

  @Test
  void everyPropertyReachesTheHeader() {
    runner.withPropertyValues("hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
        "hpkp.maxAge=10m", "hpkp.include-subdomains=true", "hpkp.report-only=false",
        "hpkp.report-uri=https://reports.example.net/hpkp", "hpkp.served-chain=" + chain)
        .run(context -> {
          assertThat(context).hasNotFailed();
          FilterRegistrationBean<?> registration =
              context.getBean("hpkpFilter", FilterRegistrationBean.class);
          assertThat(header(registration)).isEqualTo("Public-Key-Pins: "
              + PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
              + PKI.secondBackupPin().toDirective() + "; max-age=600; includeSubDomains;"
              + " report-uri=\"https://reports.example.net/hpkp\"");
          assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 1);
          assertThat(registration.getUrlPatterns()).containsExactly("/*");
        });
  }

  @Test
  void theServedChainComesFromTheServersOwnKeyStore() {
    runner.withPropertyValues("hpkp.pins=" + PKI.rootPin(), "hpkp.backup-pins=" + backups,
        "hpkp.report-uri=https://reports.example.net/hpkp",
        "server.ssl.key-store=file:" + keystore, "server.ssl.key-store-password=changeit",
        "server.ssl.key-store-type=PKCS12")
        .run(context -> {
          assertThat(context).hasNotFailed();
          HpkpFilter filter = (HpkpFilter) context.getBean("hpkpFilter",
              FilterRegistrationBean.class).getFilter();
          assertThat(filter.policy().servedChain()).extracting(c -> c.pin())
              .containsExactly(PKI.leafPin(), PKI.intermediatePin(), PKI.rootPin());
        });
  }

  @Test
  void theCheckCanBeSwitchedOffAndATrustStoreCompletesTheChain() throws Exception {
    runner.withPropertyValues("hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
        "hpkp.report-uri=https://reports.example.net/hpkp", "hpkp.served-chain-check=false")
        .run(context -> assertThat(((HpkpFilter) context.getBean("hpkpFilter",
            FilterRegistrationBean.class).getFilter()).policy().warnings())
            .anyMatch(w -> w.contains("served-chain check is switched off")));

    // the served chain without its root; the root pinned; the trust store supplies it
    String withoutRoot = "file:" + java.nio.file.Files.writeString(dir.resolve("two.pem"),
        TestPki.pem(PKI.leaf(), PKI.intermediate()));
    String root = "file:" + java.nio.file.Files.writeString(dir.resolve("root.pem"),
        TestPki.pem(PKI.root()));
    runner.withPropertyValues("hpkp.pins=" + PKI.rootPin(), "hpkp.backup-pins=" + backups,
        "hpkp.report-uri=https://reports.example.net/hpkp", "hpkp.served-chain=" + withoutRoot)
        .run(context -> assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure())
            .getDescription()).startsWith("hpkp.pins: "));
    runner.withPropertyValues("hpkp.pins=" + PKI.rootPin(), "hpkp.backup-pins=" + backups,
        "hpkp.report-uri=https://reports.example.net/hpkp", "hpkp.served-chain=" + withoutRoot,
        "hpkp.trust-store=" + root).run(context -> assertThat(context).hasNotFailed()
            .hasBean("hpkpFilter"));
  }

  @Test
  void theServedChainComesFromAJksOrPkcs12SslBundle() {
    runner.withPropertyValues("hpkp.pins=" + PKI.intermediatePin(), "hpkp.backup-pins="
        + backups, "hpkp.report-uri=https://reports.example.net/hpkp",
        "spring.ssl.bundle.jks.web.keystore.location=file:" + keystore,
        "spring.ssl.bundle.jks.web.keystore.password=changeit",
        "spring.ssl.bundle.jks.web.keystore.type=PKCS12", "server.ssl.bundle=web")
        .run(context -> {
          assertThat(context).hasNotFailed();
          HpkpFilter filter = (HpkpFilter) context.getBean("hpkpFilter",
              FilterRegistrationBean.class).getFilter();
          assertThat(filter.policy().describe(PKI.intermediatePin()))
              .startsWith("intermediate CN=HPKP Test Intermediate");
        });
  }

  @Test
  void aRotationSendsAReportOnlyPolicyBesideTheEnforcedOne() {
    runner.withPropertyValues("hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
        "hpkp.report-only=false", "hpkp.served-chain=" + chain,
        "hpkp.report-only-policy.pins=" + PKI.intermediatePin(),
        "hpkp.report-only-policy.backup-pins=" + PKI.backupPin(),
        "hpkp.report-only-policy.max-age=600s",
        "hpkp.report-only-policy.report-uri=https://reports.example.net/next")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(header(context.getBean("hpkpFilter", FilterRegistrationBean.class)))
              .startsWith("Public-Key-Pins: ");
          assertThat(header(context.getBean("hpkpReportOnlyFilter",
              FilterRegistrationBean.class))).isEqualTo("Public-Key-Pins-Report-Only: "
              + PKI.intermediatePin().toDirective() + "; " + PKI.backupPin().toDirective()
              + "; max-age=600; report-uri=\"https://reports.example.net/next\"");
        });
  }

  @Test
  void environmentVariablesBindAsInAnyBootApplication() {
    runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
        "systemEnvironment", new org.springframework.core.env.SystemEnvironmentPropertySource(
            "systemEnvironment",
            java.util.Map.of("HPKP_PINS", leaf, "HPKP_BACKUPPINS", backups, "HPKP_MAXAGE", "1d",
                "HPKP_REPORTURI", "https://reports.example.net/env", "HPKP_SERVEDCHAIN", chain))))
        .run(context -> assertThat(header(context.getBean("hpkpFilter",
            FilterRegistrationBean.class))).endsWith("; max-age=86400;"
            + " report-uri=\"https://reports.example.net/env\""));
  }

  @Test
  void theRenewalsFollowTheCappedMaxAgeAsTheStartUpRuleDoes() throws Exception {
    TestPki shortLived = TestPki.create("localhost", java.time.Duration.ofDays(40));
    String shortChain = "file:" + shortLived.writeChainPem(dir.resolve("short.pem"));
    TestPki yearLong = TestPki.create("localhost", java.time.Duration.ofDays(365));
    String yearChain = "file:" + yearLong.writeChainPem(dir.resolve("year.pem"));
    java.time.Instant now = java.time.Instant.now();

    runner.withPropertyValues("hpkp.pins=" + shortLived.leafPin(), "hpkp.backup-pins="
        + shortLived.backupPin(), "hpkp.report-uri=https://r.example.net/",
        "hpkp.served-chain=" + shortChain, "hpkp.max-age=20d").run(context -> {
          HpkpPolicySet.Renewals renewals = context.getBean(HpkpPolicySet.class).renewals(now);
          assertThat(renewals.overdue()).isTrue();
          assertThat(renewals.details().get("hpkp").toString()).contains("renewal overdue");
        });
    runner.withPropertyValues("hpkp.pins=" + shortLived.leafPin(), "hpkp.backup-pins="
        + shortLived.backupPin(), "hpkp.report-uri=https://r.example.net/",
        "hpkp.served-chain=" + shortChain, "hpkp.max-age=1d").run(context ->
          assertThat(context.getBean(HpkpPolicySet.class).renewals(now).overdue()).isFalse());
    // 340 days is above the cap: the start-up rule warns about the cap only, and the renewal
    // date uses 60 days too (leaf + 365 d - 60 d - 30 d), so nothing is overdue
    runner.withPropertyValues("hpkp.pins=" + yearLong.leafPin(), "hpkp.backup-pins="
        + yearLong.backupPin(), "hpkp.report-uri=https://r.example.net/",
        "hpkp.served-chain=" + yearChain, "hpkp.max-age=340d").run(context -> {
          HpkpPolicySet policies = context.getBean(HpkpPolicySet.class);
          assertThat(policies.get("hpkp").warnings()).noneMatch(w -> w.contains("expires"));
          HpkpPolicySet.Renewals renewals = policies.renewals(now);
          assertThat(renewals.overdue()).isFalse();
          assertThat(renewals.details().get("hpkp").toString()).contains(
              "renewBy=" + yearLong.leaf().getNotAfter().toInstant()
                  .minus(java.time.Duration.ofDays(90)), "effectiveMaxAgeSeconds=5184000",
              "maxAgeSeconds=29376000");
        });
  }

  @Test
  void aBadCollectorValueStopsTheApplicationNamingItsKey() {
    WebApplicationContextRunner collector = runner.withConfiguration(AutoConfigurations.of(
        HpkpCollectorAutoConfiguration.class));
    collector.withPropertyValues("hpkp.collector.enabled=true",
        "hpkp.collector.max-body-bytes=12").run(context -> {
          FailureAnalysis analysis = new HpkpFailureAnalyzer().analyze(
              context.getStartupFailure());
          assertThat(analysis.getDescription()).isEqualTo("hpkp.collector.max-body-bytes: '12'"
              + " is not a whole number of bytes from 1024 to 16777216 (default 65536)");
        });
    collector.withPropertyValues("hpkp.collector.enabled=true", "hpkp.collector.sink=jsonl")
        .run(context -> assertThat(new HpkpFailureAnalyzer().analyze(
            context.getStartupFailure()).getDescription()).startsWith(
            "hpkp.collector.file: not set, but hpkp.collector.sink=jsonl needs it; set"
            + " hpkp.collector.file to"));
    collector.withPropertyValues("hpkp.collector.enabled=true",
        "hpkp.collector.rate-per-second=\u0661\u0660").run(context ->
          assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure())
              .getDescription()).startsWith("hpkp.collector.rate-per-second: "));
    collector.withPropertyValues("hpkp.collector.enabled=true").run(context ->
        assertThat(context).hasNotFailed().hasSingleBean(
            dev.hpkp.report.ReportCollector.class));
  }

  @Test
  void anUnknownHpkpKeyStopsTheApplication() {
    runner.withPropertyValues("hpkp.pins=" + leaf, "hpkp.backup-pin=" + backups)
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("hpkp.backup-pin"));
  }

  static Stream<Arguments> refusals() throws Exception {
    return Stream.of(
        Arguments.of(new String[] {"hpkp.pins=" + "sha256/short", "hpkp.backup-pins=" + backups},
            "hpkp.pins: "),
        Arguments.of(new String[] {"hpkp.pins=" + leaf}, "hpkp.backup-pins: "),
        Arguments.of(new String[] {"hpkp.pins=" + leaf, "hpkp.backup-pins="
            + PKI.intermediatePin()}, "hpkp.backup-pins: " + PKI.intermediatePin()
            + " matches the intermediate certificate"),
        Arguments.of(new String[] {"hpkp.pins=" + PKI.backupPin(), "hpkp.backup-pins="
            + PKI.secondBackupPin()}, "hpkp.pins: "),
        Arguments.of(new String[] {"hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
            "hpkp.report-uri="}, "hpkp.report-uri: not set, but a Public-Key-Pins-Report-Only"
            + " policy without report-uri does nothing"),
        Arguments.of(new String[] {"hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
            "hpkp.max-age=-1s"}, "hpkp.max-age: "),
        Arguments.of(new String[] {"hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
            "hpkp.report-uri=https://r.example.net/", "hpkp.served-chain=file:"
            + dir.resolve("missing.pem")}, "hpkp.served-chain: "),
        Arguments.of(new String[] {"hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
            "hpkp.report-uri=https://r.example.net/", "hpkp.served-chain=file:" + keystore},
            "hpkp.served-chain-password: "),
        Arguments.of(new String[] {"hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups,
            "hpkp.report-uri=https://r.example.net/", "hpkp.served-chain=" + chain,
            "hpkp.report-only-policy.pins=" + leaf}, "hpkp.report-only-policy.pins is set, but"
            + " hpkp.report-only is true"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void aPolicyTheFilterRefusesStopsTheApplicationWithAFailureAnalysis(String[] properties,
      String description) {
    boolean ownChain = String.join(" ", properties).contains("served-chain=");
    runner.withPropertyValues(ownChain ? properties : withChain(properties)).run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis = new HpkpFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).as("a failure analysis").isNotNull();
          assertThat(analysis.getDescription()).startsWith(description)
              .doesNotContain("backupPins", "servedChain", "reportUri", "maxAgeSeconds");
          assertThat(analysis.getAction()).isNotBlank();
        });
  }

  /** The case's properties, with the served chain and a report-uri unless it sets them. */
  private static String[] withChain(String[] properties) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(properties));
    all.add("hpkp.served-chain=" + chain);
    if (all.stream().noneMatch(p -> p.startsWith("hpkp.report-uri="))) {
      all.add("hpkp.report-uri=https://reports.example.net/hpkp");
    }
    return all.toArray(String[]::new);
  }

  @Test
  void withoutTlsOrAServedChainTheAnalysisSaysWhatToSet() {
    runner.withPropertyValues("hpkp.pins=" + leaf, "hpkp.backup-pins=" + backups).run(context -> {
      FailureAnalysis analysis = new HpkpFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).isEqualTo("hpkp.served-chain: not set, and this"
          + " application has no TLS of its own (server.ssl.bundle or server.ssl.key-store) to"
          + " read the served chain from");
      assertThat(analysis.getAction()).contains("hpkp.served-chain-check=false");
    });
  }

  @Test
  void theMetadataListsEveryKeyWithADescription() throws Exception {
    String metadata = new String(HpkpAutoConfigurationTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json").readAllBytes());
    for (String key : new String[] {"hpkp.enabled", "hpkp.pins", "hpkp.backup-pins",
        "hpkp.max-age", "hpkp.include-subdomains", "hpkp.report-uri", "hpkp.report-only",
        "hpkp.served-chain", "hpkp.served-chain-password", "hpkp.served-chain-alias",
        "hpkp.served-chain-check", "hpkp.trust-store", "hpkp.trust-store-password",
        "hpkp.report-only-policy.pins", "hpkp.report-only-policy.report-uri",
        "hpkp.collector.enabled", "hpkp.collector.path", "hpkp.collector.sink",
        "hpkp.collector.file"}) {
      assertThat(metadata).contains("\"name\": \"" + key + "\"");
    }
    assertThat(metadata).contains("\"defaultValue\": \"60d\"", "\"defaultValue\": true")
        .doesNotContain("\"description\": \"\"");
    assertThat(new PolicyProperties().getMaxAge()).as("the default max-age is the policy's cap")
        .isEqualTo(java.time.Duration.ofSeconds(dev.hpkp.policy.PinPolicy.MAX_AGE_CAP_SECONDS));
  }

  @Test
  void theCollectorsNumbersAreTypedWithTheCollectorsDefaults() throws Exception {
    String metadata = new String(HpkpAutoConfigurationTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json").readAllBytes());
    java.util.Map<String, Long> defaults = new java.util.LinkedHashMap<>();
    for (dev.hpkp.report.CollectorLimit limit : dev.hpkp.report.HpkpReportServlet.LIMITS) {
      defaults.put(limit.parameter().replaceAll("([a-z])([A-Z])", "$1-$2")
          .toLowerCase(java.util.Locale.ROOT), limit.defaultValue());
    }
    assertThat(defaults).hasSize(8).containsEntry("body-timeout-millis", 5_000L);
    defaults.forEach((key, value) -> {
      String entry = entry(metadata, "hpkp.collector." + key);
      assertThat(entry).as(key).containsPattern("\"type\": \"java\\.lang\\.(Long|Integer)\"")
          .contains("\"defaultValue\": " + value + "\n").doesNotContain("java.lang.String");
    });
    assertThat(metadata.indexOf("\"name\": \"hpkp.collector.max-body-bytes\""))
        .as("declared once").isEqualTo(metadata.lastIndexOf(
            "\"name\": \"hpkp.collector.max-body-bytes\""));
    assertThat(entry(metadata, "hpkp.collector.sink")).contains("\"value\": \"log\"",
        "\"value\": \"jsonl\"");
  }

  /** The JSON object of the metadata that names {@code name} (properties and hints alike). */
  private static String entry(String metadata, String name) {
    int at = metadata.lastIndexOf("\"name\": \"" + name + "\"");
    assertThat(at).as(name + " in the metadata").isNotNegative();
    int start = metadata.lastIndexOf("\n    {", at);
    int end = metadata.indexOf("\n    }", at);
    return metadata.substring(start, end + 1);
  }
}
