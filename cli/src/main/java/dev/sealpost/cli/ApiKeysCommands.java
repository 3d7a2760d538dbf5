package dev.sealpost.cli;

import dev.sealpost.client.ApiKeyInfo;
import dev.sealpost.client.EnvelopeClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost keys list|revoke}: the tenant's API keys on the server (an ADMIN key). */
final class ApiKeysCommands {
  private ApiKeysCommands() {}

  /** {@code sealpost keys list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List your tenant's API keys (an ADMIN key), oldest first.",
        "One line each: ID ROLE STATE CREATED LAST_USED EXPIRES NAME, where STATE is live, expired or revoked. Secrets are never shown: the server keeps only their hashes."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
        "  sealpost keys list"
      })
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Instant now = Instant.now();
      try (EnvelopeClient client = serverOptions.client(null, null)) {
        ServerOptions.call(
            () -> {
              for (ApiKeyInfo k : client.apiKeys()) {
                out.printf(
                    "%s\t%s\t%s\t%s\t%s\t%s\t%s%n",
                    k.id(),
                    k.role(),
                    k.revokedAt().isPresent() ? "revoked" : k.isLive(now) ? "live" : "expired",
                    k.createdAt(),
                    k.lastUsedAt().map(Object::toString).orElse("-"),
                    k.expiresAt().map(Object::toString).orElse("-"),
                    printable(k.name()) + (k.bootstrap() ? " (bootstrap)" : ""));
              }
              return null;
            });
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code sealpost keys revoke ID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke one of your tenant's API keys (an ADMIN key); it answers 401 from then on.",
        "The tenant's last live ADMIN key cannot be revoked: create its successor first. Revoking a revoked key changes nothing."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
        "  sealpost keys revoke 3f9a2c1e-7b4d-4e8f-9a1b-2c3d4e5f6a7b"
      })
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;

    @Parameters(paramLabel = "ID", description = "The key's id (see 'sealpost keys list').")
    String id;

    @Override
    public Integer call() {
      try (EnvelopeClient client = serverOptions.client(null, null)) {
        ServerOptions.call(
            () -> {
              try {
                client.revokeApiKey(id);
              } catch (IllegalArgumentException e) {
                throw CliException.usage("ID must be an API key id such as a UUID");
              }
              return null;
            });
      }
      spec.commandLine().getOut().println("revoked " + id);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** A name as an admin typed it: control and bidi characters would steer the terminal. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append('?');
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
