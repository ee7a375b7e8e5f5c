package dev.hpkp.cli;

import picocli.CommandLine.Option;

/**
 * {@code --strict}, for the commands that judge: without it a warning is printed and exits 0,
 * with it a warning exits 1 as an error does (a CI gate). See {@link Hpkp#judged}.
 */
final class StrictOption {

  @Option(names = "--strict",
      description = "Exit 1 on a warning too, as on an error (for a CI gate).")
  boolean strict;

  /** {@link Hpkp#judged} with this option. */
  int exit(boolean errors, boolean warnings) {
    return Hpkp.judged(errors, warnings, strict);
  }
}
