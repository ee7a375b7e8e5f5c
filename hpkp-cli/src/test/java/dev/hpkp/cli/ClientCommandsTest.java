package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hpkp fetch, pin-store and export, as a user runs them, against real TLS servers. */
class ClientCommandsTest {

  private static final TestPki SITE = TestPki.localhost();
  private static final TestPki OTHER = TestPki.otherCa("Other CA");

  @TempDir Path dir;

  private static HttpServlet ok() {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(200);
      }
    };
  }

  @Test
  void fetchNotesThenRefusesAnotherCasChainAndReportsIt() throws Exception {
    Path store = dir.resolve("pins.json");
    Path siteRoot = Files.writeString(dir.resolve("site-root.pem"), TestPki.pem(SITE.root()));
    Path otherRoot = Files.writeString(dir.resolve("other-root.pem"), TestPki.pem(OTHER.root()));
    try (TlsJetty collector = new TlsJetty(SITE).servlet("/r", HpkpReportServlet.class, "c",
        Map.of("sink", "jsonl", "file", dir.resolve("reports.jsonl").toString())).start()) {
      String reportUri = "https://127.0.0.1:" + collector.https("/").getPort() + "/r";
      Map<String, String> policy = new LinkedHashMap<>();
      policy.put("pins", SITE.leafPin().toString());
      policy.put("backupPins", SITE.backupPin() + " " + SITE.secondBackupPin());
      policy.put("maxAgeSeconds", "600");
      policy.put("reportOnly", "false");
      policy.put("reportUri", reportUri);
      policy.put("servedChain", "file:" + SITE.writeChainPem(dir.resolve("chain.pem")));
      try (TlsJetty site = new TlsJetty(SITE).filter("hpkp", HpkpFilter.class, policy)
              .servlet("/*", ok()).start();
          TlsJetty misIssued = new TlsJetty(OTHER).servlet("/*", ok()).start()) {
        Cli first = Cli.run("fetch", site.https("/").toString(), "--pin-store", store.toString(),
            "--trust", siteRoot.toString());
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("localhost is not a known pinned host\nHTTP 200\n"
            + "Public-Key-Pins: noted\nPublic-Key-Pins-Report-Only: none\n  noted 3 pins for"
            + " localhost until ");

        Cli list = Cli.run("pin-store", "list", "--pin-store", store.toString());
        assertThat(list.out()).startsWith("localhost: 3 pins, noted ")
            .contains("(in 9 minutes), report-uri " + reportUri + "\n",
                "  " + SITE.backupPin() + "\n", "  " + SITE.leafPin() + "\n");
        Cli json = Cli.run("pin-store", "list", "--pin-store", store.toString(), "--json");
        assertThat(json.out().replaceAll("\\s", ""))
            .as("an entry spelled as the store spells it")
            .contains("\"host\":\"localhost\"", "\"include-subdomains\":false",
                "\"report-uri\":\"" + reportUri + "\"", "\"source\":\"noted\"",
                "\"expired\":false");
        assertThat(Files.readString(store)).contains("\"include-subdomains\":false",
            "\"report-uri\":\"" + reportUri + "\"");

        // the collector is on 127.0.0.1: by default a report does not go there
        Cli notSent = Cli.run("fetch", misIssued.https("/").toString(), "--pin-store",
            store.toString(), "--trust", siteRoot.toString(), "--trust", otherRoot.toString());
        assertThat(notSent.exit()).as(notSent.toString()).isEqualTo(1);
        assertThat(notSent.out()).endsWith("reports: 0 sent, 0 failed, 1 not sent to a loopback"
            + " or private address (--report-to-private sends them)\n");

        Cli refused = Cli.run("fetch", misIssued.https("/").toString(), "--pin-store",
            store.toString(), "--trust", siteRoot.toString(), "--trust", otherRoot.toString(),
            "--report-to-private");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).startsWith("localhost is a known pinned host: 3 pins,")
            .contains("REFUSED: Public key pinning failure for localhost:"
                + misIssued.https("/").getPort(), OTHER.leafPin() + ": CN=localhost (leaf)")
            .endsWith("reports: 1 sent, 0 failed\n");
        assertThat(((ReportCollector) collector.context().getServletContext()
            .getAttribute(ReportCollector.CONTEXT_ATTRIBUTE)).recentReports()).singleElement()
            .satisfies(r -> assertThat(r.verdict().code()).isEqualTo("no-pinned-key-served"));
      }
    }

    Cli forget = Cli.run("pin-store", "forget", "LOCALHOST.", "--pin-store", store.toString());
    assertThat(forget.out()).isEqualTo("forgot LOCALHOST.; 0 hosts left in " + store + "\n");
    Cli again = Cli.run("pin-store", "forget", "localhost", "--pin-store", store.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).isEqualTo("localhost is not in " + store + "; 'hpkp pin-store"
        + " list' shows the hosts it holds\n");
  }

  @Test
  void aUrlThatIsNotHttpsIsOneLineForCheckAndFetchAlike() {
    for (String command : List.of("check", "fetch")) {
      for (String url : List.of("http://example.com/", "https:///nohost", "ftp://x/", "%")) {
        Cli cli = Cli.run(command, url);
        assertThat(cli.exit()).as(cli.toString()).isEqualTo(2);
        assertThat(cli.err()).hasLineCount(1).startsWith("hpkp " + command + ": Invalid value"
            + " for positional parameter at index 0 (URL): '" + url + "' is not an https://"
            + " URL; pins apply to HTTPS only");
      }
    }
  }

  @Test
  void aCorruptStoreIsOneLineNamingTheFile() throws Exception {
    Path store = Files.writeString(dir.resolve("pins.json"), "{\"format\": \"hpkp-pin-store/1\","
        + " \"hosts\": [{\"host\": \"a\"");

    Cli list = Cli.run("pin-store", "list", "--pin-store", store.toString());

    assertThat(list.exit()).isEqualTo(2);
    assertThat(list.err()).startsWith("hpkp pin-store list: pin store " + store + " cannot be"
        + " read: it is not valid JSON").hasLineCount(1);
  }

  @Test
  void exportWritesEachFormatFromOnePolicy() throws Exception {
    Path chain = SITE.writeChainPem(dir.resolve("chain.pem"));
    String leaf = SITE.leafPin().toString();
    String backup = SITE.backupPin().toString();

    Cli okhttp = Cli.run("export", "--chain", chain.toString(), "--backup", backup, "--format",
        "okhttp", "--include-subdomains");
    assertThat(okhttp.out()).contains("CertificatePinner certificatePinner = new"
        + " CertificatePinner.Builder()\n    .add(\"**.localhost\", \"" + leaf + "\")\n"
        + "    .add(\"**.localhost\", \"" + backup + "\")\n    .build();\n",
        "val certificatePinner = CertificatePinner.Builder()\n");

    Cli android = Cli.run("export", "--chain", chain.toString(), "--backup", backup, "--format",
        "android-nsc", "--host", "www.example.com");
    assertThat(android.out()).contains("<domain includeSubdomains=\"false\">www.example.com"
        + "</domain>\n    <pin-set expiration=\"" + LocalDate.ofInstant(
            SITE.leaf().getNotAfter().toInstant(), ZoneOffset.UTC) + "\">\n      <pin"
        + " digest=\"SHA-256\">" + SITE.leafPin().base64() + "</pin>\n");

    Cli properties = Cli.run("export", "--chain", chain.toString(), "--backup", backup,
        "--format", "properties");
    assertThat(properties.out()).contains("host = localhost\n", "pins = " + leaf + " " + backup
        + "\n");

    Cli inChain = Cli.run("export", "--chain", chain.toString(), "--backup",
        SITE.intermediatePin().toString(), "--format", "okhttp");
    assertThat(inChain.exit()).isEqualTo(2);
    assertThat(inChain.err()).startsWith("hpkp export: --backup: " + SITE.intermediatePin()
        + " matches the intermediate certificate").hasLineCount(1);
  }
}
