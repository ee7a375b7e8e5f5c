package dev.hpkp.watch;

import java.util.Locale;

/** The API a CT log serves, as settings and log lists name it. */
public enum LogApi {
  /** The Static CT API (c2sp.org/static-ct-api): a checkpoint and tiles. */
  STATIC,
  /** RFC 6962's {@code get-sth}, {@code get-sth-consistency} and {@code get-entries}. */
  RFC6962;

  /** {@code static} or {@code rfc6962}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The API named {@code text} ({@code static} or {@code rfc6962}), or null. */
  static LogApi of(String text) {
    for (LogApi api : values()) {
      if (api.value().equals(text)) {
        return api;
      }
    }
    return null;
  }
}
