package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;

/** The example WAR in Tomcat 10.1 (the failsafe execution with Tomcat 10.1 on the classpath). */
class Tomcat10IT extends ContainerContract {

  @BeforeAll
  static void isTomcat10() {
    assertThat(TomcatDeployment.version()).startsWith("10.1.");
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
