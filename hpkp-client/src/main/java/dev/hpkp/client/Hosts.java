package dev.hpkp.client;

import java.util.Locale;

/** Host names as the pin store keys them. */
final class Hosts {

  private Hosts() {}

  /** Lower case, without IPv6 brackets or a trailing dot: {@code WWW.Example.COM.} → {@code www.example.com}. */
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

  /** IPv4 dotted quads and IPv6 literals: never noted (RFC 7469 §2.5 names hosts, not addresses). */
  static boolean isIpAddress(String host) {
    if (host.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
        value = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
        value = value * 10 + (c - '0');
        if (value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  /** The parent domain ({@code a.b.c} → {@code b.c}), or null for a single label. */
  static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 || dot == host.length() - 1 ? null : host.substring(dot + 1);
  }
}
