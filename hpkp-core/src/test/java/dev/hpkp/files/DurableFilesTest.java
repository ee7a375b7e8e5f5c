package dev.hpkp.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path dir;

  private long filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }

  @Test
  void replacesTheContentCreatingTheDirectoryAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("new/state.json");
    DurableFiles.replace(file, "one".getBytes(StandardCharsets.UTF_8));
    DurableFiles.replace(file, "two".getBytes(StandardCharsets.UTF_8));

    assertThat(file).hasContent("two");
    assertThat(filesIn(file.getParent())).isOne();
  }

  @Test
  void aFailedReplacementLeavesTheOldContentAndNoTemporaryFile() throws IOException {
    Path taken = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(taken.resolve("inside"), "kept");

    assertThatThrownBy(() -> DurableFiles.replace(taken, new byte[] {1}))
        .isInstanceOf(IOException.class);
    assertThat(taken.resolve("inside")).hasContent("kept");
    assertThat(filesIn(dir)).as("only the directory that was there").isOne();
  }
}
