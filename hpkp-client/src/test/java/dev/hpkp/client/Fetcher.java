package dev.hpkp.client;

import dev.hpkp.client.okhttp.HpkpInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The two HTTP clients the end-to-end tests drive the same way. */
interface Fetcher {

  /** Status code of a GET; a pin failure is thrown. */
  int get(URI uri) throws IOException, InterruptedException;

  /** Status code of a POST with {@code body}; a pin failure is thrown. */
  int post(URI uri, String body) throws IOException, InterruptedException;

  static Fetcher httpClient(HpkpAgent agent) {
    HttpClient client = HpkpHttpClient.wrap(HttpClient.newBuilder(), agent);
    return new Fetcher() {
      @Override
      public int get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      }

      @Override
      public int post(URI uri, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      }

      @Override
      public String toString() {
        return "java.net.http.HttpClient";
      }
    };
  }

  static Fetcher okHttp(HpkpAgent agent) {
    X509TrustManager trust = agent.trustManager();
    SSLContext context = HpkpAgent.sslContext(trust);
    OkHttpClient client = HpkpInterceptor.install(new OkHttpClient.Builder(), agent)
        .sslSocketFactory(context.getSocketFactory(), trust).build();
    return new Fetcher() {
      @Override
      public int get(URI uri) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(uri.toString())
            .build()).execute()) {
          return response.code();
        }
      }

      @Override
      public int post(URI uri, String body) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(uri.toString())
            .post(RequestBody.create(body, MediaType.get("text/plain"))).build()).execute()) {
          return response.code();
        }
      }

      @Override
      public String toString() {
        return "OkHttp";
      }
    };
  }
}
