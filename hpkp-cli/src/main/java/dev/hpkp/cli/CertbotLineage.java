package dev.hpkp.cli;

import dev.hpkp.text.Printable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certbot lineage ({@code /etc/letsencrypt/live/NAME}) and what its renewal configuration
 * ({@code /etc/letsencrypt/renewal/NAME.conf}) says of the next renewal: whether it keeps the key
 * ({@code reuse_key = True}, which {@code --reuse-key} saves and {@code --no-reuse-key} and
 * {@code --new-key} undo) and when it is due ({@code renew_before_expiry}, 30 days by default).
 */
final class CertbotLineage {

  /** certbot renews this long before expiry unless the configuration says otherwise. */
  static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);

  private static final long MAX_CONF_BYTES = 64 * 1024;
  private static final Pattern RENEW_BEFORE = Pattern.compile(
      "(\\d{1,4})\\s*(day|days|d|week|weeks|w)?", Pattern.CASE_INSENSITIVE);

  private final Path lineage;
  private final Path conf;
  private final boolean reuseKey;
  private final Duration renewBefore;

  private CertbotLineage(Path lineage, Path conf, boolean reuseKey, Duration renewBefore) {
    this.lineage = lineage;
    this.conf = conf;
    this.reuseKey = reuseKey;
    this.renewBefore = renewBefore;
  }

  /**
   * Reads the lineage {@code dir} (certbot's {@code $RENEWED_LINEAGE}) and its renewal
   * configuration, when one is found beside {@code live/}; {@code what} names where the
   * directory came from in messages.
   *
   * @throws UsageException when {@code dir} is no lineage or its configuration cannot be read
   */
  static CertbotLineage read(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      throw new UsageException(what + " is '" + Printable.escape(dir.toString()) + "', which is"
          + " not a directory: give certbot's lineage (/etc/letsencrypt/live/NAME), or the new"
          + " chain itself as CHAIN");
    }
    Path fullchain = dir.resolve("fullchain.pem");
    if (!Files.exists(fullchain)) {
      throw new UsageException(what + " is '" + Printable.escape(dir.toString()) + "', which"
          + " holds no fullchain.pem: give certbot's lineage (/etc/letsencrypt/live/NAME), or"
          + " the new chain itself as CHAIN");
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    Path parent = dir.toAbsolutePath().normalize().getParent();
    Path conf = name == null || parent == null || parent.getParent() == null ? null
        : parent.getParent().resolve("renewal").resolve(name + ".conf");
    if (conf == null || !Files.isRegularFile(conf)) {
      return new CertbotLineage(dir, null, false, DEFAULT_RENEW_BEFORE);
    }
    String text;
    try {
      if (Files.size(conf) > MAX_CONF_BYTES) {
        throw new UsageException(conf + " is larger than " + MAX_CONF_BYTES + " bytes, which no"
            + " certbot renewal configuration is: check the file");
      }
      text = Files.readString(conf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read certbot's renewal configuration " + conf + " ("
          + Printable.message(e.getMessage()) + ")", e);
    }
    return new CertbotLineage(dir, conf, reuseKey(text), renewBefore(text));
  }

  /** {@code reuse_key} of {@code [renewalparams]}: configobj's true spellings. */
  static boolean reuseKey(String conf) {
    return value(conf, "renewalparams", "reuse_key")
        .map(v -> List.of("true", "yes", "on", "1").contains(v.toLowerCase(Locale.ROOT)))
        .orElse(false);
  }

  /** {@code renew_before_expiry} at the top: "30 days", "2 weeks"; the default otherwise. */
  static Duration renewBefore(String conf) {
    return value(conf, "", "renew_before_expiry").map(v -> {
      Matcher matcher = RENEW_BEFORE.matcher(v.strip());
      if (!matcher.matches()) {
        return DEFAULT_RENEW_BEFORE;
      }
      long amount = Long.parseLong(matcher.group(1));
      String unit = matcher.group(2) == null ? "d" : matcher.group(2).toLowerCase(Locale.ROOT);
      return unit.startsWith("w") ? Duration.ofDays(amount * 7) : Duration.ofDays(amount);
    }).orElse(DEFAULT_RENEW_BEFORE);
  }

  /** A key's value in a configobj file's {@code section} ("" for the top, before any section). */
  private static Optional<String> value(String conf, String section, String key) {
    String current = "";
    for (String raw : conf.split("\r?\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[")) {
        current = line.replaceAll("^\\[+\\s*|\\s*]+$", "");
        continue;
      }
      int equals = line.indexOf('=');
      if (equals > 0 && current.equals(section)
          && line.substring(0, equals).strip().equals(key)) {
        String value = line.substring(equals + 1).strip();
        return Optional.of(value.replaceAll("^['\"]|['\"]$", ""));
      }
    }
    return Optional.empty();
  }

  /** The lineage's name: the certificate name certbot's commands take. */
  String name() {
    return lineage.toAbsolutePath().normalize().getFileName().toString();
  }

  Path fullchain() {
    return lineage.resolve("fullchain.pem");
  }

  /** The renewal configuration, when found. */
  Optional<Path> conf() {
    return Optional.ofNullable(conf);
  }

  boolean reuseKey() {
    return reuseKey;
  }

  /** When certbot's timer will renew a leaf expiring at {@code notAfter}. */
  Instant renewalDue(Instant notAfter) {
    return notAfter.minus(renewBefore);
  }

  /**
   * The warning for the next renewal, or empty when it keeps the key: it makes a new key that no
   * pin covers, at {@link #renewalDue}, and the one-line fix.
   */
  Optional<String> nextRenewalWarning(Instant leafNotAfter) {
    if (reuseKey) {
      return Optional.empty();
    }
    String where = conf == null ? "no renewal configuration was found beside the lineage, and"
        + " certbot's default" : conf + " does not set reuse_key = True, so certbot's default";
    return Optional.of("certbot: " + where + " makes a new key at the next renewal (due about "
        + renewalDue(leafNotAfter) + "), which no pin covers — a lockout; keep the key: set"
        + " reuse_key = True under [renewalparams]" + (conf == null ? "" : " in " + conf)
        + ", or renew once with 'certbot renew --cert-name " + name() + " --reuse-key"
        + " --force-renewal', which saves it");
  }
}
