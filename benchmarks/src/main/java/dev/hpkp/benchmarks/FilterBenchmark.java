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
 * The cost of sending the header on one secure request: {@link HpkpFilter#doFilter} against the
 * floor (a filter that only calls setHeader with a constant) and Spring Security 5.8's
 * {@link HpkpHeaderWriter} writing an equivalent policy. The request and response are minimal
 * fakes, the same shape for all three, so only the header logic differs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class FilterBenchmark {

  private static final FilterChain CHAIN = (request, response) -> { };
  private static final javax.servlet.FilterChain JAVAX_CHAIN = (request, response) -> { };

  private Filter floor;
  private Filter hpkp;
  private HpkpHeaderWriter spring;
  private ServletFakes.SecureRequest jakartaRequest;
  private ServletFakes.RecordingResponse jakartaResponse;
  private Fakes.JavaxRequest javaxRequest;
  private Fakes.JavaxResponse javaxResponse;

  @Setup
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
    floor = (request, response, chain) -> {
      ((jakarta.servlet.http.HttpServletResponse) response).setHeader(name, value);
      chain.doFilter(request, response);
    };
    spring = new HpkpHeaderWriter();
    spring.addSha256Pins(pki.leafPin().base64(), backup.base64(), second.base64());
    spring.setMaxAgeInSeconds(policy.maxAgeSeconds());
    spring.setIncludeSubDomains(true);
    spring.setReportOnly(true);
    spring.setReportUri("https://reports.example.net/hpkp");
    jakartaRequest = new ServletFakes.SecureRequest();
    jakartaResponse = new ServletFakes.RecordingResponse();
    javaxRequest = new Fakes.JavaxRequest();
    javaxResponse = new Fakes.JavaxResponse();
  }

  @Benchmark
  public Object floorSetHeader() throws Exception {
    jakartaResponse.clear();
    floor.doFilter(jakartaRequest, jakartaResponse, CHAIN);
    return jakartaResponse.value;
  }

  @Benchmark
  public Object hpkpFilter() throws Exception {
    jakartaResponse.clear();
    hpkp.doFilter(jakartaRequest, jakartaResponse, CHAIN);
    return jakartaResponse.value;
  }

  /** As Spring's HeaderWriterFilter uses it: write the header, then continue the chain. */
  @Benchmark
  public Object springHpkpHeaderWriter() throws Exception {
    javaxResponse.clear();
    spring.writeHeaders(javaxRequest, javaxResponse);
    JAVAX_CHAIN.doFilter(javaxRequest, javaxResponse);
    return javaxResponse.value;
  }

  /** The javax fakes Spring Security 5.8 needs; the Jakarta ones are {@link ServletFakes}. */
  static final class Fakes {
    private Fakes() {}

    static <T> T unused(Class<T> type) {
      return ServletFakes.unused(type);
    }

    static final class JavaxRequest extends javax.servlet.http.HttpServletRequestWrapper {
      JavaxRequest() {
        super(unused(javax.servlet.http.HttpServletRequest.class));
      }

      @Override
      public boolean isSecure() {
        return true;
      }
    }

    static final class JavaxResponse extends javax.servlet.http.HttpServletResponseWrapper {
      String name;
      String value;

      JavaxResponse() {
        super(unused(javax.servlet.http.HttpServletResponse.class));
      }

      void clear() {
        name = null;
        value = null;
      }

      @Override
      public boolean containsHeader(String header) {
        return header.equalsIgnoreCase(name);
      }

      @Override
      public void setHeader(String header, String headerValue) {
        name = header;
        value = headerValue;
      }
    }
  }
}
