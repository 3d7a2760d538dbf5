package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.ClientException;
import dev.sealpost.exception.ServiceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --server} / {@code --api-key} (or SEALPOST_SERVER / SEALPOST_API_KEY) for send, inbox,
 * fetch.
 */
final class ServerOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:SEALPOST_SERVER}",
      description = "The Sealpost server, e.g. https://sealpost.example.com (or SEALPOST_SERVER).")
  String server;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:SEALPOST_API_KEY}",
      description =
          "Your API key (prefer SEALPOST_API_KEY: a command line is visible to other users).")
  String apiKey;

  EnvelopeClient client(DecryptionKeyProvider keys, TrustedKeys trust) {
    if (server == null || server.isBlank()) {
      throw CliException.usage("--server (or SEALPOST_SERVER) is required");
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw CliException.usage("--api-key (or SEALPOST_API_KEY) is required");
    }
    URI uri;
    try {
      uri = new URI(server.trim());
    } catch (URISyntaxException e) {
      throw CliException.usage("--server is not a URL: " + server);
    }
    EnvelopeClient.Builder b =
        EnvelopeClient.builder().endpoint(uri).apiKey(apiKey.trim()).userAgent("sealpost-cli");
    if (keys != null) {
      b.decryptionKeys(keys);
    }
    if (trust != null) {
      b.trust(trust);
    }
    try {
      return b.build();
    } catch (IllegalStateException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Runs a server call, turning the client's errors into one-line CLI failures. */
  static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (ServiceException e) {
      throw new CliException(ExitCodes.IO, "the server refused: " + e.getMessage(), e);
    } catch (ClientException e) {
      throw new CliException(ExitCodes.IO, e.getMessage(), e);
    }
  }
}
