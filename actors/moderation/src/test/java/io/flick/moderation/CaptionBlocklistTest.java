package io.flick.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default moderation check flags blocklisted hashtags and caption words, nothing else. */
class CaptionBlocklistTest {
  private final CaptionBlocklist blocklist = new CaptionBlocklist(Set.of("#Scam", "gore", " "));

  @Test
  void blocklistedHashtagsAndWordsAreFlagged() {
    assertThat(blocklist.check("easy money", List.of("SCAM"))).get().asString().contains("#scam");
    assertThat(blocklist.check("so much Gore!", List.of())).get().asString().contains("'gore'");
  }

  @Test
  void otherCaptionsPass() {
    assertThat(blocklist.check("gorey scampi recipe", List.of("cooking"))).isEmpty();
    assertThat(new CaptionBlocklist(Set.of("")).check("gore", List.of("scam"))).isEmpty();
  }
}
