package dev.hpkp.policy;

/** Host names as RFC 7469 §2.5 uses them: names, never addresses. */
public final class HostNames {

  private HostNames() {}

  /**
   * True for every spelling of an IP address, for which no pin is noted and no host watched
   * (RFC 7469 §2.5 names hosts): an IPv6 literal (any form: it holds a colon), and any host
   * whose last label is a number — decimal, octal ({@code 0177}) or hex ({@code 0x7f}) — which
   * the WHATWG URL standard, as browsers and {@code inet_aton} do, reads as IPv4 in one to four
   * parts ({@code 2130706433}, {@code 127.1}, {@code 0177.0.0.1}), or rejects as a host
   * altogether.
   */
  public static boolean isIpAddress(String host) {
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
}
