package dev.sealpost.cli;

import java.io.Console;

/**
 * Whether a person is watching: progress lines are for a terminal only, so logs and pipes stay
 * clean. Before JDK 22 {@code System.console()} is non-null only on a terminal; from JDK 22 on it
 * is non-null when redirected too, and {@code Console.isTerminal()} (looked up by reflection: the
 * CLI builds for Java 11) tells.
 */
final class Terminal {
  private Terminal() {}

  /** True when the CLI runs on an interactive terminal. */
  static boolean interactive() {
    return isTerminal(System.console(), Console.class);
  }

  /**
   * The rule, apart from the JVM it runs on: no console is no terminal; a console whose type has
   * {@code isTerminal()} answers it; a console without it (JDK 17 to 21) is a terminal.
   */
  static boolean isTerminal(Object console, Class<?> consoleType) {
    if (console == null) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(consoleType.getMethod("isTerminal").invoke(console));
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
