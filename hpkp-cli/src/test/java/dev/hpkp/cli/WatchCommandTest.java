package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.watch.TestCa;
import dev.hpkp.watch.TestLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'hpkp watch' against a CT log written in test code, as a user runs it. */
class WatchCommandTest {

  private static final TestCa OWN = new TestCa("Own CA");
  private static final TestCa OTHER = new TestCa("Other CA");
  private static final KeyPair SITE = TestCa.key();
  private static final KeyPair BACKUP = TestCa.key();

  @TempDir Path dir;
  private TestLog log;
  private String key;

  @BeforeEach
  void start() throws Exception {
    log = new TestLog("cli");
    key = Base64.getEncoder().encodeToString(log.key.getPublic().getEncoded());
    log.addCertificate(OWN.leaf(SITE, "shop.example"), OWN.intermediate);
    log.addCertificate(OTHER.leaf(TestCa.key(), "www.shop.example"), OTHER.intermediate);
    log.publish();
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
  }

  private Cli watch(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("watch", "--once", "--state",
        dir.resolve("state").toString(), "--log", log.monitoringPrefix().toString(),
        "--log-submission", log.submissionPrefix().toString(), "--log-key", key));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aMisIssuedCertificateIsOneAlertAndExitOne() throws Exception {
    Cli cli = watch("--host", "shop.example", "--include-subdomains", "--pins",
        TestCa.pin(SITE).toString(), "--backup-pins", TestCa.pin(BACKUP).toString(),
        "--from-start");

    assertThat(cli.exit()).as(cli.err()).isEqualTo(1);
    assertThat(cli.out()).startsWith("HPKP watch: ").contains("www.shop.example",
        "mis-issuance").hasLineCount(1);
    assertThat(cli.err()).contains("plain HTTP", "+2 entries", "verified size 2");
    assertThat(Files.readAllLines(dir.resolve("state/alerts.jsonl"))).singleElement()
        .satisfies(l -> assertThat(l).contains("\"kind\":\"ct-unpinned-issuance\""));

    Cli again = watch("--host", "shop.example", "--include-subdomains", "--pins",
        TestCa.pin(SITE).toString(), "--backup-pins", TestCa.pin(BACKUP).toString(), "--json");
    assertThat(again.exit()).as("nothing new").isZero();
  }

  @Test
  void theFiltersPropertiesFileConfiguresTheWatchToo() throws Exception {
    Path properties = Files.writeString(dir.resolve("hpkp.properties"),
        "pins=" + TestCa.pin(SITE) + "\nbackupPins=" + TestCa.pin(BACKUP)
        + "\nincludeSubDomains=true\nservedChainCheck=false\nreportOnly=false\n",
        StandardCharsets.UTF_8);

    Cli cli = watch("--config", properties.toString(), "--host", "shop.example",
        "--from-start", "--json");

    assertThat(cli.exit()).as(cli.err()).isEqualTo(1);
    assertThat(cli.out()).startsWith("{\"kind\":\"ct-unpinned-issuance\"");
  }

  @Test
  void everyBadInputIsOneNamedLineAndExitTwo() throws Exception {
    String pins = TestCa.pin(SITE).toString();
    String backup = TestCa.pin(BACKUP).toString();
    assertBad(watch("--host", "shop.example", "--pins", pins), "no pins to watch with");
    assertBad(watch("--host", "shop example", "--pins", pins, "--backup-pins", backup),
        "--host: 'shop example'");
    for (String address : List.of("192.0.2.1", "0x7f.1", "2130706433", "0177.0.0.1", "[::1]")) {
      assertBad(watch("--host", address, "--pins", pins, "--backup-pins", backup),
          address.startsWith("[") ? "is not a host name" : "is an IP address");
    }
    assertBad(watch("--host", "shop.example", "--pins", "sha256/nope", "--backup-pins",
        backup), "--pins: 'sha256/nope' is not a SHA-256 pin");
    assertBad(Cli.run("watch", "--once", "--state", dir.toString(), "--host", "shop.example",
        "--pins", pins, "--backup-pins", backup, "--log", "http://127.0.0.1:1/", "--log-key",
        "AAAA"), "--log-key: the log key is not a DER SubjectPublicKeyInfo");
    assertBad(Cli.run("watch", "--once", "--state", dir.toString(), "--host", "shop.example",
        "--pins", pins, "--backup-pins", backup), "no log to watch");
    Path list = Files.writeString(dir.resolve("list.json"), "{\"operators\": 1}");
    assertBad(Cli.run("watch", "--once", "--state", dir.toString(), "--host", "shop.example",
        "--pins", pins, "--backup-pins", backup, "--log-list", list.toString()),
        "--log-list: '" + list + "': the log list has no operators array");
    Cli unreachable = Cli.run("watch", "--once", "--state", dir.resolve("s2").toString(),
        "--host", "shop.example", "--pins", pins, "--backup-pins", backup, "--log",
        "http://127.0.0.1:1/", "--log-key", key);
    assertThat(unreachable.exit()).isEqualTo(2);
    assertThat(unreachable.err()).contains("could not be read").doesNotContain("\tat ");
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    assertBad(Cli.run("watch", "--once", "--state", notADirectory.resolve("s").toString(),
        "--host", "shop.example", "--pins", pins, "--backup-pins", backup, "--log",
        "https://127.0.0.1:1/", "--log-key", key), "--state: the watch state "
        + notADirectory.resolve("s") + " cannot be made or written (");
  }

  private static void assertBad(Cli cli, String message) {
    assertThat(cli.exit()).as(cli.err()).isEqualTo(2);
    assertThat(cli.err()).contains(message).doesNotContain("\tat ").hasLineCount(1);
  }
}
