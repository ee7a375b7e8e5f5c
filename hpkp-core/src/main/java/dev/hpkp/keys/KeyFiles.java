package dev.hpkp.keys;

import dev.hpkp.keys.KeyMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the entries of a PEM or DER file: certificates and SubjectPublicKeyInfo public keys with
 * the JDK, everything else through the {@code hpkp-keys-bouncycastle} module's {@link KeyFormats}.
 */
final class KeyFiles {

  private static final Set<String> KEYS_MODULE_BLOCKS = Set.of("CERTIFICATE REQUEST",
      "NEW CERTIFICATE REQUEST", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
      "EC PRIVATE KEY", "DSA PRIVATE KEY", "RSA PUBLIC KEY", "EC PARAMETERS");
  private static final Pattern BASE64_ONLY = Pattern.compile("[A-Za-z0-9+/=\\s]+");

  private KeyFiles() {}

  static List<KeyEntry> readPem(byte[] content, String source, char[] password,
      boolean certificatesOnly) {
    List<KeyEntry> entries = new ArrayList<>();
    for (PemBlock block : PemBlock.split(new String(content, StandardCharsets.ISO_8859_1),
        source)) {
      KeyEntry entry;
      if (block.type().equals("CERTIFICATE")) {
        entry = KeyMaterial.certificateEntry(KeyMaterial.certificate(block.der(source),
            source + ": PEM block " + (block.index() + 1)), entries.size(), null, source);
      } else if (certificatesOnly) {
        continue;
      } else if (block.type().equals("PUBLIC KEY")) {
        entry = publicKey(block.der(source), source + ": PEM block " + (block.index() + 1),
            entries.size());
      } else if (KEYS_MODULE_BLOCKS.contains(block.type())) {
        KeyFormats formats = formats();
        if (formats == null) {
          if (block.type().equals("EC PARAMETERS")) {
            continue; // what 'openssl ecparam -genkey' writes before the key
          }
          throw needsKeysModule(source, "PEM block " + (block.index() + 1) + " ("
              + block.type() + ")");
        }
        entry = formats.readPem(block, entries.size(), source, password);
      } else {
        throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": PEM block "
            + (block.index() + 1) + " (" + block.type() + ") holds no key that can be pinned;"
            + " expected CERTIFICATE, CERTIFICATE REQUEST, PUBLIC KEY, RSA PUBLIC KEY or a"
            + " private key");
      }
      if (entry != null) {
        entries.add(entry);
      }
    }
    return Collections.unmodifiableList(entries);
  }

  static List<KeyEntry> readDer(byte[] content, String source, char[] password,
      boolean certificatesOnly) {
    List<KeyEntry> entries = new ArrayList<>();
    int offset = 0;
    while (offset < content.length) {
      Der.Element element;
      try {
        element = Der.read(content, offset, content.length);
      } catch (IllegalArgumentException e) {
        throw notDer(content, source, entries.size(), e);
      }
      byte[] der = Der.bytes(content, element);
      String where = source + ": DER object " + (entries.size() + 1);
      if (Der.isCertificate(content, element)) {
        entries.add(KeyMaterial.certificateEntry(KeyMaterial.certificate(der, where),
            entries.size(), null, source));
      } else if (certificatesOnly) {
        // a key next to the chain is not needed to check the chain
      } else if (Der.isSubjectPublicKeyInfo(content, element)) {
        entries.add(publicKey(der, where, entries.size()));
      } else {
        KeyFormats formats = formats();
        if (formats == null) {
          if (element.tag() != Der.SEQUENCE) {
            throw new KeyMaterialException(Reason.UNSUPPORTED, where + " is not a certificate,"
                + " CSR, public key, private key or keystore");
          }
          throw needsKeysModule(source, "DER object " + (entries.size() + 1)
              + " (no certificate or SubjectPublicKeyInfo, so a CSR or a private key)");
        }
        entries.add(formats.readDer(der, entries.size(), source, password));
      }
      offset = element.end();
    }
    return Collections.unmodifiableList(entries);
  }

  private static KeyMaterialException notDer(byte[] content, String source, int read,
      IllegalArgumentException cause) {
    if (read > 0) {
      return new KeyMaterialException(Reason.UNREADABLE, source + ": DER object " + (read + 1)
          + " is truncated or damaged (" + cause.getMessage() + ")", cause);
    }
    if (BASE64_ONLY.matcher(new String(content, StandardCharsets.ISO_8859_1)).matches()) {
      return new KeyMaterialException(Reason.UNSUPPORTED, source + " holds base64 without PEM"
          + " armour", "add the line -----BEGIN CERTIFICATE----- before it and -----END"
          + " CERTIFICATE----- after it (or the BEGIN/END lines of the key type it holds)", cause);
    }
    return new KeyMaterialException(Reason.UNSUPPORTED, source + " is neither PEM nor DER key"
        + " material (" + cause.getMessage() + ")", "expected a certificate, chain, CSR, public or"
        + " private key, or a PKCS#12/JKS/JCEKS keystore", cause);
  }

  private static KeyEntry publicKey(byte[] der, String where, int position) {
    try {
      Der.Element element = Der.read(der, 0, der.length);
      if (!Der.isSubjectPublicKeyInfo(der, element) || element.end() != der.length) {
        throw new IllegalArgumentException("not a SubjectPublicKeyInfo");
      }
    } catch (IllegalArgumentException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, where + " is not a valid public key ("
          + e.getMessage() + ")", "re-export it with openssl pkey -pubout", e);
    }
    return KeyMaterial.publicKeyEntry(der, position);
  }

  /** The {@code hpkp-keys-bouncycastle} reader when it is on the class path, else null. */
  static KeyFormats formats() {
    for (ClassLoader loader : new ClassLoader[] {KeyMaterial.class.getClassLoader(),
        Thread.currentThread().getContextClassLoader()}) {
      if (loader == null) {
        continue;
      }
      Iterator<KeyFormats> providers = ServiceLoader.load(KeyFormats.class, loader).iterator();
      while (true) {
        try {
          if (!providers.hasNext()) {
            break;
          }
          return providers.next();
        } catch (ServiceConfigurationError e) {
          // A provider seen through another class loader (hpkp-keys-bouncycastle in a
          // container's shared lib, hpkp-core in the WAR) is not of this KeyFormats type: not
          // usable from here.
        }
      }
    }
    return null;
  }

  private static KeyMaterialException needsKeysModule(String source, String what) {
    return new KeyMaterialException(Reason.NEEDS_KEYS_MODULE, source + ": " + what + " can only"
        + " be read by the hpkp-keys-bouncycastle module (dev.hpkp:hpkp-keys-bouncycastle),"
        + " which is not on the class path;"
        + " add it to the application, or configure the pin itself: 'hpkp pin " + source
        + "' prints it");
  }

}
