package dev.hpkp.cli;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.policy.ChainCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pin", mixinStandardHelpOptions = true,
    description = {"Prints the pin of every key in each file: certificate or chain, CSR, public"
        + " key, private key (PEM or DER), PKCS#12 or JKS keystore.",
        "For a file holding a single key the output is just the base64 pin, byte-identical to"
            + " openssl x509 -pubkey -noout -in c.pem | openssl pkey -pubin -outform der |"
            + " openssl dgst -sha256 -binary | base64"})
final class PinCommand implements Callable<Integer> {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE
      .withZone(ZoneOffset.UTC);

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Key material files.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--connect", paramLabel = "HOST[:PORT]",
      description = "Read the chain a live server presents (SNI set, trust not required).")
  String connect;

  @Mixin
  PasswordOptions password;

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (files.isEmpty() && connect == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "name at least one FILE, or --connect HOST[:PORT]");
    }
    List<Source> sources = new ArrayList<>();
    if (connect != null) {
      sources.add(fromServer(connect));
    }
    for (Path file : files) {
      sources.add(new Source(file.toString(), read(file)));
    }
    if (json) {
      Json.print(out, generator -> {
        generator.writeStartArray();
        for (Source source : sources) {
          for (KeyEntry entry : source.entries) {
            generator.writeStartObject();
            generator.writeStringField("source", source.name);
            generator.writeNumberField("position", entry.position());
            generator.writeStringField("kind", entry.kind().name().toLowerCase());
            if (entry.kind() == KeyEntry.Kind.CERTIFICATE) {
              generator.writeStringField("role", role(source, entry));
            }
            generator.writeStringField("key", entry.keyType());
            if (entry.subject().isPresent()) {
              generator.writeStringField("subject", entry.subject().get());
            }
            if (entry.notAfter().isPresent()) {
              generator.writeStringField("notAfter", entry.notAfter().get().toString());
            }
            if (entry.alias().isPresent()) {
              generator.writeStringField("alias", entry.alias().get());
            }
            generator.writeStringField("pin", entry.pin().toString());
            generator.writeStringField("base64", entry.pin().base64());
            generator.writeEndObject();
          }
        }
        generator.writeEndArray();
      });
      return 0;
    }
    if (sources.size() == 1 && sources.get(0).entries.size() == 1) {
      out.print(sources.get(0).entries.get(0).pin().base64() + "\n");
      return 0;
    }
    for (Source source : sources) {
      if (sources.size() > 1) {
        out.println(source.name + ":");
      }
      for (KeyEntry entry : source.entries) {
        out.println(row(source, entry));
      }
    }
    return 0;
  }

  private List<KeyEntry> read(Path file) {
    return password.read(file.toString(), p -> KeyMaterial.read(file, p));
  }

  private static Source fromServer(String target) throws IOException {
    String host = target;
    int port = 443;
    int colon = target.lastIndexOf(':');
    if (colon > 0 && !target.endsWith("]")) {
      host = target.substring(0, colon);
      try {
        port = Integer.parseInt(target.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UsageException("--connect: '" + target + "' is not HOST[:PORT]");
      }
    }
    List<X509Certificate> sent = Tls.readChain(host, port, 10_000);
    // The chain a client validates ends at a root the server does not send: show it too.
    List<X509Certificate> path = TrustAnchors.jvmDefault().validatedPath(sent, Instant.now());
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : path) {
      pem.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder(64,
          new byte[] {'\n'}).encodeToString(encoded(certificate)))
          .append("\n-----END CERTIFICATE-----\n");
    }
    List<X509Certificate> notSent = new ArrayList<>(path);
    notSent.removeAll(sent);
    return new Source(target, KeyMaterial.read(pem.toString().getBytes(
        StandardCharsets.US_ASCII), target, null), notSent);
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String row(Source source, KeyEntry entry) {
    int position = source.entries.indexOf(entry);
    if (entry.kind() == KeyEntry.Kind.CERTIFICATE) {
      return String.format("%2d  %-12s  %-10s  %s  %-44s  %s", position, role(source, entry),
          entry.keyType(), DATE.format(entry.notAfter().orElseThrow()), entry.pin().base64(),
          entry.subject().orElse("") + entry.alias().map(a -> "  [alias " + a + "]").orElse(""));
    }
    return String.format("%2d  %-12s  %-10s  %-10s  %-44s  %s", position,
        entry.kind() == KeyEntry.Kind.PRIVATE_KEY ? "private key"
            : entry.kind() == KeyEntry.Kind.PUBLIC_KEY ? "public key" : "csr",
        entry.keyType(), "", entry.pin().base64(), entry.subject().orElse(""));
  }

  private static String role(Source source, KeyEntry entry) {
    if (entry.certificate().isPresent() && source.notSent().contains(entry.certificate().get())) {
      return ChainCertificate.Role.TRUST_ANCHOR.toString();
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (KeyEntry e : source.entries) {
      if (e.alias().equals(entry.alias())) {
        e.certificate().ifPresent(certificates::add);
      }
    }
    int index = certificates.indexOf(entry.certificate().orElseThrow());
    if (certificates.size() == 1) {
      X509Certificate only = certificates.get(0);
      return only.getSubjectX500Principal().equals(only.getIssuerX500Principal())
          ? "self-signed" : "certificate";
    }
    List<ChainCertificate> chain = KeyMaterial.toChain(certificates);
    return chain.get(index).role().toString();
  }

  /** Entries of a file or a server; {@code notSent}: the trust anchor a server's chain ends at. */
  private record Source(String name, List<KeyEntry> entries, List<X509Certificate> notSent) {
    Source(String name, List<KeyEntry> entries) {
      this(name, entries, List.of());
    }
  }
}
