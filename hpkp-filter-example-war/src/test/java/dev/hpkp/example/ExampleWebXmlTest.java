package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's web.xml as a team copies it into a stock container: with only its key directory
 * named (-Dhpkp.example.dir), it starts report-only, reporting to its own collector.
 */
class ExampleWebXmlTest {

  private static final Pattern FILTER = Pattern.compile(
      "(?s)<filter>\\s*<filter-name>hpkp</filter-name>(.*?)</filter>");
  private static final Pattern PARAM = Pattern.compile(
      "(?s)<param-name>(.*?)</param-name>\\s*<param-value>(.*?)</param-value>");

  @TempDir Path dir;

  @Test
  void startsReportOnlyWithOnlyTheKeyDirectoryNamed() throws Exception {
    String webXml = Files.readString(Path.of("src/main/webapp/WEB-INF/web.xml"));
    Matcher filter = FILTER.matcher(webXml);
    assertThat(filter.find()).isTrue();
    Map<String, String> params = new LinkedHashMap<>();
    Matcher param = PARAM.matcher(filter.group(1));
    while (param.find()) {
      params.put(param.group(1).strip(), param.group(2).strip());
    }
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    String before = System.getProperty("hpkp.example.dir");
    System.setProperty("hpkp.example.dir", data.toString());
    try {
      assertThat(System.getProperty("hpkp.example.reportOnly")).isNull();
      assertThat(System.getProperty("hpkp.example.reportUri")).isNull();

      PinPolicy policy = HpkpConfig.of(params, "init-param of filter hpkp").toPolicy();

      assertThat(policy.reportOnly()).isTrue();
      assertThat(policy.headerValue()).endsWith(
          "; max-age=600; report-uri=\"https://localhost:8443/hpkp-report\"");
    } finally {
      if (before == null) {
        System.clearProperty("hpkp.example.dir");
      } else {
        System.setProperty("hpkp.example.dir", before);
      }
    }
  }
}
