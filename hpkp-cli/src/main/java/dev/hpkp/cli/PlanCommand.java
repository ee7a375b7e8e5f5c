package dev.hpkp.cli;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.text.Printable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"A dated plan for renewing the leaf certificate without locking users out,"
        + " in the three ways pinning allows: reuse the key; switch to a backup key; move to a"
        + " new key.",
        "A renewal must start at least 30 days + max-age before the leaf expires.",
        "Exit code 0; with --strict, 1 when the renewal is overdue or certbot's next renewal"
            + " would make a new key."})
final class PlanCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--chain", paramLabel = "FILE",
      description = "The served chain, leaf first (PEM, DER or keystore).")
  Path chain;

  @Option(names = "--lineage", paramLabel = "DIR",
      description = "A certbot lineage (/etc/letsencrypt/live/NAME), instead of --chain: its"
          + " fullchain.pem, and whether its next renewal keeps the key.")
  Path lineage;

  @Option(names = "--max-age", required = true, paramLabel = "SECONDS|60d",
      converter = MaxAge.class,
      description = "The max-age the site sends: seconds, or with s, m, h or d.")
  long maxAge;

  @Option(names = "--backup", paramLabel = "FILE",
      description = "A backup key's CSR or public key. Repeatable.")
  List<Path> backups = new ArrayList<>();

  @Option(names = "--today", paramLabel = "YYYY-MM-DD", hidden = true,
      description = "Plan as of this date (for testing).")
  LocalDate today;

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  @Mixin
  PasswordOptions password;

  @Mixin
  StrictOption strict;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (maxAge < 0) {
      throw new UsageException("--max-age " + maxAge + " is negative");
    }
    if ((chain == null) == (lineage == null)) {
      throw new UsageException("give the served chain with --chain FILE or a certbot lineage"
          + " with --lineage DIR (one of them)");
    }
    CertbotLineage certbot = lineage == null ? null : CertbotLineage.read(lineage, "--lineage");
    Path chain = certbot == null ? this.chain : certbot.fullchain();
    List<ChainCertificate> served = password.read(chain.toString(),
        p -> KeyMaterial.readServedChain(chain, p, null));
    ChainCertificate leaf = served.get(0);
    List<Pin> backupPins = new ArrayList<>();
    for (Path backup : backups) {
      for (KeyEntry entry : password.read(backup.toString(), p -> KeyMaterial.read(backup, p))) {
        backupPins.add(entry.pin());
      }
    }
    LocalDate now = today != null ? today : LocalDate.now(ZoneOffset.UTC);
    LocalDate expiry = date(leaf.notAfter());
    long effectiveMaxAge = PinPolicy.effectiveMaxAgeSeconds(maxAge);
    LocalDate switchBy = expiry.minusDays(PinPolicy.RENEWAL_MARGIN.toDays());
    LocalDate startBy = date(PinPolicy.renewBy(leaf.notAfter(), maxAge));
    long daysLeft = Duration.between(now.atStartOfDay(), startBy.atStartOfDay()).toDays();
    String maxAgeText = MaxAge.describe(effectiveMaxAge);
    String by = (startBy.isBefore(now) ? "overdue since " : "by ") + startBy;
    String backupText = backupPins.isEmpty() ? null : backupPins.get(0).toString();
    String certbotWarning = certbot == null ? null
        : certbot.nextRenewalWarning(leaf.notAfter()).orElse(null);

    if (json) {
      Json.print(out, g -> {
        g.writeStartObject();
        g.writeStringField("leaf", leaf.subject());
        g.writeStringField("leafPin", leaf.pin().toString());
        g.writeStringField("leafExpires", expiry.toString());
        g.writeNumberField("maxAgeSeconds", effectiveMaxAge);
        g.writeStringField("startRenewalBy", startBy.toString());
        g.writeStringField("switchBy", switchBy.toString());
        g.writeNumberField("daysLeft", daysLeft);
        g.writeArrayFieldStart("backupPins");
        for (Pin pin : backupPins) {
          g.writeString(pin.toString());
        }
        g.writeEndArray();
        if (certbot != null) {
          g.writeObjectFieldStart("certbot");
          g.writeStringField("certName", certbot.name());
          g.writeBooleanField("reuseKey", certbot.reuseKey());
          g.writeStringField("renewalDue", certbot.renewalDue(leaf.notAfter()).toString());
          if (certbotWarning != null) {
            g.writeStringField("warning", certbotWarning);
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      });
      return exit(daysLeft, certbotWarning);
    }
    out.println("Leaf " + leaf.subject() + " (pin " + leaf.pin() + ") expires " + expiry + ".");
    out.println("max-age " + maxAgeText + ": start any renewal by " + startBy
        + " (30 days + max-age before expiry) — "
        + (daysLeft >= 0 ? daysLeft + " days from " + now + "." : "OVERDUE by " + -daysLeft
        + " days: the old key must stay pinned until max-age has passed."));
    if (certbot != null) {
      out.println(certbotWarning != null ? "warning: " + Printable.escape(certbotWarning)
          : "certbot: " + certbot.conf().map(Path::toString).orElse("") + " sets reuse_key ="
          + " True: the next renewal (due about " + certbot.renewalDue(leaf.notAfter())
          + ") keeps the key.");
    }
    out.println();
    out.println("1. Reuse the key (the header does not change)");
    out.println("   " + by + "  request a new certificate for the same key (reuse its"
        + " CSR); deploy it. Pins stay valid: a pin is of the key, not the certificate.");
    out.println();
    out.println("2. Switch to the backup key");
    if (backupText == null) {
      out.println("   (no --backup given: without a backup key this way is closed — make one"
          + " now with 'hpkp backup-key')");
    } else {
      out.println("   " + by + "  request a certificate for the backup key "
          + backupText + " (send its CSR to the CA)");
      out.println("   " + by + "  generate a new backup key: hpkp backup-key --out"
          + " backup-next --subject '" + leaf.subject() + "'");
      out.println("   " + by + "  deploy the new certificate and, with it, the header"
          + " with " + leaf.pin() + " replaced by the new backup's pin (" + backupText
          + " stays: it is now the key in use)");
    }
    out.println();
    out.println("3. Move to a new key");
    out.println("   " + by + "  generate the new key and add its pin to the header (3 pins"
        + " or more: current, new, backup); deploy the header");
    out.println("   wait max-age (" + maxAgeText + ") so every client has seen the new pin");
    out.println("   " + (switchBy.isBefore(now) ? "overdue since " : "on ") + switchBy
        + "  deploy the certificate on the new key; remove "
        + leaf.pin() + " from the header; make a new backup key ('hpkp backup-key')");
    return exit(daysLeft, certbotWarning);
  }

  /** An overdue renewal and certbot's new key are warnings: exit 1 with --strict. */
  private int exit(long daysLeft, String certbotWarning) {
    return strict.exit(false, daysLeft < 0 || certbotWarning != null);
  }

  private static LocalDate date(Instant instant) {
    return instant.atZone(ZoneOffset.UTC).toLocalDate();
  }
}
