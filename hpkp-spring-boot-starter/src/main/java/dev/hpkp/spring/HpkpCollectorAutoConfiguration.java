package dev.hpkp.spring;

import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.ReceivedReport;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.report.Rejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
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
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HpkpReportServlet.class)
@ConditionalOnProperty(prefix = "hpkp.collector", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpCollectorAutoConfiguration {

  @Bean
  ServletRegistrationBean<HpkpReportServlet> hpkpReportServlet(HpkpProperties properties) {
    CollectorProperties collector = properties.getCollector();
    ServletRegistrationBean<HpkpReportServlet> registration =
        new ServletRegistrationBean<>(new HpkpReportServlet(), collector.getPath());
    registration.setName("hpkp-report");
    registration.setInitParameters(collector.initParameters());
    registration.setLoadOnStartup(1);
    registration.setAsyncSupported(true);
    return registration;
  }

  /** The collector's counters in Micrometer, read from its stats when scraped. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    MeterBinder hpkpReportMetrics(ServletRegistrationBean<HpkpReportServlet> registration) {
      return registry -> {
        HpkpReportServlet servlet = registration.getServlet();
        for (ReceivedReport.Verdict verdict : ReceivedReport.Verdict.values()) {
          counter(registry, "hpkp.reports", "Reports the collector stored, by verdict",
              "verdict", verdict.code(), servlet, c -> c.stats().accepted(verdict));
        }
        for (Rejection reason : Rejection.values()) {
          counter(registry, "hpkp.reports.rejected", "Requests the collector turned away, by"
              + " reason", "reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'),
              servlet, c -> c.stats().rejected(reason));
        }
      };
    }

    private static void counter(MeterRegistry registry, String name, String description,
        String tag, String value, HpkpReportServlet servlet,
        java.util.function.ToLongFunction<ReportCollector> count) {
      ToDoubleFunction<HpkpReportServlet> read = s -> s.collector() == null ? 0
          : count.applyAsLong(s.collector());
      FunctionCounter.builder(name, servlet, read).description(description).tag(tag, value)
          .register(registry);
    }
  }
}
