package dev.hpkp.cli;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code hpkp export} for mobile apps, the clients that pin today: iOS's App Transport Security
 * pins ({@code NSPinnedDomains}, iOS 14+), TrustKit's configuration for iOS ({@code
 * TSKConfiguration}) and for Android ({@code network_security_config.xml} with {@code
 * <trustkit-config>}). Every pin of the policy, in use and backup, goes in; the expiry is the
 * leaf's, as for Android's own pin-set.
 */
final class MobileExports {

  private static final String PLIST_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\""
      + " \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">";

  private MobileExports() {}

  /**
   * The Info.plist keys. Apple checks NSPinnedLeafIdentities against the leaf's key and
   * NSPinnedCAIdentities against the CA certificates of the chain, and a domain that has both
   * must match one of each: stricter than the policy, whose clients accept any one pin. So only
   * one of the two is written: CA identities when a pin in use is a CA's key of the served chain
   * (a backup key, for a leaf, then never matches a CA, and does no harm), leaf identities
   * otherwise.
   */
  static void iosAts(PrintWriter out, String host, boolean includeSubDomains, PinPolicy policy,
      List<ChainCertificate> served) {
    boolean caPinned = policy.pins().stream().anyMatch(pin -> served.stream().anyMatch(
        c -> c.pin().equals(pin) && c.role() != ChainCertificate.Role.LEAF));
    String key = caPinned ? "NSPinnedCAIdentities" : "NSPinnedLeafIdentities";
    out.println(PLIST_HEAD);
    out.println("<!-- Info.plist: App Transport Security pins for " + host + " (iOS 14+,"
        + " macOS 11+), from 'hpkp export'. Apple requires a match in each of"
        + " NSPinnedLeafIdentities and NSPinnedCAIdentities when a domain has both, which is"
        + " stricter than this policy (any one pin): so only " + key + " is written. -->");
    out.println("<dict>");
    out.println("  <key>NSAppTransportSecurity</key>");
    out.println("  <dict>");
    out.println("    <key>NSPinnedDomains</key>");
    out.println("    <dict>");
    out.println("      <key>" + host + "</key>");
    out.println("      <dict>");
    out.println("        <key>NSIncludesSubdomains</key>");
    out.println("        <" + includeSubDomains + "/>");
    out.println("        <key>" + key + "</key>");
    out.println("        <array>");
    for (Pin pin : policy.allPins()) {
      out.println("          <dict>");
      out.println("            <key>SPKI-SHA256-BASE64</key>");
      out.println("            <string>" + pin.base64() + "</string>");
      out.println("          </dict>");
    }
    out.println("        </array>");
    out.println("      </dict>");
    out.println("    </dict>");
    out.println("  </dict>");
    out.println("</dict>");
    out.println("</plist>");
  }

  /** TrustKit for iOS: {@code TSKConfiguration} as an Info.plist entry. */
  static void trustKitIos(PrintWriter out, String host, boolean includeSubDomains,
      List<Pin> all, LocalDate expires, boolean enforce, String reportUri) {
    requireTwo(all);
    out.println(PLIST_HEAD);
    out.println("<!-- Info.plist: TrustKit's configuration for " + host + ", from 'hpkp"
        + " export'. The pins expire with the leaf certificate (TSKExpirationDate), after which"
        + " TrustKit stops pinning instead of failing. -->");
    out.println("<dict>");
    out.println("  <key>TSKConfiguration</key>");
    out.println("  <dict>");
    out.println("    <key>TSKPinnedDomains</key>");
    out.println("    <dict>");
    out.println("      <key>" + host + "</key>");
    out.println("      <dict>");
    out.println("        <key>TSKPublicKeyHashes</key>");
    out.println("        <array>");
    for (Pin pin : all) {
      out.println("          <string>" + pin.base64() + "</string>");
    }
    out.println("        </array>");
    out.println("        <key>TSKIncludeSubdomains</key>");
    out.println("        <" + includeSubDomains + "/>");
    out.println("        <key>TSKEnforcePinning</key>");
    out.println("        <" + enforce + "/>");
    if (reportUri != null) {
      out.println("        <key>TSKReportUris</key>");
      out.println("        <array>");
      out.println("          <string>" + xml(reportUri) + "</string>");
      out.println("        </array>");
      out.println("        <key>TSKDisableDefaultReportUri</key>");
      out.println("        <true/>");
    }
    out.println("        <key>TSKExpirationDate</key>");
    out.println("        <string>" + expires + "</string>");
    out.println("      </dict>");
    out.println("    </dict>");
    out.println("  </dict>");
    out.println("</dict>");
    out.println("</plist>");
  }

  /**
   * Android's network_security_config.xml: the domain and a pin-set that expires with the leaf;
   * with {@code trustkit}, TrustKit-Android's {@code <trustkit-config>} too.
   */
  static void androidNsc(PrintWriter out, String host, boolean includeSubDomains, List<Pin> all,
      LocalDate expires, TrustKit trustkit) {
    out.println("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    out.println("<!-- res/xml/network_security_config.xml" + (trustkit == null ? ""
        : " for TrustKit-Android") + ", from 'hpkp export'. The pin-set expires with the leaf"
        + " certificate: after that the app trusts the CA alone. -->");
    out.println("<network-security-config>");
    out.println("  <domain-config>");
    out.println("    <domain includeSubdomains=\"" + includeSubDomains + "\">" + host
        + "</domain>");
    out.println("    <pin-set expiration=\"" + expires + "\">");
    for (Pin pin : all) {
      out.println("      <pin digest=\"SHA-256\">" + pin.base64() + "</pin>");
    }
    out.println("    </pin-set>");
    if (trustkit != null) {
      requireTwo(all);
      out.println("    <trustkit-config enforcePinning=\"" + trustkit.enforce() + "\""
          + (trustkit.reportUri() != null ? " disableDefaultReportUri=\"true\">" : ">"));
      if (trustkit.reportUri() != null) {
        out.println("      <report-uri>" + xml(trustkit.reportUri()) + "</report-uri>");
      }
      out.println("    </trustkit-config>");
    }
    out.println("  </domain-config>");
    out.println("</network-security-config>");
  }

  /** TrustKit's settings beside the pins: whether it blocks, and where it reports. */
  record TrustKit(boolean enforce, String reportUri) {}

  /** {@code text} as XML character data ({@code &} in a URL's query, above all). */
  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** TrustKit refuses a domain with fewer than two pins; so does the export. */
  private static void requireTwo(List<Pin> all) {
    if (all.size() < 2) {
      throw new UsageException("TrustKit refuses a domain with fewer than two pins; give a"
          + " --backup pin beside the key in use");
    }
  }
}
