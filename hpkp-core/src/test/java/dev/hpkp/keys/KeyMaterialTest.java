package dev.hpkp.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainCertificate.Role;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyMaterial} with the JDK alone, in core where it lives: chains, keystores, and what
 * it says about files it cannot read. CSRs and private keys are tested in
 * hpkp-keys-bouncycastle, which reads them.
 */
class KeyMaterialTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  @Test
  void readsAPemChainLeafFirstWithRolesAndDnsNames() throws Exception {
    Path file = PKI.writeChainPem(dir.resolve("fullchain.pem"));

    List<ChainCertificate> chain =
        KeyMaterial.readServedChain(Files.readAllBytes(file), file.toString(), null, null);

    assertThat(chain).extracting(ChainCertificate::role)
        .containsExactly(Role.LEAF, Role.INTERMEDIATE, Role.ROOT);
    assertThat(chain).extracting(ChainCertificate::pin)
        .containsExactly(PKI.leafPin(), PKI.intermediatePin(), PKI.rootPin());
    assertThat(chain.get(0).subject()).isEqualTo("CN=localhost");
    assertThat(chain.get(0).issuer()).isEqualTo("CN=HPKP Test Intermediate,O=hpkp-filter tests");
    assertThat(chain.get(0).dnsNames()).containsExactly("localhost");
    assertThat(chain.get(0).describe())
        .isEqualTo("the leaf certificate CN=localhost (position 0 of the served chain)");
  }

  @Test
  void readsTheChainOfAKeystoreEntry() throws Exception {
    Path file = PKI.writeKeystore(dir.resolve("server.p12"), "tomcat");

    List<ChainCertificate> chain = KeyMaterial.readServedChain(Files.readAllBytes(file),
        file.toString(), TestPki.PASSWORD, null);

    assertThat(chain).extracting(ChainCertificate::pin)
        .containsExactly(PKI.leafPin(), PKI.intermediatePin(), PKI.rootPin());
  }

  @Test
  void wrongKeystorePasswordHasItsOwnMessage() throws Exception {
    Path file = PKI.writeKeystore(dir.resolve("server.p12"), "tomcat");

    assertThatThrownBy(() -> KeyMaterial.readServedChain(Files.readAllBytes(file),
        file.toString(), "wrong".toCharArray(), null))
        .isInstanceOfSatisfying(KeyMaterialException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.WRONG_PASSWORD))
        .hasMessage(file + ": wrong password (the key material did not decrypt with the"
            + " password given); check the password setting");
  }

  @Test
  void unknownAliasListsTheKeyEntries() throws Exception {
    Path file = PKI.writeKeystore(dir.resolve("server.p12"), "tomcat");

    assertThatThrownBy(() -> KeyMaterial.readServedChain(Files.readAllBytes(file),
        file.toString(), TestPki.PASSWORD, "jetty"))
        .hasMessage(file + ": the PKCS12 keystore has no key entry with alias 'jetty'; its key"
            + " entries are [tomcat]");
  }

  @Test
  void missingEmptyAndGarbageFilesNameThePath() throws Exception {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> KeyMaterial.read(missing, null))
        .hasMessageStartingWith(missing + " does not exist; check the path");

    Path empty = Files.writeString(dir.resolve("empty.pem"), "\n");
    assertThatThrownBy(() -> KeyMaterial.read(empty, null))
        .hasMessage(empty + " is empty; expected a certificate, chain, CSR, public or private key"
            + " (PEM or DER), or a PKCS#12/JKS/JCEKS keystore");

    Path text = Files.writeString(dir.resolve("notes.txt"), "hello, not a key");
    assertThatThrownBy(() -> KeyMaterial.read(text, null))
        .isInstanceOfSatisfying(KeyMaterialException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyMaterialException.Reason.UNSUPPORTED))
        .hasMessageStartingWith(text + " is neither PEM nor DER key material");
  }

  @Test
  void damagedPemBlockIsReported() throws Exception {
    String pem = TestPki.pem(PKI.leaf());
    String damaged = pem.substring(0, 60) + "!!!!" + pem.substring(64);
    assertThatThrownBy(() -> KeyMaterial.read(damaged.getBytes(StandardCharsets.US_ASCII),
        "leaf.pem", null))
        .hasMessageStartingWith("leaf.pem: ");
  }

  @Test
  void concatenatedDerCertificatesAreAChain() throws Exception {
    byte[] leaf = PKI.leaf().getEncoded();
    byte[] intermediate = PKI.intermediate().getEncoded();
    byte[] both = new byte[leaf.length + intermediate.length];
    System.arraycopy(leaf, 0, both, 0, leaf.length);
    System.arraycopy(intermediate, 0, both, leaf.length, intermediate.length);

    List<ChainCertificate> chain = KeyMaterial.readServedChain(both, "chain.der", null, null);

    assertThat(chain).extracting(ChainCertificate::pin)
        .containsExactly(PKI.leafPin(), PKI.intermediatePin());
  }

  @Test
  void pkcs12WithoutPasswordAsksForIt() throws Exception {
    Path file = PKI.writeKeystore(dir.resolve("server.p12"), "tomcat");
    assertThatThrownBy(() -> KeyMaterial.read(file, null))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason())
            .isEqualTo(KeyMaterialException.Reason.PASSWORD_REQUIRED))
        .hasMessage(file + " is a PKCS12 keystore and shows no certificate without its"
            + " password; set the password");
    assertThat(KeyMaterial.read(file, TestPki.PASSWORD)).extracting(KeyEntry::pin)
        .containsExactly(PKI.leafPin(), PKI.intermediatePin(), PKI.rootPin());
  }
}
