package dev.hpkp.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the tool in-process and keeps what it printed. */
record Cli(int exit, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Hpkp.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(exit, out.toString(), err.toString());
  }
}
