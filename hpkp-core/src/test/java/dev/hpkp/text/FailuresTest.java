package dev.hpkp.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void theJdksSilentExceptionsAreSaidInWords() {
    assertThat(Failures.why(new ConnectException())).isEqualTo("the connection was refused or"
        + " could not be made");
    assertThat(Failures.why(new CompletionException(new IOException("x",
        new ConnectException())))).isEqualTo("the connection was refused or could not be made");
    assertThat(Failures.why(new HttpTimeoutException("request timed out")))
        .isEqualTo("no answer in time");
    assertThat(Failures.why(new UnknownHostException("nowhere.invalid")))
        .isEqualTo("the host name does not resolve (nowhere.invalid)");
    assertThat(Failures.why(new IOException())).isEqualTo("no answer");
    assertThat(Failures.why(new IOException("bad\r\nthing\u0000"))).doesNotContain("\r", "\n",
        "\u0000").contains("bad");
    assertThat(Failures.why(new IOException((String) null))).doesNotContain("null");
  }

  @Test
  void fileSystemFailuresNameTheFile() {
    assertThat(Failures.why(new java.nio.file.NoSuchFileException("/proc/nope")))
        .isEqualTo("/proc/nope does not exist");
    assertThat(Failures.why(new java.nio.file.FileAlreadyExistsException("/etc/passwd")))
        .isEqualTo("/etc/passwd already exists");
    assertThat(Failures.why(new java.nio.file.AccessDeniedException("/root/x")))
        .isEqualTo("no permission for /root/x");
    assertThat(Failures.why(new java.nio.file.FileSystemException("/full", null,
        "No space left on device"))).isEqualTo("/full: No space left on device");
  }
}
