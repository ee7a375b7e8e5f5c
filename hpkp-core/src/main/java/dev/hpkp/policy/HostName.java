package dev.hpkp.policy;

import dev.hpkp.text.Printable;
import java.net.IDN;
import java.util.Locale;

/**
 * A host name as RFC 7469 §2.5 uses it — a name, never an address — and the one home of every
 * rule about host names in this library: how a name is normalised ({@link #normalize}), what an
 * IP address looks like ({@link #isIpAddress}), whether a certificate's name covers a host
 * ({@link #covers}), and what a valid host name is ({@link #of}). The client's pin store, the
 * CT watch, the policy's report-uri check and the certificates' names all use these.
 *
 * @param value ASCII (IDNs in their xn-- form), lower case, without a trailing dot
 */
public record HostName(String value) {

  /** The longest host name: DNS's limit. */
  public static final int MAX_LENGTH = 253;

  /** {@code value} checked and normalised as {@link #of} does. */
  public HostName {
    value = checked(value);
  }

  /**
   * {@code text} as a host name: stripped, Unicode labels to their ASCII (xn--) form, lower
   * case, one trailing dot removed; at most {@link #MAX_LENGTH} characters, no empty label, no
   * wildcard, no address.
   *
   * @throws IllegalArgumentException saying why, in words
   */
  public static HostName of(String text) {
    return new HostName(text);
  }

  private static String checked(String text) {
    String ascii;
    try {
      ascii = IDN.toASCII(text.strip(), IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + Printable.escape(text)
          + "' is not a host name (" + Printable.message(e.getMessage()) + ")");
    }
    String name = normalize(ascii);
    if (name.isEmpty() || name.length() > MAX_LENGTH || name.startsWith(".")
        || name.contains("..") || name.endsWith(".") || name.startsWith("*")) {
      throw new IllegalArgumentException("'" + Printable.escape(text)
          + "' is not a host name; write it as certificates name it, e.g. shop.example");
    }
    if (isIpAddress(name)) {
      throw new IllegalArgumentException("'" + name + "' is an IP address; pins and CT"
          + " watching are for host names");
    }
    return name;
  }

  /**
   * The form names are compared in, for a name that may not be valid (a lookup, a certificate's
   * name): stripped, without IPv6 brackets, one trailing dot removed, ASCII lower case. {@code
   * WWW.Example.COM.} → {@code www.example.com}; {@code [::1]} → {@code ::1}.
   */
  public static String normalize(String name) {
    String h = name.strip();
    if (h.length() >= 2 && h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.toLowerCase(Locale.ROOT);
  }

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

  /**
   * Whether a certificate naming {@code certificateName} is one for {@code host} (both compared
   * normalised): the host itself; a wildcard one label above it ({@code *.shop.example} covers
   * {@code www.shop.example}, not {@code a.www.shop.example} nor {@code shop.example}); and,
   * when {@code includeSubDomains}, any name below the host, wildcards included. Never a
   * substring: {@code shop.example.evil.test} and {@code notshop.example} are not {@code
   * shop.example}.
   */
  public static boolean covers(String certificateName, String host, boolean includeSubDomains) {
    String name = normalize(certificateName);
    String h = normalize(host);
    if (name.equals(h)) {
      return true;
    }
    if (includeSubDomains && name.endsWith("." + h)) {
      return true; // a subdomain, or a wildcard for subdomains of the host
    }
    if (name.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot + 1).equals(name.substring(2));
    }
    return false;
  }

  /** {@link #covers(String, String, boolean)} for this host. */
  public boolean coveredBy(String certificateName, boolean includeSubDomains) {
    return covers(certificateName, value, includeSubDomains);
  }

  /** The parent domain ({@code a.b.c} → {@code b.c}), or null for a single label. */
  public static String parent(String host) {
    int dot = host.indexOf('.');
    return dot < 0 || dot == host.length() - 1 ? null : host.substring(dot + 1);
  }

  @Override
  public String toString() {
    return value;
  }
}
