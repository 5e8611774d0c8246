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
  void regions() {
    assertThat(AccountRules.regionProblem(null)).isEmpty();
    assertThat(AccountRules.regionProblem("US")).isEmpty();
    assertThat(AccountRules.regionProblem("usa")).isPresent();
    assertThat(AccountRules.canonicalRegion(null)).isEqualTo("ZZ");
  }
}
