package dev.hpkp.watch;

import java.util.Arrays;

/**
 * Reads the TLS presentation language of RFC 6962's structures: big-endian integers and vectors
 * prefixed by their length. Every read checks the bounds: truncated or overlong bytes are a
 * {@link LogMisbehaviour} naming {@code what}, never an index exception.
 */
final class TlsReader {

  private final byte[] bytes;
  private final String what;
  private int position;
  private final int end;

  TlsReader(byte[] bytes, String what) {
    this(bytes, 0, bytes.length, what);
  }

  TlsReader(byte[] bytes, int from, int to, String what) {
    this.bytes = bytes;
    this.position = from;
    this.end = to;
    this.what = what;
  }

  int position() {
    return position;
  }

  boolean atEnd() {
    return position == end;
  }

  long uint(int length) throws LogMisbehaviour {
    need(length);
    long value = 0;
    for (int i = 0; i < length; i++) {
      value = value << 8 | bytes[position++] & 0xff;
    }
    return value;
  }

  /** A uint64; a value above 2^63-1 is refused rather than read as negative. */
  long uint64() throws LogMisbehaviour {
    long value = uint(8);
    if (value < 0) {
      throw new LogMisbehaviour(what + " holds a 64-bit number above 2^63-1");
    }
    return value;
  }

  byte[] fixed(int length) throws LogMisbehaviour {
    need(length);
    byte[] value = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return value;
  }

  /** A vector whose length is given in {@code lengthBytes} bytes. */
  byte[] vector(int lengthBytes) throws LogMisbehaviour {
    return fixed((int) uint(lengthBytes));
  }

  /** The reader's bytes from {@code from} to the current position. */
  byte[] since(int from) {
    return Arrays.copyOfRange(bytes, from, position);
  }

  void requireEnd() throws LogMisbehaviour {
    if (position != end) {
      throw new LogMisbehaviour(what + " has " + (end - position) + " bytes after its end");
    }
  }

  private void need(int length) throws LogMisbehaviour {
    if (length < 0 || end - position < length) {
      throw new LogMisbehaviour(what + " is truncated: " + length + " more bytes needed at"
          + " offset " + position + ", " + (end - position) + " left");
    }
  }
}
