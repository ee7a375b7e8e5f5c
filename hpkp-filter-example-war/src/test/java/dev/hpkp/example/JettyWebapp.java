package dev.hpkp.example;

import org.eclipse.jetty.server.Handler;

/**
 * A WAR deployed in one of Jetty 12's Jakarta EE environments. Each environment is a class of
 * its own, so a run on the other generation's servlet API never loads it.
 */
interface JettyWebapp {

  Handler handler();

  Object attribute(String name);
}
