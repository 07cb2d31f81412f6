package dev.canopy.cloud.consolelogin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordRulesTest {

  @Test
  void passphrasesOfAnyScriptAreAccepted() {
    assertThatCode(() -> PasswordRules.check("correct horse battery staple")).doesNotThrowAnyException();
    assertThatCode(() -> PasswordRules.check("пароль-для-консоли")).doesNotThrowAnyException();
    assertThatCode(() -> PasswordRules.check("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑")).as("12 code points").doesNotThrowAnyException();
  }

  @Test
  void shortLongBlankAndControlCharactersAreRefusedWithoutEchoingThePassword() {
    for (String bad : new String[] {null, "", "elevenchars", " ".repeat(20), "x".repeat(257), "twelve chars\n ok"}) {
      assertThatThrownBy(() -> PasswordRules.check(bad)).as(String.valueOf(bad))
          .isInstanceOf(PasswordRules.InvalidPasswordException.class)
          .satisfies(e -> {
            if (bad != null && !bad.isBlank()) {
              org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain(bad);
            }
          });
    }
  }
}
