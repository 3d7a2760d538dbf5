package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command's help is whole: picocli lists a command by the first element of its description,
 * so that element must be a complete sentence; each command shows an example; every option and
 * parameter says what it is.
 */
class HelpTextTest {

  private static List<CommandLine> allCommands() {
    List<CommandLine> all = new ArrayList<>();
    collect(SealpostCli.newCommandLine(), all);
    return all;
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    if (c.getCommandName().equals("help")) {
      return; // picocli's own
    }
    into.add(c);
    for (CommandLine sub : c.getSubcommands().values()) {
      collect(sub, into);
    }
  }

  @Test
  void everyCommand_hasAWholeSentenceSummaryAndAnExample() {
    List<CommandLine> all = allCommands();
    assertThat(all).extracting(CommandLine::getCommandName).contains("status", "list", "revoke");
    for (CommandLine c : all) {
      CommandSpec spec = c.getCommandSpec();
      String name = spec.qualifiedName();
      String[] description = spec.usageMessage().description();
      assertThat(description).as(name).isNotEmpty();
      assertThat(description[0]).as(name + " summary").endsWith(".").hasSizeLessThan(100);
      String[] footer = spec.usageMessage().footer();
      assertThat(footer).as(name + " example").isNotEmpty();
      assertThat(String.join("\n", footer)).as(name).contains(name);
      for (String line : footer) {
        assertThat(line.length()).as(name + " footer line: " + line).isLessThanOrEqualTo(79);
      }
    }
  }

  @Test
  void everyOptionAndParameter_isDescribed() {
    for (CommandLine c : allCommands()) {
      CommandSpec spec = c.getCommandSpec();
      for (OptionSpec o : spec.options()) {
        assertThat(String.join(" ", o.description()))
            .as(spec.qualifiedName() + " " + o.longestName())
            .isNotBlank();
      }
      for (PositionalParamSpec p : spec.positionalParameters()) {
        assertThat(String.join(" ", p.description()))
            .as(spec.qualifiedName() + " " + p.paramLabel())
            .isNotBlank();
      }
    }
  }

  @Test
  void rootHelp_listsEachCommandWithItsWholeSummary() {
    CliRunner.Result r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("send Send an envelope through the server (a SENDER key), which seals and")
        .contains("status Show a sent envelope's state and each recipient's (a SENDER key).")
        .contains("fetch Fetch an envelope addressed to you (a PARTNER key), decrypt and verify")
        .contains("completion Print a bash completion script");
  }

  @Test
  void completion_printsABashScriptThatBashAccepts(@TempDir Path dir)
      throws IOException, InterruptedException {
    CliRunner.Result r = CliRunner.run("completion");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_sealpost")
        .contains("status", "revoke", "reissue", "--api-key", "--no-notify");
    Path script = dir.resolve("sealpost.bash");
    Files.writeString(script, r.out());
    // Sourced by a real bash: it must define the completion function without errors.
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source \"$1\" && declare -F _complete_sealpost && complete -p sealpost",
                "bash",
                script.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    assertThat(out).contains("_complete_sealpost").doesNotContain("error");
  }
}
