package io.flick.feed.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class InteractionFileTest {
  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path file = dir.resolve("train.tsv");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void readsTwoThreeAndFourColumnsSkippingBlanksAndComments() throws IOException {
    List<Interaction> read =
        InteractionFile.read(
            file("# user\titem\n\nu1\tv1\nu2\tv2\t0.5\n  \nu3\tv3\t-1\t1700000000000\r\nu1\tv4\n"));
    assertThat(read)
        .containsExactly(
            new Interaction("u1", "v1", 1, 0),
            new Interaction("u2", "v2", 0.5, 1),
            new Interaction("u3", "v3", -1, 1_700_000_000_000L),
            new Interaction("u1", "v4", 1, 3));
  }

  @Test
  void aFileWithoutTimestampsKeepsItsOrderAsTime() throws IOException {
    List<Interaction> read = InteractionFile.read(file("u2\tb\nu1\ta\nu2\tc\n"));
    TrainingSet train = TrainingSet.of(read);
    assertThat(train.inTimeOrder()).extracting(Interaction::itemId).containsExactly("b", "a", "c");
  }

  @Test
  void malformedLinesNameTheFileAndLine() throws IOException {
    assertError(
        "u1\tv1\nu2 v2\n",
        ":2: expected user<TAB>item[<TAB>weight[<TAB>timestamp]], found 1 field (no tab)");
    assertError(
        "# c\nu1\tv1\t1\t2\t3\n",
        ":2: expected user<TAB>item[<TAB>weight[<TAB>timestamp]], found 5 fields");
    assertError("u1\tv1\tlots\n", ":1: weight is not a finite number: 'lots'");
    assertError("u1\tv1\tNaN\n", ":1: weight is not a finite number: 'NaN'");
    assertError(
        "u1\tv1\t1\tyesterday\n", ":1: timestamp is not an integer (epoch ms): 'yesterday'");
    assertError("\tv1\n", ":1: empty user id");
    assertError("u1\t \n", ":1: empty item id");
  }

  private void assertError(String content, String message) throws IOException {
    Path file = file(content);
    assertThatThrownBy(() -> InteractionFile.read(file))
        .isInstanceOf(InteractionFile.MalformedLineException.class)
        .hasMessage(file + message);
  }

  @Test
  void writesWhatItReads() throws IOException {
    List<Interaction> data =
        List.of(
            new Interaction("u1", "v1", 1, 10),
            new Interaction("u2", "v1", 0.5, 11),
            new Interaction("u3", "v9", -1, 12));
    Path file = dir.resolve("out.tsv");
    InteractionFile.write(file, data);
    assertThat(Files.readString(file))
        .isEqualTo("u1\tv1\t1\t10\nu2\tv1\t0.5\t11\nu3\tv9\t-1\t12\n");
    assertThat(InteractionFile.read(file)).isEqualTo(data);
  }
}
