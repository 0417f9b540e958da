package org.rhythmsearch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * The index used when {@code --index} is left out: {@value #ENV} if set, else the {@code index = DB} line
 * of the configuration file {@code $XDG_CONFIG_HOME/rhythmsearch/config} (XDG's default:
 * {@code ~/.config/rhythmsearch/config}; {@code #} starts a comment). Read once per command line.
 */
final class IndexDefaults implements CommandLine.IDefaultValueProvider {

  /** The environment variable naming the default index. */
  static final String ENV = "RHYTHMSEARCH_INDEX";

  /** What the help says of the default. */
  static final String HELP = "default: $" + ENV + ", else the 'index = DB' line of ~/.config/rhythmsearch/config";

  private final Map<String, String> env;

  IndexDefaults(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec arg) {
    if (arg instanceof CommandLine.Model.OptionSpec o && "--index".equals(o.longestName())) {
      return defaultIndex();
    }
    return null;
  }

  /** The default index, or null when none is configured. */
  String defaultIndex() {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    Path file = configFile();
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
        int eq = l.indexOf('=');
        if (eq > 0 && l.substring(0, eq).strip().equals("index")) {
          String v = l.substring(eq + 1).strip();
          String home = env.get("HOME");
          return v.startsWith("~/") && home != null ? home + v.substring(1) : v;
        }
      }
    } catch (IOException e) {
      return null; // an unreadable configuration is as none: --index is then asked for
    }
    return null;
  }

  /** {@code $XDG_CONFIG_HOME/rhythmsearch/config}, or under {@code $HOME/.config}; null without either. */
  Path configFile() {
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "rhythmsearch", "config");
    }
    String home = env.get("HOME");
    return home == null ? null : Path.of(home, ".config", "rhythmsearch", "config");
  }
}
