package dev.hpkp.client;

import dev.hpkp.policy.HostNames;
import java.net.InetAddress;
import java.util.Locale;

/** Host names as the pin store keys them. */
final class Hosts {

  private Hosts() {}

  /**
   * Lower case, without IPv6 brackets or a trailing dot: {@code WWW.Example.COM.} → {@code
   * www.example.com}.
   */
  static String normalize(String host) {
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /** See {@link HostNames#isIpAddress}: the one rule, in hpkp-core. */
  static boolean isIpAddress(String host) {
    return HostNames.isIpAddress(host);
  }

  /** The parent domain ({@code a.b.c} → {@code b.c}), or null for a single label. */
  static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 || dot == host.length() - 1 ? null : host.substring(dot + 1);
  }

  /** Loopback, link-local, private (RFC 1918, RFC 4193), shared (RFC 6598), any or multicast. */
  static boolean isLocal(InetAddress address) {
    byte[] bytes = address.getAddress();
    boolean shared = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    return address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isAnyLocalAddress()
        || address.isMulticastAddress() || shared || uniqueLocal;
  }
}
