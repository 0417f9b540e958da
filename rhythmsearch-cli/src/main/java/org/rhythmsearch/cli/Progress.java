package org.rhythmsearch.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr, shown only when stderr is a terminal (never in pipes, CI or tests), also
 * when stdout is redirected: the launcher tells ({@code -Drhythmsearch.stderrIsTerminal}); without it,
 * when the JVM has a console.
 */
final class Progress implements AutoCloseable {

  private final ProgressBar bar;

  /** Whether stderr is a terminal. */
  static boolean enabled() {
    String told = System.getProperty("rhythmsearch.stderrIsTerminal");
    return told != null ? Boolean.parseBoolean(told) : System.console() != null;
  }

  /** A bar, or none when {@code quiet} ({@code --quiet}) or stderr is not a terminal. */
  Progress(String task, long total, boolean quiet) {
    bar = quiet || !enabled() ? null : new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .build();
  }

  void step(String message) {
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(message.length() > 40 ? "…" + message.substring(message.length() - 39) : message);
    }
  }

  /** A message on the bar without a step (e.g. a later phase of the work). */
  void note(String message) {
    if (bar != null) {
      bar.setExtraMessage(message.length() > 40 ? "…" + message.substring(message.length() - 39) : message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
