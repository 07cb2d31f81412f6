package dev.canopy.deploy.architecture;

import java.util.function.LongSupplier;

/** Classes that break the time and randomness rules on purpose: the architecture test shows it catches them. */
final class Offenders {

  private Offenders() {}

  static final class ReadsNanoTimeByReference {
    final LongSupplier clock = System::nanoTime;
  }

  static final class SleepsInALambda {
    final Runnable pause = () -> {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  static final class RollsUnseededDice {
    int roll() {
      return new java.util.Random().nextInt(6);
    }
  }
}
