package dev.hpkp.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to find a SubjectPublicKeyInfo and to tell key structures apart, without
 * BouncyCastle. Every length is checked against its enclosing element before it is used, only
 * definite lengths are accepted (as DER requires), and nothing recurses, so no input can make it
 * read out of bounds or run deep.
 */
final class Der {

  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int SEQUENCE = 0x30;
  /** {@code [0]} constructed, context-specific: a certificate's explicit version. */
  static final int CONTEXT_0 = 0xa0;

  /** One element: its tag, where it starts, and where its content starts and ends. */
  record Element(int tag, int start, int contentStart, int end) {
    int contentLength() {
      return end - contentStart;
    }
  }

  private Der() {}

  /**
   * The element at {@code offset}, which must end at or before {@code limit}.
   *
   * @throws IllegalArgumentException when the header is malformed, the length is indefinite or
   *     not minimal enough to fit in an int, or the element runs past {@code limit}
   */
  static Element read(byte[] der, int offset, int limit) {
    if (offset + 2 > limit) {
      throw new IllegalArgumentException("truncated at byte " + offset);
    }
    int tag = der[offset] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      throw new IllegalArgumentException("multi-byte tag at byte " + offset);
    }
    int first = der[offset + 1] & 0xff;
    int contentStart = offset + 2;
    long length;
    if (first < 0x80) {
      length = first;
    } else if (first == 0x80) {
      throw new IllegalArgumentException("indefinite length at byte " + offset
          + " (BER, not DER)");
    } else {
      int count = first & 0x7f;
      if (count > 4 || contentStart + count > limit) {
        throw new IllegalArgumentException("length of " + count + " bytes at byte " + offset);
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = length << 8 | (der[contentStart + i] & 0xff);
      }
      contentStart += count;
    }
    if (length > limit - contentStart) {
      throw new IllegalArgumentException("element at byte " + offset + " claims " + length
          + " bytes, only " + (limit - contentStart) + " remain");
    }
    return new Element(tag, offset, contentStart, contentStart + (int) length);
  }

  /** The elements directly inside {@code parent}, at most {@code max} of them. */
  static List<Element> children(byte[] der, Element parent, int max) {
    List<Element> children = new ArrayList<>();
    int offset = parent.contentStart();
    while (offset < parent.end() && children.size() < max) {
      Element child = read(der, offset, parent.end());
      children.add(child);
      offset = child.end();
    }
    return children;
  }

  /** The top-level elements of a file of concatenated DER objects. */
  static List<Element> topLevel(byte[] der) {
    List<Element> elements = new ArrayList<>();
    int offset = 0;
    while (offset < der.length) {
      Element element = read(der, offset, der.length);
      elements.add(element);
      offset = element.end();
    }
    return elements;
  }

  /** Deepest nesting a certificate, key or CSR needs is about 10; anything past this is refused. */
  static final int MAX_DEPTH = 32;

  /**
   * Checks the whole of {@code der} before any recursive parser sees it: one element that spans
   * every byte, definite lengths only, each constructed element exactly filled by its children,
   * nesting at most {@link #MAX_DEPTH} deep. Iterative, so no input can exhaust the stack.
   *
   * @throws IllegalArgumentException saying what is wrong and where
   */
  static void requireBounded(byte[] der) {
    Element top = read(der, 0, der.length);
    if (top.end() != der.length) {
      throw new IllegalArgumentException((der.length - top.end()) + " bytes after the end of"
          + " the DER element");
    }
    int[] ends = new int[MAX_DEPTH + 1];
    int depth = 0;
    ends[0] = top.end();
    int offset = top.start();
    while (offset < der.length) {
      while (depth > 0 && offset == ends[depth]) {
        depth--;
      }
      Element element = read(der, offset, ends[depth]);
      if ((element.tag() & 0x20) != 0 && element.contentLength() > 0) {
        if (depth == MAX_DEPTH) {
          throw new IllegalArgumentException("DER nested deeper than " + MAX_DEPTH + " at byte "
              + offset);
        }
        ends[++depth] = element.end();
        offset = element.contentStart();
      } else {
        offset = element.end();
      }
    }
  }

  /** The bytes of {@code element}, header included. */
  static byte[] bytes(byte[] der, Element element) {
    return Arrays.copyOfRange(der, element.start(), element.end());
  }

  /**
   * The DER SubjectPublicKeyInfo inside an X.509 certificate: {@code Certificate ::= SEQUENCE {
   * tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity,
   * subject, subjectPublicKeyInfo, … }, … }}.
   *
   * @throws IllegalArgumentException when {@code certificate} does not have that shape
   */
  static byte[] certificateSubjectPublicKeyInfo(byte[] certificate) {
    Element outer = read(certificate, 0, certificate.length);
    Element tbs = read(certificate, outer.contentStart(), outer.end());
    if (outer.tag() != SEQUENCE || tbs.tag() != SEQUENCE) {
      throw new IllegalArgumentException("not an X.509 certificate");
    }
    List<Element> fields = children(certificate, tbs, 8);
    int index = !fields.isEmpty() && fields.get(0).tag() == CONTEXT_0 ? 6 : 5;
    if (fields.size() <= index || fields.get(index).tag() != SEQUENCE) {
      throw new IllegalArgumentException("the certificate has no subjectPublicKeyInfo");
    }
    return bytes(certificate, fields.get(index));
  }

  /**
   * {@code Certificate ::= SEQUENCE { tbs SEQUENCE (6+ fields), AlgorithmIdentifier, BIT STRING }}.
   */
  static boolean isCertificate(byte[] der, Element element) {
    List<Element> parts = childrenOrEmpty(der, element, 4);
    if (parts.size() != 3 || parts.get(0).tag() != SEQUENCE || parts.get(1).tag() != SEQUENCE
        || parts.get(2).tag() != BIT_STRING) {
      return false;
    }
    List<Element> tbs = childrenOrEmpty(der, parts.get(0), 8);
    return tbs.size() >= 6 && (tbs.get(0).tag() == CONTEXT_0 || tbs.get(0).tag() == INTEGER);
  }

  /**
   * {@code SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier SEQUENCE { OID, … }, BIT STRING
   * }}.
   */
  static boolean isSubjectPublicKeyInfo(byte[] der, Element element) {
    List<Element> parts = childrenOrEmpty(der, element, 3);
    if (parts.size() != 2 || parts.get(0).tag() != SEQUENCE
        || parts.get(1).tag() != BIT_STRING) {
      return false;
    }
    List<Element> algorithm = childrenOrEmpty(der, parts.get(0), 3);
    return !algorithm.isEmpty() && algorithm.get(0).tag() == OBJECT_IDENTIFIER;
  }

  /**
   * {@code PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo SEQUENCE { OID, … }, … }}.
   */
  static boolean isPkcs12(byte[] der) {
    try {
      Element pfx = read(der, 0, der.length);
      List<Element> parts = children(der, pfx, 4);
      if (pfx.tag() != SEQUENCE || parts.size() < 2 || parts.get(0).tag() != INTEGER
          || parts.get(0).contentLength() != 1 || der[parts.get(0).contentStart()] != 3
          || parts.get(1).tag() != SEQUENCE) {
        return false;
      }
      List<Element> contentInfo = children(der, parts.get(1), 2);
      return !contentInfo.isEmpty() && contentInfo.get(0).tag() == OBJECT_IDENTIFIER;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The dotted form of an OBJECT IDENTIFIER element, e.g. {@code 1.2.840.10045.2.1}. */
  static String oid(byte[] der, Element element) {
    if (element.tag() != OBJECT_IDENTIFIER || element.contentLength() == 0
        || element.contentLength() > 64) {
      throw new IllegalArgumentException("not an object identifier");
    }
    StringBuilder dotted = new StringBuilder();
    long value = 0;
    boolean first = true;
    for (int i = element.contentStart(); i < element.end(); i++) {
      value = value << 7 | (der[i] & 0x7f);
      if ((der[i] & 0x80) != 0) {
        continue;
      }
      if (first) {
        int arc = (int) Math.min(value / 40, 2);
        dotted.append(arc).append('.').append(value - 40L * arc);
        first = false;
      } else {
        dotted.append('.').append(value);
      }
      value = 0;
    }
    return dotted.toString();
  }

  private static List<Element> childrenOrEmpty(byte[] der, Element element, int max) {
    if (element.tag() != SEQUENCE) {
      return List.of();
    }
    try {
      return children(der, element, max);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }
}
