package dev.hpkp.spring;

import dev.hpkp.report.AppIdentity;
import dev.hpkp.report.CollectorConfigurationException;
import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.ReceivedReport;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.report.Rejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code hpkp.collector.enabled=true}: HpkpReportServlet at {@code hpkp.collector.path}, and with
 * Micrometer the counters {@code hpkp.reports{verdict}} and {@code hpkp.reports.rejected{reason}}.
 * The collector is built with the context, so a bad {@code hpkp.collector.*} value stops the
 * application with a failure analysis, as a bad policy does.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HpkpReportServlet.class)
@ConditionalOnProperty(prefix = "hpkp.collector", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpCollectorAutoConfiguration {

  /** Closed with the context (and by the servlet when the server stops: closing is idempotent). */
  @Bean
  ReportCollector hpkpReportCollector(HpkpProperties properties) {
    try {
      return HpkpReportServlet.collectorFrom(properties.getCollector().initParameters(),
          "hpkp-report");
    } catch (CollectorConfigurationException e) {
      throw PropertyNames.startupFailure(e, PropertyNames.COLLECTOR, "hpkp.collector.*");
    } catch (IOException e) {
      throw new HpkpStartupException("hpkp.collector.file: "
          + properties.getCollector().getFile() + " cannot be opened (" + e.getMessage() + ")",
          "Set hpkp.collector.file to a file in a directory this application can write", e);
    }
  }

  /**
   * The collector in {@code /actuator/hpkp}: the newest reports, each with its host, verdict and,
   * for a mobile app's (TrustKit) report, the app.
   */
  @Bean
  HpkpEndpointSection hpkpCollectorEndpointSection(ReportCollector collector) {
    return new HpkpEndpointSection() {
      @Override
      public String name() {
        return "collector";
      }

      @Override
      public Object describe() {
        List<Map<String, Object>> recent = new ArrayList<>();
        for (ReceivedReport received : collector.recentReports()) {
          Map<String, Object> report = new LinkedHashMap<>();
          report.put("receivedAt", received.receivedAt().toString());
          report.put("host", received.report().hostAndPort());
          report.put("verdict", received.verdict().code());
          AppIdentity app = received.report().app();
          if (app != null) {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("bundleId", app.bundleId());
            described.put("platform", app.platform());
            described.put("version", app.version());
            described.put("trustkitVersion", app.trustkitVersion());
            described.put("validationResult", app.validationResultName());
            report.put("app", described);
          }
          recent.add(report);
        }
        return Map.of("accepted", collector.stats().accepted(), "recent", recent);
      }
    };
  }

  @Bean
  ServletRegistrationBean<HpkpReportServlet> hpkpReportServlet(HpkpProperties properties,
      ReportCollector collector) {
    ServletRegistrationBean<HpkpReportServlet> registration = new ServletRegistrationBean<>(
        new HpkpReportServlet(collector), properties.getCollector().getPath());
    registration.setName("hpkp-report");
    registration.setLoadOnStartup(1);
    registration.setAsyncSupported(true);
    return registration;
  }

  /** The collector's counters in Micrometer, read from its stats when scraped. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    MeterBinder hpkpReportMetrics(ReportCollector collector) {
      return registry -> {
        for (ReceivedReport.Verdict verdict : ReceivedReport.Verdict.values()) {
          counter(registry, "hpkp.reports", "Reports the collector stored, by verdict",
              "verdict", verdict.code(), collector, c -> c.stats().accepted(verdict));
        }
        for (Rejection reason : Rejection.values()) {
          counter(registry, "hpkp.reports.rejected", "Requests the collector turned away, by"
              + " reason", "reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'),
              collector, c -> c.stats().rejected(reason));
        }
      };
    }

    private static void counter(MeterRegistry registry, String name, String description,
        String tag, String value, ReportCollector collector,
        ToDoubleFunction<ReportCollector> count) {
      FunctionCounter.builder(name, collector, count).description(description).tag(tag, value)
          .register(registry);
    }
  }
}
