package dev.hpkp.policy;

import dev.hpkp.config.ConfigurationException;
import dev.hpkp.config.Wording.Names;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a change of the served chain means for the clients that noted a policy: the start-up
 * checks of {@link PinPolicy.Builder#build()} applied to a new chain, sorted into what a renewal
 * can do. {@code hpkp guard}, the filter's re-check of a changed {@code servedChain} file and
 * Spring Boot's re-check of a reloaded SSL bundle all judge with this, so the same chain and
 * policy get the same verdict and the same sentence everywhere.
 */
public final class ChainVerdict {

  /** The kinds of verdict, from harmless to harmful. */
  public enum Kind {
    /** A pinned key is served and the policy would start: a renewal on a pinned key. */
    PINNED,
    /**
     * A backup key is served and no pin: clients still connect, but the policy must now pin the
     * backup ({@link Rule#ROTATED_ONTO_BACKUP}).
     */
    ROTATED_ONTO_BACKUP,
    /** No key clients hold is served: every client that noted the policy is locked out. */
    LOCKOUT,
    /** The policy would not start with this chain for another reason of the rule table. */
    REFUSED,
    /** The chain could not be read (missing, half-written, not a certificate): no verdict. */
    UNREADABLE;

    /** Whether the chain can be put in service with the policy as it is (exit 0 in the CLI). */
    public boolean deployable() {
      return this == PINNED;
    }

    /**
     * How a running server logs the verdict on a changed chain: INFO for a pinned key, WARNING
     * for a rotation onto a backup and an unreadable file, ERROR for a lockout or a refusal.
     */
    public System.Logger.Level level() {
      return switch (this) {
        case PINNED -> System.Logger.Level.INFO;
        case ROTATED_ONTO_BACKUP, UNREADABLE -> System.Logger.Level.WARNING;
        case LOCKOUT, REFUSED -> System.Logger.Level.ERROR;
      };
    }

    /** Stable, for tools and metrics: {@code pinned}, {@code rotated-onto-backup}, … */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Kind kind;
  private final List<ChainCertificate> chain;
  private final PinPolicy policy;
  private final ConfigurationException refusal;

  private ChainVerdict(Kind kind, List<ChainCertificate> chain, PinPolicy policy,
      ConfigurationException refusal) {
    this.kind = kind;
    this.chain = List.copyOf(chain);
    this.policy = policy;
    this.refusal = refusal;
  }

  /** The verdict on a policy that was built against its served chain. */
  public static ChainVerdict of(PinPolicy policy) {
    return new ChainVerdict(Kind.PINNED, policy.servedChain(), policy, null);
  }

  /** The verdict on a policy that was refused with {@code refusal} for {@code chain}. */
  public static ChainVerdict refused(List<ChainCertificate> chain, PolicyException refusal) {
    Rule rule = refusal.rule();
    Kind kind = rule == Rule.NO_PIN_MATCHES_CHAIN ? Kind.LOCKOUT
        : rule == Rule.ROTATED_ONTO_BACKUP ? Kind.ROTATED_ONTO_BACKUP : Kind.REFUSED;
    return new ChainVerdict(kind, chain, null, refusal);
  }

  /** A chain that could not be read: {@code problem} says why, under the setting that named it. */
  public static ChainVerdict unreadable(ConfigurationException problem) {
    return new ChainVerdict(Kind.UNREADABLE, List.of(), null,
        Objects.requireNonNull(problem, "problem"));
  }

  public Kind kind() {
    return kind;
  }

  /** The chain judged, as user agents validate it (leaf first); empty when unreadable. */
  public List<ChainCertificate> chain() {
    return chain;
  }

  /** The policy, when it starts with this chain. */
  public Optional<PinPolicy> policy() {
    return Optional.ofNullable(policy);
  }

  /** Why the policy does not start with this chain; empty for {@link Kind#PINNED}. */
  public Optional<ConfigurationException> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** The served leaf's pin: the key a renewal put in service; empty when unreadable. */
  public Optional<Pin> leafPin() {
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).pin());
  }

  /**
   * What {@code pin} matches in the judged chain, e.g. {@code leaf CN=shop.example}; {@code not
   * served} when nothing.
   */
  public String matches(Pin pin) {
    for (ChainCertificate certificate : chain) {
      if (certificate.pin().equals(pin)) {
        return certificate.role() + " " + certificate.subject();
      }
    }
    return "not served";
  }

  /** {@link #sentence(Names)} with the settings named as the filter's parameters. */
  public String sentence() {
    return sentence(Names.AS_WRITTEN);
  }

  /**
   * The verdict in one sentence with its fix, the settings named by {@code names}: for a refusal
   * the rule table's own sentence, exactly as the filter refuses to start with it.
   */
  public String sentence(Names names) {
    if (refusal != null) {
      return refusal.message(names);
    }
    ChainCertificate leaf = chain.get(0);
    List<Pin> pins = policy.pins();
    String pinned = pins.contains(leaf.pin()) ? "the leaf's key " + leaf.pin() + " is pinned"
        : "a pinned key is in the chain (" + pins.stream().filter(p -> !"not served"
        .equals(matches(p))).map(p -> p + " = " + matches(p)).findFirst().orElse("") + ")";
    return "the served chain (leaf " + leaf.subject() + ", expires " + leaf.notAfter() + ") keeps"
        + " the pins: " + pinned + ", so clients that noted the policy connect as before";
  }

  @Override
  public String toString() {
    return kind + ": " + sentence();
  }
}
