package io.flick.feed.eval;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads and writes interaction files: one {@code user<TAB>item[<TAB>weight[<TAB>timestamp]]} per
 * line. Blank lines and lines starting with {@code #} are skipped. A missing weight is 1; a missing
 * timestamp is the line's position among the file's interactions (0, 1, 2…), so a file without
 * timestamps keeps its order as time. Anything else is a {@link MalformedLineException} naming the
 * file and line.
 */
public final class InteractionFile {
  private InteractionFile() {}

  /** A line that is not an interaction; the message reads {@code file:line: what is wrong}. */
  public static final class MalformedLineException extends IOException {
    MalformedLineException(Path file, int line, String problem) {
      super(file + ":" + line + ": " + problem);
    }
  }

  public static List<Interaction> read(Path file) throws IOException {
    List<Interaction> interactions = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        interactions.add(parse(file, lineNumber, line, interactions.size()));
      }
    }
    return interactions;
  }

  private static Interaction parse(Path file, int lineNumber, String line, long position)
      throws MalformedLineException {
    String[] fields = line.split("\t", -1);
    if (fields.length < 2 || fields.length > 4) {
      throw new MalformedLineException(
          file,
          lineNumber,
          "expected user<TAB>item[<TAB>weight[<TAB>timestamp]], found "
              + fields.length
              + (fields.length == 1 ? " field (no tab)" : " fields"));
    }
    String user = fields[0].strip();
    String item = fields[1].strip();
    if (user.isEmpty() || item.isEmpty()) {
      throw new MalformedLineException(
          file, lineNumber, user.isEmpty() ? "empty user id" : "empty item id");
    }
    double weight = 1;
    if (fields.length >= 3) {
      try {
        weight = Double.parseDouble(fields[2].strip());
      } catch (NumberFormatException e) {
        weight = Double.NaN;
      }
      if (!Double.isFinite(weight)) {
        throw new MalformedLineException(
            file, lineNumber, "weight is not a finite number: '" + fields[2].strip() + "'");
      }
    }
    long timestamp = position;
    if (fields.length == 4) {
      try {
        timestamp = Long.parseLong(fields[3].strip());
      } catch (NumberFormatException e) {
        throw new MalformedLineException(
            file,
            lineNumber,
            "timestamp is not an integer (epoch ms): '" + fields[3].strip() + "'");
      }
    }
    return new Interaction(user, item, weight, timestamp);
  }

  /** Writes every interaction with all four columns, in the given order. */
  public static void write(Path file, Collection<Interaction> interactions) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(64);
      for (Interaction i : interactions) {
        line.setLength(0);
        line.append(i.userId()).append('\t').append(i.itemId()).append('\t');
        appendWeight(line, i.weight());
        line.append('\t').append(i.timestamp()).append('\n');
        out.append(line);
      }
    }
  }

  static void appendWeight(StringBuilder line, double weight) {
    if (weight == Math.rint(weight) && Math.abs(weight) < 1e15) {
      line.append((long) weight);
    } else {
      line.append(weight);
    }
  }
}
