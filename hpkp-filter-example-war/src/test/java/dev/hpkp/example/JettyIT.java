package dev.hpkp.example;

/** The example WAR in Jetty 12 (ee10). */
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
