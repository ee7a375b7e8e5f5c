package dev.hpkp.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A trust manager that runs the platform's check, then {@link HpkpAgent#checkPins}: for any
 * client that takes an {@code SSLContext} or a trust manager (Apache HttpClient 5, JAX-RS
 * clients, {@code HttpsURLConnection}). A pin failure fails the handshake, so no request byte is
 * sent; it arrives as a {@link CertificateException} whose cause is the {@link
 * PinValidationException} ({@link PinValidationException#in} finds it in the handshake
 * failure). The host is the one the socket or engine was created for; the two-argument
 * {@code checkServerTrusted}, which has none, checks trust only.
 *
 * <p>This checks pins; it does not note them: noting needs the response's headers, which only
 * the HTTP client sees — call {@link HpkpAgent#observe} with them (the integrations do).
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {

  private final X509TrustManager platform;
  private final HpkpAgent agent;
  private final boolean report;

  /**
   * Checks with {@code platform} (the JVM's by default: {@link HpkpAgent#trustManager()}), then the
   * pins.
   */
  public PinningTrustManager(X509TrustManager platform, HpkpAgent agent) {
    this(platform, agent, true);
  }

  PinningTrustManager(X509TrustManager platform, HpkpAgent agent, boolean report) {
    this.platform = platform;
    this.agent = agent;
    this.report = report;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (platform instanceof X509ExtendedTrustManager extended) {
      extended.checkServerTrusted(chain, authType, socket);
    } else {
      platform.checkServerTrusted(chain, authType);
    }
    SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    pins(chain, session == null ? null : session.getPeerHost(),
        session == null ? -1 : session.getPeerPort());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (platform instanceof X509ExtendedTrustManager extended) {
      extended.checkServerTrusted(chain, authType, engine);
    } else {
      platform.checkServerTrusted(chain, authType);
    }
    pins(chain, engine == null ? null : engine.getPeerHost(),
        engine == null ? -1 : engine.getPeerPort());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    platform.checkServerTrusted(chain, authType);
  }

  private void pins(X509Certificate[] chain, String host, int port)
      throws CertificateException {
    try {
      agent.checkPins(host, port, List.of(chain), report);
    } catch (PinValidationException e) {
      throw new CertificateException(e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (platform instanceof X509ExtendedTrustManager extended) {
      extended.checkClientTrusted(chain, authType, socket);
    } else {
      platform.checkClientTrusted(chain, authType);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (platform instanceof X509ExtendedTrustManager extended) {
      extended.checkClientTrusted(chain, authType, engine);
    } else {
      platform.checkClientTrusted(chain, authType);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    platform.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return platform.getAcceptedIssuers();
  }
}
