package dev.hpkp.keys;

import dev.hpkp.policy.ChainCertificate;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The roots a user agent trusts, and the chain it validates: RFC 7469 §2.6 judges pins against
 * the path the client builds to a trust anchor, not only the certificates the server sends.
 * Servers do not send the root, and {@code fullchain.pem} (certbot's included) holds leaf and
 * intermediate only, so a pin of the CA's root matches only once the chain is completed here.
 */
public final class TrustAnchors {

  private final Set<X509Certificate> roots;

  private TrustAnchors(Collection<X509Certificate> roots) {
    this.roots = Set.copyOf(new LinkedHashSet<>(roots));
  }

  /** The JVM's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
  public static TrustAnchors jvmDefault() {
    return new TrustAnchors(List.of(jvmDefaultTrustManager().getAcceptedIssuers()));
  }

  /** The JVM's default PKIX trust manager, over the store {@link #jvmDefault()} reads. */
  public static X509TrustManager jvmDefaultTrustManager() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JVM has no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's default trust store cannot be read: "
          + e.getMessage(), e);
    }
  }

  /** Exactly these roots, e.g. a private CA's. */
  public static TrustAnchors of(Collection<X509Certificate> roots) {
    return new TrustAnchors(roots);
  }

  /** These roots and {@code more}. */
  public TrustAnchors plus(Collection<X509Certificate> more) {
    List<X509Certificate> all = new ArrayList<>(roots);
    all.addAll(more);
    return new TrustAnchors(all);
  }

  public Set<X509Certificate> roots() {
    return roots;
  }

  /**
   * The chain a user agent validates for {@code served} (leaf first) at {@code at}: the served
   * certificates, in the order sent, followed by the root that PKIX path building reaches from
   * them in this store — {@link ChainCertificate.Role#TRUST_ANCHOR}, as servers do not send it.
   * When no path can be built (a private CA not in this store, an expired leaf), or the server
   * sent the root itself, the served chain as it is.
   */
  public List<ChainCertificate> validatedChain(List<X509Certificate> served, Instant at) {
    List<ChainCertificate> chain = new ArrayList<>(KeyMaterial.toChain(validatedPath(served,
        at)));
    if (chain.size() > served.size()) {
      ChainCertificate anchor = chain.get(chain.size() - 1);
      chain.set(chain.size() - 1, anchor.as(ChainCertificate.Role.TRUST_ANCHOR));
    }
    return List.copyOf(chain);
  }

  /**
   * The certificates of {@link #validatedChain}: {@code served}, then the trust anchor when the
   * server did not send it.
   */
  public List<X509Certificate> validatedPath(List<X509Certificate> served, Instant at) {
    if (served.isEmpty() || roots.isEmpty()) {
      return served;
    }
    X509Certificate anchor = anchor(served, at);
    if (anchor == null || served.contains(anchor)) {
      return served;
    }
    List<X509Certificate> path = new ArrayList<>(served);
    path.add(anchor);
    return List.copyOf(path);
  }

  /** The root a PKIX path from the leaf through {@code served} reaches, or null. */
  private X509Certificate anchor(List<X509Certificate> served, Instant at) {
    PKIXCertPathBuilderResult result = build(served, at);
    return result == null ? null : result.getTrustAnchor().getTrustedCert();
  }

  /**
   * The path PKIX path building finds from the leaf ({@code served.get(0)}) through the other
   * served certificates to a root of this store, valid at {@code at}, ending with that root —
   * the chain a user agent validated, which may leave out served certificates and add the root.
   * Empty when there is no such path.
   */
  public Optional<List<X509Certificate>> builtPath(List<X509Certificate> served,
      Instant at) {
    PKIXCertPathBuilderResult result = served.isEmpty() ? null : build(served, at);
    if (result == null) {
      return Optional.empty();
    }
    List<X509Certificate> path = new ArrayList<>();
    for (Certificate certificate : result.getCertPath().getCertificates()) {
      path.add((X509Certificate) certificate);
    }
    path.add(result.getTrustAnchor().getTrustedCert());
    return Optional.of(List.copyOf(path));
  }

  private PKIXCertPathBuilderResult build(List<X509Certificate> served, Instant at) {
    if (roots.isEmpty()) {
      return null;
    }
    try {
      Set<TrustAnchor> anchors = new LinkedHashSet<>();
      for (X509Certificate root : roots) {
        anchors.add(new TrustAnchor(root, null));
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(served.get(0));
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      parameters.addCertStore(CertStore.getInstance("Collection",
          new CollectionCertStoreParameters(served)));
      return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
    } catch (InvalidAlgorithmParameterException e) {
      return null; // no usable anchor
    } catch (GeneralSecurityException | RuntimeException e) {
      return null; // no path: judged against the served chain alone
    }
  }
}
