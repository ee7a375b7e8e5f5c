package dev.hpkp.client;

import dev.hpkp.policy.HostName;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.text.Printable;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
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
 * <p>The work is shared out: {@link HeaderJudge} decides whether a header may be used, {@link
 * PinNoter} notes it, {@link ReportSender} sends the reports; the agent looks pins up, checks
 * connections and ties the rest together.
 */
public final class HpkpAgent implements AutoCloseable {

  /** Headers longer than this are ignored unparsed; real ones are a few hundred bytes. */
  public static final int MAX_HEADER_LENGTH = 16 * 1024;
  /** The default max-age cap, RFC 7469 §4.1's suggestion and what Chromium used. */
  public static final Duration DEFAULT_MAX_AGE_CAP =
      Duration.ofSeconds(dev.hpkp.policy.PinPolicy.MAX_AGE_CAP_SECONDS);
  /** The most hosts a store keeps noted pins for, unless {@link Builder#maxHosts} says. */
  public static final int DEFAULT_MAX_HOSTS = 10_000;
  private static final int MOST_HOSTS = 1_000_000;
  /** The largest cap accepted: ten years, far below where an expiry would overflow. */
  private static final Duration LONGEST_CAP = Duration.ofDays(3650);

  private final PinStore store;
  private final Map<String, PinnedHost> preloaded;
  private final Clock clock;
  private final X509TrustManager trustManager;
  private final ValidatedChains chains;
  private final ReportSender reports;
  private final HeaderJudge judge = new HeaderJudge();
  private final PinNoter noter;

  private HpkpAgent(Builder builder) {
    this.store = builder.store;
    this.preloaded = Map.copyOf(builder.preloaded);
    this.clock = builder.clock;
    this.noter = new PinNoter(store, builder.maxAgeCap, builder.maxHosts);
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
    String h = HostName.normalize(host);
    if (HostName.isIpAddress(h)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<PinnedHost> noted = nearest(h, now, name -> store.get(name).orElse(null));
    return noted.isPresent() ? noted : nearest(h, now, preloaded::get);
  }

  private static Optional<PinnedHost> nearest(String host, Instant now,
      Function<String, PinnedHost> lookup) {
    for (String name = host; name != null; name = HostName.parent(name)) {
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
    String h = HostName.normalize(host);
    List<X509Certificate> path = validated.map(ValidatedChains.Validated::path).orElse(served);
    if (report && entry.reportUri() != null) {
      reports.submit(entry.reportUri(), new OutgoingReport(now, h, port, entry.expiresAt(),
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
    String h = HostName.normalize(host);
    if (HostName.isIpAddress(h)) {
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
    HeaderJudge.Judgement judgement = judge.judge(host, PinPolicy.HEADER, headers.get(0),
        false, validated, details); // only the first, as Chromium
    return judgement.accepted() ? noter.note(host, judgement.parsed(), now, details)
        : judgement.refusal();
  }

  private Observation.ReportOnly evaluateReportOnly(String host, int port,
      List<X509Certificate> served, List<String> headers,
      Optional<ValidatedChains.Validated> validated, Instant now, List<String> details) {
    if (headers.isEmpty()) {
      return Observation.ReportOnly.NO_HEADER;
    }
    HeaderJudge.Judgement judgement = judge.judge(host, PinPolicy.HEADER_REPORT_ONLY,
        headers.get(0), true, validated, details);
    if (!judgement.accepted()) {
      return Observation.ReportOnly.IGNORED;
    }
    ParsedHeader parsed = judgement.parsed();
    if (validated.get().pins().stream().anyMatch(parsed.pins()::contains)) {
      return Observation.ReportOnly.PASSED;
    }
    Duration age = noter.heldFor(parsed.maxAgeSeconds().orElse(0L));
    boolean queued = reports.submit(parsed.reportUri().orElseThrow(), new OutgoingReport(now,
        host, port, now.plus(age), parsed.includeSubDomains(), host, served,
        validated.get().path(), parsed.pins()), validated.get().path(), false);
    details.add("Public-Key-Pins-Report-Only: no pin matches the validated chain; "
        + (queued ? "report queued" : "the same failure was reported within the interval"));
    return queued ? Observation.ReportOnly.FAILED_REPORTED
        : Observation.ReportOnly.FAILED_NOT_REPORTED;
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
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock for noting, expiry and report times; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The longest a noted entry lives, whatever max-age says; default 60 days. */
    public Builder maxAgeCap(Duration cap) {
      if (cap.isNegative() || cap.isZero() || cap.compareTo(LONGEST_CAP) > 0) {
        throw new IllegalArgumentException("maxAgeCap must be positive and at most "
            + LONGEST_CAP.toDays() + " days, not " + cap + "; user agents used "
            + PinPolicy.MAX_AGE_CAP_SECONDS / 86_400 + " days");
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
      this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
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
      } catch (IOException e) {
        throw new PinStoreException("preload file " + file.toAbsolutePath() + " cannot be read ("
            + Printable.escape(String.valueOf(e.getMessage())) + ")", e);
      }
      return preload(PinStoreFormat.read(content, file.toAbsolutePath().toString(), true));
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
