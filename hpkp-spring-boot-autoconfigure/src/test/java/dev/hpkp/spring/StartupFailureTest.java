package dev.hpkp.spring;

import dev.hpkp.springapp.TlsApp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

/**
 * What a Boot user sees when the policy would hurt the site: Boot's failure analyzers (ours is
 * registered in META-INF/spring.factories) turn the start-up failure into the "APPLICATION
 * FAILED TO START" block, made here from the same description and action.
 */
class StartupFailureTest {

  @Test
  void aBackupPinInTheBundlesChainStopsTheApplication() {
    List<String> args = new ArrayList<>();
    for (String property : TlsApp.tls()) {
      args.add("--" + property);
    }
    args.add("--server.port=0");
    args.add("--hpkp.pins=" + TlsApp.PKI.leafPin());
    args.add("--hpkp.backup-pins=" + TlsApp.PKI.intermediatePin());
    args.add("--hpkp.report-uri=https://reports.example.net/hpkp");

    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
        () -> SpringApplication.run(TlsApp.class, args.toArray(String[]::new)));
    assertThat(failure).hasRootCauseInstanceOf(dev.hpkp.policy.PolicyException.class);

    @SuppressWarnings("deprecation")
    List<String> registered = org.springframework.core.io.support.SpringFactoriesLoader
        .loadFactoryNames(org.springframework.boot.diagnostics.FailureAnalyzer.class, null);
    assertThat(registered).contains(HpkpFailureAnalyzer.class.getName());
    org.springframework.boot.diagnostics.FailureAnalysis analysis =
        new HpkpFailureAnalyzer().analyze(failure);
    String block = "APPLICATION FAILED TO START\n\nDescription:\n\n" + analysis.getDescription()
        + "\n\nAction:\n\n" + analysis.getAction();

    assertThat(block).contains("APPLICATION FAILED TO START",
        "Description:\n\nhpkp.backup-pins: " + TlsApp.PKI.intermediatePin() + " matches the"
            + " intermediate certificate",
        "Action:\n\nA backup pin must be a key that is NOT deployed yet");
  }
}
