package dev.hpkp.report;

import dev.hpkp.config.ConfigurationException;
import dev.hpkp.config.Wording;

/**
 * A report collector setting that cannot be used; it carries the parameter, the value, the
 * problem and the fix. {@link HpkpReportServlet#init} turns it into the servlet's refusal to
 * start.
 */
public class CollectorConfigurationException extends ConfigurationException {

  public CollectorConfigurationException(String parameter, String value, Wording problem,
      Wording fix, Throwable cause) {
    super(parameter, value, problem, fix, cause);
  }

  /** A refusal whose problem and fix (null when the problem says it) name no other setting. */
  public CollectorConfigurationException(String parameter, String value, String problem,
      String fix, Throwable cause) {
    this(parameter, value, Wording.text(problem), fix == null ? null : Wording.text(fix), cause);
  }
}
