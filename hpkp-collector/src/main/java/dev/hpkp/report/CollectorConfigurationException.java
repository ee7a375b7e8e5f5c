package dev.hpkp.report;

import dev.hpkp.config.ConfigurationException;

/**
 * A report collector setting that cannot be used; the message names the init-param, the value
 * and the fix. {@link HpkpReportServlet#init} turns it into the servlet's refusal to start.
 */
public class CollectorConfigurationException extends ConfigurationException {

  public CollectorConfigurationException(String parameter, String message) {
    super(parameter, message, null);
  }

  public CollectorConfigurationException(String parameter, String message, Throwable cause) {
    super(parameter, message, cause);
  }
}
