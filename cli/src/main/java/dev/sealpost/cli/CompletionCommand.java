package dev.sealpost.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sealpost completion}: the bash (and zsh) completion script for every command. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a bash completion script for sealpost (zsh reads it too, after bashcompinit).",
      "Load it in the current shell with source <(sealpost completion), or install it once for every shell as shown below. It completes commands, subcommands and options."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  source <(sealpost completion)",
      "  sealpost completion > ~/.local/share/bash-completion/completions/sealpost"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash(spec.root().name(), root);
    PrintWriter out = spec.commandLine().getOut();
    out.print(script);
    out.flush();
    return ExitCodes.OK;
  }
}
