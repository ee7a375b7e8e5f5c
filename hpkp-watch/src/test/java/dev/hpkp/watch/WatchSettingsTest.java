package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.config.Wording;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.PinPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch's settings, read once for the CLI and the Spring Boot starter (#33). */
class WatchSettingsTest {

  private static final KeyPair SITE_KEY = TestCa.key();
  private static final TestCa CA = new TestCa("Settings CA");
  private static final PinPolicy POLICY = PinPolicy.builder().pins(TestCa.pin(SITE_KEY))
      .backupPins(TestCa.pin(TestCa.key()), TestCa.pin(TestCa.key())).reportOnly(false)
      .servedChain(KeyMaterial.toChain(List.of(CA.leaf(SITE_KEY, "shop.example"),
          CA.intermediate, CA.root))).build();
  private static final String LOG_KEY = Base64.getEncoder().encodeToString(
      TestCa.key().getPublic().getEncoded());

  /** How a front end would name the settings: here, as written, in brackets. */
  private static final Wording.Names BRACKETS = (setting, value) -> "[" + setting
      + (value == null ? "" : "=" + value) + "]";

  @TempDir Path dir;

  private Map<String, String> oneLog() {
    Map<String, String> settings = new HashMap<>();
    settings.put("logs[0].url", "https://ct.example/2026h2/");
    settings.put("logs[0].key", LOG_KEY);
    settings.put("hosts", "shop.example, www.shop.example");
    settings.put("state", dir.resolve("state").toString());
    return settings;
  }

  private static WatchSettings read(Map<String, String> settings) throws Exception {
    return WatchSettings.read(settings::get, POLICY, Clock.systemUTC());
  }

  private static WatchConfigurationException refused(Map<String, String> settings) {
    try {
      read(settings);
    } catch (WatchConfigurationException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + settings);
  }

  @Test
  void defaultsAndTheLogsBuilt() throws Exception {
    Map<String, String> settings = oneLog();
    settings.put("logs[1].url", "http://127.0.0.1:8080/");
    settings.put("logs[1].key", Base64.getEncoder().encodeToString(
        TestCa.key().getPublic().getEncoded()));
    settings.put("logs[1].api", "rfc6962");
    WatchSettings read = read(settings);

    assertThat(read.interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(read.logCount()).isEqualTo(2);
    assertThat(read.hosts()).extracting(WatchedHost::host)
        .containsExactly("shop.example", "www.shop.example");
    assertThat(read.warnings()).singleElement().satisfies(warning ->
        assertThat(warning.in(BRACKETS)).isEqualTo("[logs[1].url]: http://127.0.0.1:8080/ is"
            + " plain HTTP; fine for a local or test log, its signatures are checked all the"
            + " same"));
    try (CtWatcher watcher = read.builder().build()) {
      assertThat(watcher.logNames()).containsExactly("https://ct.example/2026h2/",
          "http://127.0.0.1:8080/");
    }
  }

  @Test
  void eachRefusalNamesTheSettingTheValueAndTheFix() {
    Map<String, String> settings = oneLog();
    settings.put("interval", "0");
    assertThat(refused(settings).message(BRACKETS)).isEqualTo("[interval]: '0' is not a time"
        + " from 1s to 1d (default 1m); write a whole number of seconds, or one with a unit:"
        + " 500ms, 60s, 5m, 1h, 1d");

    settings = oneLog();
    settings.put("fromIndex", "٣");
    assertThat(refused(settings).message(BRACKETS)).isEqualTo("[fromIndex]: '٣' is not an"
        + " entry index (a whole number, 0 or more, in ASCII digits); give the entry to start"
        + " at, e.g. 0, or leave it out");

    settings = oneLog();
    settings.put("fromIndex", "5");
    settings.put("fromStart", "true");
    assertThat(refused(settings).message(BRACKETS)).isEqualTo("[fromIndex]: '5' is set with"
        + " [fromStart=true]; set one of them, not both");

    settings = oneLog();
    settings.put("logs[0].api", "grpc");
    assertThat(refused(settings).message(BRACKETS)).isEqualTo("[logs[0].api]: 'grpc' is"
        + " neither static nor rfc6962; write static (a Static CT API log, the default) or"
        + " rfc6962");

    settings = oneLog();
    settings.put("logs[0].url", "ftp://ct.example/");
    assertThat(refused(settings).message(BRACKETS)).startsWith("[logs[0].url]:"
        + " 'ftp://ct.example/' is not an http(s) URL; give the log's monitoring prefix");

    settings = oneLog();
    settings.remove("logs[0].url");
    assertThat(refused(settings).message(BRACKETS)).startsWith("[logs[0].url]: not set;");

    settings = oneLog();
    settings.remove("logs[0].url");
    settings.remove("logs[0].key");
    assertThat(refused(settings).message(BRACKETS)).isEqualTo("[logs]: no log to watch; name"
        + " the logs with [logs], or give [logList] (such as Chrome's log_list.json)");

    settings = oneLog();
    settings.put("logs[0].key", "bm90IGEga2V5");
    assertThat(refused(settings).parameter()).isEqualTo("logs[0].key");
    assertThat(refused(settings).fix().in(BRACKETS)).contains("base64 DER");

    settings = oneLog();
    settings.put("logs[1].url", "https://other.example/");
    settings.put("logs[1].key", LOG_KEY);
    assertThat(refused(settings).message(BRACKETS)).isEqualTo("[logs[1].key]: the same key as"
        + " [logs[0].key] (a log is known by its key, and its position is kept under it);"
        + " give each log its own key, and name each log once");

    settings = oneLog();
    settings.put("fromStart", "yes");
    assertThat(refused(settings).message(BRACKETS)).startsWith("[fromStart]: 'yes' is not a"
        + " boolean");

    settings = oneLog();
    settings.put("logList", dir.resolve("missing.json").toString());
    assertThat(refused(settings).message(BRACKETS)).contains("is not a file; give a log list in"
        + " Chrome's log_list.json format (v3)");
  }

  @Test
  void hostileValuesAreRefusedInWords() {
    for (String hostile : List.of("x".repeat(10_000), "https://" + "a".repeat(10_000)
        + ".example/", "https://" + "a".repeat(64) + ".example/", "https://ct.example/\r\nX: y",
        "https://ct.example/\u0000", "https://[::1", "")) {
      Map<String, String> settings = oneLog();
      settings.put("logs[0].url", hostile);
      WatchConfigurationException e = refused(settings);
      assertThat(e.parameter()).isEqualTo("logs[0].url");
      assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000");
    }
    for (String hostile : List.of("", "a\u0000b", " ")) {
      Map<String, String> settings = oneLog();
      settings.put("state", hostile);
      assertThat(refused(settings).parameter()).as(hostile).isEqualTo("state");
    }
    Map<String, String> settings = oneLog();
    settings.put("hosts", "shop.example, \u0000.example");
    assertThat(refused(settings).parameter()).isEqualTo("hosts");
  }

  @Test
  void aLogKeyMayBeAPemFile() throws Exception {
    Path pem = dir.resolve("log.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + LOG_KEY.replaceAll("(.{64})",
        "$1\n") + "\n-----END PUBLIC KEY-----\n");
    Map<String, String> settings = oneLog();
    settings.put("logs[0].key", pem.toString());
    assertThat(read(settings).logCount()).isEqualTo(1);

    settings.put("logs[0].key", dir.resolve("gone.pem").toString());
    assertThat(refused(settings).message(BRACKETS)).endsWith("gone.pem does not exist; give"
        + " the log's public key as a PEM file or as base64 DER (as log lists carry it)");
  }
}
