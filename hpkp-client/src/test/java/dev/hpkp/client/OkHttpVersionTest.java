package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.OkHttp;
import org.junit.jupiter.api.Test;

/**
 * The OkHttp tests run twice (the POM's okhttp-5 execution): this says which OkHttp a run had,
 * so a class path mix-up cannot pass for a test on OkHttp 5.
 */
class OkHttpVersionTest {

  @Test
  void theOkHttpOnTheClassPathIsTheOneThisRunIsFor() throws ReflectiveOperationException {
    // read at run time: OkHttp.VERSION is a constant, which javac copies into this class
    Object running = OkHttp.class.getField("VERSION").get(null);
    assertThat(running).isEqualTo(System.getProperty("expected.okhttp.version"));
  }
}
