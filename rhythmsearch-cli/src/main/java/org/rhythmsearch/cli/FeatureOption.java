package org.rhythmsearch.cli;

import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import picocli.CommandLine;

/** Converts {@code --feature NAME} to a configuration; an unknown name is a usage error (exit 2). */
final class FeatureOption implements CommandLine.ITypeConverter<FeatureConfig> {

  @Override
  public FeatureConfig convert(String value) {
    try {
      return FeatureConfigs.byName(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Candidates for the help text. */
  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return FeatureConfigs.names().iterator();
    }
  }
}
