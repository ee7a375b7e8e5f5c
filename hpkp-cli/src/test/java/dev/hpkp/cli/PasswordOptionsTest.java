package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command that reads a keystore takes its password the same way (#14 item 4). */
class PasswordOptionsTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final String OTHER = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

  @TempDir
  static Path dir;
  static Path keystore;
  static Path right;
  static Path wrong;

  @BeforeAll
  static void files() throws Exception {
    keystore = PKI.writeKeystore(dir.resolve("server.p12"), "web");
    right = Files.writeString(dir.resolve("right.txt"), "changeit\n");
    wrong = Files.writeString(dir.resolve("wrong.txt"), "not-it\n");
  }

  /** A command reading {@code keystore}, with the password options appended at the end. */
  static Stream<List<String>> commands() {
    String ks = dir.resolve("server.p12").toString();
    return Stream.of(
        List.of("pin", ks),
        List.of("lint", "--chain", ks, "max-age=600; pin-sha256=\"" + PKI.leafPin().base64()
            + "\"; pin-sha256=\"" + OTHER.substring(7) + "\""),
        List.of("plan", "--chain", ks, "--max-age", "10d", "--today", "2026-01-01"),
        List.of("header", "--pin", PKI.leafPin().toString(), "--backup", OTHER, "--chain", ks,
            "--enforce"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void withoutAPasswordTheErrorNamesBothOptions(List<String> command) {
    Cli cli = Cli.run(command.toArray(String[]::new));

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString()
        .isEqualTo("hpkp " + command.get(0) + ": " + keystore + " is a PKCS12 keystore and shows"
            + " no certificate without its password; give it with --password-env VAR or"
            + " --password-file FILE (there is no terminal to prompt on)");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void aPasswordFileOpensTheKeystore(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.add(1, "--password-file");
    args.add(2, right.toString());
    Cli cli = Cli.run(args.toArray(String[]::new));

    assertThat(cli.err()).doesNotContain("password", "keystore");
    assertThat(cli.exit()).isNotEqualTo(2);
    assertThat(cli.out()).contains(command.get(0).equals("header") ? "Public-Key-Pins"
        : PKI.leafPin().base64());
  }

  @ParameterizedTest
  @MethodSource("commands")
  void aWrongPasswordSaysWhereItCameFrom(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.add(1, "--password-file");
    args.add(2, wrong.toString());
    Cli cli = Cli.run(args.toArray(String[]::new));

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err().lines().findFirst()).get().asString()
        .startsWith("hpkp " + command.get(0) + ": ")
        .endsWith("(the password came from --password-file " + wrong + ")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pin", "header", "lint", "plan", "backup-key"})
  void everyCommandWithKeysHasTheSameFamily(String command) {
    Cli help = Cli.run(command, "--help");

    assertThat(help.out()).contains("--password-env=VAR", "--password-file=FILE")
        .doesNotContain("passphrase", "chain-password");
  }
}
