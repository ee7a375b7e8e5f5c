package dev.hpkp.report;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A pin validation failure report as a user agent sends it (RFC 7469 §3), after validation.
 *
 * @param dateTime when the user agent saw the failure
 * @param hostname the host the user agent connected to
 * @param port the port it connected to; 0 when the client did not know it (TrustKit)
 * @param effectiveExpirationDate when the noted pins expire; null when a TrustKit report does
 *     not say
 * @param includeSubdomains whether the noted pins include subdomains
 * @param notedHostname the host the pins were noted for
 * @param servedCertificateChain the chain the server presented, as PEM strings; empty when a
 *     TrustKit report (iOS) does not send it
 * @param validatedCertificateChain the chain the user agent built, as PEM strings
 * @param knownPins the SHA-256 pins the user agent held for the host
 * @param servedChain {@code servedCertificateChain}, parsed (pins, subjects, roles)
 * @param validatedChain {@code validatedCertificateChain}, parsed
 * @param knownPinsExpirationDate the day the noted pins expire, as TrustKit for iOS says it; null
 *     when not said
 * @param app the app and its check, for a report from TrustKit; null for a user agent's
 */
public record PinFailureReport(
    OffsetDateTime dateTime,
    String hostname,
    int port,
    OffsetDateTime effectiveExpirationDate,
    boolean includeSubdomains,
    String notedHostname,
    List<String> servedCertificateChain,
    List<String> validatedCertificateChain,
    List<Pin> knownPins,
    List<ChainCertificate> servedChain,
    List<ChainCertificate> validatedChain,
    java.time.LocalDate knownPinsExpirationDate,
    AppIdentity app) {

  /** {@code host:port}, or the host alone when the port is not known. */
  public String hostAndPort() {
    return port == 0 ? hostname : hostname + ":" + port;
  }

  public PinFailureReport {
    servedCertificateChain = List.copyOf(servedCertificateChain);
    validatedCertificateChain = List.copyOf(validatedCertificateChain);
    knownPins = List.copyOf(knownPins);
    servedChain = List.copyOf(servedChain);
    validatedChain = List.copyOf(validatedChain);
  }
}
