package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContext;
import java.nio.charset.Charset;
import org.junit.jupiter.api.BeforeAll;

/**
 * The example WAR in Jetty 12's ee11 environment: Jakarta EE 11, Servlet 6.1. The POM runs it
 * in an execution of its own, with the Servlet 6.1 API in place of 6.0.
 */
class JettyEe11IT extends ContainerContract {

  @BeforeAll
  static void theServletApiIs61() throws Exception {
    // ServletContext.setRequestCharacterEncoding(Charset) is new in Servlet 6.1
    assertThat(ServletContext.class.getMethod("setRequestCharacterEncoding", Charset.class))
        .isNotNull();
  }

  @Override
  ContainerDeployment container() {
    return new JettyDeployment(Ee11Webapp::new);
  }

  @Override
  String containerLogger() {
    return "org.eclipse.jetty";
  }
}
