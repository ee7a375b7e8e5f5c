package dev.hpkp.testing;

import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.JsonLinesReportSink;
import dev.hpkp.report.LogReportSink;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.report.ReportSink;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A report collector on plain HTTP at 127.0.0.1, in its own JVM, for the hostile-load and crash
 * tests and the benchmarks. Args: FILE [ratePerSecond] [rateBurst] [log]; with {@code log}, each
 * report is also logged by {@link LogReportSink}. Prints {@code READY <port>}. With {@code
 * -Dcollector.floor=true} the same server answers 204 after reading the body, without parsing or
 * storing it: the floor the benchmark sets the collector's figures against. {@code
 * -Dcollector.fileMaxBytes} and {@code -Dcollector.fileKeep} set the file's rotation (default one
 * GiB, one rotated file; the benchmark uses the servlet's defaults, 64 MiB and 5).
 */
public final class CollectorServerMain {

  private CollectorServerMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    double burst = args.length > 2 ? Double.parseDouble(args[2]) : 100;
    LogReportSink log = new LogReportSink();
    boolean logged = args.length > 3 && args[3].equals("log");
    JsonLinesReportSink jsonl = new JsonLinesReportSink(file,
        Long.getLong("collector.fileMaxBytes", 1L << 30), Integer.getInteger("collector.fileKeep", 1));
    ReportSink sink = !logged ? jsonl : report -> {
      jsonl.accept(report);
      log.accept(report);
    };
    ReportCollector collector = ReportCollector.builder(sink).ratePerSecond(rate).rateBurst(burst).build();
    QueuedThreadPool threads = new QueuedThreadPool(400, 8);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setIdleTimeout(5_000);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder reports = new ServletHolder(Boolean.getBoolean("collector.floor")
        ? new jakarta.servlet.http.HttpServlet() {
          @Override
          protected void doPost(jakarta.servlet.http.HttpServletRequest request,
              jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
            request.getInputStream().readAllBytes();
            response.setStatus(204);
          }
        }
        : new HpkpReportServlet(collector));
    reports.setAsyncSupported(!Boolean.getBoolean("collector.blocking"));
    context.addServlet(reports, "/hpkp-report");
    context.addServlet(new ServletHolder(new jakarta.servlet.http.HttpServlet() {
      @Override
      protected void doGet(jakarta.servlet.http.HttpServletRequest request,
          jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        Runtime runtime = Runtime.getRuntime();
        response.getWriter().print((runtime.totalMemory() - runtime.freeMemory()) + " "
            + runtime.maxMemory() + " " + collector.stats().accepted());
      }
    }), "/heap");
    server.setHandler(context);
    server.start();
    System.out.println("READY " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }
}
