package dev.hpkp.cli;

import dev.hpkp.client.FilePinStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --pin-store FILE}: the pin store of {@code fetch} and {@code pin-store}. */
final class PinStoreOption {

  @Option(names = "--pin-store", required = true, paramLabel = "FILE",
      description = "The pin store file (JSON lines, as FilePinStore keeps it); created on the"
          + " first change.")
  Path file;

  FilePinStore open() {
    return FilePinStore.open(file);
  }
}
