package dev.hpkp.watch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The DNS names of a DER certificate without parsing all of it: the subjectAltName's dNSNames,
 * or the subject's CN when there is no SAN. This is what decides whether an entry concerns a
 * watched host at all, once per entry of every log; only the few that do are parsed whole by
 * the JDK. A structure this walk does not understand is refused (null), and the caller parses
 * the certificate whole instead.
 */
final class CertificateNames {

  private static final byte[] SAN = {0x55, 0x1d, 0x11};
  private static final byte[] CN = {0x55, 0x04, 0x03};

  private CertificateNames() {}

  /** The names, lower case without a trailing dot; null when the DER is not as expected. */
  static List<String> of(byte[] der) {
    try {
      Der certificate = new Der(der, 0, der.length).enter(0x30);
      Der tbs = certificate.enter(0x30);
      if (tbs.peek() == 0xa0) {
        tbs.skip(); // version
      }
      tbs.skip(); // serialNumber
      tbs.skip(); // signature
      tbs.skip(); // issuer
      tbs.skip(); // validity
      Der subject = tbs.enter(0x30);
      tbs.skip(); // subjectPublicKeyInfo
      List<String> san = null;
      while (tbs.more()) {
        int tag = tbs.peek();
        if (tag != 0xa3) {
          tbs.skip(); // issuerUniqueID, subjectUniqueID
          continue;
        }
        Der extensions = tbs.enter(0xa3).enter(0x30);
        while (extensions.more()) {
          Der extension = extensions.enter(0x30);
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

  private static List<String> dnsNames(Der names) {
    List<String> out = new ArrayList<>();
    while (names.more()) {
      if (names.peek() == 0x82) {
        out.add(WatchedHost.normalize(new String(names.value(0x82),
            StandardCharsets.ISO_8859_1)));
      } else {
        names.skip();
      }
    }
    return out;
  }

  private static List<String> commonNames(Der subject) {
    List<String> out = new ArrayList<>();
    while (subject.more()) {
      Der rdn = subject.enter(0x31);
      while (rdn.more()) {
        Der attribute = rdn.enter(0x30);
        byte[] oid = attribute.value(0x06);
        if (Arrays.equals(oid, CN)) {
          int tag = attribute.peek();
          byte[] value = attribute.value(tag);
          out.add(WatchedHost.normalize(tag == 0x1e ? new String(value,
              StandardCharsets.UTF_16BE) : new String(value, StandardCharsets.UTF_8)));
        }
      }
    }
    return out;
  }

  /** A bounded view of DER: every length is checked against its enclosing element. */
  private static final class Der {
    private final byte[] bytes;
    private int position;
    private final int end;

    Der(byte[] bytes, int from, int to) {
      this.bytes = bytes;
      this.position = from;
      this.end = to;
    }

    boolean more() {
      return position < end;
    }

    int peek() {
      if (position >= end) {
        throw new IllegalArgumentException("end of element");
      }
      return bytes[position] & 0xff;
    }

    /** The contents of the next element, which must have {@code tag}. */
    Der enter(int tag) {
      int[] bounds = next(tag);
      return new Der(bytes, bounds[0], bounds[1]);
    }

    byte[] value(int tag) {
      int[] bounds = next(tag);
      return Arrays.copyOfRange(bytes, bounds[0], bounds[1]);
    }

    void skip() {
      next(-1);
    }

    private int[] next(int tag) {
      int actual = peek();
      if (tag >= 0 && actual != tag || (actual & 0x1f) == 0x1f) {
        throw new IllegalArgumentException("unexpected tag");
      }
      int at = position + 1;
      if (at >= end) {
        throw new IllegalArgumentException("truncated");
      }
      int length = bytes[at++] & 0xff;
      if (length >= 0x80) {
        int count = length & 0x7f;
        if (count == 0 || count > 3 || at + count > end) {
          throw new IllegalArgumentException("bad length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = length << 8 | bytes[at++] & 0xff;
        }
      }
      if (length > end - at) {
        throw new IllegalArgumentException("overlong");
      }
      position = at + length;
      return new int[] {at, at + length};
    }
  }
}
