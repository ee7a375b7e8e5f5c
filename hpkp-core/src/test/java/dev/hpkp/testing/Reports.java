package dev.hpkp.testing;

import dev.hpkp.policy.Pin;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

/** RFC 7469 §3 report bodies, shaped like the RFC's example, with generated certificates. */
public final class Reports {

  private Reports() {}

  /** A complete, valid report for {@code hostname}. */
  public static String valid(String hostname, List<X509Certificate> served,
      List<X509Certificate> validated, List<Pin> knownPins) {
    return at(hostname, 443, "example.com", java.time.Instant.parse("2014-04-06T13:00:50Z"),
        java.time.Instant.parse("2014-05-01T12:40:50Z"), served, validated, knownPins);
  }

  /**
   * A valid report from a client that noted {@code notedHostname}'s pins, about a connection to
   * {@code hostname}:{@code port} at {@code dateTime}, the pins noted until {@code expires}.
   */
  public static String at(String hostname, int port, String notedHostname,
      java.time.Instant dateTime, java.time.Instant expires, List<X509Certificate> served,
      List<X509Certificate> validated, List<Pin> knownPins) {
    return "{\n"
        + "  \"date-time\": \"" + dateTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            + "\",\n"
        + "  \"hostname\": \"" + hostname + "\",\n"
        + "  \"port\": " + port + ",\n"
        + "  \"effective-expiration-date\": \""
            + expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\n"
        + "  \"include-subdomains\": false,\n"
        + "  \"noted-hostname\": \"" + notedHostname + "\",\n"
        + "  \"served-certificate-chain\": [" + pems(served) + "],\n"
        + "  \"validated-certificate-chain\": [" + pems(validated) + "],\n"
        + "  \"known-pins\": [" + knownPins.stream()
            .map(p -> "\"pin-sha256=\\\"" + p.base64() + "\\\"\"")
            .collect(Collectors.joining(", ")) + "]\n"
        + "}";
  }

  /** A valid report about {@code pki}'s chain, whose known pins are two keys not in it. */
  public static String interception(TestPki pki, String hostname) {
    return valid(hostname, pki.chain(), pki.chain(),
        List.of(pki.backupPin(), pki.secondBackupPin()));
  }

  private static String pems(List<X509Certificate> certificates) {
    return certificates.stream()
        .map(c -> "\"" + TestPki.pem(c).replace("\r", "").replace("\n", "\\n") + "\"")
        .collect(Collectors.joining(", "));
  }
}
