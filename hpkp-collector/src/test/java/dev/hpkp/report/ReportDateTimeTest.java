package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReportDateTimeTest {

  @Test
  void theShapeUserAgentsSendIsReadWithoutTheFormatter() {
    for (String text : new String[] {"2014-04-06T13:00:50Z", "2014-04-06t13:00:50z",
        "2014-04-06 13:00:50Z", "2014-04-06T13:00:50.1Z", "2014-04-06T13:00:50.123456789Z",
        "2014-04-06T13:00:50+05:30", "2014-04-06T13:00:50-08:00", "2016-02-29T23:59:59-00:00"}) {
      assertThat(ReportDateTime.common(text)).as(text).isNotNull()
          .isEqualTo(ReportDateTime.formatter(text));
    }
    assertThat(ReportDateTime.parse("2014-04-06T13:00:50.5+01:00"))
        .isEqualTo(OffsetDateTime.parse("2014-04-06T13:00:50.500+01:00"));
  }

  @Test
  void everythingElseIsLeftToTheFormatter() {
    for (String text : new String[] {"2014-02-30T00:00:00Z", "2015-02-29T00:00:00Z",
        "2014-04-06T24:00:00Z", "2014-04-06T23:59:60Z", "2014-13-01T00:00:00Z",
        "2014-04-06T13:00:50+19:00", "2014-04-06T13:00:50+01:60", "2014-04-06T13:00:50.Z",
        "2014-04-06T13:00:50.1234567890Z", "2014-04-06T13:00Z", "2014-04-06T13:00:50",
        "2014-04-06T13:00:50+0100", "2014-04-06T13:00:50+01", "2014-04-06X13:00:50Z",
        "+2014-04-06T13:00:50Z", "2014-04-06T13:00:50Z ", "2014-04-06T13:00:5\u0661Z"}) {
      assertThat(ReportDateTime.common(text)).as(text).isNull();
    }
    assertThat(ReportDateTime.parse("2014-04-06T13:00Z"))
        .as("the formatter's own reading stands").isEqualTo("2014-04-06T13:00Z");
    assertThatThrownBy(() -> ReportDateTime.parse("2014-02-30T00:00:00Z"))
        .isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void whateverTheFieldReadingAcceptsTheFormatterAcceptsAlikeInHalfAMillionNearMisses() {
    Random random = new Random(7469);
    int taken = 0;
    for (int i = 0; i < 500_000; i++) {
      String text = nearMiss(random);
      OffsetDateTime common = ReportDateTime.common(text);
      if (common != null) {
        taken++;
        assertThat(ReportDateTime.formatter(text)).as(text).isEqualTo(common);
      }
    }
    assertThat(taken).as("enough of them take the fast reading").isGreaterThan(50_000);
  }

  /** A date-time in the common shape with each part sometimes out of range or malformed. */
  private static String nearMiss(Random random) {
    StringBuilder text = new StringBuilder();
    text.append(digits(random, 4, 0, 9999)).append(pick(random, "-", "-", "-", "/"))
        .append(digits(random, 2, 0, 13)).append('-').append(digits(random, 2, 0, 32))
        .append(pick(random, "T", "t", " ", "T", "_"))
        .append(digits(random, 2, 0, 25)).append(':').append(digits(random, 2, 0, 61))
        .append(pick(random, ":", ":", ":", "")).append(digits(random, 2, 0, 61));
    if (random.nextInt(3) == 0) {
      text.append('.').append(digits(random, random.nextInt(11), 0, Integer.MAX_VALUE));
    }
    switch (random.nextInt(6)) {
      case 0 -> text.append('Z');
      case 1 -> text.append('z');
      case 2 -> text.append(pick(random, "+", "-")).append(digits(random, 2, 0, 19)).append(':')
          .append(digits(random, 2, 0, 61));
      case 3 -> text.append(pick(random, "+", "-")).append(digits(random, 2, 0, 19))
          .append(digits(random, 2, 0, 61));
      case 4 -> text.append(pick(random, "Z ", "", "+1:00", "UTC"));
      default -> text.append("+00:00");
    }
    return text.toString();
  }

  private static String digits(Random random, int count, int min, int max) {
    if (count == 0) {
      return "";
    }
    long bound = (long) Math.pow(10, count);
    long value = min + (long) (random.nextDouble() * Math.min(bound, (long) max - min + 1));
    String text = Long.toString(value % bound);
    return "0".repeat(count - text.length()) + text;
  }

  private static String pick(Random random, String... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
