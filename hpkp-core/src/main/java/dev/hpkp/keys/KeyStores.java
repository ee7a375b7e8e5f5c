package dev.hpkp.keys;

import dev.hpkp.keys.KeyMaterialException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** PKCS#12, JKS and JCEKS keystores, each opened as the type its bytes say it is. */
final class KeyStores {

  private static final int JKS_MAGIC = 0xFEEDFEED;
  private static final int JCEKS_MAGIC = 0xCECECECE;

  private KeyStores() {}

  /** {@code JKS}, {@code JCEKS}, {@code PKCS12}, or null when the bytes are no keystore. */
  static String type(byte[] content) {
    if (content.length >= 4) {
      int magic = (content[0] & 0xff) << 24 | (content[1] & 0xff) << 16
          | (content[2] & 0xff) << 8 | (content[3] & 0xff);
      if (magic == JKS_MAGIC) {
        return "JKS";
      }
      if (magic == JCEKS_MAGIC) {
        return "JCEKS";
      }
    }
    return Der.isPkcs12(content) ? "PKCS12" : null;
  }

  /**
   * Every certificate in the keystore: key entries' chains and trusted certificates. With
   * {@code oneKeyEntry}, only the chain of the key entry named {@code alias} (or of the only key
   * entry, when {@code alias} is null): the chain a server presents.
   */
  static List<KeyEntry> read(byte[] content, String source, char[] password, String type,
      String alias, boolean oneKeyEntry) {
    KeyStore keyStore = open(content, source, password, type);
    try {
      List<String> aliases = Collections.list(keyStore.aliases());
      Collections.sort(aliases);
      if (oneKeyEntry) {
        String chosen = chooseKeyEntry(keyStore, aliases, alias, source, type, password);
        return entries(keyStore.getCertificateChain(chosen), chosen, source);
      }
      List<KeyEntry> entries = new ArrayList<>();
      for (String name : aliases) {
        Certificate[] chain = keyStore.isKeyEntry(name) ? keyStore.getCertificateChain(name)
            : new Certificate[] {keyStore.getCertificate(name)};
        if (chain != null) { // a secret key entry has nothing to pin
          entries.addAll(entries(chain, name, source));
        }
      }
      if (entries.isEmpty()) {
        throw empty(source, type, password);
      }
      return Collections.unmodifiableList(entries);
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": cannot read " + type
          + " keystore entries (" + e.getMessage() + ")", e);
    }
  }

  private static KeyStore open(byte[] content, String source, char[] password, String type) {
    try {
      KeyStore keyStore = KeyStore.getInstance(type);
      keyStore.load(new ByteArrayInputStream(content), password);
      return keyStore;
    } catch (IOException e) {
      // JKS, JCEKS and PKCS12 alike give a wrong password as this cause (checked on Java 17)
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw KeyMaterialException.wrongPassword(source, e);
      }
      if (password == null) {
        throw new KeyMaterialException(Reason.PASSWORD_REQUIRED, source + " is a " + type
            + " keystore and cannot be read without its password", "set the password", e);
      }
      throw new KeyMaterialException(Reason.UNREADABLE, source + " is a damaged " + type
          + " keystore (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": cannot open " + type
          + " keystore (" + e.getMessage() + ")", e);
    }
  }

  private static String chooseKeyEntry(KeyStore keyStore, List<String> aliases, String alias,
      String source, String type, char[] password) throws GeneralSecurityException {
    List<String> keyAliases = new ArrayList<>();
    for (String name : aliases) {
      if (keyStore.isKeyEntry(name) && keyStore.getCertificateChain(name) != null) {
        keyAliases.add(name);
      }
    }
    if (keyAliases.isEmpty()) {
      throw empty(source, type, password);
    }
    if (alias == null) {
      if (keyAliases.size() != 1) {
        throw new KeyMaterialException(Reason.AMBIGUOUS_ALIAS, source + ": the " + type
            + " keystore holds " + keyAliases.size() + " key entries " + keyAliases,
            "name the one the server uses with its alias", null);
      }
      return keyAliases.get(0);
    }
    if (!keyAliases.contains(alias)) {
      throw new KeyMaterialException(Reason.AMBIGUOUS_ALIAS, source + ": the " + type
          + " keystore has no key entry with alias '" + alias + "'", "its key entries are "
          + keyAliases, null);
    }
    return alias;
  }

  private static List<KeyEntry> entries(Certificate[] chain, String alias, String source) {
    List<KeyEntry> entries = new ArrayList<>();
    for (int i = 0; i < chain.length; i++) {
      if (chain[i] instanceof X509Certificate x509) {
        entries.add(KeyMaterial.certificateEntry(x509, i, alias, source));
      }
    }
    return entries;
  }

  private static KeyMaterialException empty(String source, String type, char[] password) {
    if (password == null) {
      // PKCS#12 opens without a password, but its certificates stay encrypted and unseen.
      return new KeyMaterialException(Reason.PASSWORD_REQUIRED, source + " is a " + type
          + " keystore and shows no certificate without its password", "set the password", null);
    }
    return new KeyMaterialException(Reason.NO_CERTIFICATE, source + ": the " + type
        + " keystore holds no certificate");
  }
}
