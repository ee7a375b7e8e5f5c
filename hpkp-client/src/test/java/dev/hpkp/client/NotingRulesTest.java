package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.client.Observation.Noting;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7469 §2.5 noting, one row per rule, on certificates a trust manager really validated. */
class NotingRulesTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final TestPki OTHER = TestPki.otherCa("Other CA");
  private static final Instant START = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  private static final List<X509Certificate> SERVED = List.of(PKI.leaf(), PKI.intermediate());

  private static String header(String tail, Pin... pins) {
    return Stream.of(pins).map(Pin::toDirective).collect(Collectors.joining("; ")) + tail;
  }

  /**
   * One noting rule: the response's headers, what {@code observe} must say, and the pins the
   * store must then hold for localhost (empty: no entry).
   */
  record Row(String rule, String host, List<X509Certificate> served, List<String> pins,
      List<String> reportOnly, Noting expected, Set<Pin> stored) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Row> rows() {
    Pin leaf = PKI.leafPin();
    Pin backup = PKI.backupPin();
    Pin second = PKI.secondBackupPin();
    String valid = header("; max-age=600", leaf, backup);
    return Stream.of(
        new Row("a pin of the chain and a backup are noted", "localhost", SERVED,
            List.of(valid), List.of(), Noting.NOTED, Set.of(leaf, backup)),
        new Row("a report-only header is never noted", "localhost", SERVED, List.of(),
            List.of(valid + "; report-uri=\"https://127.0.0.1/r\""), Noting.NO_HEADER,
            Set.of()),
        new Row("no backup: every pin is in the chain", "localhost", SERVED,
            List.of(header("; max-age=600", leaf, PKI.intermediatePin())), List.of(),
            Noting.NO_BACKUP_PIN, Set.of()),
        new Row("no pin of the validated chain", "localhost", SERVED,
            List.of(header("; max-age=600", backup, second)), List.of(),
            Noting.NO_PIN_OF_VALIDATED_CHAIN, Set.of()),
        new Row("the root the server does not send is part of the validated chain",
            "localhost", SERVED, List.of(header("; max-age=600", PKI.rootPin(), backup)),
            List.of(), Noting.NOTED, Set.of(PKI.rootPin(), backup)),
        new Row("a served certificate off the validated path does not count", "localhost",
            List.of(PKI.leaf(), PKI.intermediate(), OTHER.intermediate()),
            List.of(header("; max-age=600", OTHER.intermediatePin(), backup)), List.of(),
            Noting.NO_PIN_OF_VALIDATED_CHAIN, Set.of()),
        new Row("only the first header counts", "localhost", SERVED,
            List.of(valid, header("; max-age=600", leaf, second)), List.of(), Noting.NOTED,
            Set.of(leaf, backup)),
        new Row("a bad first header is not replaced by a good second one", "localhost", SERVED,
            List.of("pin-sha256=\"nope\"; max-age=600", valid), List.of(), Noting.MALFORMED,
            Set.of()),
        new Row("an IP address is never noted", "127.0.0.1", SERVED, List.of(valid),
            List.of(), Noting.IP_ADDRESS, Set.of()),
        new Row("nor in one decimal number", "2130706433", SERVED, List.of(valid),
            List.of(), Noting.IP_ADDRESS, Set.of()),
        new Row("nor in octal", "0177.0.0.1", SERVED, List.of(valid), List.of(),
            Noting.IP_ADDRESS, Set.of()),
        new Row("nor in two parts", "127.1", SERVED, List.of(valid), List.of(),
            Noting.IP_ADDRESS, Set.of()),
        new Row("nor in hex", "0x7f000001", SERVED, List.of(valid), List.of(),
            Noting.IP_ADDRESS, Set.of()),
        new Row("a report-uri longer than a store keeps: the header is ignored, said so",
            "localhost", SERVED, List.of(valid + "; report-uri=\"https://r.example/"
            + "a".repeat(9000) + "\""), List.of(), Noting.TOO_LONG, Set.of()),
        new Row("more pins than a store keeps", "localhost", SERVED, List.of(header(
            "; max-age=600", Stream.concat(Stream.of(leaf), Stream.generate(
                () -> KeyMaterial.pinOf(TestPki.ecKey().getPublic())).limit(
                PinnedHost.MAX_PINS)).toArray(Pin[]::new))), List.of(), Noting.TOO_LONG,
            Set.of()),
        new Row("a backup pin in non-canonical base64 (no padding) counts, as in browsers",
            "localhost", SERVED, List.of(leaf.toDirective() + "; pin-sha256=\""
            + backup.base64().replace("=", "") + "\"; max-age=600"), List.of(), Noting.NOTED,
            Set.of(leaf, backup)),
        new Row("missing max-age", "localhost", SERVED, List.of(header("", leaf, backup)),
            List.of(), Noting.MALFORMED, Set.of()),
        new Row("max-age in non-ASCII digits", "localhost", SERVED,
            List.of(header("; max-age=\u0666\u0660\u0660", leaf, backup)), List.of(),
            Noting.MALFORMED, Set.of()),
        new Row("a CR/LF inside the value", "localhost", SERVED,
            List.of(header("; max-age=600\r\nSet-Cookie: x=1", leaf, backup)), List.of(),
            Noting.MALFORMED, Set.of()),
        new Row("an unknown directive is ignored, the header is not", "localhost", SERVED,
            List.of(valid + "; future-directive=\"x\""), List.of(), Noting.NOTED,
            Set.of(leaf, backup)),
        new Row("a chain no trust anchor validates", "localhost",
            List.of(OTHER.leaf(), OTHER.intermediate()),
            List.of(header("; max-age=600", OTHER.leafPin(), backup)), List.of(),
            Noting.NOT_VALIDATED, Set.of()),
        new Row("a header over 16 KiB", "localhost", SERVED,
            List.of(valid + "; x=\"" + "a".repeat(HpkpAgent.MAX_HEADER_LENGTH) + "\""),
            List.of(), Noting.TOO_LONG, Set.of()));
  }

  private static HpkpAgent agent(MutableClock clock) {
    return HpkpAgent.builder().clock(clock).trustManager(TestPki.trustManager(PKI.root()))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void notingRule(Row row) {
    try (HpkpAgent agent = agent(new MutableClock(START))) {
      Observation observation = agent.observe(row.host(), 443, row.served(), row.pins(),
          row.reportOnly());

      assertThat(observation.noting()).as(observation.detail()).isEqualTo(row.expected());
      assertThat(agent.store().get(row.host()).map(PinnedHost::pins).orElse(Set.of()))
          .isEqualTo(row.stored());
    }
  }

  @Test
  void anIgnoredHeaderKeepsTheExistingEntry() {
    try (HpkpAgent agent = agent(new MutableClock(START))) {
      agent.observe("localhost", 443, SERVED,
          List.of(header("; max-age=600", PKI.leafPin(), PKI.backupPin())), List.of());
      PinnedHost before = agent.store().get("localhost").orElseThrow();

      Observation ignored = agent.observe("localhost", 443, SERVED,
          List.of(header("; max-age=600", PKI.backupPin(), PKI.secondBackupPin())), List.of());

      assertThat(ignored.noting()).isEqualTo(Noting.NO_PIN_OF_VALIDATED_CHAIN);
      assertThat(agent.store().get("localhost")).contains(before);
    }
  }

  @Test
  void maxAgeZeroRemovesTheEntry() {
    try (HpkpAgent agent = agent(new MutableClock(START))) {
      agent.observe("localhost", 443, SERVED,
          List.of(header("; max-age=600", PKI.leafPin(), PKI.backupPin())), List.of());

      Observation removed = agent.observe("localhost", 443, SERVED,
          List.of(header("; max-age=0", PKI.leafPin(), PKI.backupPin())), List.of());

      assertThat(removed.noting()).isEqualTo(Noting.REMOVED);
      assertThat(agent.store().entries()).isEmpty();
      assertThat(agent.pinsFor("localhost")).isEmpty();
    }
  }

  @Test
  void maxAgeIsCappedAtSixtyDaysByDefaultAndAtTheConfiguredCap() {
    String year = header("; max-age=31536000", PKI.leafPin(), PKI.backupPin());
    try (HpkpAgent agent = agent(new MutableClock(START))) {
      agent.observe("localhost", 443, SERVED, List.of(year), List.of());
      assertThat(agent.store().get("localhost").orElseThrow().expiresAt())
          .isEqualTo(START.plus(Duration.ofDays(60)));
    }
    try (HpkpAgent agent = HpkpAgent.builder().clock(new MutableClock(START))
        .trustManager(TestPki.trustManager(PKI.root())).maxAgeCap(Duration.ofDays(1)).build()) {
      agent.observe("localhost", 443, SERVED, List.of(year), List.of());
      assertThat(agent.store().get("localhost").orElseThrow().expiresAt())
          .isEqualTo(START.plus(Duration.ofDays(1)));
    }
  }

  @Test
  void theSameHeaderAgainRefreshesTheExpiryOnlyOnceItMovedByAMinuteOrAHundredthOfMaxAge() {
    MutableClock clock = new MutableClock(START);
    String value = header("; max-age=600", PKI.leafPin(), PKI.backupPin());
    try (HpkpAgent agent = agent(clock)) {
      agent.observe("localhost", 443, SERVED, List.of(value), List.of());
      Instant first = agent.store().get("localhost").orElseThrow().expiresAt();

      clock.advance(Duration.ofSeconds(59));
      Observation again = agent.observe("localhost", 443, SERVED, List.of(value), List.of());
      assertThat(again.noting()).isEqualTo(Noting.NOTED);
      assertThat(agent.store().get("localhost").orElseThrow().expiresAt()).isEqualTo(first);

      clock.advance(Duration.ofSeconds(2));
      agent.observe("localhost", 443, SERVED, List.of(value), List.of());
      assertThat(agent.store().get("localhost").orElseThrow().expiresAt())
          .isEqualTo(START.plusSeconds(661));

      agent.observe("localhost", 443, SERVED,
          List.of(header("; max-age=600", PKI.leafPin(), PKI.secondBackupPin())), List.of());
      assertThat(agent.store().get("localhost").orElseThrow().pins())
          .as("other pins are noted at once").contains(PKI.secondBackupPin());
    }
  }

  @Test
  void theBuilderRefusesCapsAndIntervalsThatMakeNoSense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HpkpAgent.builder()
        .maxAgeCap(Duration.ofSeconds(Long.MAX_VALUE))).hasMessageStartingWith(
            "maxAgeCap must be positive and at most 3650 days, not PT");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HpkpAgent.builder()
        .maxAgeCap(Duration.ZERO)).hasMessageContaining("not PT0S");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HpkpAgent.builder()
        .reportInterval(Duration.ofSeconds(-1))).hasMessage("reportInterval must not be"
            + " negative, not PT-1S; Duration.ZERO reports every failure");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HpkpAgent.builder()
        .reportQueue(0)).hasMessage("reportQueue must be at least 1, not 0");
  }

  @Test
  void expiredPinsNoLongerApply() {
    MutableClock clock = new MutableClock(START);
    try (HpkpAgent agent = agent(clock)) {
      agent.observe("localhost", 443, SERVED,
          List.of(header("; max-age=600", PKI.leafPin(), PKI.backupPin())), List.of());
      clock.advance(Duration.ofSeconds(599));
      assertThat(agent.pinsFor("localhost")).isPresent();
      clock.advance(Duration.ofSeconds(1));
      assertThat(agent.pinsFor("localhost")).isEmpty();
    }
  }

  @Test
  void superDomainsApplyWithIncludeSubDomainsAndTheNearestEntryWins() {
    try (HpkpAgent agent = agent(new MutableClock(START))) {
      PinStore store = agent.store();
      Instant end = START.plus(Duration.ofDays(1));
      store.put(new PinnedHost("example.com", Set.of(PKI.backupPin()), true, START, end, null,
          PinnedHost.Source.NOTED));
      store.put(new PinnedHost("exact.example.com", Set.of(PKI.leafPin()), false, START, end,
          null, PinnedHost.Source.NOTED));
      store.put(new PinnedHost("example.org", Set.of(PKI.leafPin()), false, START, end, null,
          PinnedHost.Source.NOTED));

      assertThat(agent.pinsFor("a.b.EXAMPLE.com.")).map(PinnedHost::host)
          .contains("example.com");
      assertThat(agent.pinsFor("exact.example.com")).map(PinnedHost::host)
          .contains("exact.example.com");
      assertThat(agent.pinsFor("sub.exact.example.com")).map(PinnedHost::host)
          .as("exact.example.com does not include subdomains; example.com does")
          .contains("example.com");
      assertThat(agent.pinsFor("www.example.org")).isEmpty();
      assertThat(agent.pinsFor("notexample.com")).isEmpty();
    }
  }

  @Test
  void aNotedEntryWinsOverAPreloadedOne() {
    try (HpkpAgent agent = HpkpAgent.builder().clock(new MutableClock(START))
        .trustManager(TestPki.trustManager(PKI.root()))
        .preload(PinnedHost.preloaded("example.com", true, Set.of(PKI.rootPin()))).build()) {
      assertThat(agent.pinsFor("www.example.com")).map(PinnedHost::source)
          .contains(PinnedHost.Source.PRELOADED);
      agent.store().put(new PinnedHost("www.example.com", Set.of(PKI.leafPin()), false, START,
          START.plusSeconds(60), null, PinnedHost.Source.NOTED));
      assertThat(agent.pinsFor("www.example.com")).map(PinnedHost::source)
          .contains(PinnedHost.Source.NOTED);
    }
  }

  @Test
  void theStoreKeepsAtMostMaxHostsForgettingThoseThatExpireSoonest() {
    try (HpkpAgent agent = HpkpAgent.builder().clock(new MutableClock(START))
        .trustManager(TestPki.trustManager(PKI.root())).maxHosts(3).build()) {
      for (int i = 1; i <= 5; i++) {
        // h1 expires soonest, h5 last
        Observation noted = agent.observe("h" + i + ".example", 443, SERVED, List.of(header(
            "; max-age=" + (600 + i), PKI.leafPin(), PKI.backupPin())), List.of());
        assertThat(noted.noting()).isEqualTo(Noting.NOTED);
        if (i > 3) {
          assertThat(noted.detail()).contains("the store holds 3 hosts at most: forgot 1 whose"
              + " pins expire soonest");
        }
      }

      assertThat(agent.store().entries()).extracting(PinnedHost::host)
          .containsExactly("h3.example", "h4.example", "h5.example");
    }
    assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> HpkpAgent.builder().maxHosts(0))).hasMessage("maxHosts must be from 1 to 1000000,"
        + " not 0");
  }
}
