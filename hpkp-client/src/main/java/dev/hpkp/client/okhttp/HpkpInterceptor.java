package dev.hpkp.client.okhttp;

import dev.hpkp.client.HpkpAgent;
import dev.hpkp.client.PinStoreException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Connection;
import okhttp3.Handshake;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * HPKP for OkHttp 4: a network interceptor that checks the pins of the connection before the
 * request is written — a failure throws {@link dev.hpkp.client.PinValidationException}, and no
 * byte of the request reaches the server — and hands the response's pinning headers to {@link
 * HpkpAgent#observe}. Give the agent the trust manager the OkHttpClient uses, if not the JVM's.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addNetworkInterceptor(new HpkpInterceptor(agent))
 *     .build();
 * }</pre>
 */
public final class HpkpInterceptor implements Interceptor {

  private static final Logger LOG = System.getLogger(HpkpInterceptor.class.getName());

  private final HpkpAgent agent;

  public HpkpInterceptor(HpkpAgent agent) {
    this.agent = agent;
  }

  /** {@code builder} with this interceptor added as a network interceptor. */
  public static OkHttpClient.Builder install(OkHttpClient.Builder builder, HpkpAgent agent) {
    return builder.addNetworkInterceptor(new HpkpInterceptor(agent));
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    Handshake handshake = connection == null ? null : connection.handshake();
    if (handshake == null) {
      return chain.proceed(chain.request()); // plain HTTP, or an application interceptor
    }
    HttpUrl url = chain.request().url();
    List<X509Certificate> served = new ArrayList<>();
    for (Certificate certificate : handshake.peerCertificates()) {
      if (certificate instanceof X509Certificate x509) {
        served.add(x509);
      }
    }
    agent.checkPins(url.host(), url.port(), served);
    Response response = chain.proceed(chain.request());
    try {
      agent.observe(url.host(), url.port(), served, response.headers("Public-Key-Pins"),
          response.headers("Public-Key-Pins-Report-Only"));
    } catch (PinStoreException e) {
      LOG.log(Level.WARNING, e.getMessage());
    }
    return response;
  }
}
