package org.rhythmsearch.cli;

import org.rhythmsearch.search.TempoAlignment;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The tempo-alignment options shared by {@code query}, {@code eval} and {@code eval-tracks}. */
final class TempoAlignmentOptions {

  @Option(names = "--tempo-align", paramLabel = "T", defaultValue = "0.2",
      description = "Align each query excerpt with each indexed excerpt whose tempo is within T (0.2 = 20 %%), "
          + "octave errors folded, by rescaling the query to that tempo; 0 turns it off (default: ${DEFAULT-VALUE}). "
          + "About one extra comparison per indexed excerpt.")
  double tolerance = TempoAlignment.DEFAULT.tolerance();

  @Option(names = "--tempo-margin", paramLabel = "M", defaultValue = "0.11",
      description = "How much lower an aligned similarity counts than a plain one, so that alignment does not lift "
          + "other songs near the query's tempo (default: ${DEFAULT-VALUE}).")
  double margin = TempoAlignment.DEFAULT.margin();

  /** The alignment, or a usage error naming the option. */
  TempoAlignment alignment(CommandLine commandLine) {
    try {
      return new TempoAlignment(tolerance, margin);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, "--tempo-align / --tempo-margin: " + e.getMessage());
    }
  }

}
