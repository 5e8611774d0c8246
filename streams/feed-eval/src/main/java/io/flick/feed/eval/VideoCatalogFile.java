package io.flick.feed.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Optional video metadata for an evaluation: {@code video<TAB>creator[<TAB>hashtag[,hashtag…]]} per
 * line (what {@code gen-interactions} writes as videos.tsv); blank lines and {@code #} comments
 * skipped.
 */
public final class VideoCatalogFile {
  private VideoCatalogFile() {}

  /** A video's creator and hashtags. */
  public record Meta(String creatorId, List<String> hashtags) {}

  public static Map<String, Meta> read(Path file) throws IOException {
    Map<String, Meta> videos = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length < 2 || f.length > 3 || f[0].isBlank() || f[1].isBlank()) {
          throw new InteractionFile.MalformedLineException(
              file, lineNumber, "expected video<TAB>creator[<TAB>hashtag[,hashtag…]]");
        }
        List<String> tags =
            f.length == 3 && !f[2].isBlank()
                ? Arrays.stream(f[2].split(","))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .toList()
                : List.of();
        videos.put(f[0].strip(), new Meta(f[1].strip(), tags));
      }
    }
    return videos;
  }
}
