package dev.hpkp.watch;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The watchers a test opens, each built as a restarted process would be (the ones before it
 * closed first, so it can take the state directory) and all closed after the test. Registered
 * with {@code @RegisterExtension}.
 */
final class OpenedWatchers implements AfterEachCallback {

  private final List<CtWatcher> opened = new ArrayList<>();

  CtWatcher open(CtWatcher.Builder builder) throws Exception {
    closeAll();
    CtWatcher watcher = builder.build();
    opened.add(watcher);
    return watcher;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeAll();
  }

  private void closeAll() {
    opened.forEach(CtWatcher::close);
    opened.clear();
  }
}
