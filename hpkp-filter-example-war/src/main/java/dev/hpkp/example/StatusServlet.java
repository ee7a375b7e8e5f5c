package dev.hpkp.example;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.report.CollectorStats;
import dev.hpkp.report.ReceivedReport;
import dev.hpkp.report.Rejection;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.text.Printable;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The example's status page: the policy each {@link HpkpFilter} sends, what every pin matches,
 * the leaf's expiry against max-age, and the collector's counters and latest reports. Plain
 * server-rendered HTML.
 */
public class StatusServlet extends HttpServlet {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    // Mapped at "/" (the default servlet), which every container maps the context root to;
    // the empty pattern answered 404 on GlassFish and Payara. Any other path is not this page.
    String path = request.getServletPath() + (request.getPathInfo() == null ? ""
        : request.getPathInfo());
    if (!path.isEmpty() && !path.equals("/")) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setContentType("text/html;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    ServletContext context = getServletContext();
    Map<String, PinPolicy> policies = policies(context);
    ReportCollector collector =
        (ReportCollector) context.getAttribute(ReportCollector.CONTEXT_ATTRIBUTE);
    PrintWriter out = response.getWriter();
    out.println("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>hpkp-filter example</title><style>" + CSS + "</style></head><body><main>");
    out.println("<h1>hpkp-filter example</h1>");
    out.println("<p class=\"note\">Browsers no longer enforce HPKP (Chrome 72, Firefox 72). This"
        + " page shows the policy a team would roll out in report-only mode, and the reports"
        + " user agents that still check pins send back.</p>");
    thisRequest(out, request, response, policies);
    for (Map.Entry<String, PinPolicy> entry : policies.entrySet()) {
      policy(out, entry.getKey(), entry.getValue(), (ChainVerdict) context.getAttribute(
          HpkpFilter.VERDICT_ATTRIBUTE_PREFIX + entry.getKey()));
    }
    if (policies.isEmpty()) {
      out.println("<p class=\"bad\">No HpkpFilter is active in this application.</p>");
    }
    reports(out, collector, request);
    CtAlerts.section(out, System.getProperty(CtAlerts.FILE_PROPERTY));
    out.println("</main></body></html>");
  }

  private static void thisRequest(PrintWriter out, HttpServletRequest request,
      HttpServletResponse response, Map<String, PinPolicy> policies) {
    out.println("<section><h2>This request</h2><p>");
    if (request.isSecure()) {
      List<String> sent = new ArrayList<>();
      for (PinPolicy policy : policies.values()) {
        if (response.containsHeader(policy.headerName())) {
          sent.add(policy.headerName());
        }
      }
      out.println("<span class=\"ok\">HTTPS</span> — this response carries "
          + (sent.isEmpty() ? "no pinning header" : "<code>" + esc(String.join(", ", sent))
          + "</code>") + ".");
    } else {
      out.println("<span class=\"warn\">Plain HTTP</span> — no pinning header is sent (user"
          + " agents ignore it without TLS). Open the https:// address.");
    }
    out.println("</p></section>");
  }

  /**
   * The verdict on the chain served now: at start-up, and after each change of the servedChain
   * file the filter watches (a renewal).
   */
  static String verdict(ChainVerdict verdict) {
    if (verdict == null) {
      return "";
    }
    String css = switch (verdict.kind()) {
      case PINNED -> "ok";
      case ROTATED_ONTO_BACKUP, UNREADABLE -> "warn";
      default -> "bad";
    };
    return "<p>Served chain now: <span class=\"" + css + "\">" + esc(verdict.kind().code())
        + "</span> " + esc(verdict.sentence()) + "</p>";
  }

  private static void policy(PrintWriter out, String filterName, PinPolicy policy,
      ChainVerdict verdict) {
    out.println("<section><h2>Active policy <small>filter " + esc(filterName) + "</small></h2>");
    out.println(verdict(verdict));
    out.println("<p><span class=\""
        + (policy.reportOnly() ? "warn\">report-only" : "ok\">enforcing") + "</span> max-age "
        + policy.maxAgeSeconds() + " s (" + human(policy.maxAgeSeconds())
        + ")" + (policy.includeSubDomains() ? ", includeSubDomains" : "")
        + policy.reportUri().map(u -> ", reports to <code>" + esc(u.toString()) + "</code>")
            .orElse("") + "</p>");
    out.println("<pre class=\"header\">" + esc(policy.headerName()) + ": "
        + esc(policy.headerValue()) + "</pre>");
    out.println("<table><thead><tr><th>pin</th><th>matches</th></tr></thead><tbody>");
    for (Pin pin : policy.allPins()) {
      String what = policy.describe(pin);
      out.println("<tr><td><code>" + esc(pin.toString()) + "</code></td><td>"
          + (what.equals("backup") ? "<span class=\"backup\">backup</span> (not deployed)"
          : esc(what)) + "</td></tr>");
    }
    out.println("</tbody></table>");
    List<ChainCertificate> chain = policy.servedChain();
    if (!chain.isEmpty()) {
      out.println("<h3>Validated chain</h3><table><thead><tr><th>#</th><th>role</th>"
          + "<th>pin</th><th>subject</th><th>expires</th></tr></thead><tbody>");
      for (ChainCertificate certificate : chain) {
        out.println("<tr><td>" + certificate.position() + "</td><td class=\"nw\">"
            + esc(certificate.role().toString()) + "</td><td><code>"
            + esc(certificate.pin().toString()) + "</code></td><td>"
            + esc(certificate.subject()) + "</td><td class=\"nw\">"
            + TIME.format(certificate.notAfter()) + "</td></tr>");
      }
      out.println("</tbody></table>");
      ChainCertificate leaf = chain.get(0);
      Instant startBy = PinPolicy.renewBy(leaf.notAfter(), policy.maxAgeSeconds());
      Instant now = Instant.now();
      long days = Duration.between(now, startBy).toDays();
      out.println("<p>Leaf expires " + TIME.format(leaf.notAfter()) + ". A renewal must start"
          + " 30 days + max-age (at most 60 days) before that: by <strong>"
          + TIME.format(startBy) + "</strong> "
          + (!now.isAfter(startBy) ? "<span class=\"ok\">(" + days + " days left)</span>"
          : "<span class=\"bad\">(overdue — start now)</span>") + "</p>");
    }
    if (!policy.warnings().isEmpty()) {
      out.println("<h3>Warnings at start</h3><ul class=\"warnings\">");
      for (String warning : policy.warnings()) {
        out.println("<li>" + esc(warning) + "</li>");
      }
      out.println("</ul>");
    }
    out.println("</section>");
  }

  /** The app that sent a report (TrustKit), or a dash for a user agent's. */
  static String app(dev.hpkp.report.AppIdentity app) {
    return app == null ? "—" : app.describe() + (app.validationResultName() == null ? ""
        : ", " + app.validationResultName());
  }

  /** When this application started: the collector's counters count from here. */
  private static final Instant STARTED = Instant.now();

  /**
   * What the counters and the list count: the counters restart with the process, the list of
   * recent reports is read back from the report file, so it may hold reports from before.
   */
  static String countersNote(Instant started) {
    return "<p class=\"note\">Counters since this application started (" + TIME.format(started)
        + "); the list below is the newest reports read back from the report file, so it keeps"
        + " those from before a restart.</p>";
  }

  private static void reports(PrintWriter out, ReportCollector collector,
      HttpServletRequest request) {
    out.println("<section><h2>Reports</h2>");
    if (collector == null) {
      out.println("<p>No report collector in this application.</p></section>");
      return;
    }
    CollectorStats stats = collector.stats();
    long rejected = 0;
    StringBuilder reasons = new StringBuilder();
    for (Map.Entry<Rejection, Long> entry : stats.rejectedByReason().entrySet()) {
      if (entry.getValue() > 0) {
        rejected += entry.getValue();
        reasons.append(reasons.length() == 0 ? "" : ", ")
            .append(entry.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
            .append(' ').append(entry.getValue());
      }
    }
    out.println(countersNote(STARTED));
    out.println("<p class=\"counters\"><span>accepted <strong id=\"accepted\">"
        + stats.accepted() + "</strong></span> <span>rejected <strong id=\"rejected\">"
        + rejected + "</strong>" + (reasons.length() > 0 ? " (" + esc(reasons.toString()) + ")"
        : "") + "</span> <span>rate-limited <strong>" + stats.rateLimited()
        + "</strong></span></p>");
    List<ReceivedReport> recent = collector.recentReports();
    if (recent.isEmpty()) {
      out.println("<p>No reports yet. Post one:</p><pre>curl -k -H 'Content-Type:"
          + " application/json' --data @sample-report.json https://" + esc(request.getServerName())
          + ":" + request.getServerPort() + request.getContextPath() + "/hpkp-report</pre>");
    } else {
      out.println("<table><thead><tr><th>received</th><th>from</th><th>host</th>"
          + "<th>app</th><th>verdict</th><th>what it means</th></tr></thead><tbody>");
      for (ReceivedReport report : recent) {
        out.println("<tr><td class=\"nw\">" + TIME.format(report.receivedAt())
            + "</td><td class=\"nw\">" + esc(masked(report.remoteAddress()))
            + "</td><td class=\"nw\">" + esc(report.report().hostAndPort())
            + "</td><td>" + esc(app(report.report().app()))
            + "</td><td class=\"nw\"><span class=\""
            + severity(report.verdict().code()) + "\">" + esc(report.verdict().code())
            + "</span></td><td>" + esc(report.summary())
            + "</td></tr>");
      }
      out.println("</tbody></table>");
    }
    out.println("</section>");
  }

  /** Likely interception is bad news, a misconfiguration a warning, the rest neutral. */
  private static String severity(String verdict) {
    return switch (verdict) {
      case "no-pinned-key-served" -> "bad";
      case "pinned-key-not-validated" -> "warn";
      default -> "verdict";
    };
  }

  /**
   * A reporter's address without its host part (203.0.113.x, 2001:db8:1:2::/64): this page is on
   * the pinned host, open to anyone, and a report's sender is a person's client.
   */
  static String masked(String address) {
    int lastDot = address.lastIndexOf('.');
    if (address.indexOf(':') < 0 && lastDot > 0) {
      return address.substring(0, lastDot) + ".x";
    }
    String[] groups = address.split(":", -1);
    return groups.length >= 4 ? String.join(":", groups[0], groups[1], groups[2], groups[3])
        + "::/64" : "(masked)";
  }

  private static Map<String, PinPolicy> policies(ServletContext context) {
    Map<String, PinPolicy> policies = new TreeMap<>();
    for (String name : Collections.list(context.getAttributeNames())) {
      if (name.startsWith(HpkpFilter.POLICY_ATTRIBUTE_PREFIX)
          && context.getAttribute(name) instanceof PinPolicy policy) {
        policies.put(name.substring(HpkpFilter.POLICY_ATTRIBUTE_PREFIX.length()), policy);
      }
    }
    return policies;
  }

  private static String human(long seconds) {
    if (seconds % 86_400 == 0 && seconds > 0) {
      return seconds / 86_400 + " days";
    }
    if (seconds % 3600 == 0 && seconds > 0) {
      return seconds / 3600 + " hours";
    }
    if (seconds % 60 == 0 && seconds > 0) {
      return seconds / 60 + " minutes";
    }
    return seconds + " seconds";
  }

  /**
   * HTML-escaped, after control characters are written as escapes: a reporter's subject cannot
   * inject markup or show as boxes.
   */
  static String esc(String raw) {
    String text = Printable.escape(raw);
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private static final String CSS = """
      body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
      color:#1f2328;background:#f6f8fa}
      main{max-width:1120px;margin:0 auto;padding:24px}
      h1{margin:0 0 8px;font-size:26px}
      h2{font-size:19px;margin:0 0 10px}h2 small{font-weight:normal;color:#59636e;font-size:14px}
      h3{font-size:15px;margin:16px 0 6px}
      section{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:16px 20px;\
      margin:16px 0}
      .note{color:#59636e;margin:0}
      table{border-collapse:collapse;width:100%;table-layout:auto}
      th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e8eb;vertical-align:top;\
      overflow-wrap:anywhere}
      th{font-size:13px;color:#59636e;font-weight:600}
      code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      pre{background:#f6f8fa;border:1px solid #e5e8eb;border-radius:6px;padding:10px;\
      white-space:pre-wrap;overflow-wrap:anywhere;margin:8px 0}
      .ok,.warn,.bad,.backup,.verdict{display:inline-block;padding:0 8px;border-radius:10px;\
      font-size:13px;font-weight:600}
      .ok{background:#dafbe1;color:#116329}.warn{background:#fff8c5;color:#7d4e00}
      .bad{background:#ffebe9;color:#a40e26}.backup{background:#ddf4ff;color:#0550ae}
      .verdict{background:#eef1f4;color:#1f2328}
      .counters span{margin-right:20px}
      td.nw{white-space:nowrap;overflow-wrap:normal}
      .warnings li{margin:4px 0;color:#7d4e00}
      """;
}
