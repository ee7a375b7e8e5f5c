package dev.hpkp.text;

import java.util.Locale;

/**
 * Text from outside (a report's subject, a hostname, an exception message that quotes input) made
 * safe for one log line or one error line: no character survives that could start a new line,
 * move the cursor or recolour a terminal. The one place every sink, error path and command uses.
 */
public final class Printable {

  private Printable() {}

  /**
   * {@code text} with C0 and C1 control characters, DEL and the Unicode line and paragraph
   * separators written as escapes ({@code \n}, {@code \r}, {@code \t}, otherwise
   * {@code \u001b} style); everything else unchanged. Null becomes {@code null}.
   */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int first = 0;
    while (first < text.length() && !needsEscape(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!needsEscape(c)) {
        out.append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  /**
   * A library's exception message without the Java class names it quotes
   * ({@code java.io.IOException: Parse Generalized time} → {@code Parse Generalized time}),
   * escaped as {@link #escape} does.
   */
  public static String message(String message) {
    return escape(message == null ? "" : message.replaceAll(
        "(?:[A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*(?:Exception|Error): ", ""));
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
  }
}
