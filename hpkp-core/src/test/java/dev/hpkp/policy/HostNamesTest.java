package dev.hpkp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Is this an IP address", in core where the rule lives (the client and the watch use it). */
class HostNamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "127.0.0.1, true", "127.1, true", "2130706433, true", "0x7f.1, true", "0177.0.0.1, true",
      "0X7F.0.0.1, true", "::1, true", "[::1], true", "2001:db8::1, true", "1.2.3.4., true",
      "shop.example, false", "shop.example., false", "localhost, false", "1.example, false",
      "0x.example, false", "example.0xg, false", "a.b.c, false"})
  void everySpellingOfAnAddressAndNoName(String host, boolean address) {
    assertThat(HostNames.isIpAddress(host)).isEqualTo(address);
  }
}
