package dev.hpkp.cli;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Reading what a live server presents. Loopback or wherever the operator points it. */
final class Tls {

  private Tls() {}

  /** A response's status, headers and the chain the server presented. */
  record Fetched(int status, Map<String, List<String>> headers, List<X509Certificate> chain) {}

  /**
   * The chain a server presents, without judging it: trust is not required to read it. SNI is
   * set to {@code host}.
   */
  static List<X509Certificate> readChain(String host, int port, int timeoutMillis)
      throws IOException {
    try {
      return readChainOnce(host, port, timeoutMillis);
    } catch (IOException e) {
      throw named(host, port, e);
    }
  }

  private static List<X509Certificate> readChainOnce(String host, int port, int timeoutMillis)
      throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        SSLParameters parameters = socket.getSSLParameters();
        if (!host.matches("[0-9.]+|.*:.*")) {
          parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return x509(socket.getSession().getPeerCertificates());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS is not available: " + e.getMessage(), e);
    }
  }

  /** GETs {@code url} without judging the certificate, keeping the chain and the headers. */
  static Fetched fetch(URI url, int timeoutMillis) throws IOException {
    try {
      return fetchOnce(url, timeoutMillis);
    } catch (IOException e) {
      throw named(url.getHost(), url.getPort() < 0 ? 443 : url.getPort(), e);
    }
  }

  /**
   * A network failure as one sentence that names the target and the likely cause, e.g.
   * {@code cannot connect to localhost:443 (Connection refused); is the server running there?}.
   */
  static IOException named(String host, int port, IOException e) {
    String target = host + ":" + port;
    String reason = String.valueOf(e.getMessage());
    if (e instanceof UnknownHostException) {
      return new IOException("unknown host " + host + "; check the name", e);
    } else if (e instanceof ConnectException) {
      return new IOException("cannot connect to " + target + " (" + reason + "); is the server"
          + " running there?", e);
    } else if (e instanceof SocketTimeoutException) {
      return new IOException(target + " did not answer in time (" + reason + "); raise"
          + " --timeout or check the address", e);
    } else if (e instanceof SSLHandshakeException
        && causedBy(e, CertificateException.class)) {
      return new IOException("the certificate of " + target + " does not validate ("
          + Printable.message(reason) + "); if the server uses a private CA, name its root"
          + " certificate with --trust FILE", e);
    } else if (e instanceof SSLException) {
      return new IOException(target + " did not complete a TLS handshake (" + reason + "); is"
          + " it an HTTPS port?", e);
    }
    return new IOException(target + ": " + reason, e);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Fetched fetchOnce(URI url, int timeoutMillis) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      HttpsURLConnection connection = (HttpsURLConnection) url.toURL().openConnection();
      connection.setSSLSocketFactory(context.getSocketFactory());
      connection.setHostnameVerifier((name, session) -> true);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("User-Agent", "hpkp-check");
      connection.connect();
      // Read the chain now: a response without a body completes the connection, after which
      // the certificates are no longer available.
      List<X509Certificate> chain = x509(connection.getServerCertificates());
      int status = connection.getResponseCode();
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      connection.getHeaderFields().forEach((name, values) -> {
        if (name != null) {
          headers.put(name, values);
        }
      });
      connection.disconnect();
      return new Fetched(status, headers, chain);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS is not available: " + e.getMessage(), e);
    }
  }

  /**
   * Null when {@code url} validates as a user agent would see it (the platform's trust store plus
   * {@code extraAnchors}, host name checked), else why not.
   */
  static String validate(URI url, List<X509Certificate> extraAnchors, int timeoutMillis) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager(extraAnchors)}, null);
      HttpsURLConnection connection = (HttpsURLConnection) url.toURL().openConnection();
      connection.setSSLSocketFactory(context.getSocketFactory());
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod("HEAD");
      connection.getResponseCode();
      connection.disconnect();
      return null;
    } catch (IOException | GeneralSecurityException e) {
      return e.getMessage();
    }
  }

  /** The certificates of {@code --trust} files, each of which must hold one. */
  static List<X509Certificate> anchors(List<Path> files) {
    List<X509Certificate> anchors = new ArrayList<>();
    for (Path file : files) {
      int before = anchors.size();
      for (KeyEntry entry : KeyMaterial.read(file, null)) {
        entry.certificate().ifPresent(anchors::add);
      }
      if (anchors.size() == before) {
        throw new UsageException("--trust " + file + " holds no certificate; name the"
            + " PEM file of a CA's root certificate");
      }
    }
    return anchors;
  }

  /** The platform's PKIX trust manager over its own roots plus {@code extraAnchors}. */
  static X509TrustManager trustManager(List<X509Certificate> extraAnchors)
      throws GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try {
      trust.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("an empty keystore cannot be made", e);
    }
    int i = 0;
    for (X509Certificate anchor : TrustAnchors.jvmDefaultTrustManager().getAcceptedIssuers()) {
      trust.setCertificateEntry("platform-" + i++, anchor);
    }
    for (X509Certificate anchor : extraAnchors) {
      trust.setCertificateEntry("extra-" + i++, anchor);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static List<X509Certificate> x509(Certificate[] certificates) {
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate certificate : certificates) {
      if (certificate instanceof X509Certificate x509) {
        chain.add(x509);
      }
    }
    return chain;
  }

  /** Accepts any chain: used only to read what the server presents, never to trust it. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
