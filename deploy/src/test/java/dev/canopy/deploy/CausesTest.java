package dev.canopy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CausesTest {

  @Test
  void aFailureWithoutAMessageIsNamedByItsTypeNeverNull() {
    assertThat(Causes.describe(new TimeoutException())).isEqualTo("TimeoutException");
    assertThat(Causes.describe(new NullPointerException())).isEqualTo("NullPointerException");
  }

  @Test
  void everyLinkOfTheChainIsShownOnce() {
    BindException root = new BindException("Address already in use");
    ExecutionException wrapped = new ExecutionException(root);
    IllegalStateException top = new IllegalStateException("the EC2 port did not open", wrapped);

    assertThat(Causes.describe(top))
        .isEqualTo("the EC2 port did not open: caused by java.net.BindException: Address already in use");
  }

  @Test
  void aCycleOrAVeryDeepChainEnds() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);
    assertThat(Causes.describe(a)).isEqualTo("a: caused by b");

    Throwable deep = new RuntimeException("root");
    for (int i = 0; i < 50; i++) {
      deep = new RuntimeException("level " + i, deep);
    }
    assertThat(Causes.describe(deep)).endsWith("; …").contains("level 49");
  }
}
