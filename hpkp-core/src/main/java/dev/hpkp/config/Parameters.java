package dev.hpkp.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every setting of this library follows, whichever module reads it: known names only
 * (with a suggestion for a near miss), {@code ${env:…}}/{@code ${sys:…}} placeholders, booleans
 * that are exactly {@code true} or {@code false}, whole numbers that are whole numbers. Errors
 * are of the caller's own {@link ConfigurationException} type.
 */
public final class Parameters {

  /** Makes the caller's exception for a parameter, its value, the problem and the fix. */
  @FunctionalInterface
  public interface Errors {
    ConfigurationException error(String parameter, String value, Wording problem, Wording fix,
        Throwable cause);
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private final Errors errors;

  public Parameters(Errors errors) {
    this.errors = errors;
  }

  /**
   * Fails unless {@code name} is one of {@code known}, suggesting the nearest known name.
   *
   * @param where names the source in the message, e.g. {@code init-param of filter hpkp}
   */
  public void checkKnown(String name, List<String> known, String where) {
    if (known.contains(name)) {
      return;
    }
    Wording hint = nearest(name, known)
        .map(nearest -> Wording.text("did you mean ").setting(nearest).append("?"))
        .orElse(Wording.text("known parameters are " + String.join(", ", known)));
    throw errors.error(name, null, Wording.text("unknown parameter in " + where), hint, null);
  }

  /**
   * The known name {@code name} most likely misspells, if one is near enough to suggest: equal
   * but for case and punctuation, a prefix of at least four letters, or a few letters apart.
   */
  public static Optional<String> nearest(String name, List<String> known) {
    // Compare without case and punctuation, so header spellings (max-age, report-uri) and
    // prefixes (maxAge) find their parameter.
    String wanted = normalize(name);
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String candidateName : known) {
      String candidate = normalize(candidateName);
      int distance = candidate.startsWith(wanted) && wanted.length() >= 4 ? 0
          : distance(wanted, candidate);
      if (distance < best) {
        best = distance;
        nearest = candidateName;
      }
    }
    if (wanted.startsWith("pinsha") && known.contains("pins")) {
      nearest = "pins";
      best = 0;
    }
    return best <= Math.max(2, wanted.length() / 3) ? Optional.of(nearest)
        : Optional.empty();
  }

  /** {@code value} as a boolean: null gives the default, anything but true/false is an error. */
  public boolean bool(String name, String value, boolean defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    String trimmed = value.strip();
    if (trimmed.equals("true")) {
      return true;
    }
    if (trimmed.equals("false")) {
      return false;
    }
    throw errors.error(name, value, Wording.text("'" + value + "' is not a boolean"),
        Wording.text("write exactly true or false (default " + defaultValue + ")"), null);
  }

  /**
   * {@code value} as a whole number from {@code min} to {@code max}; null gives the default.
   * {@code unit} completes the message, e.g. {@code bytes}.
   */
  public long range(String name, String value, long defaultValue, long min, long max,
      String unit) {
    if (value == null) {
      return defaultValue;
    }
    long parsed = wholeNumber(value.strip());
    if (parsed < min || parsed > max) {
      throw errors.error(name, value, Wording.text("'" + value + "' is not a whole number of "
          + unit + " from " + min + " to " + max + " (default " + defaultValue + ")"), null,
          null);
    }
    return parsed;
  }

  /**
   * {@code value} as a time from {@code min} to {@code max}: a whole number of seconds, or a
   * whole number with a unit ({@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}, {@code 1d}),
   * in ASCII digits; null gives the default.
   */
  public Duration duration(String name, String value, Duration defaultValue, Duration min,
      Duration max) {
    if (value == null) {
      return defaultValue;
    }
    Duration parsed = duration(value.strip());
    if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw errors.error(name, value, Wording.text("'" + value + "' is not a time from "
          + text(min) + " to " + text(max) + " (default " + text(defaultValue) + ")"),
          Wording.text("write a whole number of seconds, or one with a unit: 500ms, 60s, 5m,"
          + " 1h, 1d"), null);
    }
    return parsed;
  }

  /** {@code text} as {@link #duration} reads it, or null. */
  private static Duration duration(String text) {
    int digits = 0;
    while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
      digits++;
    }
    long amount = wholeNumber(text.substring(0, digits));
    if (amount < 0 || amount > 1_000_000_000L) {
      return null;
    }
    return switch (text.substring(digits)) {
      case "ms" -> Duration.ofMillis(amount);
      case "", "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> null;
    };
  }

  /**
   * {@code duration} in the largest unit that writes it whole, as {@link #duration} reads it:
   * {@code 60s}, {@code 1d}, {@code 1500ms}.
   */
  public static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s"; // as a setting is most likely written
    }
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    return seconds % 86_400 == 0 ? seconds / 86_400 + "d" : seconds % 3600 == 0
        ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /**
   * {@code text} as a whole number written in ASCII digits only, or -1: Java's own parsing
   * would also take other scripts' digits ('٣', '６'), a sign, or a number past a long.
   */
  public static long wholeNumber(String text) {
    if (text.isEmpty() || text.length() > 19
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1; // 19 digits past Long.MAX_VALUE
    }
  }

  /** Replaces {@code ${env:NAME}}, {@code ${sys:name}} and their {@code :-default} forms. */
  public String resolvePlaceholders(String name, String raw,
      Function<String, String> environment, Function<String, String> systemProperties) {
    if (raw == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(raw);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String expression = matcher.group(1);
      String key = expression;
      String fallback = null;
      int dash = expression.indexOf(":-");
      if (dash >= 0) {
        key = expression.substring(0, dash);
        fallback = expression.substring(dash + 2);
      }
      String value;
      if (key.startsWith("env:")) {
        value = environment.apply(key.substring(4));
      } else if (key.startsWith("sys:")) {
        value = systemProperties.apply(key.substring(4));
      } else {
        throw errors.error(name, raw, Wording.text("'${" + expression + "}' is not a known"
            + " placeholder"), Wording.text("write ${env:NAME} for an environment variable or"
            + " ${sys:name} for a system property"), null);
      }
      if (value == null) {
        if (fallback == null) {
          throw errors.error(name, raw, Wording.text("'${" + expression + "}' is not set ("
              + (key.startsWith("env:") ? "environment variable " : "system property ")
              + key.substring(4) + " is undefined)"), Wording.text("define it, or give a default"
              + " with ${" + key + ":-default} in a properties file or in code (in web.xml,"
              + " Tomcat replaces ${…:-…} itself before the application sees it)"), null);
        }
        value = fallback;
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1),
            previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
