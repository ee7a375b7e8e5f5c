package dev.hpkp.client;

/**
 * A pin store file that cannot be read, parsed or written. The message names the file and what
 * to do; a store never starts empty in place of a file it could not read, since that would
 * silently forget every pin.
 */
public final class PinStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PinStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public PinStoreException(String message) {
    super(message);
  }
}
