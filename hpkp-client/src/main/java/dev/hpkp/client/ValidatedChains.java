package dev.hpkp.client;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.Pin;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chain a client validated for the certificates a server sent: PKIX path building to the
 * trust manager's roots, as the platform's own check did — so a served certificate that is not on
 * the path cannot satisfy a pin, and a root the server does not send can. Path building costs
 * about a millisecond; its result is kept per served chain (by digest) until a certificate of the
 * path expires, so a reused or resumed connection pays a hash, not a build.
 */
final class ValidatedChains {

  /** A validated path, trust anchor last, with the pin of each certificate. */
  record Validated(List<X509Certificate> path, List<Pin> pins, Instant validUntil) {}

  private static final int CAPACITY = 1024;

  private final TrustAnchors anchors;
  private final Map<ByteBuffer, Validated> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Validated> eldest) {
      return size() > CAPACITY;
    }
  };

  /** The last chain asked about, by reference: a reused connection asks with the same objects. */
  private volatile Last last;

  private record Last(X509Certificate[] served, Validated validated) {}

  ValidatedChains(TrustAnchors anchors) {
    this.anchors = anchors;
  }

  /** The validated path for {@code served} at {@code now}, or empty when none can be built. */
  Optional<Validated> of(List<X509Certificate> served, Instant now) {
    if (served.isEmpty()) {
      return Optional.empty();
    }
    Last recent = last;
    if (recent != null && sameObjects(recent.served(), served)
        && now.isBefore(recent.validated().validUntil())) {
      return Optional.of(recent.validated());
    }
    Optional<Validated> validated = lookUp(served, now);
    validated.ifPresent(v -> last = new Last(served.toArray(new X509Certificate[0]), v));
    return validated;
  }

  private static boolean sameObjects(X509Certificate[] known, List<X509Certificate> served) {
    if (known.length != served.size()) {
      return false;
    }
    for (int i = 0; i < known.length; i++) {
      if (known[i] != served.get(i)) {
        return false;
      }
    }
    return true;
  }

  private Optional<Validated> lookUp(List<X509Certificate> served, Instant now) {
    ByteBuffer key = digest(served);
    synchronized (cache) {
      Validated known = cache.get(key);
      if (known != null && now.isBefore(known.validUntil())) {
        return Optional.of(known);
      }
    }
    Optional<List<X509Certificate>> path = anchors.builtPath(served, now);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Instant until = Instant.MAX;
    for (X509Certificate certificate : path.get()) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      until = notAfter.isBefore(until) ? notAfter : until;
    }
    Validated validated = new Validated(path.get(),
        path.get().stream().map(KeyMaterial::pinOf).toList(), until);
    synchronized (cache) {
      cache.put(key, validated);
    }
    return Optional.of(validated);
  }

  private static ByteBuffer digest(List<X509Certificate> served) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (X509Certificate certificate : served) {
        byte[] der = certificate.getEncoded();
        sha256.update((byte) (der.length >>> 24));
        sha256.update((byte) (der.length >>> 16));
        sha256.update((byte) (der.length >>> 8));
        sha256.update((byte) der.length);
        sha256.update(der);
      }
      return ByteBuffer.wrap(sha256.digest());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("SHA-256 and DER encodings are always available", e);
    }
  }
}
