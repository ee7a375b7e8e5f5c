package dev.hpkp.keys;

import dev.hpkp.policy.Pin;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One key found in a file of key material, with its pin.
 *
 * <p>For certificates it also carries the certificate; for a CSR the requested subject.
 */
public final class KeyEntry {

  /** What kind of object the key was found in. */
  public enum Kind {
    CERTIFICATE("certificate"),
    CSR("certificate signing request"),
    PUBLIC_KEY("public key"),
    PRIVATE_KEY("private key");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private final Kind kind;
  private final int position;
  private final String alias;
  private final String subject;
  private final Pin pin;
  private final String keyType;
  private final X509Certificate certificate;

  /**
   * An entry; {@code alias}, {@code subject} and {@code certificate} may be null. Readers of
   * other formats ({@link KeyFormats}) create entries with it.
   */
  public KeyEntry(Kind kind, int position, String alias, String subject, Pin pin, String keyType,
      X509Certificate certificate) {
    this.kind = Objects.requireNonNull(kind);
    this.position = position;
    this.alias = alias;
    this.subject = subject;
    this.pin = Objects.requireNonNull(pin);
    this.keyType = Objects.requireNonNull(keyType);
    this.certificate = certificate;
  }

  public Kind kind() {
    return kind;
  }

  /** Index of the object in its file (or within its keystore entry's chain), from 0. */
  public int position() {
    return position;
  }

  /** The keystore alias the key came from, if it came from a keystore. */
  public Optional<String> alias() {
    return Optional.ofNullable(alias);
  }

  /** RFC 2253 subject of a certificate or CSR; empty for bare keys. */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  public Pin pin() {
    return pin;
  }

  /**
   * Key algorithm and size: {@code RSA 2048}, {@code EC P-256}, {@code Ed25519}, {@code DSA 2048}.
   */
  public String keyType() {
    return keyType;
  }

  /** The certificate, for {@link Kind#CERTIFICATE} entries. */
  public Optional<X509Certificate> certificate() {
    return Optional.ofNullable(certificate);
  }

  /** Issuer of a certificate, RFC 2253. */
  public Optional<String> issuer() {
    return certificate().map(c -> c.getIssuerX500Principal().getName());
  }

  /** End of validity of a certificate. */
  public Optional<Instant> notAfter() {
    return certificate().map(c -> c.getNotAfter().toInstant());
  }

  @Override
  public String toString() {
    return kind + (subject == null ? "" : " " + subject) + " [" + keyType + "] " + pin;
  }
}
