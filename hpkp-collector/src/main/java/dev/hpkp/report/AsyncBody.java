package dev.hpkp.report;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads an admitted report's body with non-blocking servlet I/O and stores it without a thread
 * waiting for the sink: no thread waits on a slow client or on the disk. The {@link AsyncContext}
 * timeout ends a body that has not arrived within {@code bodyTimeoutMillis} with 408, and a
 * report still being stored by then with 503. The admission's permit is given back exactly once,
 * however the request ends.
 */
final class AsyncBody implements ReadListener {

  /** Writes a collector answer to a response. */
  @FunctionalInterface
  interface Answer {
    void write(HttpServletResponse response, ReportCollector.Response result) throws IOException;
  }

  private final ReportCollector collector;
  private final ReportCollector.Admission admission;
  private final AsyncContext async;
  private final ServletInputStream in;
  private final Answer answer;
  /** The body so far: sized to the declared length, or grown for a chunked one. */
  private byte[] body;
  private int size;
  private static final int READING = 0;
  private static final int STORING = 1;
  private static final int ANSWERED = 2;
  private final AtomicInteger state = new AtomicInteger(READING);

  AsyncBody(ReportCollector collector, ReportCollector.Admission admission, AsyncContext async,
      ServletInputStream in, Answer answer) {
    this.collector = collector;
    this.admission = admission;
    this.async = async;
    this.in = in;
    this.answer = answer;
    long declared = admission.contentLength();
    // One more byte than declared, so a body longer than its Content-Length is seen as such.
    this.body = new byte[declared >= 0 ? (int) declared + 1
        : Math.min(4096, admission.maxBodyBytes() + 1)];
  }

  @Override
  public void onDataAvailable() throws IOException {
    int max = admission.maxBodyBytes();
    while (state.get() == READING && in.isReady()) {
      if (size == body.length) {
        body = Arrays.copyOf(body, (int) Math.min(max + 1L, 2L * body.length));
      }
      int read = in.read(body, size, body.length - size);
      if (read < 0) {
        return;
      }
      size += read;
      if (size > max) {
        end(() -> collector.abandon(admission, Rejection.TOO_LARGE, "the body is larger than "
            + max + " bytes"));
      }
    }
  }

  @Override
  public void onAllDataRead() {
    if (!state.compareAndSet(READING, STORING)) {
      return;
    }
    // With the JSON-lines sink this runs on its writer thread, and the container writes the 204
    // there too (non-blocking, a few hundred bytes): handing it to a container thread instead
    // measured slower (benchmarks/README.md, item 3).
    byte[] bytes = Arrays.copyOf(body, size);
    collector.processAsync(admission, bytes).whenComplete((response, failure) -> {
      if (state.compareAndSet(STORING, ANSWERED)) {
        respond(response);
      }
    });
  }

  @Override
  public void onError(Throwable failure) {
    end(() -> collector.abandon(admission, Rejection.UNREADABLE_BODY, "the body could not be"
        + " read completely"));
  }

  /**
   * The {@link AsyncContext}'s events for one {@link AsyncBody}. A class of its own with a
   * no-argument constructor: WildFly makes every {@link AsyncListener} of a deployment a
   * component (for injection) and warned on each deployment (WFLYEE0007) while AsyncBody, which
   * it cannot construct, was one.
   */
  static final class Events implements AsyncListener {

    /** Set once, before the listener is added to the context. */
    private AsyncBody body;

    Events() {}

    static Events of(AsyncBody body) {
      Events events = new Events();
      events.body = body;
      return events;
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      body.onTimeout();
    }

    @Override
    public void onError(AsyncEvent event) {
      body.onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
      body.onComplete();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  void onTimeout() {
    if (state.compareAndSet(STORING, ANSWERED)) {
      respond(collector.stillStoring());
      return;
    }
    end(() -> collector.abandon(admission, Rejection.BODY_TIMEOUT, "the body did not arrive"
        + " within " + collector.bodyTimeoutMillis() + " ms"));
  }

  void onComplete() {
    // A container that ended the request by itself: the permit must not stay taken. A report
    // being stored keeps its permit until the sink has it.
    if (state.compareAndSet(READING, ANSWERED)) {
      collector.abandon(admission, Rejection.UNREADABLE_BODY, "the request ended early");
    }
  }

  /**
   * Ends a request whose body is still being read, once: whoever claims it first (all data read,
   * too large, error, timeout) computes the answer, so a timeout that fires while a report is
   * being stored cannot also abandon it.
   */
  private void end(Supplier<ReportCollector.Response> result) {
    if (state.compareAndSet(READING, ANSWERED)) {
      respond(result.get());
    }
  }

  private void respond(ReportCollector.Response result) {
    try {
      HttpServletResponse response = (HttpServletResponse) async.getResponse();
      answer.write(response, result);
      // Commits the status before complete(): GlassFish lost a 204 set on an asynchronous
      // response with a listener registered, and answered 200.
      response.flushBuffer();
    } catch (IOException | RuntimeException e) {
      // The client is gone; the report was stored or refused all the same.
    } finally {
      try {
        async.complete();
      } catch (IllegalStateException e) {
        // The container ended the request already.
      }
    }
  }
}
