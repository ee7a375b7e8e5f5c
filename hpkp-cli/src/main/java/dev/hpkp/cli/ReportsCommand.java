package dev.hpkp.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hpkp.report.ReceivedReport.Verdict;
import dev.hpkp.report.ReportLines;
import dev.hpkp.text.Printable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "reports", mixinStandardHelpOptions = true,
    description = "Work with the report collector's JSON-lines files.",
    subcommands = ReportsCommand.Summarize.class)
final class ReportsCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: summarize");
  }

  @Command(name = "summarize", mixinStandardHelpOptions = true,
      description = {"Reports per host and per served chain (leaf issuer and leaf pin), with"
          + " first and last seen, and how many look like interception versus"
          + " misconfiguration; mobile apps' reports (TrustKit) per app too: bundle id, platform"
          + " and version.", "Lines that do not parse (a torn last line) are skipped and"
          + " counted."})
  static final class Summarize implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.jsonl", arity = "1..*",
        description = "Collector files; - reads standard input.")
    List<Path> files;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    /** A served chain, as the summary groups it: its leaf's issuer and pin (attacker's text). */
    record ChainKey(String issuer, String leafPin) implements Comparable<ChainKey> {
      @Override
      public int compareTo(ChainKey other) {
        int byIssuer = issuer.compareTo(other.issuer);
        return byIssuer != 0 ? byIssuer : leafPin.compareTo(other.leafPin);
      }
    }

    static final class Group {
      long count;
      Instant first;
      Instant last;
      final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);

      void add(ReportLines.Summary line) {
        count++;
        first = first == null || line.receivedAt().isBefore(first) ? line.receivedAt() : first;
        last = last == null || line.receivedAt().isAfter(last) ? line.receivedAt() : last;
        verdicts.merge(line.verdict(), 1L, Long::sum);
      }
    }

    /** The counts by verdict code, in the verdicts' order: {@code {pins-match=1}}. */
    static Map<String, Long> codes(Map<Verdict, Long> verdicts) {
      Map<String, Long> codes = new LinkedHashMap<>();
      verdicts.forEach((verdict, count) -> codes.put(verdict.code(), count));
      return codes;
    }

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Map<String, Group> byHost = new LinkedHashMap<>();
      Map<ChainKey, Group> byChain = new LinkedHashMap<>();
      Map<AppKey, Group> byApp = new LinkedHashMap<>();
      Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
      Map<String, Long> alerts = new TreeMap<>();
      long total = 0;
      long skipped = 0;
      for (Path file : files) {
        String name = file.toString().equals("-") ? "standard input" : file.toString();
        if (Files.isDirectory(file)) {
          throw new UsageException(name + " is a directory; name the collector's"
              + " JSON-lines file (its 'file' init-param)");
        }
        long fileTotal = total;
        long fileSkipped = skipped;
        try (InputStream in = file.toString().equals("-") ? System.in
            : Files.newInputStream(file)) {
          for (String text : (Iterable<String>) lines(in)::iterator) {
            if (text.isBlank()) {
              continue;
            }
            ReportLines.Summary line = text == UNREADABLE ? null : ReportLines.summary(text);
            String kind = line == null && text != UNREADABLE ? ReportLines.kind(text) : null;
            if (kind != null) {
              alerts.merge(Printable.escape(kind), 1L, Long::sum); // hpkp watch's alerts
              continue;
            }
            if (line == null) {
              skipped++;
              continue;
            }
            total++;
            String host = line.port() == null ? line.hostname()
                : line.hostname() + ":" + line.port();
            byHost.computeIfAbsent(host, h -> new Group()).add(line);
            byChain.computeIfAbsent(new ChainKey(line.leafIssuer(), line.leafPin()),
                c -> new Group()).add(line);
            verdicts.merge(line.verdict(), 1L, Long::sum);
            if (line.app() != null) { // a mobile app's report (TrustKit)
              byApp.computeIfAbsent(AppKey.of(line.app()), a -> new Group()).add(line);
            }
          }
        }
        if (total == fileTotal && skipped > fileSkipped && alerts.isEmpty()) {
          throw new UsageException(name + " holds no collector report ("
              + (skipped - fileSkipped) + " lines, none a report); name the collector's"
              + " JSON-lines file");
        }
      }
      long reports = total;
      long torn = skipped;
      if (json) {
        Json.print(out, g -> {
          g.writeStartObject();
          g.writeNumberField("reports", reports);
          g.writeNumberField("skippedLines", torn);
          g.writeObjectFieldStart("verdicts");
          for (Map.Entry<String, Long> e : codes(verdicts).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeObjectFieldStart("alerts");
          for (Map.Entry<String, Long> e : alerts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeArrayFieldStart("hosts");
          for (Map.Entry<String, Group> e : sorted(byHost)) {
            g.writeStartObject();
            g.writeStringField("host", e.getKey());
            write(g, e.getValue());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeArrayFieldStart("servedChains");
          for (Map.Entry<ChainKey, Group> e : sorted(byChain)) {
            g.writeStartObject();
            g.writeStringField("leafIssuer", e.getKey().issuer());
            g.writeStringField("leafPin", e.getKey().leafPin());
            write(g, e.getValue());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeArrayFieldStart("apps");
          for (Map.Entry<AppKey, Group> e : sorted(byApp)) {
            g.writeStartObject();
            g.writeStringField("bundleId", e.getKey().bundleId());
            g.writeStringField("platform", e.getKey().platform());
            g.writeStringField("version", e.getKey().version());
            write(g, e.getValue());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
        return 0;
      }
      out.println(reports + (reports == 1 ? " report" : " reports") + (torn > 0 ? ", " + torn
          + " unreadable lines skipped" : "") + ": "
          + verdicts.getOrDefault(Verdict.NO_PINNED_KEY_SERVED, 0L)
          + " likely interception (no pinned key served), "
          + verdicts.getOrDefault(Verdict.PINNED_KEY_NOT_VALIDATED, 0L)
          + " misconfiguration (pinned key not validated), "
          + verdicts.getOrDefault(Verdict.PINS_MATCH, 0L) + " stale or forged (pins match)");
      if (!alerts.isEmpty()) {
        out.println("CT watch alerts (hpkp watch): " + alerts);
      }
      out.println();
      out.println("By host:");
      out.println(String.format("  %-32s %7s  %-20s  %-20s  %s", "host", "reports",
          "first seen", "last seen", "verdicts"));
      for (Map.Entry<String, Group> e : sorted(byHost)) {
        Group g = e.getValue();
        out.println(Printable.escape(String.format("  %-32s %7d  %-20s  %-20s  %s", e.getKey(),
            g.count, seconds(g.first), seconds(g.last), codes(g.verdicts))));
      }
      out.println();
      out.println("By served chain:");
      out.println(String.format("  %7s  %-51s  %s", "reports", "leaf pin", "leaf issuer"));
      for (Map.Entry<ChainKey, Group> e : sorted(byChain)) {
        out.println(Printable.escape(String.format("  %7d  %-51s  %s  %s",
            e.getValue().count, e.getKey().leafPin(), e.getKey().issuer(),
            codes(e.getValue().verdicts))));
      }
      if (!byApp.isEmpty()) {
        out.println();
        out.println("By app (TrustKit reports):");
        out.println(String.format("  %-32s %-8s %-10s %7s  %-20s  %-20s  %s", "bundle id",
            "platform", "version", "reports", "first seen", "last seen", "verdicts"));
        for (Map.Entry<AppKey, Group> e : sorted(byApp)) {
          Group g = e.getValue();
          out.println(Printable.escape(String.format("  %-32s %-8s %-10s %7d  %-20s  %-20s  %s",
              e.getKey().bundleId(), e.getKey().platform(), e.getKey().version(), g.count,
              seconds(g.first), seconds(g.last), codes(g.verdicts))));
        }
      }
      return 0;
    }

    /** An app as reports name it: bundle id, platform, version; "?" where a report had none. */
    record AppKey(String bundleId, String platform, String version)
        implements Comparable<AppKey> {
      static AppKey of(ReportLines.App app) {
        return new AppKey(orUnknown(app.bundleId()), orUnknown(app.platform()),
            orUnknown(app.version()));
      }

      private static String orUnknown(String text) {
        return text == null ? "?" : text;
      }

      @Override
      public int compareTo(AppKey other) {
        return Comparator.comparing(AppKey::bundleId).thenComparing(AppKey::platform)
            .thenComparing(AppKey::version).compare(this, other);
      }
    }

    /** 2026-11-23T01:11:40.056934759Z as 2026-11-23 01:11:40Z. */
    private static String seconds(Instant instant) {
      return SECONDS.format(instant);
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern(
        "uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static void write(JsonGenerator g, Group group)
        throws IOException {
      g.writeNumberField("reports", group.count);
      g.writeStringField("firstSeen", group.first.toString());
      g.writeStringField("lastSeen", group.last.toString());
      g.writeObjectFieldStart("verdicts");
      for (Map.Entry<String, Long> v : codes(group.verdicts).entrySet()) {
        g.writeNumberField(v.getKey(), v.getValue());
      }
      g.writeEndObject();
    }

    private static <K extends Comparable<K>> List<Map.Entry<K, Group>> sorted(
        Map<K, Group> groups) {
      List<Map.Entry<K, Group>> entries = new ArrayList<>(groups.entrySet());
      entries.sort(Comparator.comparingLong((Map.Entry<K, Group> e) -> -e.getValue().count)
          .thenComparing(Map.Entry::getKey));
      return entries;
    }

    /** Marks a line that is not valid UTF-8 (a character torn by a crash). */
    private static final String UNREADABLE = new String("(unreadable)");

    /**
     * The lines of {@code in}, each decoded as UTF-8 on its own: a line with a broken byte
     * sequence comes back as {@link #UNREADABLE} and the rest of the file is still read.
     */
    static Stream<String> lines(InputStream in) {
      BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
      Iterator<String> iterator = new Iterator<>() {
        private String next = read();

        private String read() {
          try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = buffered.read()) >= 0 && b != '\n') {
              line.write(b);
            }
            if (b < 0 && line.size() == 0) {
              return null;
            }
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(line.toByteArray())).toString();
          } catch (CharacterCodingException e) {
            return UNREADABLE;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public boolean hasNext() {
          return next != null;
        }

        @Override
        public String next() {
          String current = next;
          next = read();
          return current;
        }
      };
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(
          iterator, Spliterator.ORDERED), false);
    }
  }
}
