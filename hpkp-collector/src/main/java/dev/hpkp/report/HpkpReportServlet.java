package dev.hpkp.report;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Receives HPKP violation reports at the URL a policy's {@code report-uri} names.
 *
 * <p>{@code POST} with {@code Content-Type: application/json} only (405 with {@code Allow} and
 * 415 otherwise); 204 when the report is stored. See {@link ReportCollector} for the limits and
 * the README for the init-params. The collector is published as the ServletContext attribute
 * {@link ReportCollector#CONTEXT_ATTRIBUTE}, for status pages.
 */
public class HpkpReportServlet extends HttpServlet {

  public static final String SINK = "sink";
  public static final String FILE = "file";
  public static final String FILE_MAX_BYTES = CollectorLimit.FILE_MAX_BYTES.parameter();
  public static final String FILE_KEEP = CollectorLimit.FILE_KEEP.parameter();
  public static final String MAX_BODY_BYTES = CollectorLimit.MAX_BODY_BYTES.parameter();
  public static final String RATE_PER_SECOND = CollectorLimit.RATE_PER_SECOND.parameter();
  public static final String RATE_BURST = CollectorLimit.RATE_BURST.parameter();
  public static final String MAX_CONCURRENT = CollectorLimit.MAX_CONCURRENT.parameter();
  public static final String MAX_CHAIN_LENGTH = CollectorLimit.MAX_CHAIN_LENGTH.parameter();
  public static final String BODY_TIMEOUT_MILLIS = CollectorLimit.BODY_TIMEOUT_MILLIS.parameter();

  /** The numeric init-params: their names, defaults and bounds are {@link CollectorLimit}'s. */
  public static final List<CollectorLimit> LIMITS = List.of(CollectorLimit.FILE_MAX_BYTES,
      CollectorLimit.FILE_KEEP, CollectorLimit.MAX_BODY_BYTES, CollectorLimit.RATE_PER_SECOND,
      CollectorLimit.RATE_BURST, CollectorLimit.MAX_CONCURRENT, CollectorLimit.MAX_CHAIN_LENGTH,
      CollectorLimit.BODY_TIMEOUT_MILLIS);

  /** Every init-param the servlet knows. */
  public static final List<String> PARAMETERS = List.of(SINK, FILE, FILE_MAX_BYTES, FILE_KEEP,
      MAX_BODY_BYTES, RATE_PER_SECOND, RATE_BURST, MAX_CONCURRENT, MAX_CHAIN_LENGTH,
      BODY_TIMEOUT_MILLIS);

  private static final System.Logger LOG = System.getLogger(HpkpReportServlet.class.getName());

  private transient ReportCollector collector;

  /** For web.xml: configured from init-params. */
  public HpkpReportServlet() {}

  /** For programmatic registration with a collector built in code. */
  public HpkpReportServlet(ReportCollector collector) {
    this.collector = collector;
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    String name = config.getServletName();
    if (collector == null) {
      try {
        collector = CollectorSettings.collector(config::getInitParameter,
            Collections.list(config.getInitParameterNames()),
            "init-param of servlet " + name, name);
      } catch (CollectorConfigurationException | IOException e) {
        String message = "HPKP report collector " + name + " refuses to start: "
            + e.getMessage();
        LOG.log(Level.ERROR, message);
        throw new ServletException(message, e);
      }
    }
    config.getServletContext().setAttribute(ReportCollector.CONTEXT_ATTRIBUTE, collector);
    config.getServletContext().setAttribute(ReportCollector.CONTEXT_ATTRIBUTE + "." + name,
        collector);
    LOG.log(Level.INFO, "HPKP report collector " + name + " stores reports with "
        + describe(collector.sink()));
    long heap = Runtime.getRuntime().maxMemory();
    if (collector.worstCaseBytes() > heap / 4) {
      LOG.log(Level.WARNING, "HPKP report collector " + name + " may hold up to "
          + (collector.worstCaseBytes() >> 20) + " MiB of reports at once (maxConcurrent ×"
          + " maxBodyBytes, plus a 4 MiB certificate cache), more than a quarter of the "
          + (heap >> 20) + " MiB heap; lower maxConcurrent or maxBodyBytes, or give the JVM more"
          + " heap");
    }
  }

  /**
   * The collector the init-params {@code parameters} describe, built and checked exactly as
   * {@link #init} does, for a framework that maps the servlet itself and wants a bad setting to
   * stop its start-up (then {@code new HpkpReportServlet(collector)}).
   *
   * @throws CollectorConfigurationException naming the parameter, the value and the fix
   * @throws IOException when the JSON-lines file cannot be opened
   */
  public static ReportCollector collectorFrom(Map<String, String> parameters,
      String servletName) throws IOException {
    return CollectorSettings.collector(parameters::get, parameters.keySet(),
        "init-param of servlet " + servletName, servletName);
  }

  private static String describe(ReportSink sink) {
    if (sink instanceof CompositeSink composite) {
      return String.join(" and ", composite.sinks().stream().map(HpkpReportServlet::describe)
          .toList());
    }
    if (sink instanceof JsonLinesReportSink file) {
      return "the JSON-lines file " + file.file();
    }
    if (sink instanceof LogReportSink) {
      return "the log (System.Logger " + LogReportSink.class.getName() + ")";
    }
    return sink.getClass().getName();
  }

  /** The collector, for status pages and tests. */
  public ReportCollector collector() {
    return collector;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    if (!"POST".equals(request.getMethod())) {
      collector.countRejected(Rejection.METHOD_NOT_ALLOWED);
      response.setHeader("Allow", "POST");
      send(response, 405, request.getMethod() + " is not allowed; user agents POST reports");
      return;
    }
    if (!request.isAsyncSupported()) {
      // A filter or the registration does not allow async: read here, within the deadline.
      answer(response, collector.handle(request.getRemoteAddr(), request.getContentType(),
          request.getContentLengthLong(), request::getInputStream));
      return;
    }
    ReportCollector.Admitted admitted = collector.admit(request.getRemoteAddr(),
        request.getContentType(), request.getContentLengthLong());
    if (admitted.rejection() != null) {
      answer(response, admitted.rejection());
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(collector.bodyTimeoutMillis());
    ServletInputStream in = request.getInputStream();
    AsyncBody body = new AsyncBody(collector, admitted.admission(), async, in,
        HpkpReportServlet::answer);
    async.addListener(AsyncBody.Events.of(body));
    in.setReadListener(body);
  }

  private static void answer(HttpServletResponse response, ReportCollector.Response result)
      throws IOException {
    if (result.retryAfterSeconds() > 0) {
      response.setHeader("Retry-After", Long.toString(result.retryAfterSeconds()));
    }
    if (result.closeConnection()) {
      response.setHeader("Connection", "close");
    }
    if (result.status() == 204) {
      response.setStatus(204);
      return;
    }
    send(response, result.status(), result.message());
  }

  private static void send(HttpServletResponse response, int status, String message)
      throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  @Override
  public void destroy() {
    try {
      collector.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing the HPKP report sink failed: " + e.getMessage());
    }
  }
}
