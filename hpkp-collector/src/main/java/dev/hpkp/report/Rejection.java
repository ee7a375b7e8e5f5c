package dev.hpkp.report;

/** Why the collector turned a request away, with the HTTP status it answers. */
public enum Rejection {
  METHOD_NOT_ALLOWED(405),
  UNSUPPORTED_MEDIA_TYPE(415),
  RATE_LIMITED(429),
  BUSY(429),
  TOO_LARGE(413),
  BODY_TIMEOUT(408),
  UNREADABLE_BODY(400),
  NOT_UTF8(400),
  MALFORMED_JSON(400),
  TOO_DEEP(400),
  MISSING_FIELD(400),
  WRONG_TYPE(400),
  INVALID_VALUE(400),
  BAD_CERTIFICATE(400),
  SINK_FAILED(503),
  /** A bug of the collector's, not the report's fault: logged with its stack trace. */
  INTERNAL_ERROR(500);

  private final int status;

  Rejection(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
