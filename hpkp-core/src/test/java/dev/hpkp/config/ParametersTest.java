package dev.hpkp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings' shared rules, in core where they live (they were tested only through users). */
class ParametersTest {

  /** A module's own configuration exception, as the filter's and the collector's are. */
  static final class Refused extends ConfigurationException {
    Refused(String parameter, String value, Wording problem, Wording fix, Throwable cause) {
      super(parameter, value, problem, fix, cause);
    }
  }

  private static final Parameters RULES = new Parameters(Refused::new);

  @Test
  void wholeNumbersAreAsciiDigitsOnlyAndFitALong() {
    assertThat(Parameters.wholeNumber("0")).isZero();
    assertThat(Parameters.wholeNumber("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    for (String bad : List.of("", "-1", "+1", "1.5", " 1", "١٢", "６０", "9223372036854775808",
        "12345678901234567890", "0x10", "1\u0000")) {
      assertThat(Parameters.wholeNumber(bad)).as(bad).isEqualTo(-1);
    }
  }

  @Test
  void durationsAreSecondsOrWholeNumbersWithAUnit() {
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofDays(1);
    Duration standard = Duration.ofSeconds(60);
    assertThat(RULES.duration("i", null, standard, min, max)).isEqualTo(standard);
    assertThat(RULES.duration("i", "90", standard, min, max)).hasSeconds(90);
    assertThat(RULES.duration("i", " 5m ", standard, min, max)).hasMinutes(5);
    assertThat(RULES.duration("i", "1500ms", standard, min, max)).hasMillis(1500);
    assertThat(RULES.duration("i", "24h", standard, min, max)).isEqualTo(max);
    assertThat(RULES.duration("i", "1d", standard, min, max)).isEqualTo(max);
    for (String bad : List.of("", "0", "999ms", "25h", "2d", "-5s", "5 m", "5M", "PT60S", "١٠s",
        "1.5s", "s", "99999999999999999999s", "1\u0000s", "x".repeat(10_000))) {
      assertThatThrownBy(() -> RULES.duration("i", bad, standard, min, max)).as(bad)
          .isInstanceOf(Refused.class)
          .hasMessageStartingWith("i: '" + bad + "' is not a time from 1s to 1d (default 1m);"
              + " write a whole number of seconds, or one with a unit");
    }
    for (Duration each : List.of(Duration.ofMillis(1500), Duration.ofSeconds(90),
        Duration.ofMinutes(5), Duration.ofHours(36), Duration.ofDays(2), Duration.ZERO)) {
      assertThat(RULES.duration("i", Parameters.text(each), standard, Duration.ZERO,
          Duration.ofDays(9))).isEqualTo(each);
    }
    assertThat(Parameters.text(Duration.ofSeconds(86_400))).isEqualTo("1d");
    assertThat(Parameters.text(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Parameters.text(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void rangesNameTheParameterTheValueAndTheBounds() {
    assertThat(RULES.range("n", null, 7, 1, 10, "seconds")).isEqualTo(7);
    assertThat(RULES.range("n", " 10 ", 7, 1, 10, "seconds")).isEqualTo(10);
    assertThatThrownBy(() -> RULES.range("n", "11", 7, 1, 10, "seconds"))
        .isInstanceOf(Refused.class)
        .hasMessage("n: '11' is not a whole number of seconds from 1 to 10 (default 7)");
    assertThatThrownBy(() -> RULES.range("n", "٣", 7, 1, 10, "seconds"))
        .hasMessageStartingWith("n: '٣' is not a whole number of seconds");
  }

  @Test
  void booleansAreExactlyTrueOrFalse() {
    assertThat(RULES.bool("b", null, true)).isTrue();
    assertThat(RULES.bool("b", " false ", true)).isFalse();
    assertThatThrownBy(() -> RULES.bool("b", "yes", true))
        .hasMessage("b: 'yes' is not a boolean; write exactly true or false (default true)");
  }

  @Test
  void anUnknownNameGetsTheNearestKnownOne() {
    List<String> known = List.of("maxAgeSeconds", "reportUri", "pins");
    assertThatThrownBy(() -> RULES.checkKnown("max-age", known, "init-param of filter hpkp"))
        .isInstanceOfSatisfying(Refused.class, e -> {
          assertThat(e.parameter()).isEqualTo("max-age");
          assertThat(e.value()).isNull();
        })
        .hasMessage("max-age: unknown parameter in init-param of filter hpkp; did you mean"
            + " maxAgeSeconds?");
    assertThat(Parameters.nearest("pin-sha256", known)).contains("pins");
    assertThat(Parameters.nearest("zzzzzzzz", known)).isEmpty();
  }

  @Test
  void wordingFillsTheSettingsWithEachFrontEndsNames() {
    Wording words = Wording.text("set ").setting("reportUri").append(" or ")
        .setting("reportOnly", "false");
    assertThat(words.toString()).isEqualTo("set reportUri or reportOnly=false");
    assertThat(words.in((setting, value) -> "hpkp." + setting + (value == null ? ""
        : "=" + value))).isEqualTo("set hpkp.reportUri or hpkp.reportOnly=false");
    assertThat(words).isEqualTo(Wording.text("set ").setting("reportUri").append(" or ")
        .setting("reportOnly", "false"));

    Refused refused = new Refused("reportUri", "x", Wording.text("bad"), words, null);
    assertThat(refused.getMessage()).isEqualTo("reportUri: bad; set reportUri or"
        + " reportOnly=false");
    assertThat(refused.message((setting, value) -> "--" + setting)).isEqualTo("--reportUri:"
        + " bad; set --reportUri or --reportOnly");
    assertThat(refused.detail()).isEqualTo("bad; set reportUri or reportOnly=false");
  }
}
