package dev.hpkp.client;

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

  /**
   * True for every spelling of an IP address, never noted (RFC 7469 §2.5 names hosts, not
   * addresses): an IPv6 literal (any form: it holds a colon), and any host whose last label is a
   * number — decimal, octal ({@code 0177}) or hex ({@code 0x7f}) — which the WHATWG URL
   * standard, as browsers and {@code inet_aton} do, reads as IPv4 in one to four parts
   * ({@code 2130706433}, {@code 127.1}, {@code 0177.0.0.1}), or rejects as a host altogether.
   */
  static boolean isIpAddress(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return last.length() >= 2 && last.charAt(0) == '0'
        && (last.charAt(1) == 'x' || last.charAt(1) == 'X')
        && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128);
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
