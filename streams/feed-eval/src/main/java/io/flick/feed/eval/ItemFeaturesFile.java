package io.flick.feed.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Content vectors for an evaluation: {@code item<TAB>v1,v2,…} per line (finite floats, any
 * dimension, the same on every line; what {@code gen-interactions} writes as features.tsv). Blank
 * lines and {@code #} comments are skipped; anything else is a {@link
 * InteractionFile.MalformedLineException} naming the file and line.
 */
public final class ItemFeaturesFile {
  private ItemFeaturesFile() {}

  public static Map<String, float[]> read(Path file) throws IOException {
    Map<String, float[]> features = new HashMap<>();
    int dimension = -1;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 2 || f[0].isBlank() || f[1].isBlank()) {
          throw new InteractionFile.MalformedLineException(
              file, lineNumber, "expected item<TAB>v1,v2,… (comma-separated floats)");
        }
        String[] values = f[1].split(",", -1);
        float[] vector = new float[values.length];
        for (int j = 0; j < values.length; j++) {
          float v;
          try {
            v = Float.parseFloat(values[j].strip());
          } catch (NumberFormatException e) {
            v = Float.NaN;
          }
          if (!Float.isFinite(v)) {
            throw new InteractionFile.MalformedLineException(
                file,
                lineNumber,
                "value " + (j + 1) + " is not a finite number: '" + values[j].strip() + "'");
          }
          vector[j] = v;
        }
        if (dimension >= 0 && vector.length != dimension) {
          throw new InteractionFile.MalformedLineException(
              file, lineNumber, vector.length + " values where the lines before have " + dimension);
        }
        dimension = vector.length;
        if (features.put(f[0].strip(), vector) != null) {
          throw new InteractionFile.MalformedLineException(
              file, lineNumber, "item '" + f[0].strip() + "' listed twice");
        }
      }
    }
    return features;
  }
}
