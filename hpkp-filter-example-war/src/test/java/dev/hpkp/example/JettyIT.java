package dev.hpkp.example;

/** The example WAR in Jetty 12's ee10 environment: Jakarta EE 10, Servlet 6.0. */
class JettyIT extends ContainerContract {

  @Override
  ContainerDeployment container() {
    return new JettyDeployment();
  }

  @Override
  String containerLogger() {
    return "org.eclipse.jetty";
  }
}
