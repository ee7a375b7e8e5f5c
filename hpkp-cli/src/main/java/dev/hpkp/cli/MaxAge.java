package dev.hpkp.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --max-age} as seconds ({@code 600}) or with a unit: {@code 600s}, {@code 10m}, {@code
 * 12h}, {@code 60d}.
 */
final class MaxAge implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (!text.isEmpty() && "smhd".indexOf(text.charAt(text.length() - 1)) >= 0) {
      unit = switch (text.charAt(text.length() - 1)) {
        case 'm' -> 60;
        case 'h' -> 3_600;
        case 'd' -> 86_400;
        default -> 1;
      };
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty() || text.length() > 15
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new TypeConversionException("'" + value + "' is not a max-age: write seconds (600)"
          + " or a whole number with s, m, h or d (60d), in ASCII digits");
    }
    return Long.parseLong(text) * unit;
  }

  /** {@code 600 s (10 minutes)}, {@code 5184000 s (60 days)}. */
  static String describe(long seconds) {
    String human = seconds % 86_400 == 0 && seconds > 0 ? seconds / 86_400 + " days"
        : seconds % 3_600 == 0 && seconds > 0 ? seconds / 3_600 + " hours"
        : seconds % 60 == 0 && seconds > 0 ? seconds / 60 + " minutes"
        : seconds >= 86_400 ? String.format(Locale.ROOT, "%.1f days", seconds / 86_400.0)
        : seconds + " seconds";
    return seconds + " s (" + human + ")";
  }
}
