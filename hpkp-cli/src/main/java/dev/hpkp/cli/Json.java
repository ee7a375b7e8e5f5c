package dev.hpkp.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

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
}
