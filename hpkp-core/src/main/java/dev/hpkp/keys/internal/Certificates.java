package dev.hpkp.keys.internal;

import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.keys.PemBlock;
import java.util.Base64;
import java.util.List;

/**
 * The report collector's reading of the PEM certificates a report quotes. Internal: public only
 * because the collector is another module; not API, may change in any release.
 */
public final class Certificates {

  private Certificates() {}

  /**
   * The DER bytes of exactly one PEM certificate, with nothing but whitespace around the armour
   * (text there would be stored and shown, though no parser reads it).
   *
   * @throws KeyMaterialException naming {@code where}
   */
  public static byte[] der(String pem, String where) {
    // The collector's path, once per certificate of every report: plain scans, no regex.
    String begin = "-----BEGIN CERTIFICATE-----";
    String end = "-----END CERTIFICATE-----";
    int start = pem.indexOf(begin);
    int stop = pem.indexOf(end);
    if (start >= 0 && stop > start && pem.indexOf("-----BEGIN", start + 1) < 0
        && pem.substring(0, start).isBlank()
        && pem.substring(stop + end.length()).isBlank()
        && pem.indexOf(':', start) < 0) {
      try {
        return Base64.getDecoder().decode(PemBlock.withoutWhitespace(
            pem.substring(start + begin.length(), stop)));
      } catch (IllegalArgumentException e) {
        // fall through to the full reading, which names the problem
      }
    }
    try {
      List<PemBlock> blocks = PemBlock.split(pem, where);
      if (blocks.size() != 1 || !blocks.get(0).type().equals("CERTIFICATE")) {
        throw new KeyMaterialException(KeyMaterialException.Reason.UNSUPPORTED, where
            + " is not exactly one PEM certificate");
      }
      if (!pem.strip().equals(blocks.get(0).text())) {
        throw new KeyMaterialException(KeyMaterialException.Reason.UNSUPPORTED, where
            + " has text outside its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----"
            + " lines");
      }
      return blocks.get(0).der(where);
    } catch (KeyMaterialException e) {
      if (e.reason() == KeyMaterialException.Reason.UNSUPPORTED) {
        throw e;
      }
      throw new KeyMaterialException(KeyMaterialException.Reason.UNREADABLE, where
          + " is not a valid PEM certificate (" + e.detail() + ")", e);
    }
  }
}
