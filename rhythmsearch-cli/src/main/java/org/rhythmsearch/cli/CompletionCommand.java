package org.rhythmsearch.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code rhythmsearch completion}: the bash/zsh completion script, generated from the command model. */
@Command(name = "completion")
final class CompletionCommand extends Cmd {

  @Override
  public Integer call() {
    // every command, not just this one (Main.main builds only the command named)
    String script = AutoComplete.bash("rhythmsearch", Main.commandLine(java.util.Map.of()));
    out().print(script);
    out().flush();
    return 0;
  }
}
