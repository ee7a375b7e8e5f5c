package dev.hpkp.client;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A {@link HttpClient} that honours HPKP: its TLS context checks the pins of every new
 * connection ({@link PinningTrustManager}), and every HTTPS response's pinning headers go to
 * {@link HpkpAgent#observe}. A pin failure is thrown as the {@link PinValidationException}
 * itself, from {@code send} and as the cause of {@code sendAsync}'s failure.
 *
 * <pre>{@code
 * HpkpAgent agent = HpkpAgent.builder().store(FilePinStore.open(Path.of("pins.json"))).build();
 * HttpClient client = HpkpHttpClient.wrap(HttpClient.newBuilder(), agent);
 * }</pre>
 *
 * With redirects followed, only the final response's headers are seen: the intermediate
 * responses of {@code followRedirects} are not handed to the caller, nor to this wrapper.
 */
public final class HpkpHttpClient extends HttpClient {

  private static final Logger LOG = System.getLogger(HpkpHttpClient.class.getName());

  private final HttpClient delegate;
  private final HpkpAgent agent;

  private HpkpHttpClient(HttpClient delegate, HpkpAgent agent) {
    this.delegate = delegate;
    this.agent = agent;
  }

  /**
   * Builds {@code builder} with the agent's pinning TLS context (replacing any {@code
   * sslContext} set on it: give the agent your trust manager instead) and wraps the client.
   */
  public static HpkpHttpClient wrap(HttpClient.Builder builder, HpkpAgent agent) {
    return new HpkpHttpClient(builder.sslContext(agent.sslContext()).build(), agent);
  }

  public HpkpAgent agent() {
    return agent;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler) throws IOException, InterruptedException {
    HttpResponse<T> response;
    try {
      response = delegate.send(request, responseBodyHandler);
    } catch (IOException e) {
      PinValidationException pins = PinValidationException.in(e);
      throw pins != null ? pins : e;
    }
    observe(response);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler) {
    return observed(delegate.sendAsync(request, responseBodyHandler));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> responseBodyHandler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return observed(delegate.sendAsync(request, responseBodyHandler, pushPromiseHandler));
  }

  private <T> CompletableFuture<HttpResponse<T>> observed(
      CompletableFuture<HttpResponse<T>> future) {
    return future.handle((response, error) -> {
      if (error != null) {
        PinValidationException pins = PinValidationException.in(error);
        if (pins != null) {
          throw new CompletionException(pins);
        }
        throw error instanceof CompletionException completion ? completion
            : new CompletionException(error);
      }
      observe(response);
      return response;
    });
  }

  private void observe(HttpResponse<?> response) {
    Optional<SSLSession> session = response.sslSession();
    if (session.isEmpty()) {
      return; // pinning headers over plain HTTP are ignored (RFC 7469 §2.2.2)
    }
    List<X509Certificate> served = new ArrayList<>();
    try {
      for (Certificate certificate : session.get().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          served.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      return;
    }
    URI uri = response.uri();
    try {
      agent.observe(uri.getHost(), uri.getPort() < 0 ? 443 : uri.getPort(), served,
          response.headers().allValues("Public-Key-Pins"),
          response.headers().allValues("Public-Key-Pins-Report-Only"));
    } catch (PinStoreException e) {
      // the response is fine; only the noting could not be kept
      LOG.log(Level.WARNING, e.getMessage());
    }
  }

  /**
   * Closes the client underneath where the JDK's {@code HttpClient} can be closed (Java 21+,
   * where this method overrides {@code HttpClient.close()}); on Java 17 there is nothing to close.
   */
  public void close() {
    if (delegate instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the HttpClient failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
