package dev.hpkp.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * A report-uri that passed the INVALID_REPORT_URI rule, with the host a URL parser sees in it
 * ({@link URI#getHost()} is null for hosts with '_', which browsers accept).
 */
record ReportUri(URI uri, String host) {

  /**
   * INVALID_REPORT_URI: an absolute http or https URL with a host, read the way a browser's URL
   * parser reads the authority (a host label may hold '_' or start with '-'; a port is at most
   * 65535; no user information, which every response would publish). Null after a finding.
   */
  static ReportUri parse(String text, List<Finding> findings) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\' || c <= 0x20 || c >= 0x7f) {
        findings.add(Finding.of(Rule.INVALID_REPORT_URI, text, "'" + text + "' contains "
            + (c == '"' ? "a double quote" : c == '\\' ? "a backslash"
            : c == ' ' ? "a space" : c > 0x7f ? "the non-ASCII character '" + c + "'"
            : String.format(Locale.ROOT, "the control character U+%04X", (int) c))
            + " at index " + i + ", which cannot stand in the quoted report-uri directive",
            "percent-encode it"));
        return null;
      }
    }
    int separator = text.indexOf("://");
    String scheme = separator < 0 ? "" : text.substring(0, separator).toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return invalid(text, "is not an absolute http or https URI with a host", "use one such as"
          + " https://reports.example.net/hpkp", findings);
    }
    String rest = text.substring(separator + 3);
    int end = 0;
    while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String authority = rest.substring(0, end);
    if (authority.indexOf('@') >= 0) {
      return invalid(text, "carries user information ('" + authority.substring(0,
          authority.lastIndexOf('@') + 1) + "'), which every response would publish", "remove"
          + " it and protect the collector another way", findings);
    }
    String host = authority;
    String port = null;
    int colon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']'))
        : authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.substring(0, colon);
      port = authority.substring(colon + 1);
    }
    String bad = host.isEmpty() ? "has no host"
        : host.startsWith("[") ? (host.matches("\\[[0-9A-Fa-f:.]+]") ? null
            : "has a malformed IPv6 address " + host)
        : host.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 0x80
            || "-._~!$&'()*+,;=".indexOf(c) >= 0) ? null
        : "has a host '" + host + "' with a character a URL host cannot hold";
    if (bad == null && port != null && !port.isEmpty()) {
      bad = !port.chars().allMatch(c -> c >= '0' && c <= '9') ? "has a port '" + port
          + "' that is not a number"
          : port.length() > 5 || Integer.parseInt(port) > 65_535 ? "has the port " + port
          + ", above 65535" : null;
    }
    if (bad != null) {
      return invalid(text, bad, "use one such as https://reports.example.net/hpkp", findings);
    }
    try {
      return new ReportUri(new URI(text), HostName.normalize(host));
    } catch (URISyntaxException e) {
      return invalid(text, "is not a valid URI (" + e.getReason() + " at index " + e.getIndex()
          + ")", "percent-encode that character", findings);
    }
  }

  private static ReportUri invalid(String text, String what, String fix,
      List<Finding> findings) {
    findings.add(Finding.of(Rule.INVALID_REPORT_URI, text, "'" + text + "' " + what, fix));
    return null;
  }
}
