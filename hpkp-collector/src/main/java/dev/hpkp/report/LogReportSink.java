package dev.hpkp.report;

import dev.hpkp.text.Printable;
import java.lang.System.Logger.Level;

/** One WARNING line per report through {@link System.Logger}: summary fields only. */
public final class LogReportSink implements ReportSink {

  private static final System.Logger LOG = System.getLogger(LogReportSink.class.getName());

  @Override
  public void accept(ReceivedReport received) {
    PinFailureReport report = received.report();
    // Every field is the reporter's text: escaped, so no report can forge or split a log line.
    LOG.log(Level.WARNING, () -> Printable.escape("HPKP report from "
        + received.remoteAddress() + ": host=" + report.hostAndPort()
        + " noted-hostname=" + report.notedHostname()
        + " verdict=" + received.verdict().code() + " served-leaf=\""
        + received.servedLeafSubject() + "\" issuer=\"" + received.servedLeafIssuer()
        + "\" served-pins=" + received.servedPins().size() + " known-pins="
        + report.knownPins().size() + " — " + received.summary()));
  }
}
