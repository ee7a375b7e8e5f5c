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
    return "{\n"
        + "  \"date-time\": \"2014-04-06T13:00:50Z\",\n"
        + "  \"hostname\": \"" + hostname + "\",\n"
        + "  \"port\": 443,\n"
        + "  \"effective-expiration-date\": \"2014-05-01T12:40:50Z\",\n"
        + "  \"include-subdomains\": false,\n"
        + "  \"noted-hostname\": \"example.com\",\n"
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
