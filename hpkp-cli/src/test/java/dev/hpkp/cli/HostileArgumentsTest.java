package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command with hostile values — huge numbers, NUL, non-ASCII digits, CR/LF, missing files,
 * closed ports — ends in exit 2 and one line on stderr that names the command: never a stack
 * trace, never the whole usage.
 */
class HostileArgumentsTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir static Path dir;
  static String chain;
  static String closedPort;

  @BeforeAll
  static void files() throws Exception {
    chain = PKI.writeChainPem(dir.resolve("fullchain.pem")).toString();
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = String.valueOf(socket.getLocalPort());
    }
  }

  static Stream<List<String>> hostile() {
    String leaf = PKI.leafPin().toString();
    String b1 = PKI.backupPin().toString();
    String b2 = PKI.secondBackupPin().toString();
    List<List<String>> cases = new ArrayList<>();
    for (String maxAge : new String[] {"99999999999999999999", "-1", "\u0663", "\uff16\uff10",
        "60x", "6\u00000", "d"}) {
      cases.add(List.of("header", "--pin", leaf, "--backup", b1, "--backup", b2, "--chain", chain,
          "--max-age", maxAge));
      cases.add(List.of("plan", "--chain", chain, "--backup", chain, "--max-age", maxAge));
    }
    cases.add(List.of("header", "--pin", "sha256/\u0000", "--backup", b1, "--chain", chain));
    cases.add(List.of("header", "--pin", leaf, "--backup", b1, "--backup", b2, "--chain", chain,
        "--report-uri", "https://r.example/\r\nX-Evil: 1"));
    cases.add(List.of("header", "--pin", leaf, "--backup", b1, "--backup", b2, "--chain",
        dir + "/missing\u0000.pem"));
    cases.add(List.of("pin", dir.resolve("missing.pem").toString()));
    cases.add(List.of("pin", dir.toString()));
    cases.add(List.of("pin", "--connect", "127.0.0.1:" + closedPort));
    cases.add(List.of("pin", "--connect", "127.0.0.1:99999999999"));
    cases.add(List.of("pin", "--connect", "127.0.0.1:\u0663\u0664\u0663"));
    cases.add(List.of("check", "https://127.0.0.1:" + closedPort + "/"));
    cases.add(List.of("check", "https://127.0.0.1\r\n/"));
    cases.add(List.of("check", "--timeout", "99999999999", "https://127.0.0.1/"));
    cases.add(List.of("check", "http://127.0.0.1:" + closedPort + "/"));
    cases.add(List.of("lint", "--chain", dir.resolve("missing.pem").toString(), "max-age=1"));
    cases.add(List.of("backup-key", "--algorithm", "rsa-\u0663\u0660\u0667\u0662", "--out",
        dir.resolve("k").toString(), "--password-env", "HPKP_TEST_UNSET_VARIABLE"));
    cases.add(List.of("backup-key", "--subject", "CN=\u0000\r\n", "--out",
        dir.resolve("k2").toString(), "--password-env", "HPKP_TEST_UNSET_VARIABLE"));
    cases.add(List.of("reports", "summarize", dir.resolve("missing.jsonl").toString()));
    String store = dir.resolve("pins.json").toString();
    cases.add(List.of("fetch", "http://localhost/", "--pin-store", store));
    cases.add(List.of("fetch", "https://localhost:" + closedPort + "/", "--pin-store", store));
    cases.add(List.of("fetch", "https://localhost/\r\nX: 1", "--pin-store", store));
    cases.add(List.of("fetch", "https://localhost/", "--pin-store", store, "--timeout",
        "\u0663"));
    cases.add(List.of("fetch", "https://localhost/", "--pin-store", store, "--timeout",
        "99999999999999999999"));
    cases.add(List.of("fetch", "https://localhost/", "--pin-store", store, "--timeout", "0"));
    cases.add(List.of("fetch", "https://localhost/", "--pin-store", "a\u0000b"));
    cases.add(List.of("fetch", "https://localhost/", "--pin-store", dir.toString()));
    cases.add(List.of("fetch", "https://localhost:" + closedPort + "/", "--pin-store", store,
        "--trust", chain + ".missing"));
    cases.add(List.of("pin-store", "list", "--pin-store", dir.toString()));
    cases.add(List.of("pin-store", "forget", "--pin-store", store));
    cases.add(List.of("export", "--chain", chain, "--backup", b1, "--format", "nsc"));
    cases.add(List.of("export", "--chain", chain, "--backup", b1, "--format", "okhttp",
        "--host", "evil\r\n.example"));
    cases.add(List.of("export", "--chain", chain, "--backup", leaf, "--format", "okhttp"));
    cases.add(List.of("export", "--chain", chain, "--format", "okhttp"));
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void endsInExitTwoAndOneNamedLine(List<String> args) {
    Cli result = Cli.run(args.toArray(String[]::new));

    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.err().strip().lines()).as(result.toString()).singleElement().asString()
        .startsWith("hpkp " + (args.get(0).equals("reports") ? "reports summarize"
            : args.get(0).equals("pin-store") ? "pin-store " + args.get(1) : args.get(0)))
        .doesNotContain("\tat ", "Exception:", "\u0000", "\r");
    assertThat(result.out()).as(result.toString()).doesNotContain("\tat ", "Exception");
  }
}
