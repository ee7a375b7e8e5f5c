package dev.hpkp.servlet;

import dev.hpkp.config.Parameters;
import dev.hpkp.keys.KeyEntry;
import dev.hpkp.config.Wording;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.Finding;
import dev.hpkp.policy.InvalidPinException;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.policy.Rule;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.time.Clock;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the filter's string settings (web.xml init-params, a properties file, or a map) into a
 * validated {@link PinPolicy}. It does not depend on the servlet API, so the same rules apply in
 * the filter, in tests and in the command-line tool.
 *
 * <p>Every problem is a {@link PolicyException} whose message names the parameter, the value and
 * the fix.
 */
public final class HpkpConfig {

  /** Names a properties file with more settings: {@code classpath:hpkp.properties} or a path. */
  public static final String CONFIG = "config";
  public static final String PINS = "pins";
  public static final String BACKUP_PINS = "backupPins";
  public static final String MAX_AGE_SECONDS = "maxAgeSeconds";
  public static final String INCLUDE_SUB_DOMAINS = "includeSubDomains";
  public static final String REPORT_URI = "reportUri";
  public static final String REPORT_ONLY = "reportOnly";
  public static final String SERVED_CHAIN = "servedChain";
  public static final String SERVED_CHAIN_PASSWORD = "servedChainPassword";
  public static final String SERVED_CHAIN_ALIAS = "servedChainAlias";
  public static final String SERVED_CHAIN_CHECK = "servedChainCheck";
  /** Whether a servedChain file is watched and re-checked when it changes; true by default. */
  public static final String SERVED_CHAIN_WATCH = "servedChainWatch";
  /** How long a changed servedChain file must stay unchanged before it is judged, in ms. */
  public static final String SERVED_CHAIN_QUIET_PERIOD_MILLIS = "servedChainQuietPeriodMillis";
  /** The roots the served chain is completed to; the JVM's default trust store when unset. */
  public static final String TRUST_STORE = "trustStore";
  public static final String TRUST_STORE_PASSWORD = "trustStorePassword";

  /** Every parameter the filter knows, in documentation order. */
  public static final List<String> PARAMETERS = List.of(CONFIG, PINS, BACKUP_PINS,
      MAX_AGE_SECONDS, INCLUDE_SUB_DOMAINS, REPORT_URI, REPORT_ONLY, SERVED_CHAIN,
      SERVED_CHAIN_PASSWORD, SERVED_CHAIN_ALIAS, SERVED_CHAIN_CHECK, SERVED_CHAIN_WATCH,
      SERVED_CHAIN_QUIET_PERIOD_MILLIS, TRUST_STORE, TRUST_STORE_PASSWORD);

  private static final Pattern LIST_SEPARATOR = Pattern.compile("[,\\s]+");
  private static final Parameters RULES = new Parameters(PolicyException::new);
  private static final Pattern OTHER_ALGORITHM = Pattern.compile("(?i)(pin-)?(sha\\d+|md5)[/=].*");

  private final Map<String, String> values;
  private final Map<String, String> origins;
  private final Function<String, String> environment;
  private final Function<String, String> systemProperties;
  private final ClassLoader classLoader;
  private Clock clock = Clock.systemUTC();

  private HpkpConfig(Map<String, String> values, Map<String, String> origins,
      Function<String, String> environment, Function<String, String> systemProperties,
      ClassLoader classLoader) {
    this.values = values;
    this.origins = origins;
    this.environment = environment;
    this.systemProperties = systemProperties;
    this.classLoader = classLoader;
  }

  /**
   * Reads settings from {@code parameters} (init-params) and, when they name one with
   * {@code config}, a properties file. A key set in both places is an error: each setting has
   * one home.
   *
   * @param source how to name the parameters in messages, e.g. {@code web.xml init-param}
   */
  public static HpkpConfig of(Map<String, String> parameters, String source) {
    return of(parameters, source, System::getenv, System::getProperty, defaultClassLoader());
  }

  static HpkpConfig of(Map<String, String> parameters, String source,
      Function<String, String> environment, Function<String, String> systemProperties,
      ClassLoader classLoader) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    HpkpConfig config = new HpkpConfig(values, origins, environment, systemProperties,
        classLoader);
    for (Map.Entry<String, String> entry : parameters.entrySet()) {
      checkKnown(entry.getKey(), source);
      values.put(entry.getKey(), entry.getValue());
      origins.put(entry.getKey(), source);
    }
    String location = values.get(CONFIG);
    if (location != null) {
      String resolved = config.resolve(CONFIG, location);
      Properties properties = config.references().loadProperties(CONFIG, resolved);
      List<String> names = new ArrayList<>(properties.stringPropertyNames());
      Collections.sort(names);
      for (String name : names) {
        String where = "properties file " + resolved;
        checkKnown(name, where);
        if (CONFIG.equals(name)) {
          throw new PolicyException(CONFIG, properties.getProperty(name), Wording.text(resolved
              + " sets ").setting(CONFIG).append(" itself"), Wording.text("a properties file cannot"
              + " name another one, remove that line"), null);
        }
        if (values.containsKey(name)) {
          throw new PolicyException(name, properties.getProperty(name), "set both as " + source
              + " and in " + where, "keep it in one place");
        }
        values.put(name, properties.getProperty(name));
        origins.put(name, where);
      }
    }
    return config;
  }

  /**
   * These settings with {@code name} set to {@code value}, which messages say was given as
   * {@code source} (e.g. the chain {@code hpkp guard} judges, given on its command line).
   */
  public HpkpConfig with(String name, String value, String source) {
    checkKnown(name, source);
    Map<String, String> newValues = new LinkedHashMap<>(values);
    Map<String, String> newOrigins = new LinkedHashMap<>(origins);
    newValues.put(name, value);
    newOrigins.put(name, source);
    return new HpkpConfig(newValues, newOrigins, environment, systemProperties, classLoader)
        .clock(clock);
  }

  /** For tests: the clock used for the certificate expiry warning. */
  HpkpConfig clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** The effective setting after placeholders are resolved, or null when not set. */
  public String get(String name) {
    String raw = values.get(name);
    return raw == null ? null : resolve(name, raw);
  }

  /**
   * Validates everything and builds the policy.
   *
   * @throws PolicyException naming the parameter, the value and the fix; unreadable key
   *     material is reported this way too, under the parameter that named the file
   */
  public PinPolicy toPolicy() {
    return toPolicy(null);
  }

  /**
   * As {@link #toPolicy()}, with the chain the server presents supplied by the caller (e.g. a
   * framework that knows its own TLS settings) for when {@code servedChain} is not set.
   *
   * @param served the served certificates, leaf first; null when not known
   */
  public PinPolicy toPolicy(List<X509Certificate> served) {
    return toPolicy(served, null);
  }

  /**
   * The {@code servedChain} file to watch for changes: set to a file (not {@code classpath:}),
   * the check on, and {@code servedChainWatch} not false; empty otherwise.
   */
  public Optional<Path> watchedServedChain() {
    String chain = get(SERVED_CHAIN);
    if (!bool(SERVED_CHAIN_WATCH, true) || !bool(SERVED_CHAIN_CHECK, true) || chain == null
        || chain.isBlank() || chain.strip().startsWith("classpath:")) {
      return Optional.empty();
    }
    String path = chain.strip();
    try {
      return Optional.of(Path.of(path.startsWith("file:") ? path.substring(5) : path));
    } catch (InvalidPathException e) {
      return Optional.empty(); // toPolicy() refused it already, naming servedChain
    }
  }

  /** {@code servedChainQuietPeriodMillis}: 100 ms to 10 minutes, 10 s by default. */
  public Duration servedChainQuietPeriod() {
    return Duration.ofMillis(RULES.range(SERVED_CHAIN_QUIET_PERIOD_MILLIS,
        get(SERVED_CHAIN_QUIET_PERIOD_MILLIS), ServedChainWatch.DEFAULT_QUIET_PERIOD.toMillis(),
        100, 600_000, "milliseconds"));
  }

  /**
   * What the served chain means for clients that noted this policy: the chain read as {@link
   * #toPolicy(List)} reads it, then judged by the same checks ({@link ChainVerdict}). A chain that
   * cannot be read is {@link ChainVerdict.Kind#UNREADABLE}; a setting that cannot be used at all
   * (a malformed pin) is thrown as by {@link #toPolicy()}.
   *
   * @param served the served certificates, leaf first, when {@code servedChain} is not set
   */
  public ChainVerdict judge(List<X509Certificate> served) {
    List<ChainCertificate> chain;
    try {
      chain = servedChain(served);
    } catch (PolicyException e) {
      return ChainVerdict.unreadable(withOrigin(e));
    }
    try {
      return ChainVerdict.of(toPolicy(served, chain));
    } catch (PolicyException e) {
      return ChainVerdict.refused(chain == null ? List.of() : chain, e);
    }
  }

  private PinPolicy toPolicy(List<X509Certificate> served, List<ChainCertificate> chain) {
    try {
      return buildPolicy(served, chain);
    } catch (PolicyException e) {
      throw withOrigin(e);
    }
  }

  private PolicyException withOrigin(PolicyException e) {
    String origin = origins.get(e.parameter());
    return origin != null && origin.startsWith("properties file") ? e.from(origin) : e;
  }

  /** The chain user agents validate, or null when the check is off or nothing is known. */
  private List<ChainCertificate> servedChain(List<X509Certificate> served) {
    if (!bool(SERVED_CHAIN_CHECK, true)) {
      return null;
    }
    String chain = get(SERVED_CHAIN);
    if (chain != null && !chain.isBlank()) {
      return references().readServedChain(chain.strip());
    }
    return served != null && !served.isEmpty() ? references().validatedChain(served) : null;
  }

  private PinPolicy buildPolicy(List<X509Certificate> served, List<ChainCertificate> known) {
    bool(SERVED_CHAIN_WATCH, true); // both refused now, not when the file changes
    servedChainQuietPeriod();
    PinPolicy.Builder builder = PinPolicy.builder().clock(clock);
    builder.pins(pinList(PINS));
    builder.backupPins(pinList(BACKUP_PINS));
    String maxAge = get(MAX_AGE_SECONDS);
    if (maxAge != null) {
      builder.maxAgeSeconds(maxAge.strip());
    }
    builder.includeSubDomains(bool(INCLUDE_SUB_DOMAINS, false));
    builder.reportOnly(bool(REPORT_ONLY, true));
    String reportUri = get(REPORT_URI);
    if (reportUri != null && !reportUri.isBlank()) {
      builder.reportUri(reportUri.strip());
    }
    boolean check = bool(SERVED_CHAIN_CHECK, true);
    String chain = get(SERVED_CHAIN);
    if (check && known != null) {
      builder.servedChain(known);
    } else if (check) {
      if (chain != null && !chain.isBlank()) {
        builder.servedChain(references().readServedChain(chain.strip()));
      } else if (served != null && !served.isEmpty()) {
        builder.servedChain(references().validatedChain(served));
      }
      // Unset: PinPolicy refuses with a message that names servedChain and servedChainCheck.
    } else {
      if (chain != null && !chain.isBlank()) {
        throw new PolicyException(SERVED_CHAIN_CHECK, "false", Wording.text("false, but ")
            .setting(SERVED_CHAIN).append(" is set to '" + chain + "'"), Wording.text("remove ")
            .setting(SERVED_CHAIN).append(", or set ").setting(SERVED_CHAIN_CHECK, "true")
            .append(" to check against it"), null);
      }
      builder.withoutServedChainCheck();
    }
    return builder.build();
  }

  // ---- values ------------------------------------------------------------------------------

  private boolean bool(String name, boolean defaultValue) {
    return RULES.bool(name, get(name), defaultValue);
  }

  private List<Pin> pinList(String name) {
    String value = get(name);
    List<Pin> pins = new ArrayList<>();
    if (value == null) {
      return pins;
    }
    for (String entry : LIST_SEPARATOR.split(value.strip())) {
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.startsWith("file:") || entry.startsWith("classpath:")) {
        List<KeyEntry> keys = references().readKeys(name, entry);
        for (KeyEntry key : keys) {
          if (!pins.contains(key.pin())) {
            pins.add(key.pin());
          }
        }
      } else {
        try {
          pins.add(Pin.fromString(entry));
        } catch (InvalidPinException e) {
          boolean looksLikePath = !entry.startsWith("sha256/")
              && !OTHER_ALGORITHM.matcher(entry).matches()
              && (entry.contains(".") || entry.contains("/"));
          String fix = looksLikePath ? "to read a key file write file:" + entry + " or classpath:"
              + entry : null;
          throw new PolicyException(name, new Finding(Rule.INVALID_PIN, name, entry,
              Wording.text(fix == null || e.fix() == null ? e.problem() : e.getMessage()),
              fix != null ? Wording.text(fix) : e.fix() == null ? null : Wording.text(e.fix())));
        }
      }
    }
    return pins;
  }

  private KeyReferences references() {
    return new KeyReferences(classLoader, this::get, clock);
  }

  private String resolve(String name, String raw) {
    return RULES.resolvePlaceholders(name, raw, environment, systemProperties);
  }

  private static void checkKnown(String name, String where) {
    RULES.checkKnown(name, PARAMETERS, where);
  }

  private static ClassLoader defaultClassLoader() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return loader != null ? loader : HpkpConfig.class.getClassLoader();
  }
}
