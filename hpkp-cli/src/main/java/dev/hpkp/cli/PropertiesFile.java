package dev.hpkp.cli;

import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The filter's properties file as settings, sorted by name; as the filter reads it (UTF-8). */
final class PropertiesFile {

  private PropertiesFile() {}

  /**
   * The settings {@code file} holds.
   *
   * @throws UsageException when it is no properties file
   */
  static Map<String, String> read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
      throw new UsageException(file + " is not a properties file (" + Printable.message(
          e.getMessage()) + ")", e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames().stream().sorted().toList()) {
      settings.put(name, properties.getProperty(name));
    }
    return settings;
  }
}
