package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hpkp.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The checks that run before any bean is made (registered in META-INF/spring.factories, so a
 * real SpringApplication runs them): misspelt hpkp.* keys, hpkp.* keys while the policy is off,
 * and the Spring Boot generation against the starter's.
 */
class HpkpStartupChecksTest {

  private static final TestPki PKI = TestPki.localhost();

  /** An application with nothing in it: only the initializers run. */
  @Configuration(proxyBeanMethods = false)
  static class Nothing {}

  private static FailureAnalysis start(String... args) {
    Throwable failure = catchThrowable(() -> {
      try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class)
          .web(WebApplicationType.NONE).logStartupInfo(false).run(args)) {
        assertThat(context.isActive()).isTrue();
      }
    });
    return failure == null ? null : new HpkpFailureAnalyzer().analyze(failure);
  }

  @Test
  void aTypoInTheSwitchIsNotSilent() {
    FailureAnalysis analysis = start("--hpkp.pin=" + PKI.leafPin(),
        "--hpkp.backup-pins=" + PKI.backupPin());

    assertThat(analysis.getDescription())
        .isEqualTo("hpkp.pin: not a key of hpkp-filter's starter; did you mean hpkp.pins?");
    assertThat(analysis.getAction()).isEqualTo("Rename hpkp.pin to hpkp.pins");
  }

  @Test
  void aMisspeltKeyOnceOnNamesTheKeyItMeans() {
    assertThat(start("--hpkp.pins=" + PKI.leafPin(), "--hpkp.max-ag=10m").getDescription())
        .isEqualTo("hpkp.max-ag: not a key of hpkp-filter's starter; did you mean hpkp.max-age?");
    assertThat(start("--hpkp.pins=" + PKI.leafPin(), "--hpkp.collector.max-body=1")
        .getDescription()).endsWith("did you mean hpkp.collector.max-body-bytes?");
    assertThat(start("--hpkp.pins=" + PKI.leafPin(), "--hpkp.report-only-policy.pin=x")
        .getDescription()).endsWith("did you mean hpkp.report-only-policy.pins?");
    assertThat(start("--hpkp.pins=" + PKI.leafPin(), "--hpkp.zzzzzzzzzz=1").getAction())
        .startsWith("Remove hpkp.zzzzzzzzzz; the hpkp.* keys are listed");
  }

  @Test
  void keysOfAPolicyThatIsOffStopTheApplication() {
    FailureAnalysis analysis = start("--hpkp.backup-pins=" + PKI.backupPin(),
        "--hpkp.max-age=10m");

    assertThat(analysis.getDescription()).isEqualTo("hpkp.backup-pins is set, but hpkp.pins is"
        + " not, so this application sends no pinning header");
    assertThat(analysis.getAction()).contains("hpkp.enabled=false");
  }

  @Test
  void everyRightSpellingStarts() {
    // relaxed binding as Boot has it, list indexes, the collector alone, the switch off
    assertThat(start("--hpkp.pins[0]=" + PKI.leafPin(), "--hpkp.maxAge=10m",
        "--hpkp.backup_pins=" + PKI.backupPin(), "--hpkp.report-only-policy.max-age=1m",
        "--hpkp.collector.body-timeout-millis=500", "--hpkp.served-chain-check=false"))
        .isNull();
    assertThat(start("--hpkp.collector.enabled=true", "--hpkp.collector.sink=log")).isNull();
    assertThat(start("--hpkp.enabled=false", "--hpkp.pin=whatever")).isNull();
    assertThat(start()).isNull();
  }

  @Test
  void hostileKeysGetOneNamedSentence() {
    for (String key : List.of("hpkp." + "x".repeat(10_000), "hpkp.pins\u0000", "hpkp.\u0661",
        "hpkp.max-age\r\nX-Injected: 1", "hpkp.pins.extra")) {
      FailureAnalysis analysis = start("--" + key + "=1");
      if (analysis != null) {
        assertThat(analysis.getDescription()).as(key).isNotBlank();
        assertThat(analysis.getAction()).as(key).isNotBlank();
      }
    }
    assertThat(start("--hpkp." + "x".repeat(10_000) + "=1").getDescription())
        .startsWith("hpkp.xxxx").contains("not a key of hpkp-filter's starter");
  }

  @Test
  void theKnownKeysComeFromThePropertiesClasses() {
    assertThat(HpkpKeys.KNOWN).contains("hpkp.enabled", "hpkp.pins", "hpkp.backup-pins",
        "hpkp.max-age", "hpkp.served-chain-check", "hpkp.report-only-policy.report-uri",
        "hpkp.collector.enabled", "hpkp.collector.max-body-bytes", "hpkp.collector.file-keep")
        .doesNotContain("hpkp.report-only-policy.report-only", "hpkp.collector");
  }

  private static final BootGeneration.Starter BOOT4 =
      new BootGeneration.Starter("hpkp-spring-boot-starter", "4.0", "5.0");
  private static final BootGeneration.Starter BOOT3 =
      new BootGeneration.Starter("hpkp-spring-boot3-starter", "3.5", "4.0");

  @Test
  void theWrongBootGenerationIsOneSentenceNamingTheArtifactToUse() {
    assertThat(BootGeneration.check("4.0.7", List.of(BOOT4))).isNull();
    assertThat(BootGeneration.check("4.1.2", List.of(BOOT4))).isNull();
    assertThat(BootGeneration.check("3.5.7", List.of(BOOT3))).isNull();
    assertThat(BootGeneration.check("3.5.0-SNAPSHOT", List.of(BOOT3))).isNull();

    HpkpStartupException onBoot3 = BootGeneration.check("3.5.7", List.of(BOOT4));
    assertThat(onBoot3.getMessage()).isEqualTo("Spring Boot 3.5.7 is on the class path, but"
        + " dev.hpkp:hpkp-spring-boot-starter supports Spring Boot 4.0 up to (not including)"
        + " 5.0");
    assertThat(onBoot3.action()).isEqualTo("Replace dev.hpkp:hpkp-spring-boot-starter with"
        + " dev.hpkp:hpkp-spring-boot3-starter (Spring Boot 3.5)");
    assertThat(BootGeneration.check("4.0.7", List.of(BOOT3)).action()).isEqualTo("Replace"
        + " dev.hpkp:hpkp-spring-boot3-starter with dev.hpkp:hpkp-spring-boot-starter"
        + " (Spring Boot 4.x)");
    assertThat(BootGeneration.check("3.4.13", List.of(BOOT3)).action())
        .startsWith("Upgrade to Spring Boot 3.5");
    assertThat(BootGeneration.check("2.7.18", List.of(BOOT4, BOOT3)).getMessage())
        .startsWith("Spring Boot 2.7.18 is on the class path");
    // nothing to say without a version or a starter
    assertThat(BootGeneration.check(null, List.of(BOOT4))).isNull();
    assertThat(BootGeneration.check("4.0.7", List.of())).isNull();
    assertThat(BootGeneration.check("x", List.of(BOOT4))).isNull();
  }

  @Test
  void theStarterOnThisClassPathServesThisBoot() {
    List<BootGeneration.Starter> starters =
        BootGeneration.starters(HpkpStartupChecksTest.class.getClassLoader());

    assertThat(starters).hasSize(1);
    assertThat(starters.get(0).serves(BootGeneration.parse(SpringBootVersion.getVersion())))
        .as("%s on Boot %s", starters, SpringBootVersion.getVersion()).isTrue();
  }
}
