package org.rhythmsearch.cli;

import java.io.PrintWriter;
import org.rhythmsearch.audio.AudioDecodeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rhythmsearch} command. Exit codes: 0 ok, 1 some inputs failed (the rest were
 * processed), 2 usage error. {@code --json} writes one JSON document to stdout; human text and
 * progress go to stderr.
 */
@Command(name = "rhythmsearch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {IndexCommand.class, QueryCommand.class, RemoveCommand.class, LsCommand.class, StatsCommand.class, CheckCommand.class, EvalCommand.class, EvalTracksCommand.class,
      EvalGroovesCommand.class, FitProjectionCommand.class,
      FeaturesCommand.class, PlotCommand.class, ServeCommand.class,
      InfoCommand.class,
      BenchCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** A configured command line (tests call {@code execute} on it). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    Options.registerConverters(cl);
    cl.setResourceBundle(java.util.ResourceBundle.getBundle("org.rhythmsearch.cli.Help"));
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      err.println(name + ": " + ex.getMessage());
      err.println("see `" + name + " --help`");
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      if (ex instanceof org.rhythmsearch.store.StoreException) {
        err.println("rhythmsearch: " + ex.getMessage());
        err.flush();
        return 2;
      } else if (ex instanceof AudioDecodeException || ex instanceof java.io.IOException) {
        err.println("rhythmsearch: " + ex.getMessage());
      } else if (ex instanceof IllegalArgumentException) {
        err.println("rhythmsearch: " + ex.getMessage());
        return 2;
      } else {
        err.println("rhythmsearch: internal error: " + ex);
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"rhythmsearch " + p.getProperty("version", "(version unknown)")};
    }
  }
}
