package dev.hpkp.benchmarks;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.ServletFakes;
import dev.hpkp.testing.TestPki;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.web.header.writers.HpkpHeaderWriter;

/**
 * {@link HpkpFilter} against Spring Security 6.4's (deprecated, still shipped) {@link
 * HpkpHeaderWriter}, what current Spring users have, and the constant-setHeader floor: one
 * secure request each, the same Jakarta fakes for all three.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class Spring6FilterBenchmark {

  private static final FilterChain CHAIN = (request, response) -> { };

  private Filter floor;
  private Filter hpkp;
  private HpkpHeaderWriter spring;
  private ServletFakes.SecureRequest request;
  private ServletFakes.RecordingResponse response;

  @Setup
  @SuppressWarnings("deprecation")
  public void setUp() throws Exception {
    TestPki pki = TestPki.localhost();
    Pin backup = pki.backupPin();
    Pin second = pki.secondBackupPin();
    PinPolicy policy = PinPolicy.builder().pins(pki.leafPin()).backupPins(backup, second)
        .reportUri("https://reports.example.net/hpkp").includeSubDomains(true)
        .servedChain(KeyMaterial.toChain(pki.chain())).build();
    hpkp = new HpkpFilter(policy);
    hpkp.init(ServletFakes.filterConfig("hpkp"));
    String name = policy.headerName();
    String value = policy.headerValue();
    floor = (req, res, chain) -> {
      ((jakarta.servlet.http.HttpServletResponse) res).setHeader(name, value);
      chain.doFilter(req, res);
    };
    spring = new HpkpHeaderWriter();
    spring.addSha256Pins(pki.leafPin().base64(), backup.base64(), second.base64());
    spring.setMaxAgeInSeconds(policy.maxAgeSeconds());
    spring.setIncludeSubDomains(true);
    spring.setReportOnly(true);
    spring.setReportUri("https://reports.example.net/hpkp");
    request = new ServletFakes.SecureRequest();
    response = new ServletFakes.RecordingResponse();
  }

  @Benchmark
  public Object floorSetHeader() throws Exception {
    response.clear();
    floor.doFilter(request, response, CHAIN);
    return response.value;
  }

  @Benchmark
  public Object hpkpFilter() throws Exception {
    response.clear();
    hpkp.doFilter(request, response, CHAIN);
    return response.value;
  }

  /** As Spring's HeaderWriterFilter uses it: write the header, then continue the chain. */
  @Benchmark
  @SuppressWarnings("deprecation")
  public Object springSecurity64HpkpHeaderWriter() throws Exception {
    response.clear();
    spring.writeHeaders(request, response);
    CHAIN.doFilter(request, response);
    return response.value;
  }
}
