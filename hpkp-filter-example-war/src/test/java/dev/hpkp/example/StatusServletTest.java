package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusServletTest {

  @Test
  void reportersAreShownWithoutTheirHostPart() {
    assertThat(StatusServlet.masked("203.0.113.77")).isEqualTo("203.0.113.x");
    assertThat(StatusServlet.masked("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2::/64");
    assertThat(StatusServlet.masked("::1")).isEqualTo("(masked)");
  }

  @Test
  void subjectsCanNeitherInjectMarkupNorShowControlCharacters() {
    assertThat(StatusServlet.esc("CN=<script>\u001b[2J\n"))
        .isEqualTo("CN=&lt;script&gt;\\u001b[2J\\n");
  }
}
