package dev.hpkp.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void noControlCharacterSurvivesAndTheTextStaysReadable() {
    String forged = "CN=evil\n2026-01-01 00:00:00.000:INFO :oejs.Server:main: FORGED\r\u001b[2J"
        + "\u0000\u007f\u0085\u2028\t";
    String escaped = Printable.escape(forged);
    assertThat(escaped).isEqualTo("CN=evil\\n2026-01-01 00:00:00.000:INFO :oejs.Server:main:"
        + " FORGED\\r\\u001b[2J\\u0000\\u007f\\u0085\\u2028\\t");
    assertThat(escaped.chars()).noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f);
  }

  @Test
  void ordinaryTextIsReturnedAsItIs() {
    String text = "CN=Bücher GmbH, O=例え \\n (a backslash and an n)";
    assertThat(Printable.escape(text)).isSameAs(text);
    assertThat(Printable.escape(null)).isEqualTo("null");
  }

  @Test
  void messagesLoseTheJavaClassNamesTheyQuote() {
    assertThat(Printable.message("bad (java.io.IOException: Parse Generalized time, invalid"
        + " format)")).isEqualTo("bad (Parse Generalized time, invalid format)");
    assertThat(Printable.message("x (sun.security.provider.certpath"
        + ".SunCertPathBuilderException: unable to find valid certification path)"))
        .isEqualTo("x (unable to find valid certification path)");
  }
}
