package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Progress only on a terminal: on JDK 22+ {@code System.console()} is non-null when redirected, so
 * a non-null console alone must not count.
 */
class TerminalTest {

  /** A JDK 22+ console as seen when stdout is redirected. */
  public static final class RedirectedConsole {
    public boolean isTerminal() {
      return false;
    }
  }

  /** A JDK 22+ console on a terminal. */
  public static final class TerminalConsole {
    public boolean isTerminal() {
      return true;
    }
  }

  /** A JDK 17 console: no isTerminal(), and it exists only on a terminal. */
  public static final class Jdk17Console {}

  @Test
  void noConsole_isNoTerminal() {
    assertThat(Terminal.isTerminal(null, RedirectedConsole.class)).isFalse();
  }

  @Test
  void consoleThatSaysItIsRedirected_isNoTerminal() {
    assertThat(Terminal.isTerminal(new RedirectedConsole(), RedirectedConsole.class)).isFalse();
    assertThat(Terminal.isTerminal(new TerminalConsole(), TerminalConsole.class)).isTrue();
  }

  @Test
  void consoleWithoutIsTerminal_isATerminal() {
    assertThat(Terminal.isTerminal(new Jdk17Console(), Jdk17Console.class)).isTrue();
  }

  @Test
  void underTheTestRunner_outputIsRedirected_soNoProgress() {
    // Surefire pipes the forked JVM's output: no terminal on any JDK.
    assertThat(Terminal.interactive()).isFalse();
    InputStream in = new ByteArrayInputStream(new byte[0]);
    StringWriter err = new StringWriter();
    assertThat(Progress.wrap(in, "big.bin", Progress.THRESHOLD_BYTES, new PrintWriter(err)))
        .isSameAs(in);
  }
}
