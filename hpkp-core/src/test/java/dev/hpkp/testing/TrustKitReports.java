package dev.hpkp.testing;

import dev.hpkp.policy.Pin;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pin-failure reports shaped exactly as TrustKit writes them, field by field, read from its
 * sources: {@code TSKPinFailureReport.m} (iOS 3.x: NSJSONSerialization, which escapes {@code /}
 * as {@code \/}; no served chain; {@code known-pins-expiration-date} a day or null; dates in
 * {@code yyyy-MM-dd'T'HH:mm:ss'Z'}) and {@code PinningFailureReport.java} (TrustKit-Android 1.x:
 * org.json, which escapes {@code /} too; port 0; both chains; {@code date-time} in {@code
 * yyyy-MM-dd'T'HH:mm:ssZ}, i.e. {@code +0000}; PEMs as Android's Base64.DEFAULT writes them).
 */
public final class TrustKitReports {

  private TrustKitReports() {}

  /** A report from TrustKit for iOS about {@code validated}, which no known pin matches. */
  public static String ios(String hostname, int port, List<X509Certificate> validated,
      List<Pin> knownPins, String knownPinsExpirationDay) {
    return "{\"app-bundle-id\":\"com.example.shop\",\"app-version\":\"4.2\","
        + "\"app-platform\":\"IOS\",\"app-platform-version\":\"17.4.1\","
        + "\"app-vendor-id\":\"8C2A4D6E-1F3B-4A5C-9D7E-0B1C2D3E4F50\","
        + "\"trustkit-version\":\"3.0.4\",\"date-time\":\"2026-12-06T05:23:25Z\","
        + "\"hostname\":\"" + hostname + "\",\"port\":" + port + ","
        + "\"noted-hostname\":\"" + hostname + "\",\"include-subdomains\":false,"
        + "\"enforce-pinning\":true,"
        + "\"validated-certificate-chain\":[" + pems(validated, false) + "],"
        + "\"known-pins\":[" + pins(knownPins) + "],\"validation-result\":1,"
        + "\"known-pins-expiration-date\":"
        + (knownPinsExpirationDay == null ? "null" : "\"" + knownPinsExpirationDay + "\"")
        + "}";
  }

  /** A report from TrustKit-Android about {@code served} and {@code validated}. */
  public static String android(String hostname, List<X509Certificate> served,
      List<X509Certificate> validated, List<Pin> knownPins) {
    return "{\"app-bundle-id\":\"com.example.shop\",\"app-version\":\"42\","
        + "\"app-vendor-id\":\"5f3c1e2a-8b7d-4c6e-9a0f-1b2c3d4e5f60\","
        + "\"app-platform\":\"ANDROID\",\"trustkit-version\":\"1.1.5\","
        + "\"hostname\":\"" + hostname + "\",\"port\":0,"
        + "\"noted-hostname\":\"" + hostname + "\",\"include-subdomains\":true,"
        + "\"enforce-pinning\":false,\"validation-result\":1,"
        + "\"date-time\":\"2026-12-06T05:23:25+0000\","
        + "\"validated-certificate-chain\":[" + pems(validated, true) + "],"
        + "\"served-certificate-chain\":[" + pems(served, true) + "],"
        + "\"known-pins\":[" + pins(knownPins) + "]}";
  }

  private static String pins(List<Pin> pins) {
    return pins.stream().map(p -> "\"pin-sha256=\\\"" + p.base64().replace("/", "\\/")
        + "\\\"\"").collect(Collectors.joining(","));
  }

  /** PEMs as JSON strings, {@code /} escaped; Android's Base64.DEFAULT: 76 columns. */
  private static String pems(List<X509Certificate> certificates, boolean android) {
    return certificates.stream().map(c -> {
      String base64;
      try {
        base64 = android ? Base64.getMimeEncoder(76, new byte[] {'\n'})
            .encodeToString(c.getEncoded()) + "\n" : Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(c.getEncoded()) + "\n";
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
      String pem = "-----BEGIN CERTIFICATE-----\n" + base64 + "-----END CERTIFICATE-----\n";
      return "\"" + pem.replace("\n", "\\n").replace("/", "\\/") + "\"";
    }).collect(Collectors.joining(","));
  }
}
