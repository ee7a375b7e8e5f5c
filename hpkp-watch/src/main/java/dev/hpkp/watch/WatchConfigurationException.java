package dev.hpkp.watch;

import dev.hpkp.config.ConfigurationException;
import dev.hpkp.config.Wording;

/**
 * A watch setting that cannot be used ({@link WatchSettings}): the setting, the value, what is
 * wrong and the fix, each front end naming the settings its own way ({@code --log-key}, {@code
 * hpkp.watch.logs[0].key}).
 */
public final class WatchConfigurationException extends ConfigurationException {

  private static final long serialVersionUID = 1L;

  WatchConfigurationException(String parameter, String value, Wording problem, Wording fix,
      Throwable cause) {
    super(parameter, value, problem, fix, cause);
  }

  WatchConfigurationException(String parameter, String value, String problem, String fix,
      Throwable cause) {
    this(parameter, value, Wording.text(problem), fix == null ? null : Wording.text(fix), cause);
  }
}
