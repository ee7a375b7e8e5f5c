/** An application that uses hpkp-filter and hpkp-client as modules, by their stable names. */
module app {
  requires dev.hpkp.core;
  requires dev.hpkp.filter;
  requires dev.hpkp.client;
  requires jakarta.servlet;
  requires java.net.http;
}
