package dev.hpkp.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** "APPLICATION FAILED TO START": the filter's sentence, then the fix. */
public final class HpkpFailureAnalyzer extends AbstractFailureAnalyzer<HpkpStartupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, HpkpStartupException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
