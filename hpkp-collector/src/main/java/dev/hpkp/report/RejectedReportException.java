package dev.hpkp.report;

/** A report body that fails RFC 7469 §3 validation; the message is the plain-text 400 reason. */
public class RejectedReportException extends Exception {

  private final Rejection reason;

  public RejectedReportException(Rejection reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RejectedReportException(Rejection reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Rejection reason() {
    return reason;
  }
}
