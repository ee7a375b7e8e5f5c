package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page shows hpkp watch's newest alerts, escaped, newest first. */
class CtAlertsTest {

  @TempDir Path dir;

  private String section(Path file) {
    StringWriter out = new StringWriter();
    CtAlerts.section(new PrintWriter(out), file.toString());
    return out.toString();
  }

  @Test
  void theNewestAlertsComeFirstAndTheirTextIsEscaped() throws Exception {
    Path file = Files.writeString(dir.resolve("alerts.jsonl"),
        "{\"kind\":\"ct-unpinned-issuance\",\"message\":\"first <script>\"}\n"
        + "{\"kind\":\"log-misbehaviour\",\"message\":\"second\"}\n{\"torn\":");

    String html = section(file);

    assertThat(html).contains("<h2>Certificate Transparency</h2>", "first &lt;script&gt;")
        .doesNotContain("<script>");
    assertThat(html.indexOf("second")).isLessThan(html.indexOf("first"));
  }

  @Test
  void withoutAlertsItSaysSoAndWithoutTheWatchItIsNotShown() {
    assertThat(section(dir.resolve("none.jsonl"))).contains("found no certificate");
    StringWriter out = new StringWriter();
    CtAlerts.section(new PrintWriter(out), null);
    assertThat(out.toString()).isEmpty();
  }
}
