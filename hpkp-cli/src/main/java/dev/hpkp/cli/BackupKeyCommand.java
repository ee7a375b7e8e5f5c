package dev.hpkp.cli;

import dev.hpkp.keys.backup.BackupKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backup-key", mixinStandardHelpOptions = true,
    description = {"Generates an offline backup key pair and a CSR for it, and prints its pin.",
        "Writes PREFIX.key.pem (the private key, encrypted PKCS#8, owner-only permissions) and"
            + " PREFIX.csr.pem. Never overwrites a file.",
        "Keep at least two backup keys, stored in separate places, off the server."})
final class BackupKeyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "PREFIX",
      description = "Path prefix of the files to write, e.g. backup-2026-1.")
  Path prefix;

  @Option(names = "--subject", required = true, paramLabel = "DN",
      description = "Subject of the CSR, e.g. CN=www.example.com,O=Example.")
  String subject;

  @Option(names = "--dns", paramLabel = "NAME",
      description = "A DNS name the CSR asks for (subjectAltName), repeatable; default the"
          + " subject's CN when it is a host name. ACME CAs issue for these names.")
  java.util.List<String> dnsNames = new java.util.ArrayList<>();

  @Option(names = "--algorithm", defaultValue = "ec-p256", paramLabel = "ALG",
      description = "ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096.")
  String algorithm;

  @Mixin
  PasswordOptions password;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    BackupKeys.Algorithm chosen;
    try {
      chosen = BackupKeys.Algorithm.fromLabel(algorithm);
      BackupKeys.checkSubject(subject);
      for (String dnsName : dnsNames) {
        BackupKeys.checkDnsName(dnsName);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e); // the option's value, named in the message
    }
    Path key = Path.of(prefix + ".key.pem");
    Path csr = Path.of(prefix + ".csr.pem");
    for (Path file : new Path[] {key, csr}) {
      if (Files.exists(file)) {
        throw new UsageException(file + " already exists; backup-key never overwrites"
            + " a file — choose another --out prefix");
      }
    }
    char[] passphrase = password.forNewKey(key.toString());
    if (passphrase.length < 8) {
      throw new UsageException("the password has " + passphrase.length
          + " characters; use at least 8");
    }
    BackupKeys.BackupKey generated = dnsNames.isEmpty() ? BackupKeys.generate(chosen, subject)
        : BackupKeys.generate(chosen, subject, dnsNames);
    String encrypted = BackupKeys.encryptedPem(generated.keyPair().getPrivate(), passphrase);
    Arrays.fill(passphrase, '\0');
    writeNew(key, encrypted, true);
    writeNew(csr, generated.csrPem(), false);
    out.println("Wrote " + key + " (encrypted private key, owner-only) and " + csr + " (CSR).");
    out.println("Pin: " + generated.pin());
    out.println("Add it to backupPins. Move " + key.getFileName() + " off this machine; keep at"
        + " least two backup keys, stored in separate places. When the key is needed, send "
        + csr.getFileName() + " to your CA.");
    return 0;
  }

  private static void writeNew(Path file, String content, boolean secret) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(file + " already exists; backup-key never overwrites a"
          + " file — choose another --out prefix", e);
    }
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
