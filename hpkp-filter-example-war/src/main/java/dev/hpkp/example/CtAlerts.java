package dev.hpkp.example;

import dev.hpkp.files.FileTail;
import dev.hpkp.report.ReportLines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The status page's Certificate Transparency section: hpkp watch's newest alerts. */
final class CtAlerts {

  private CtAlerts() {}

  /**
   * The system property naming hpkp watch's alerts file, which the example's launcher sets when
   * it serves a local CT log ({@code -Dexample.ctLogPort}) and watches it.
   */
  static final String FILE_PROPERTY = "example.watchAlerts";

  /** The newest ten alerts of the CT watch (its JSON-lines file's last 64 KiB), newest first. */
  static void section(PrintWriter out, String file) {
    if (file == null || file.isBlank()) {
      return;
    }
    out.println("<section><h2>Certificate Transparency</h2>");
    List<String[]> alerts = new ArrayList<>();
    try {
      for (byte[] bytes : FileTail.lines(Path.of(file), 65_536, 10)) {
        String line = new String(bytes, StandardCharsets.UTF_8);
        String kind = ReportLines.kind(line);
        String message = ReportLines.text(line, "message");
        if (kind != null && message != null) {
          alerts.add(0, new String[] {kind, message});
        }
      }
    } catch (IOException | InvalidPathException e) {
      // no alerts file yet: nothing was found
    }
    if (alerts.isEmpty()) {
      out.println("<p class=\"ok\">hpkp watch found no certificate for this host whose chain"
          + " holds no pinned key.</p>");
    } else {
      out.println("<ul>");
      for (String[] alert : alerts.subList(0, Math.min(10, alerts.size()))) {
        out.println("<li><span class=\"bad\">" + StatusServlet.esc(alert[0]) + "</span> "
            + StatusServlet.esc(alert[1]) + "</li>");
      }
      out.println("</ul>");
    }
    out.println("</section>");
  }
}
