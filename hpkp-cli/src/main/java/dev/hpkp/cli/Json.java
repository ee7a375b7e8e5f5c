package dev.hpkp.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.hpkp.policy.Finding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;

/** Pretty JSON output through Jackson's streaming generator. */
final class Json {

  private static final JsonFactory FACTORY = new JsonFactory();

  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private Json() {}

  static void print(PrintWriter out, Body body) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      json.setPrettyPrinter(new DefaultPrettyPrinter());
      body.write(json);
    }
    out.println(text);
  }

  /**
   * Findings as the rule table shapes them: code, severity, RFC section, message, and the
   * message's parts (the value at fault when there is one, the problem, the fix when there is
   * one).
   */
  static void findings(JsonGenerator json, String field,
      List<Finding> findings) throws IOException {
    json.writeArrayFieldStart(field);
    for (Finding finding : findings) {
      json.writeStartObject();
      json.writeStringField("code", finding.code());
      json.writeStringField("severity", finding.severity().name().toLowerCase(
          Locale.ROOT));
      json.writeStringField("section", finding.rule().section());
      json.writeStringField("message", finding.message());
      if (finding.value() != null) {
        json.writeStringField("value", finding.value());
      }
      json.writeStringField("problem", finding.problem().toString());
      if (finding.fix() != null) {
        json.writeStringField("fix", finding.fix().toString());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
  }
}
