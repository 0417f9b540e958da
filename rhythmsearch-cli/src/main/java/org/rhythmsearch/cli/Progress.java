package org.rhythmsearch.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr, shown only when the console is a terminal (never in pipes, CI or tests). */
final class Progress implements AutoCloseable {

  private final ProgressBar bar;

  Progress(String task, long total) {
    bar = System.console() == null ? null : new ProgressBarBuilder()
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

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
