package dev.hpkp.servlet;

import static dev.hpkp.servlet.HpkpConfig.SERVED_CHAIN;
import static dev.hpkp.servlet.HpkpConfig.SERVED_CHAIN_ALIAS;
import static dev.hpkp.servlet.HpkpConfig.SERVED_CHAIN_PASSWORD;
import static dev.hpkp.servlet.HpkpConfig.TRUST_STORE;
import static dev.hpkp.servlet.HpkpConfig.TRUST_STORE_PASSWORD;

import dev.hpkp.config.Wording;
import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * What a {@code file:} or {@code classpath:} reference in the filter's settings points at: key
 * files for pins, the served chain, the trust store. Every failure is a {@link PolicyException}
 * under the parameter that named the file.
 */
final class KeyReferences {

  /** A file's bytes and how messages name it. */
  record Loaded(byte[] content, String description) {}

  private final ClassLoader classLoader;
  private final Function<String, String> settings;
  private final Clock clock;

  KeyReferences(ClassLoader classLoader, Function<String, String> settings, Clock clock) {
    this.classLoader = classLoader;
    this.settings = settings;
    this.clock = clock;
  }

  List<KeyEntry> readKeys(String name, String reference) {
    Loaded loaded = load(name, reference);
    try {
      return KeyMaterial.read(loaded.content, loaded.description, null);
    } catch (KeyMaterialException e) {
      String note = e.reason() == KeyMaterialException.Reason.PASSWORD_REQUIRED
          || e.reason() == KeyMaterialException.Reason.WRONG_PASSWORD ? " (pin entries cannot"
          + " carry a password: reference the certificate, CSR or public key)" : "";
      throw new PolicyException(name, reference, e.fix() == null ? e.problem() + note
          : e.problem(), e.fix() == null ? null : e.fix() + note, e);
    }
  }

  /**
   * The chain user agents validate: the served certificates completed, by PKIX path building, to
   * a root of {@code trustStore} (the JVM's default trust store when unset), since servers do
   * not send the root. Without a path (a private CA not in the store) the served chain as is.
   */
  List<ChainCertificate> readServedChain(String reference) {
    Loaded loaded = load(SERVED_CHAIN, reference);
    String password = settings.apply(SERVED_CHAIN_PASSWORD);
    String alias = settings.apply(SERVED_CHAIN_ALIAS);
    List<X509Certificate> served;
    try {
      served = KeyMaterial.readServedCertificates(loaded.content, loaded.description,
          password == null ? null : password.toCharArray(),
          alias == null || alias.isBlank() ? null : alias.strip());
    } catch (KeyMaterialException e) {
      String parameter = switch (e.reason()) {
        case WRONG_PASSWORD, PASSWORD_REQUIRED -> SERVED_CHAIN_PASSWORD;
        case AMBIGUOUS_ALIAS -> SERVED_CHAIN_ALIAS;
        default -> SERVED_CHAIN;
      };
      throw fromKeyMaterial(parameter, reference, e);
    }
    return trustAnchors().validatedChain(served, clock.instant());
  }

  /** {@code served} as a user agent validates it: completed to a root of the trust store. */
  List<ChainCertificate> validatedChain(List<X509Certificate> served) {
    return trustAnchors().validatedChain(served, clock.instant());
  }

  private TrustAnchors trustAnchors() {
    String store = settings.apply(TRUST_STORE);
    if (store == null || store.isBlank()) {
      if (settings.apply(TRUST_STORE_PASSWORD) != null) {
        throw new PolicyException(TRUST_STORE_PASSWORD, null, Wording.text("set, but ")
            .setting(TRUST_STORE).append(" is not"), Wording.text("set ").setting(TRUST_STORE)
            .append(" to the keystore or PEM bundle of roots it opens, or remove it"), null);
      }
      return TrustAnchors.jvmDefault();
    }
    Loaded loaded = load(TRUST_STORE, store.strip());
    String password = settings.apply(TRUST_STORE_PASSWORD);
    List<X509Certificate> roots = new ArrayList<>();
    try {
      for (KeyEntry entry : KeyMaterial.read(loaded.content, loaded.description,
          password == null ? null : password.toCharArray())) {
        entry.certificate().ifPresent(roots::add);
      }
    } catch (KeyMaterialException e) {
      throw fromKeyMaterial(e.reason() == KeyMaterialException.Reason.WRONG_PASSWORD
          || e.reason() == KeyMaterialException.Reason.PASSWORD_REQUIRED
          ? TRUST_STORE_PASSWORD : TRUST_STORE, store.strip(), e);
    }
    if (roots.isEmpty()) {
      throw new PolicyException(TRUST_STORE, store.strip(), loaded.description + " holds no"
          + " certificate", "a trust store holds the root certificates clients trust (PEM bundle"
          + " or keystore)");
    }
    return TrustAnchors.of(roots);
  }

  private static PolicyException fromKeyMaterial(String parameter, String value,
      KeyMaterialException e) {
    return new PolicyException(parameter, value, e.problem(), e.fix(), e);
  }

  /** The properties file {@code location} names, under the parameter {@code name}. */
  Properties loadProperties(String name, String location) {
    Loaded loaded = load(name, location);
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(new String(loaded.content, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      throw new PolicyException(name, location, location + " is not a valid properties file ("
          + e.getMessage() + ")", null, e);
    }
    return properties;
  }

  /** Loads {@code classpath:x}, {@code file:x} or a plain path. */
  Loaded load(String name, String reference) {
    if (reference.startsWith("classpath:")) {
      String resource = reference.substring("classpath:".length());
      while (resource.startsWith("/")) {
        resource = resource.substring(1);
      }
      try (InputStream in = classLoader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new PolicyException(name, reference, reference + " is not on the classpath",
              "put the file in the application's resources (src/main/resources: WEB-INF/classes"
              + " in a WAR, the root of a JAR) or use file:/absolute/path");
        }
        return new Loaded(in.readAllBytes(), reference);
      } catch (IOException e) {
        throw new PolicyException(name, reference, "cannot read " + reference + ": "
            + e.getMessage(), null, e);
      }
    }
    String path = reference.startsWith("file:") ? reference.substring("file:".length())
        : reference;
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      throw new PolicyException(name, reference, "'" + Printable.escape(reference)
          + "' is not a valid path (" + Printable.escape(e.getReason()) + ")",
          "check the value for stray characters", e);
    }
    try {
      return new Loaded(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new PolicyException(name, reference, reference + " does not exist (resolved to "
          + file.toAbsolutePath() + ")", "check the path, or use classpath: for a file packaged"
          + " with the application", e);
    } catch (IOException e) {
      throw new PolicyException(name, reference, "cannot read " + file.toAbsolutePath() + " ("
          + Printable.message(e.getMessage()) + ")", "check that the file is readable by the"
          + " user this process runs as", e);
    }
  }
}
