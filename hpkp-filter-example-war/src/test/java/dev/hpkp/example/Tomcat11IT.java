package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;

/** The example WAR in Tomcat 11 (the failsafe execution that swaps Tomcat 10.1 for 11). */
class Tomcat11IT extends ContainerContract {

  @BeforeAll
  static void isTomcat11() {
    assertThat(TomcatDeployment.version()).startsWith("11.");
  }

  @Override
  ContainerDeployment container() {
    return new TomcatDeployment();
  }

  @Override
  String containerLogger() {
    return "org.apache.catalina";
  }
}
