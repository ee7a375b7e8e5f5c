package dev.hpkp.spring;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * The certificate chain the embedded server presents, read from the same settings it uses:
 * {@code server.ssl.bundle} (an SSL bundle, PEM or JKS/PKCS#12) or the legacy {@code
 * server.ssl.*} key store. Null when the server has no TLS.
 */
final class ServerTlsChain {

  private ServerTlsChain() {}

  static List<X509Certificate> of(Ssl ssl, SslBundles bundles) {
    if (ssl == null || !ssl.isEnabled()) {
      return null;
    }
    SslBundle bundle;
    String where;
    if (ssl.getBundle() != null) {
      if (bundles == null) {
        return null;
      }
      bundle = bundles.getBundle(ssl.getBundle());
      where = "SSL bundle '" + ssl.getBundle() + "' (server.ssl.bundle)";
    } else if (ssl.getKeyStore() != null || ssl.getCertificate() != null) {
      bundle = WebServerSslBundle.get(ssl);
      where = "server.ssl";
    } else {
      return null;
    }
    return of(bundle, ssl.getKeyAlias(), where);
  }

  /**
   * The chain of {@code bundle}'s key entry: the bundle's key alias, else {@code keyAlias}, else
   * the first key entry; {@code where} names the bundle in messages.
   */
  static List<X509Certificate> of(SslBundle bundle, String keyAlias, String where) {
    KeyStore keyStore = bundle.getStores() == null ? null : bundle.getStores().getKeyStore();
    if (keyStore == null) {
      throw new IllegalStateException(where + " has no key store");
    }
    String alias = bundle.getKey() != null ? bundle.getKey().getAlias() : null;
    if (alias == null) {
      alias = keyAlias;
    }
    try {
      if (alias == null) {
        for (String candidate : Collections.list(keyStore.aliases())) {
          if (keyStore.isKeyEntry(candidate)) {
            alias = candidate;
            break;
          }
        }
      }
      Certificate[] chain = alias == null ? null : keyStore.getCertificateChain(alias);
      if (chain == null) {
        throw new IllegalStateException(where + " holds no key entry"
            + (alias == null ? "" : " '" + alias + "'") + " with a certificate chain");
      }
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate : chain) {
        certificates.add((X509Certificate) certificate);
      }
      return certificates;
    } catch (KeyStoreException e) {
      throw new IllegalStateException(where + "'s key store cannot be read: " + e.getMessage(),
          e);
    }
  }
}
