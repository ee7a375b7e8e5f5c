package dev.hpkp.client;

import java.net.InetAddress;

/** Which addresses are local (the rules about host names are {@code HostName}'s, in core). */
final class Hosts {

  private Hosts() {}

  /** Loopback, link-local, private (RFC 1918, RFC 4193), shared (RFC 6598), any or multicast. */
  static boolean isLocal(InetAddress address) {
    byte[] bytes = address.getAddress();
    boolean shared = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    return address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isAnyLocalAddress()
        || address.isMulticastAddress() || shared || uniqueLocal;
  }
}
