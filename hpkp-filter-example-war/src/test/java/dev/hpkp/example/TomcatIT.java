package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;

/**
 * The example WAR in embedded Tomcat. The POM runs this class twice: with Tomcat 10.1 on the
 * classpath, and with Tomcat 11 swapped in; {@code expected.tomcat.major} says which.
 */
class TomcatIT extends ContainerContract {

  @BeforeAll
  static void isTheExpectedTomcat() {
    String major = System.getProperty("expected.tomcat.major", "10");
    assertThat(TomcatDeployment.version()).startsWith(major.equals("10") ? "10.1." : major + ".");
  }

  @Override
  ContainerDeployment container() {
    return new TomcatDeployment();
  }

  @Override
  String containerLogger() {
    return "org.apache.catalina";
  }

  @Override
  boolean initializerOnContainerClassPath() {
    return true;
  }
}
