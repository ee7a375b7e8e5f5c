package dev.hpkp.client;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.Finding;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.Rule;
import dev.hpkp.text.Printable;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The user agent side of RFC 7469: notes {@code Public-Key-Pins} headers (§2.5), refuses a
 * connection to a known pinned host whose validated chain holds none of its pins (§2.6),
 * evaluates {@code Public-Key-Pins-Report-Only} headers, and sends reports (§3). One agent per
 * application, shared by every client: the HTTP client integrations ({@link HpkpHttpClient},
 * {@code dev.hpkp.client.okhttp.HpkpInterceptor}, {@link PinningTrustManager}) call {@link
 * #checkPins} on each connection and {@link #observe} on each response.
 *
 * <p>Where the RFC leaves a choice, the agent does what Chromium did: only the first {@code
 * Public-Key-Pins} header of a response counts; a noted (dynamic) entry is looked up before a
 * preloaded (static) one, and the nearest host wins — the host's own entry over a super-domain's;
 * max-age is capped (60 days); an IP address is never pinned; a header is noted only when every
 * rule of the rule table that makes user agents ignore a header holds for the validated chain.
 *
 * <p>Size: noting, validation and report-only evaluation share the store, the clock and the
 * validated chains, and the builder documents every setting; split apart, one RFC section's
 * rules would be spread over several classes.
 */
public final class HpkpAgent implements AutoCloseable {

  /** Headers longer than this are ignored unparsed; real ones are a few hundred bytes. */
  public static final int MAX_HEADER_LENGTH = 16 * 1024;
  /** The default max-age cap, RFC 7469 §4.1's suggestion and what Chromium used. */
  public static final Duration DEFAULT_MAX_AGE_CAP = Duration.ofDays(60);
  /** The most hosts a store keeps noted pins for, unless {@link Builder#maxHosts} says. */
  public static final int DEFAULT_MAX_HOSTS = 10_000;
  private static final int MOST_HOSTS = 1_000_000;
  /** The largest cap accepted: ten years, far below where an expiry would overflow. */
  private static final Duration LONGEST_CAP = Duration.ofDays(3650);

  private final PinStore store;
  private final Map<String, PinnedHost> preloaded;
  private final Clock clock;
  private final Duration maxAgeCap;
  private final int maxHosts;
  private final X509TrustManager trustManager;
  private final ValidatedChains chains;
  private final ReportSender reports;
  private final Map<String, Judged> lastJudged = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int JUDGED_HOSTS = 1024;

  private HpkpAgent(Builder builder) {
    this.store = builder.store;
    this.preloaded = Map.copyOf(builder.preloaded);
    this.clock = builder.clock;
    this.maxAgeCap = builder.maxAgeCap;
    this.maxHosts = builder.maxHosts;
    this.trustManager = builder.trustManager != null ? builder.trustManager
        : TrustAnchors.jvmDefaultTrustManager();
    this.chains = new ValidatedChains(TrustAnchors.of(List.of(
        trustManager.getAcceptedIssuers())));
    HttpClient reportClient = HttpClient.newBuilder()
        .sslContext(sslContext(new PinningTrustManager(trustManager, this, false)))
        .connectTimeout(builder.reportTimeout)
        .build();
    this.reports = new ReportSender(reportClient, clock, builder.reportQueue,
        builder.reportInterval, builder.reportTimeout, builder.reportToPrivateAddresses);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The pin store noted entries go to. */
  public PinStore store() {
    return store;
  }

  /** The platform trust manager whose check runs before the pins are checked. */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** The report sender, with its counters. */
  public ReportSender reports() {
    return reports;
  }

  /** A TLS context whose trust manager checks the platform's trust, then the pins. */
  public SSLContext sslContext() {
    return sslContext(new PinningTrustManager(trustManager, this, true));
  }

  /**
   * The entry that applies to {@code host} now: a noted one before a preloaded one, each the
   * nearest — the host's own, else the closest super-domain's that includes subdomains.
   */
  public Optional<PinnedHost> pinsFor(String host) {
    String h = Hosts.normalize(host);
    if (Hosts.isIpAddress(h)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<PinnedHost> noted = nearest(h, now, name -> store.get(name).orElse(null));
    return noted.isPresent() ? noted : nearest(h, now, preloaded::get);
  }

  private static Optional<PinnedHost> nearest(String host, Instant now,
      java.util.function.Function<String, PinnedHost> lookup) {
    for (String name = host; name != null; name = Hosts.parent(name)) {
      PinnedHost entry = lookup.apply(name);
      if (entry != null && !entry.expiredAt(now) && entry.covers(host)) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a connection the platform already trusted: when {@code host} is a known pinned host
   * and no certificate of the validated chain holds one of its pins, the failure is reported (if
   * the entry has a report-uri) and thrown.
   *
   * @param served the certificates the server sent, leaf first
   * @throws PinValidationException when the connection must not be used
   */
  public void checkPins(String host, int port, List<X509Certificate> served)
      throws PinValidationException {
    checkPins(host, port, served, true);
  }

  void checkPins(String host, int port, List<X509Certificate> served, boolean report)
      throws PinValidationException {
    if (host == null) {
      return;
    }
    Optional<PinnedHost> known = pinsFor(host);
    if (known.isEmpty()) {
      return;
    }
    PinnedHost entry = known.get();
    Instant now = clock.instant();
    Optional<ValidatedChains.Validated> validated = chains.of(served, now);
    if (validated.isPresent()
        && validated.get().pins().stream().anyMatch(entry.pins()::contains)) {
      return;
    }
    String h = Hosts.normalize(host);
    List<X509Certificate> path = validated.map(ValidatedChains.Validated::path).orElse(served);
    if (report && entry.reportUri() != null) {
      report(entry.reportUri(), new PinFailureReport(now, h, port, entry.expiresAt(),
          entry.includeSubDomains(), entry.host(), served, path, List.copyOf(entry.pins())),
          path, true);
    }
    throw PinValidationException.of(h, port, entry, path, validated.isPresent());
  }

  /**
   * Handles the pinning headers of a response received over a connection whose chain the
   * platform trusted: notes the first {@code Public-Key-Pins} header when the RFC's rules allow,
   * and evaluates a {@code Public-Key-Pins-Report-Only} header against this connection.
   * Never throws for what a server sent.
   */
  public Observation observe(String host, int port, List<X509Certificate> served,
      List<String> pinsHeaders, List<String> reportOnlyHeaders) {
    String h = Hosts.normalize(host);
    if (Hosts.isIpAddress(h)) {
      return new Observation(pinsHeaders.isEmpty() ? Observation.Noting.NO_HEADER
          : Observation.Noting.IP_ADDRESS, reportOnlyHeaders.isEmpty()
          ? Observation.ReportOnly.NO_HEADER : Observation.ReportOnly.IGNORED,
          h + " is an IP address; pins are noted for host names only");
    }
    Instant now = clock.instant();
    Optional<ValidatedChains.Validated> validated = chains.of(served, now);
    List<String> details = new ArrayList<>();
    Observation.Noting noting = note(h, pinsHeaders, validated, now, details);
    Observation.ReportOnly reportOnly = evaluateReportOnly(h, port, served, reportOnlyHeaders,
        validated, now, details);
    return new Observation(noting, reportOnly, String.join("; ", details));
  }

  private Observation.Noting note(String host, List<String> headers,
      Optional<ValidatedChains.Validated> validated, Instant now, List<String> details) {
    if (headers.isEmpty()) {
      return Observation.Noting.NO_HEADER;
    }
    String value = headers.get(0); // only the first, as Chromium
    Judged judged = lastJudged.get(host);
    ParsedHeader parsed;
    if (judged != null && judged.value().equals(value) && validated.isPresent()
        && judged.chain() == validated.get()) {
      parsed = judged.parsed(); // the same header over the same validated chain: judged already
    } else {
      Rejected rejected = judge(value, false, validated, details, "Public-Key-Pins");
      if (rejected != null) {
        return rejected.noting;
      }
      parsed = ParsedHeader.parse(value, false);
      if (lastJudged.size() >= JUDGED_HOSTS) {
        lastJudged.clear();
      }
      lastJudged.put(host, new Judged(value, validated.get(), parsed));
    }
    long maxAge = parsed.maxAgeSeconds().orElseThrow();
    if (maxAge == 0) {
      boolean removed = store.get(host).isPresent() && store.remove(host);
      details.add("max-age=0: " + (removed ? "removed the pins noted for " : "nothing noted for ")
          + host);
      return Observation.Noting.REMOVED;
    }
    String tooLarge = PinnedHost.tooLarge(host, new HashSet<>(parsed.pins()).size(),
        parsed.reportUri().orElse(null));
    if (tooLarge != null) {
      // refused when noting, never discovered when the store is read back
      details.add("Public-Key-Pins ignored: " + tooLarge);
      return Observation.Noting.TOO_LONG;
    }
    Duration age = Duration.ofSeconds(Math.min(maxAge, maxAgeCap.getSeconds()));
    PinnedHost entry = new PinnedHost(host, new HashSet<>(parsed.pins()),
        parsed.includeSubDomains(), now, now.plus(age), parsed.reportUri().orElse(null),
        PinnedHost.Source.NOTED);
    if (sameButFresher(store.get(host).orElse(null), entry, age)) {
      details.add("the same " + entry.pins().size() + " pins for " + host + " are noted until "
          + seconds(store.get(host).get().expiresAt()));
      return Observation.Noting.NOTED;
    }
    store.put(entry);
    store.removeExpired(now);
    int evicted = 0;
    while (store.size() > maxHosts) {
      Optional<PinnedHost> soonest = store.soonestExpiring();
      if (soonest.isEmpty() || !store.remove(soonest.get().host())) {
        break;
      }
      evicted++;
    }
    if (evicted > 0) {
      details.add("the store holds " + maxHosts + " hosts at most: forgot " + evicted
          + " whose pins expire soonest");
    }
    details.add("noted " + entry.pins().size() + " pins for " + host + " until "
        + seconds(entry.expiresAt()) + (maxAge > age.getSeconds() ? " (max-age " + maxAge
        + " capped to " + age.getSeconds() + ")" : "")
        + (entry.includeSubDomains() ? ", including subdomains" : ""));
    return Observation.Noting.NOTED;
  }

  /**
   * True when {@code noted} has the pins, scope and report-uri of {@code fresh} and expires less
   * than a hundredth of max-age (at least a minute) earlier: not worth a store write. A site
   * that sends its header on every response would otherwise rewrite a file store each time;
   * Chromium, too, persisted its store on a timer, not per response.
   */
  private static boolean sameButFresher(PinnedHost noted, PinnedHost fresh, Duration age) {
    if (noted == null || noted.source() != PinnedHost.Source.NOTED
        || !noted.pins().equals(fresh.pins())
        || noted.includeSubDomains() != fresh.includeSubDomains()
        || !java.util.Objects.equals(noted.reportUri(), fresh.reportUri())) {
      return false;
    }
    Duration slack = age.dividedBy(100).compareTo(Duration.ofMinutes(1)) > 0 ? age.dividedBy(100)
        : Duration.ofMinutes(1);
    return !noted.expiresAt().plus(slack).isBefore(fresh.expiresAt())
        && !noted.expiresAt().isAfter(fresh.expiresAt());
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** The last header value accepted from a host, over which validated chain, parsed. */
  private record Judged(String value, ValidatedChains.Validated chain, ParsedHeader parsed) {}

  private record Rejected(Observation.Noting noting) {}

  /** Null when the header may be used; else why not, added to {@code details}. */
  private Rejected judge(String value, boolean reportOnly,
      Optional<ValidatedChains.Validated> validated, List<String> details, String name) {
    if (value.length() > MAX_HEADER_LENGTH) {
      details.add(name + " ignored: " + value.length() + " characters, more than "
          + MAX_HEADER_LENGTH);
      return new Rejected(Observation.Noting.TOO_LONG);
    }
    if (validated.isEmpty()) {
      details.add(name + " ignored: no chain to a trust anchor could be built");
      return new Rejected(Observation.Noting.NOT_VALIDATED);
    }
    ParsedHeader parsed = ParsedHeader.parse(value, reportOnly);
    // A non-canonical pin that decodes to 32 bytes is read as Chromium and Firefox read it.
    Optional<Finding> error = parsed.findings().stream()
        .filter(f -> f.severity() == Rule.Severity.ERROR && f.rule() != Rule.NON_CANONICAL_PIN)
        .findFirst();
    if (error.isPresent()) {
      details.add(name + " ignored: " + Printable.escape(error.get().toString()));
      return new Rejected(Observation.Noting.MALFORMED);
    }
    if (reportOnly) {
      return null; // a report-only policy is checked against the chain, not judged by it
    }
    for (Finding finding : parsed.judgeAgainst(KeyMaterial.toChain(validated.get().path()))) {
      if (finding.severity() == Rule.Severity.ERROR) {
        details.add(name + " ignored: " + Printable.escape(finding.toString()));
        return new Rejected(finding.rule() == Rule.NO_PIN_MATCHES_CHAIN
            ? Observation.Noting.NO_PIN_OF_VALIDATED_CHAIN : finding.rule() == Rule.NO_BACKUP_PIN
            ? Observation.Noting.NO_BACKUP_PIN : Observation.Noting.MALFORMED);
      }
    }
    return null;
  }

  private Observation.ReportOnly evaluateReportOnly(String host, int port,
      List<X509Certificate> served, List<String> headers,
      Optional<ValidatedChains.Validated> validated, Instant now, List<String> details) {
    if (headers.isEmpty()) {
      return Observation.ReportOnly.NO_HEADER;
    }
    String value = headers.get(0);
    if (judge(value, true, validated, details, "Public-Key-Pins-Report-Only") != null) {
      return Observation.ReportOnly.IGNORED;
    }
    ParsedHeader parsed = ParsedHeader.parse(value, true);
    if (validated.get().pins().stream().anyMatch(parsed.pins()::contains)) {
      return Observation.ReportOnly.PASSED;
    }
    Duration age = Duration.ofSeconds(Math.min(parsed.maxAgeSeconds().orElse(0L),
        maxAgeCap.getSeconds()));
    boolean queued = report(parsed.reportUri().orElseThrow(), new PinFailureReport(now, host,
        port, now.plus(age), parsed.includeSubDomains(), host, served, validated.get().path(),
        parsed.pins()), validated.get().path(), false);
    details.add("Public-Key-Pins-Report-Only: no pin matches the validated chain; "
        + (queued ? "report queued" : "the same failure was reported within the interval"));
    return queued ? Observation.ReportOnly.FAILED_REPORTED
        : Observation.ReportOnly.FAILED_NOT_REPORTED;
  }

  private boolean report(String reportUri, PinFailureReport report,
      List<X509Certificate> path, boolean enforced) {
    URI uri;
    try {
      uri = URI.create(reportUri);
    } catch (IllegalArgumentException e) {
      return false; // the header parser admits only absolute http(s) URIs; nothing to send to
    }
    String failure = report.hostname() + ":" + report.port() + " "
        + path.stream().map(KeyMaterial::pinOf).map(Pin::base64)
        .collect(Collectors.joining(","));
    return reports.submit(uri, report, failure, enforced);
  }

  /** Stops the report sender and closes the store when it holds a resource (a file's lock). */
  @Override
  public void close() {
    reports.close();
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("the pin store could not be closed: " + e.getMessage(),
            e);
      }
    }
  }

  static SSLContext sslContext(TrustManager trustManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the platform's TLS is unavailable: " + e.getMessage(), e);
    }
  }

  /** Configures an {@link HpkpAgent}. */
  public static final class Builder {
    private PinStore store = new InMemoryPinStore();
    private final Map<String, PinnedHost> preloaded = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Duration maxAgeCap = DEFAULT_MAX_AGE_CAP;
    private int maxHosts = DEFAULT_MAX_HOSTS;
    private X509TrustManager trustManager;
    private int reportQueue = 100;
    private Duration reportInterval = Duration.ofMinutes(1);
    private Duration reportTimeout = Duration.ofSeconds(5);
    private boolean reportToPrivateAddresses;

    private Builder() {}

    /**
     * Where noted pins are kept; default in memory. See {@link FilePinStore}. The agent closes
     * it when it is closed.
     */
    public Builder store(PinStore store) {
      this.store = java.util.Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock for noting, expiry and report times; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The longest a noted entry lives, whatever max-age says; default 60 days. */
    public Builder maxAgeCap(Duration cap) {
      if (cap.isNegative() || cap.isZero() || cap.compareTo(LONGEST_CAP) > 0) {
        throw new IllegalArgumentException("maxAgeCap must be positive and at most "
            + LONGEST_CAP.toDays() + " days, not " + cap + "; user agents used 60 days");
      }
      this.maxAgeCap = cap;
      return this;
    }

    /**
     * The most hosts the store keeps noted pins for (default {@value #DEFAULT_MAX_HOSTS}); past
     * it, noting a host forgets the hosts whose pins expire soonest, so a site minting
     * subdomains under a wildcard certificate cannot grow the store without bound.
     */
    public Builder maxHosts(int maxHosts) {
      if (maxHosts < 1 || maxHosts > MOST_HOSTS) {
        throw new IllegalArgumentException("maxHosts must be from 1 to " + MOST_HOSTS + ", not "
            + maxHosts);
      }
      this.maxHosts = maxHosts;
      return this;
    }

    /**
     * The platform trust manager the pins are checked after, and whose roots the validated
     * chain is built to; default the JVM's ({@code cacerts}). Give the one your HTTP client uses.
     */
    public Builder trustManager(X509TrustManager trustManager) {
      this.trustManager = java.util.Objects.requireNonNull(trustManager, "trustManager");
      return this;
    }

    /** Static pins, as browsers' preload lists did; a noted entry for a host wins over them. */
    public Builder preload(PinnedHost... entries) {
      return preload(List.of(entries));
    }

    public Builder preload(Collection<PinnedHost> entries) {
      for (PinnedHost entry : entries) {
        preloaded.put(entry.host(), entry);
      }
      return this;
    }

    /**
     * Static pins from a file in the pin store's JSON form, where {@code noted} and {@code
     * expires} may be left out (then the entries never expire).
     *
     * @throws PinStoreException when the file cannot be read or parsed
     */
    public Builder preload(Path file) {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (java.io.IOException e) {
        throw new PinStoreException("preload file " + file.toAbsolutePath() + " cannot be read ("
            + Printable.escape(String.valueOf(e.getMessage())) + ")", e);
      }
      return preload(PinStoreFile.read(content, file.toAbsolutePath().toString(), true));
    }

    /** How many reports may wait to be sent (default 100); more are dropped and counted. */
    public Builder reportQueue(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("reportQueue must be at least 1, not " + capacity);
      }
      this.reportQueue = capacity;
      return this;
    }

    /** The same failure is reported at most once per interval; default a minute. */
    public Builder reportInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("reportInterval must not be negative, not "
            + interval + "; Duration.ZERO reports every failure");
      }
      this.reportInterval = interval;
      return this;
    }

    /**
     * How long a report may take to connect, and then to be answered (default 5 s); a
     * report-uri slower than that fails the report, and holds up no other origin's reports.
     */
    public Builder reportTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5))
          > 0) {
        throw new IllegalArgumentException("reportTimeout must be positive and at most 5"
            + " minutes, not " + timeout);
      }
      this.reportTimeout = timeout;
      return this;
    }

    /**
     * Whether reports may go to a report-uri whose host is a loopback, link-local or private
     * address (default false): a server's header must not make a client inside a network post
     * to that network. Allow it for a collector of your own on such an address.
     */
    public Builder reportToPrivateAddresses(boolean allowed) {
      this.reportToPrivateAddresses = allowed;
      return this;
    }

    public HpkpAgent build() {
      return new HpkpAgent(this);
    }
  }
}
