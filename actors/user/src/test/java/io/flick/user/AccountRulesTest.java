package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountRulesTest {
  @Test
  void handles() {
    assertThat(AccountRules.handleProblem("ada_lovelace")).isEmpty();
    assertThat(AccountRules.handleProblem("Ada.Lovelace")).isEmpty();
    assertThat(AccountRules.handleProblem("")).contains("handle is required");
    assertThat(AccountRules.handleProblem("ab")).get().asString().contains("3 to 24");
    assertThat(AccountRules.handleProblem("has space")).isPresent();
    assertThat(AccountRules.handleProblem("_leading")).isPresent();
    assertThat(AccountRules.handleProblem("x".repeat(25))).isPresent();
    assertThat(AccountRules.canonicalHandle(" Ada ")).isEqualTo("ada");
  }

  @Test
  void passwords() {
    assertThat(AccountRules.passwordProblem("correct horse battery", "ada")).isEmpty();
    assertThat(AccountRules.passwordProblem("", "ada")).contains("password is required");
    assertThat(AccountRules.passwordProblem("short", "ada")).get().asString().contains("at least");
    assertThat(AccountRules.passwordProblem("1234567890", "ada")).get().asString().contains("easy");
    assertThat(AccountRules.passwordProblem("aaaaaaaaaaaa", "ada")).isPresent();
    assertThat(AccountRules.passwordProblem("ada_lovelace!!", "ada_lovelace")).isPresent();
    assertThat(AccountRules.passwordProblem("x".repeat(129), "ada")).isPresent();
  }

  @Test
  void displayNames() {
    assertThat(AccountRules.displayNameProblem("Ada Lovelace")).isEmpty();
    assertThat(AccountRules.displayNameProblem("Zoë ☕ 東京")).isEmpty();
    // thirty characters, counted as code points: an emoji is one
    assertThat(AccountRules.displayNameProblem("😀".repeat(30))).isEmpty();
    assertThat(AccountRules.displayNameProblem("😀".repeat(31))).get().asString().contains("30");
    assertThat(AccountRules.displayNameProblem("a\u0000b")).get().asString().contains("control");
    assertThat(AccountRules.displayNameProblem("right\u202Eleft")).isPresent(); // bidi override
    assertThat(AccountRules.displayNameProblem("   ")).isEmpty(); // clears it
    assertThat(AccountRules.canonicalDisplayName("  Ada \t  Lovelace ")).isEqualTo("Ada Lovelace");
    assertThat(AccountRules.canonicalDisplayName(" ")).isNull();
    assertThat(AccountRules.canonicalDisplayName(null)).isNull();
  }

  @Test
  void regions() {
    assertThat(AccountRules.regionProblem(null)).isEmpty();
    assertThat(AccountRules.regionProblem("US")).isEmpty();
    assertThat(AccountRules.regionProblem("usa")).isPresent();
    assertThat(AccountRules.canonicalRegion(null)).isEqualTo("ZZ");
  }
}
