package dev.hpkp.keys;

import java.util.Arrays;

/**
 * A bounded walk through DER, element by element, for code that reads a few fields of a
 * structure it knows (a certificate's names) without parsing all of it. Each element's header
 * is read by the same rules as every other DER this library reads (definite lengths only, each
 * length checked against its enclosing element before it is used); a structure that is not as
 * expected is an {@link IllegalArgumentException}, never a read out of bounds.
 *
 * <pre>{@code
 * DerCursor tbs = new DerCursor(certificate).enter(0x30).enter(0x30);
 * }</pre>
 */
public final class DerCursor {

  private final byte[] der;
  private int position;
  private final int end;

  /** A cursor before the first element of {@code der}. */
  public DerCursor(byte[] der) {
    this(der, 0, der.length);
  }

  private DerCursor(byte[] der, int from, int to) {
    this.der = der;
    this.position = from;
    this.end = to;
  }

  /** True while elements are left at this level. */
  public boolean more() {
    return position < end;
  }

  /** The tag of the next element, without moving. */
  public int peek() {
    if (position >= end) {
      throw new IllegalArgumentException("no element left at byte " + position);
    }
    return der[position] & 0xff;
  }

  /** A cursor over the contents of the next element, which must have {@code tag}. */
  public DerCursor enter(int tag) {
    Der.Element element = next(tag);
    return new DerCursor(der, element.contentStart(), element.end());
  }

  /** The contents of the next element, which must have {@code tag}. */
  public byte[] value(int tag) {
    Der.Element element = next(tag);
    return Arrays.copyOfRange(der, element.contentStart(), element.end());
  }

  /** Moves past the next element, whatever its tag. */
  public void skip() {
    next(-1);
  }

  private Der.Element next(int tag) {
    if (position >= end) {
      throw new IllegalArgumentException("no element left at byte " + position);
    }
    Der.Element element = Der.read(der, position, end);
    if (tag >= 0 && element.tag() != tag) {
      throw new IllegalArgumentException("tag 0x" + Integer.toHexString(element.tag())
          + " at byte " + position + " where 0x" + Integer.toHexString(tag) + " belongs");
    }
    position = element.end();
    return element;
  }
}
