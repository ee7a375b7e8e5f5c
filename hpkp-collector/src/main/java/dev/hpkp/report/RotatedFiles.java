package dev.hpkp.report;

import dev.hpkp.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The rotated copies of a JSON-lines file: {@code FILE.1} (newest) to {@code FILE.keep}. */
final class RotatedFiles {

  private RotatedFiles() {}

  /** {@code FILE.i} for {@code i} ≥ 1. */
  static Path rotated(Path file, int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  /**
   * Shifts each rotated copy one up (the oldest beyond {@code keep} is replaced) and moves
   * {@code file} to {@code FILE.1}, or deletes it when none is kept. A failure leaves
   * {@code file} where it was unless its own move was the step that succeeded.
   */
  static void shift(Path file, int keep) throws IOException {
    for (int i = keep - 1; i >= 1; i--) {
      Path older = rotated(file, i);
      if (Files.exists(older)) {
        Files.move(older, rotated(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (keep > 0) {
      Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.delete(file);
    }
  }

  /** Makes renames in {@code file}'s directory durable where the platform can. */
  static void syncDirectory(Path file) {
    DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
  }
}
