package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The {@code --limit N} of the listing commands, and the listing itself: one line per item. */
final class ListLimit {
  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Show at most N envelopes (default ${DEFAULT-VALUE}).")
  int limit;

  /**
   * Prints the first {@code limit} items that {@code list} pages through, one {@code line} each,
   * with the server's errors reported as {@link ServerOptions#call} reports them.
   */
  <T> int print(
      ServerOptions server,
      PrintWriter out,
      Function<EnvelopeClient, Iterable<T>> list,
      Function<T, String> line) {
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1");
    }
    try (EnvelopeClient client = server.client(null, null)) {
      ServerOptions.call(
          () -> {
            Iterator<T> items = list.apply(client).iterator();
            for (int n = 0; n < limit && items.hasNext(); n++) {
              out.println(line.apply(items.next()));
            }
            return null;
          });
    }
    out.flush();
    return ExitCodes.OK;
  }
}
