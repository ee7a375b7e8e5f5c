package dev.hpkp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules about host names, in core where they live (the client, the watch, the policy). */
class HostNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "127.0.0.1, true", "127.1, true", "2130706433, true", "0x7f.1, true", "0177.0.0.1, true",
      "0X7F.0.0.1, true", "::1, true", "[::1], true", "2001:db8::1, true", "1.2.3.4., true",
      "shop.example, false", "shop.example., false", "localhost, false", "1.example, false",
      "0x.example, false", "example.0xg, false", "a.b.c, false"})
  void everySpellingOfAnAddressAndNoName(String host, boolean address) {
    assertThat(HostName.isIpAddress(host)).isEqualTo(address);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"WWW.Example.COM.,www.example.com", "[::1],::1", "' localhost ',localhost",
      "example.com..,example.com.", "[,[", "'',''"})
  void namesAreNormalizedOnce(String host, String normalized) {
    assertThat(HostName.normalize(host)).isEqualTo(normalized);
  }

  @ParameterizedTest(name = "{0} covers {1} (subdomains {2}): {3}")
  @CsvSource({
      "shop.example, shop.example, false, true", "SHOP.example., shop.example, false, true",
      "*.shop.example, www.shop.example, false, true",
      "*.shop.example, a.www.shop.example, false, false",
      "*.shop.example, a.www.shop.example, true, false",
      "*.shop.example, shop.example, false, false", "*.shop.example, shop.example, true, true",
      "www.shop.example, shop.example, false, false", "www.shop.example, shop.example, true, true",
      "shop.example.evil.test, shop.example, true, false",
      "notshop.example, shop.example, true, false", "*.example, .example, false, false"})
  void oneRuleForANameCoveringAHost(String name, String host, boolean subdomains,
      boolean covers) {
    assertThat(HostName.covers(name, host, subdomains)).isEqualTo(covers);
  }

  @Test
  void aHostNameIsCheckedOnceAndNamedInItsNormalForm() {
    assertThat(HostName.of(" Bücher.Example. ").value()).isEqualTo("xn--bcher-kva.example");
    assertThat(new HostName("WWW.shop.example")).isEqualTo(HostName.of("www.shop.example"));
    for (String bad : List.of("", ".", "a..b", "*.shop.example", "shop example", "a\u0000b",
        "x".repeat(254), "a.b..")) {
      assertThatThrownBy(() -> HostName.of(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a host"
              + " name").message().doesNotContain("\u0000");
    }
    assertThatThrownBy(() -> HostName.of("0x7f.1")).hasMessage("'0x7f.1' is an IP address;"
        + " pins and CT watching are for host names");
  }
}
