package dev.hpkp.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run that says it is on Java 25 is: the java25 profile's jvm setting took effect. */
class JavaVersionIT {

  @Test
  void runsOnTheJavaTheExecutionNames() {
    String expected = System.getProperty("test.expectedJava",
        Integer.toString(Runtime.version().feature()));
    assertThat(Runtime.version().feature()).isEqualTo(Integer.parseInt(expected));
  }
}
