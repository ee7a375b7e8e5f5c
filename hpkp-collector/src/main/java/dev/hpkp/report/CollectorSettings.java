package dev.hpkp.report;

import static dev.hpkp.report.HpkpReportServlet.FILE;
import static dev.hpkp.report.HpkpReportServlet.FILE_KEEP;
import static dev.hpkp.report.HpkpReportServlet.FILE_MAX_BYTES;
import static dev.hpkp.report.HpkpReportServlet.PARAMETERS;
import static dev.hpkp.report.HpkpReportServlet.SINK;

import dev.hpkp.config.Parameters;
import dev.hpkp.config.Wording;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The collector that {@link HpkpReportServlet}'s init-params describe (in web.xml, or the map a
 * framework passes to {@link HpkpReportServlet#collectorFrom}): each setting read and checked
 * once, the sinks made (a custom one by its class name), and the newest reports of a JSON-lines
 * file shown again after a restart.
 */
final class CollectorSettings {

  private static final Parameters RULES = new Parameters(CollectorConfigurationException::new);
  private static final System.Logger LOG = System.getLogger(HpkpReportServlet.class.getName());

  private CollectorSettings() {}

  /**
   * @param config the value of each setting, null when unset
   * @param names the settings that are set, each checked to be known
   * @param where names their source in messages, e.g. {@code init-param of servlet hpkp}
   */
  static ReportCollector collector(Function<String, String> config, Collection<String> names,
      String where, String servletName) throws IOException {
    for (String parameter : names) {
      RULES.checkKnown(parameter, PARAMETERS, where);
    }
    ReportSink sink = sink(config);
    ReportCollector built;
    try {
      built = ReportCollector.builder(sink)
          .maxBodyBytes((int) number(config, CollectorLimit.MAX_BODY_BYTES))
          .ratePerSecond(number(config, CollectorLimit.RATE_PER_SECOND))
          .rateBurst(number(config, CollectorLimit.RATE_BURST))
          .maxConcurrent((int) number(config, CollectorLimit.MAX_CONCURRENT))
          .maxChainLength((int) number(config, CollectorLimit.MAX_CHAIN_LENGTH))
          .bodyTimeoutMillis(number(config, CollectorLimit.BODY_TIMEOUT_MILLIS))
          .build();
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
    restoreRecent(built, sink, servletName);
    return built;
  }

  /** Shows the newest reports of a JSON-lines file again after a restart (#14). */
  private static void restoreRecent(ReportCollector collector, ReportSink sink, String name) {
    List<ReportSink> all = sink instanceof CompositeSink composite ? composite.sinks()
        : List.of(sink);
    for (ReportSink each : all) {
      if (each instanceof JsonLinesReportSink file) {
        try {
          JsonLinesTail.Result tail = JsonLinesTail.newest(file.file(), collector.recentCapacity(),
              collector.parser());
          collector.restoreRecent(tail.reports());
          if (tail.skipped() > 0) {
            LOG.log(Level.WARNING, "HPKP report collector " + name + ": " + tail.skipped()
                + " of the last lines of " + file.file() + " do not parse as reports and are"
                + " not shown among the recent ones; the file is left as it is");
          }
        } catch (IOException e) {
          LOG.log(Level.WARNING, "HPKP report collector " + name + " cannot read back recent"
              + " reports from " + file.file() + " ("
              + Printable.escape(String.valueOf(e.getMessage())) + "); it starts with none"
              + " shown and goes on storing");
        }
        return;
      }
    }
  }

  private static long number(Function<String, String> config, CollectorLimit limit) {
    return limit.parse(value(config, limit.parameter()));
  }

  private static String value(Function<String, String> config, String name) {
    return RULES.resolvePlaceholders(name, config.apply(name),
        System::getenv, System::getProperty);
  }

  private static ReportSink sink(Function<String, String> config) throws IOException {
    String spec = value(config, SINK);
    String file = value(config, FILE);
    List<ReportSink> sinks = new ArrayList<>();
    List<String> names = spec == null || spec.isBlank() ? List.of("log")
        : List.of(spec.strip().split("\\s*,\\s*"));
    boolean jsonl = false;
    for (String name : names) {
      switch (name) {
        case "log" -> sinks.add(new LogReportSink());
        case "jsonl" -> {
          jsonl = true;
          if (file == null || file.isBlank()) {
            throw new CollectorConfigurationException(FILE, null, Wording.text("not set, but ")
                .setting(SINK, "jsonl").append(" needs it"), Wording.text("set ").setting(FILE)
                .append(" to the JSON-lines file, e.g."
                + " ${sys:catalina.base}/logs/hpkp-reports.jsonl"), null);
          }
          long maxBytes = number(config, CollectorLimit.FILE_MAX_BYTES);
          int keep = (int) number(config, CollectorLimit.FILE_KEEP);
          try {
            sinks.add(new JsonLinesReportSink(Path.of(file.strip()), maxBytes, keep));
          } catch (IOException e) {
            throw new CollectorConfigurationException(FILE, file, "cannot open '" + file
                + "' for appending (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + ")", "check that the directory exists or can be created and is writable by"
                + " the server", e);
          }
        }
        default -> sinks.add(customSink(name));
      }
    }
    if (!jsonl) {
      for (String name : List.of(FILE, FILE_MAX_BYTES, FILE_KEEP)) {
        String value = value(config, name);
        if (value != null) {
          throw new CollectorConfigurationException(name, value, Wording.text("set to '" + value
              + "', but no jsonl sink is configured"), Wording.text("add jsonl to ")
              .setting(SINK).append(" (e.g. ").setting(SINK, "log,jsonl").append(") or remove ")
              .setting(name), null);
        }
      }
    }
    return sinks.size() == 1 ? sinks.get(0) : new CompositeSink(sinks);
  }

  private static ReportSink customSink(String className) {
    if (!className.contains(".")) {
      throw new CollectorConfigurationException(SINK, className, "'" + className + "' is not a"
          + " sink", "use log, jsonl, or the fully qualified name of a class implementing"
          + " dev.hpkp.report.ReportSink", null);
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type = Class.forName(className, true,
          loader != null ? loader : CollectorSettings.class.getClassLoader());
      if (!ReportSink.class.isAssignableFrom(type)) {
        throw new CollectorConfigurationException(SINK, className, className + " does not"
            + " implement dev.hpkp.report.ReportSink", null, null);
      }
      return (ReportSink) type.getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new CollectorConfigurationException(SINK, className, "class " + className
          + " is not on the classpath", "check the name or add its jar to WEB-INF/lib", e);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new CollectorConfigurationException(SINK, className, className
          + " needs a public no-argument constructor", null, e);
    } catch (InvocationTargetException e) {
      throw new CollectorConfigurationException(SINK, className, className
          + " failed in its constructor: " + e.getCause(), null, e);
    }
  }
}
