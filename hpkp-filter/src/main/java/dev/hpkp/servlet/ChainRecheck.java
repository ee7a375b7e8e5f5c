package dev.hpkp.servlet;

import dev.hpkp.config.Wording;
import dev.hpkp.policy.ChainVerdict;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Judging a served chain that changed while the server runs, the same way wherever it changes
 * (the filter's watched file, a reloaded Spring Boot SSL bundle): a chain that cannot be read is
 * judged once more after a pause, since an ACME client may still be writing it, and a file read
 * half-written never raises a lockout.
 */
public final class ChainRecheck {

  private ChainRecheck() {}

  /**
   * {@code judge}'s verdict; when it is {@link ChainVerdict.Kind#UNREADABLE}, the verdict of one
   * more call after {@code retryAfter}.
   */
  public static ChainVerdict judge(Supplier<ChainVerdict> judge, Duration retryAfter) {
    ChainVerdict verdict = judge.get();
    if (verdict.kind() != ChainVerdict.Kind.UNREADABLE) {
      return verdict;
    }
    try {
      Thread.sleep(retryAfter.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return verdict;
    }
    return judge.get();
  }

  /**
   * The line a running server logs for {@code verdict}, at {@link ChainVerdict.Kind#level()}:
   * {@code who}, what changed, the verdict's code and its sentence.
   */
  public static String line(String who, String what, ChainVerdict verdict, Wording.Names names) {
    return who + ": " + what + " changed: " + verdict.kind().code() + ": "
        + verdict.sentence(names) + switch (verdict.kind()) {
          case PINNED -> "";
          case UNREADABLE -> " (the policy in force is unchanged; the chain is judged again when"
              + " it changes)";
          default -> " (the header is unchanged: user agents note pins only from a chain that"
              + " matches one, RFC 7469 §2.5)";
        };
  }
}
