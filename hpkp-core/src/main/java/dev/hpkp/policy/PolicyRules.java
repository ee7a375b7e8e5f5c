package dev.hpkp.policy;

import dev.hpkp.config.Wording;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one implementation of each rule in {@link Rule}. A configuration and a header both reach
 * here: a configuration knows which pins are backups ({@code backupPins} non-null), a header does
 * not (null); a chain is known at start-up, to {@code hpkp check}, and to {@code hpkp lint
 * --chain} (else null). Each method adds what it finds to {@code findings}.
 */
final class PolicyRules {

  /** The cap in days: 60, RFC 7469 §4.1's suggestion and Chromium's cap ({@link PinPolicy}). */
  private static final long CAP_DAYS = PinPolicy.MAX_AGE_CAP_SECONDS / 86_400;
  /** The cap as messages write it: {@code 5184000 (60 days)}. */
  private static final String CAP = PinPolicy.MAX_AGE_CAP_SECONDS + " (" + CAP_DAYS
      + " days)";

  private static final long MAX_AGE_CAP_SECONDS = PinPolicy.MAX_AGE_CAP_SECONDS;

  private PolicyRules() {}

  // ---- pins --------------------------------------------------------------------------------

  /** DUPLICATE_PIN: each pin of {@code listed} (one parameter's list, or the header) once. */
  static void duplicatePins(List<Pin> listed, String parameter, List<Finding> findings) {
    Set<Pin> seen = new LinkedHashSet<>();
    for (Pin pin : listed) {
      if (!seen.add(pin)) {
        findings.add(new Finding(Rule.DUPLICATE_PIN, parameter, pin.toString(),
            Wording.text(pin + " is listed twice"),
            Wording.text("it counts as one pin, so list each key once")));
        return;
      }
    }
  }

  /**
   * NO_PINS, NO_BACKUP_PIN, BACKUP_PIN_IN_PINS, NO_PIN_MATCHES_CHAIN, BACKUP_PIN_IN_CHAIN,
   * PIN_NOT_IN_CHAIN, SINGLE_BACKUP_PIN: the pin set against the chain (RFC 7469 §2.5, §4.3).
   *
   * @param pins pins in use (a configuration's {@code pins}), or every pin of a header
   * @param backupPins a configuration's {@code backupPins}; null for a header
   * @param chain the chain the user agent validates; null when unknown
   */
  static void pinSet(List<Pin> pins, List<Pin> backupPins, List<ChainCertificate> chain,
      List<Finding> findings) {
    pinSet(pins, backupPins, chain, null, findings);
  }

  /**
   * As {@link #pinSet(List, List, List, List)}; {@code maxAgeSeconds} (null when unknown) says
   * in a lockout how long clients hold the pins.
   */
  static void pinSet(List<Pin> pins, List<Pin> backupPins, List<ChainCertificate> chain,
      Long maxAgeSeconds, List<Finding> findings) {
    Set<Pin> all = new LinkedHashSet<>(pins);
    if (backupPins != null) {
      all.addAll(backupPins);
    }
    if (pins.isEmpty()) {
      findings.add(backupPins == null ? Finding.of(Rule.NO_PINS, null, "no valid pin-sha256"
          + " directive", "a policy needs the pin of a key in the served chain and a backup pin")
          : Finding.of(Rule.NO_PINS, null, Wording.text("no pin configured"),
          Wording.text("set ").setting("pins").append(" to the pin of a key in the served chain"
          + " (compute it with 'hpkp pin cert.pem')")));
      return;
    }
    Set<Pin> chainPins = new LinkedHashSet<>();
    if (chain != null) {
      chain.forEach(certificate -> chainPins.add(certificate.pin()));
    }
    if (backupPins != null) {
      if (backupPins.isEmpty()) {
        findings.add(noBackup("no backup pin configured"));
        return;
      }
      for (Pin backup : backupPins) {
        if (pins.contains(backup)) {
          findings.add(Finding.of(Rule.BACKUP_PIN_IN_PINS, backup.toString(),
              Wording.text(backup + " is listed in ").setting("pins").append(" too: it is a key"
              + " in use, not a backup"), Wording.text("a backup pin must be a different key"
              + " that is NOT deployed yet — generate one with 'hpkp backup-key'")));
          return;
        }
      }
    }
    if (chain == null) {
      if (backupPins == null && all.size() < 2) {
        findings.add(noBackup("only one distinct pin, so there is no backup pin"));
      } else if (backupPins != null && backupPins.size() == 1) {
        findings.add(singleBackup(backupPins.get(0)));
      }
      return;
    }
    if (pins.stream().noneMatch(chainPins::contains) && backupPins != null) {
      List<Pin> servedBackups = backupPins.stream().filter(chainPins::contains).toList();
      findings.add(servedBackups.isEmpty()
          ? RenewalRules.lockout(pins, backupPins, chain, maxAgeSeconds)
          : RenewalRules.rotatedOntoBackup(pins, backupPins, servedBackups.get(0), chain));
      return;
    }
    if (pins.stream().noneMatch(chainPins::contains)) {
      String listed = String.join(", ", pins.stream().map(Pin::toString).toList());
      Wording fix = Wording.text("the chain's pins are:" + listing(chain)
          + " — put at least one of them in ").setting("pins");
      findings.add(Finding.of(Rule.NO_PIN_MATCHES_CHAIN, listed, Wording.text(listed
          + " matches no certificate of the served chain, so user agents would reject the"
          + " policy (RFC 7469 §2.5)"), endsAtRoot(chain) ? fix : fix.append(" (the chain ends"
          + " below its root: to pin the root, add it to the trust anchors the chain is"
          + " completed with — ").setting("trustStore").append(", or --trust)")));
      return;
    }
    if (backupPins != null) {
      for (Pin backup : backupPins) {
        for (ChainCertificate certificate : chain) {
          if (certificate.pin().equals(backup)) {
            findings.add(Finding.of(Rule.BACKUP_PIN_IN_CHAIN, backup.toString(), backup
                + " matches " + certificate.describe(), "a backup pin must be a key that is"
                + " NOT deployed yet — generate one with 'hpkp backup-key'"));
            return;
          }
        }
      }
      for (Pin pin : pins) {
        if (!chainPins.contains(pin)) {
          findings.add(Finding.of(Rule.PIN_NOT_IN_CHAIN, pin.toString(), Wording.text(pin
              + " matches no certificate of the served chain"), Wording.text("if it is a key"
              + " that is not deployed, move it to ").setting("backupPins").append(", otherwise"
              + " check for a typo")));
        }
      }
    }
    // A configuration names its backups; of a header's pins, those outside the chain are.
    List<Pin> backups = backupPins != null ? backupPins
        : all.stream().filter(pin -> !chainPins.contains(pin)).toList();
    if (backups.isEmpty()) {
      findings.add(noBackup("every pin matches a certificate of the served chain, so there is"
          + " no backup pin"));
    } else if (backups.size() == 1) {
      findings.add(singleBackup(backups.get(0)));
    }
  }

  private static Finding noBackup(String what) {
    return Finding.of(Rule.NO_BACKUP_PIN, null, Wording.text(what), Wording.text("user agents"
        + " reject a policy without a pin outside the served chain (RFC 7469 §4.3) — generate an"
        + " offline backup key with 'hpkp backup-key' and add its pin to ")
        .setting("backupPins"));
  }

  private static Finding singleBackup(Pin backup) {
    return Finding.of(Rule.SINGLE_BACKUP_PIN, backup.toString(), "only one backup pin "
        + backup, "keep at least two backup keys, stored in separate places, so losing one does"
        + " not lock users out — generate another with 'hpkp backup-key'");
  }

  /** Header fields larger than this are dropped or refused by many proxies. */
  static final int MAX_HEADER_BYTES = 8 * 1024;

  /** HEADER_TOO_LONG: the whole field, name included, within {@link #MAX_HEADER_BYTES}. */
  static void headerSize(String name, String value, List<Finding> findings) {
    int bytes = name.length() + 2 + value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_HEADER_BYTES) {
      findings.add(Finding.of(Rule.HEADER_TOO_LONG, null, "the " + name + " field is " + bytes
          + " bytes, over 8 KiB, which proxies in front of many servers do not pass on (nginx's"
          + " proxy_buffer_size is 4 or 8 KiB by default)", "pin fewer keys"));
    }
  }

  // ---- max-age -----------------------------------------------------------------------------

  private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

  /**
   * INVALID_MAX_AGE for text: ASCII digits only (delta-seconds). A configuration holds at most
   * {@code Long.MAX_VALUE}; a header value below 2^64 is what user agents took and capped (it
   * comes back as {@code Long.MAX_VALUE}), 2^64 or more is refused. Returns the value, or null
   * after adding the finding; MAX_AGE_ABOVE_CAP and the rest are {@link #maxAge}'s.
   */
  static Long parseMaxAge(String text, boolean header, List<Finding> findings) {
    if (text == null) {
      findings.add(Finding.of(Rule.INVALID_MAX_AGE, null, "max-age has no value", "write"
          + " max-age=SECONDS, e.g. 300 (5 minutes) while testing, up to "
          + CAP));
      return null;
    }
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      findings.add(Finding.of(Rule.INVALID_MAX_AGE, text, "'" + text + "' is not a"
          + " non-negative whole number of seconds (ASCII digits only)", "use e.g. 300 (5"
          + " minutes) while testing, up to " + CAP));
      return null;
    }
    BigInteger value = new BigInteger(text);
    if (value.bitLength() < 64) {
      return value.longValue();
    }
    if (header && value.compareTo(TWO_TO_THE_64) < 0) {
      return Long.MAX_VALUE;
    }
    findings.add(Finding.of(Rule.INVALID_MAX_AGE, text, text + " is out of range ("
        + (header ? "2^64 or more: Firefox rejected such a header, Chromium clamped it to its"
        + " " + CAP_DAYS + "-day cap" : "above " + Long.MAX_VALUE) + ")", "use at most " + CAP
        + ", where user agents cap it"));
    return null;
  }

  /** {@link #maxAge(long, String, List)} for a value written as that number. */
  static void maxAge(long seconds, List<Finding> findings) {
    maxAge(seconds, Long.toString(seconds), findings);
  }

  /** INVALID_MAX_AGE (negative), MAX_AGE_ABOVE_CAP, MAX_AGE_ZERO; {@code written} as it stood. */
  static void maxAge(long seconds, String written, List<Finding> findings) {
    if (seconds < 0) {
      findings.add(Finding.of(Rule.INVALID_MAX_AGE, written, seconds + " is negative", "use"
          + " a number of seconds from 0 up to " + CAP));
    } else if (seconds > MAX_AGE_CAP_SECONDS) {
      findings.add(Finding.of(Rule.MAX_AGE_ABOVE_CAP, written, written + " is above "
          + CAP, "user agents cap it there (RFC 7469 §4.1), so a"
          + " longer value buys nothing and reads as a mistake"));
    } else if (seconds == 0) {
      findings.add(Finding.of(Rule.MAX_AGE_ZERO, written, "0 tells user agents to forget this"
          + " host's pins (RFC 7469 §2.3.3)", "this policy unpins clients"));
    }
  }

  // ---- report-uri --------------------------------------------------------------------------

  /** INVALID_REPORT_URI: see {@link ReportUri#parse}. */
  static ReportUri parseReportUri(String text, List<Finding> findings) {
    return ReportUri.parse(text, findings);
  }

  /** REPORT_ONLY_WITHOUT_REPORT_URI. */
  static void reportOnlyNeedsReportUri(boolean reportOnly, boolean hasReportUri,
      List<Finding> findings) {
    if (reportOnly && !hasReportUri) {
      findings.add(Finding.of(Rule.REPORT_ONLY_WITHOUT_REPORT_URI, null, Wording.text("not"
          + " set, but a Public-Key-Pins-Report-Only policy without report-uri does nothing:"
          + " user agents have nowhere to report"), Wording.text("set ").setting("reportUri")
          .append(" to a report collector on another host, or set ").setting("reportOnly", "false")
          .append(" to enforce")));
    }
  }

  // ---- the chain ---------------------------------------------------------------------------

  /**
   * REPORT_URI_SAME_HOST, LEAF_EXPIRY, CHAIN_ORDER.
   *
   * @param host the host the policy is served for, or null when only the chain knows it
   * @param maxAgeSeconds null when absent
   */
  static void chain(List<ChainCertificate> chain, String host, ReportUri reportUri,
      Long maxAgeSeconds, Instant now, List<Finding> findings) {
    if (chain.isEmpty()) {
      return;
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      ChainCertificate certificate = chain.get(i);
      ChainCertificate next = chain.get(i + 1);
      if (!certificate.issuer().equals(next.subject())) {
        findings.add(Finding.of(Rule.CHAIN_ORDER, null, "certificate " + i + " ("
            + certificate.subject() + ") was not issued by certificate " + (i + 1) + " ("
            + next.subject() + ")", "list the chain leaf first, each certificate followed by its"
            + " issuer, as the server sends it"));
        break;
      }
    }
    ChainCertificate leaf = chain.get(0);
    if (reportUri != null && (reportUri.host().equalsIgnoreCase(host)
        || covers(leaf.dnsNames(), reportUri.host()))) {
      findings.add(Finding.of(Rule.REPORT_URI_SAME_HOST, reportUri.uri().toString(),
          reportUri.uri() + " is on a host the leaf certificate covers", "a pin failure on this"
          + " host also blocks the report, so collect reports on another host (RFC 7469"
          + " §2.1.4)"));
    }
    if (maxAgeSeconds != null && maxAgeSeconds >= 0) {
      Instant renewBy = PinPolicy.renewBy(leaf.notAfter(), maxAgeSeconds);
      if (now.isAfter(renewBy)) {
        Instant heldUntil = now.plusSeconds(PinPolicy.effectiveMaxAgeSeconds(maxAgeSeconds))
            .plus(PinPolicy.RENEWAL_MARGIN).truncatedTo(ChronoUnit.SECONDS);
        findings.add(Finding.of(Rule.LEAF_EXPIRY, null, "the leaf certificate "
            + leaf.subject() + " expires at " + leaf.notAfter() + ", before now + max-age + 30"
            + " days (" + heldUntil + "), so clients would hold these pins past the"
            + " certificate's life", "start the renewal now (see 'hpkp plan')"));
      }
    }
  }

  private static boolean covers(List<String> dnsNames, String host) {
    return dnsNames.stream().anyMatch(name -> HostName.covers(name, host, false));
  }

  static boolean endsAtRoot(List<ChainCertificate> chain) {
    if (chain.isEmpty()) {
      return false;
    }
    ChainCertificate.Role last = chain.get(chain.size() - 1).role();
    return last == ChainCertificate.Role.ROOT || last == ChainCertificate.Role.TRUST_ANCHOR;
  }

  static String listing(List<ChainCertificate> chain) {
    List<String> parts = new ArrayList<>();
    for (ChainCertificate certificate : chain) {
      parts.add(" " + certificate.pin() + " (" + certificate.role() + " " + certificate.subject()
          + ")");
    }
    return String.join(",", parts);
  }
}
