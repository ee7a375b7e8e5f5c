package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.PinPolicy;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchedHostTest {

  private static final TestCa CA = new TestCa("Watched CA");

  private static PinPolicy policyFor(java.security.cert.X509Certificate leaf, KeyPair key) {
    return PinPolicy.builder().pins(TestCa.pin(key)).backupPins(TestCa.pin(TestCa.key()),
        TestCa.pin(TestCa.key())).reportOnly(false)
        .servedChain(KeyMaterial.toChain(List.of(leaf, CA.intermediate, CA.root))).build();
  }

  @Test
  void theHostsOfAServedLeafAreItsDnsNamesElseItsCommonNameAsForLoggedCertificates() {
    KeyPair key = TestCa.key();
    assertThat(WatchedHost.of(policyFor(CA.leaf(key, "shop.example", "www.shop.example"), key),
        List.of())).extracting(WatchedHost::host)
        .containsExactly("shop.example", "www.shop.example");

    KeyPair cnOnly = TestCa.key();
    assertThat(WatchedHost.of(policyFor(CA.leafWithoutSan(cnOnly, "Legacy.Example."), cnOnly),
        List.of())).extracting(WatchedHost::host).containsExactly("legacy.example");
  }

  @Test
  void commonNamesOfAnRfc2253Subject() {
    assertThat(WatchedHost.commonNames("CN=a.example,O=Example\\, Inc.,C=DE"))
        .containsExactly("a.example");
    assertThat(WatchedHost.commonNames("O=No CN")).isEmpty();
    assertThat(WatchedHost.commonNames("not a name")).isEmpty();
  }
}
