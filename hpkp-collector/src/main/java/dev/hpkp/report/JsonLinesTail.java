package dev.hpkp.report;

import dev.hpkp.files.FileTail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the newest reports of a {@link JsonLinesReportSink} file, so that a restarted
 * collector shows the reports it stored before. Each line goes through the same {@link
 * ReportParser} that admitted it, so the derived fields (served pins, verdict) are computed, not
 * trusted from the file. Lines that do not parse — a line torn by a crash, an edited file — are
 * skipped and counted.
 */
final class JsonLinesTail {

  /** At most this much of the file's end is read. */
  static final int MAX_TAIL_BYTES = 8 << 20;

  /** What was read back. */
  record Result(List<ReceivedReport> reports, int skipped) {}

  private JsonLinesTail() {}

  /**
   * The newest {@code count} reports of {@code file}, oldest first, completed from the newest
   * rotated file ({@code file.1}) when the current one has fewer, as after a rotation.
   */
  static Result newest(Path file, int count, ReportParser parser) throws IOException {
    Result current = read(file, count, parser);
    int missing = count - current.reports().size() - current.skipped();
    if (missing <= 0) {
      return current;
    }
    Result rotated = read(RotatedFiles.rotated(file, 1), missing, parser);
    List<ReceivedReport> reports = new ArrayList<>(rotated.reports());
    reports.addAll(current.reports());
    return new Result(reports, rotated.skipped() + current.skipped());
  }

  /**
   * The reports of the last {@code count} whole lines of {@code file} (or of its last {@link
   * #MAX_TAIL_BYTES}), oldest first; an absent file has none.
   */
  static Result read(Path file, int count, ReportParser parser) throws IOException {
    List<byte[]> lines = FileTail.lines(file, MAX_TAIL_BYTES, count);
    List<ReceivedReport> reports = new ArrayList<>();
    int skipped = 0;
    for (byte[] line : lines) {
      try {
        reports.add(ReportLines.read(line, parser));
      } catch (RejectedReportException | IOException | DateTimeParseException e) {
        skipped++;
      }
    }
    return new Result(reports, skipped);
  }
}
