package dev.hpkp.watch;

import java.io.IOException;
import java.util.List;

/** Where alerts go: a log line, a JSON-lines file, a hook command, or code of your own. */
@FunctionalInterface
public interface AlertSink {

  /**
   * Takes a batch of alerts; when this returns they are durable (written and synced, run). The
   * watcher advances a log's position only after every sink took the batch.
   *
   * @throws IOException when they could not be; the position stays, and the batch comes again
   */
  void accept(List<Alert> alerts) throws IOException;

  /**
   * The keys ({@link Alert#key()}) and issuances ({@link Alert#issuance()}) of the alerts this
   * sink already holds from earlier runs, read once when the watcher is built: those are not
   * raised again. None, unless the sink keeps alerts (as {@link AlertFile} does).
   *
   * @throws IOException when what it holds cannot be read back
   */
  default List<String> keysHeld() throws IOException {
    return List.of();
  }
}
