package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostsTest {

  @ParameterizedTest
  @CsvSource({"127.0.0.1,true", "0.0.0.0,true", "255.255.255.255,true", "::1,true",
      "fe80::1%eth0,true", "256.1.1.1,false", "1.2.3,false", "1..2.3,false", "1.2.3.4.5,false",
      "1.2.3.0004,false", "a.b.c.d,false", "example.com,false", "1.2.3.4a,false", "'',false",
      "1e1.2.3.4,false", "localhost,false"})
  void ipAddressesAreTold(String host, boolean ip) {
    assertThat(Hosts.isIpAddress(host)).isEqualTo(ip);
  }

  @ParameterizedTest
  @CsvSource({"WWW.Example.COM.,www.example.com", "[::1],::1", "' localhost ',localhost",
      "example.com..,example.com"})
  void namesAreNormalized(String host, String normalized) {
    assertThat(Hosts.normalize(host)).isEqualTo(normalized);
  }
}
