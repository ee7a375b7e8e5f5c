package dev.hpkp.text;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * Why a network or file operation failed, in words a user reads: the JDK's HTTP client often
 * throws without a message ({@code ConnectException: null}), and a class name is no reason. The
 * one home of these words, for every module that talks to another host.
 */
public final class Failures {

  private Failures() {}

  /** {@code failure} (or the first of its causes that says something) in words, on one line. */
  public static String why(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String known = known(t);
      if (known != null) {
        return known;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return Printable.message(t.getMessage());
      }
    }
    return "no answer";
  }

  private static String known(Throwable t) {
    if (t instanceof ConnectException) {
      return "the connection was refused or could not be made";
    }
    if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
      return "no answer in time";
    }
    if (t instanceof UnknownHostException) {
      return "the host name does not resolve" + (t.getMessage() == null ? ""
          : " (" + Printable.message(t.getMessage()) + ")");
    }
    if (t instanceof SSLException) {
      return "the TLS handshake failed" + (t.getMessage() == null ? ""
          : " (" + Printable.message(t.getMessage()) + ")");
    }
    if (t instanceof ClosedChannelException) {
      return "the connection was closed";
    }
    if (t instanceof java.nio.file.NoSuchFileException e) {
      return Printable.message(String.valueOf(e.getFile())) + " does not exist";
    }
    if (t instanceof java.nio.file.FileAlreadyExistsException e) {
      return Printable.message(String.valueOf(e.getFile())) + " already exists";
    }
    if (t instanceof java.nio.file.AccessDeniedException e) {
      return "no permission for " + Printable.message(String.valueOf(e.getFile()));
    }
    if (t instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
      return Printable.message(String.valueOf(e.getFile())) + ": " + Printable.message(
          e.getReason());
    }
    return null;
  }
}
