package dev.hpkp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;

/** {@code hpkp --version}: the version the build wrote, and the commit it was built from. */
final class Version implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"hpkp " + version() + " (commit " + commit() + ")"};
  }

  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // a missing or unreadable resource: the version is unknown, as said below
    }
    String version = properties.getProperty("version", "");
    return version.isBlank() || version.startsWith("${") ? "(unknown version)" : version;
  }

  static String commit() {
    try (InputStream in = Version.class.getResourceAsStream("commit.txt")) {
      String commit = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.US_ASCII)
          .strip();
      return commit.matches("[0-9a-f]{7,40}") ? commit : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }
}
