package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rhythmsearch.audio.AudioFiles;
import org.rhythmsearch.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What every command shares: {@code --help} and {@code --version}, the exit-code heading, its output
 * streams and one-line usage errors. A command parses its options, calls one library service and
 * prints.
 */
@Command(mixinStandardHelpOptions = true, exitCodeListHeading = "%nExit codes:%n")
abstract class Cmd implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Standard output: results (and JSON documents). */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @CommandLine.Option(names = {"-q", "--quiet"}, description = "Print only results, warnings and errors: no "
      + "progress bar, no summary.")
  boolean quiet;

  @CommandLine.Option(names = {"-v", "--verbose"}, description = "Say more: every decision, one line each (index: "
      + "each file of a folder it skipped, each track recognised by content; relocate: each track moved; query: "
      + "each query excerpt with its tempo).")
  boolean verbose;

  /** Standard error: messages and progress. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Where a summary or a progress message goes: standard error, or nowhere with {@code --quiet}. */
  PrintWriter info() {
    checkQuietOrVerbose();
    return quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err();
  }

  /** Whether details are asked for ({@code --verbose}). */
  boolean verbose() {
    checkQuietOrVerbose();
    return verbose;
  }

  private void checkQuietOrVerbose() {
    if (quiet && verbose) {
      throw usage("--quiet and --verbose ask for opposite things; give one");
    }
  }

  /** A usage error (exit 2) naming the option or parameter and the problem. */
  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * Prints {@code document} as JSON ({@code json}) or as text through {@code text}, flushes, and returns
   * exit code 0.
   */
  int report(boolean json, Object document, java.util.function.Consumer<PrintWriter> text) {
    PrintWriter out = out();
    if (json) {
      Json.write(out, document);
    } else {
      text.accept(out);
      out.flush();
    }
    return 0;
  }

  /**
   * Whether the class {@code name} can be loaded: the release archive leaves the benchmarks' baselines
   * (Lucene, JMH) out, and the commands that need them say so.
   */
  static boolean onClasspath(String name) {
    try {
      Class.forName(name, false, Cmd.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** {@code s} as one shell word: as it is when it is plain, else in single quotes. */
  static String quoted(String s) {
    return s.matches("[A-Za-z0-9_./@%+=:,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** Paths given that named nothing usable (each reported on stderr); a command then exits 1. */
  int inputProblems;

  /**
   * The audio files given as files or folders; a path that does not exist is reported (one line) and
   * skipped, and counted in {@link #inputProblems}.
   */
  List<Path> audioFiles(List<Path> paths) {
    walk = AudioFiles.walk(paths, this::inputProblem);
    return walk.files();
  }

  /** What the last {@link #audioFiles} walk found, or null. */
  AudioFiles.Walk walk;

  /**
   * Says what the last walk decided on its own: each file taken by its content under another name, and
   * the files of folders left out (counted; listed when {@code verbose}).
   */
  void reportWalk(boolean verbose) {
    if (walk == null) {
      return;
    }
    PrintWriter err = info();
    for (String f : walk.byContent()) {
      err.println("  " + f);
    }
    if (verbose) {
      for (String f : walk.skipped()) {
        err.println("  skipped: " + f);
      }
    } else if (!walk.skipped().isEmpty()) {
      err.println("  " + walk.skipped().size() + " file(s) in the folders are not audio and were skipped (--verbose lists them)");
    }
    err.flush();
  }

  /** Reports a path given that names nothing usable and counts it. */
  void inputProblem(String problem) {
    err().println("rhythmsearch: " + problem);
    inputProblems++;
  }
}
