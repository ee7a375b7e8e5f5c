package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.HostName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client's host names through core's one rule ({@link HostName}). */
class HostsTest {

  @ParameterizedTest
  @CsvSource({"127.0.0.1,true", "0.0.0.0,true", "255.255.255.255,true", "::1,true",
      "fe80::1%eth0,true", "::ffff:127.0.0.1,true", "0:0:0:0:0:0:0:1,true",
      // the WHATWG / inet_aton spellings of 127.0.0.1: one to four parts, octal and hex
      "2130706433,true", "127.1,true", "127.0.1,true", "0177.0.0.1,true", "0x7f.0.0.1,true",
      "0x7F000001,true", "0x7f.1,true", "017700000001,true", "127.0.0.1.,true",
      // ends in a number but is no valid IPv4: browsers refuse the host, so no pin either
      "256.1.1.1,true", "1.2.3.4.5,true", "1.2.3.0004,true", "1..2.3,true", "example.123,true",
      "1e1.2.3.4,true", "0x,true",
      // names
      "a.b.c.d,false", "example.com,false", "1.2.3.4a,false", "'',false", "localhost,false",
      "0xg.example,false", "x.0x7g,false", "123.example,false", "shop.example.,false",
      "١٢٣,false"})
  void ipAddressesAreTold(String host, boolean ip) {
    assertThat(HostName.isIpAddress(host)).isEqualTo(ip);
  }

  @ParameterizedTest
  @CsvSource({"WWW.Example.COM.,www.example.com", "[::1],::1", "' localhost ',localhost",
      "example.com..,example.com."})
  void namesAreNormalized(String host, String normalized) {
    assertThat(HostName.normalize(host)).isEqualTo(normalized);
  }
}
