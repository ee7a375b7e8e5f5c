package dev.hpkp.watch;

import dev.hpkp.keys.DerCursor;
import dev.hpkp.policy.HostName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The DNS names of a DER certificate without parsing all of it: the subjectAltName's dNSNames,
 * or the subject's CN when there is no SAN. This is what decides whether an entry concerns a
 * watched host at all, once per entry of every log; only the few that do are parsed whole by
 * the JDK. A structure this walk does not understand is refused (null), and the caller parses
 * the certificate whole instead. The walk is {@link DerCursor}, core's one DER reader.
 */
final class CertificateNames {

  private static final byte[] SAN = {0x55, 0x1d, 0x11};
  private static final byte[] CN = {0x55, 0x04, 0x03};

  private CertificateNames() {}

  /** The names, lower case without a trailing dot; null when the DER is not as expected. */
  static List<String> of(byte[] der) {
    try {
      DerCursor certificate = new DerCursor(der).enter(0x30);
      DerCursor tbs = certificate.enter(0x30);
      if (tbs.peek() == 0xa0) {
        tbs.skip(); // version
      }
      tbs.skip(); // serialNumber
      tbs.skip(); // signature
      tbs.skip(); // issuer
      tbs.skip(); // validity
      DerCursor subject = tbs.enter(0x30);
      tbs.skip(); // subjectPublicKeyInfo
      List<String> san = null;
      while (tbs.more()) {
        int tag = tbs.peek();
        if (tag != 0xa3) {
          tbs.skip(); // issuerUniqueID, subjectUniqueID
          continue;
        }
        DerCursor extensions = tbs.enter(0xa3).enter(0x30);
        while (extensions.more()) {
          DerCursor extension = extensions.enter(0x30);
          byte[] oid = extension.value(0x06);
          if (extension.peek() == 0x01) {
            extension.skip(); // critical
          }
          if (Arrays.equals(oid, SAN)) {
            san = dnsNames(extension.enter(0x04).enter(0x30));
          }
        }
      }
      return san != null ? san : commonNames(subject);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<String> dnsNames(DerCursor names) {
    List<String> out = new ArrayList<>();
    while (names.more()) {
      if (names.peek() == 0x82) {
        out.add(HostName.normalize(new String(names.value(0x82),
            StandardCharsets.ISO_8859_1)));
      } else {
        names.skip();
      }
    }
    return out;
  }

  private static List<String> commonNames(DerCursor subject) {
    List<String> out = new ArrayList<>();
    while (subject.more()) {
      DerCursor rdn = subject.enter(0x31);
      while (rdn.more()) {
        DerCursor attribute = rdn.enter(0x30);
        byte[] oid = attribute.value(0x06);
        if (Arrays.equals(oid, CN)) {
          int tag = attribute.peek();
          byte[] value = attribute.value(tag);
          out.add(HostName.normalize(tag == 0x1e ? new String(value,
              StandardCharsets.UTF_16BE) : new String(value, StandardCharsets.UTF_8)));
        }
      }
    }
    return out;
  }
}
