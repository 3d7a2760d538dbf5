package dev.sealpost.cli;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.audit.AuditExportReader;
import dev.sealpost.audit.AuditVerification;
import dev.sealpost.envelope.TrustedKeys;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost audit events|export|verify|evidence}: the auditor's commands. {@code verify
 * --file} checks an export offline (hash chain, signed checkpoints, head); without {@code --file}
 * it asks the server. Exit code 0 only when everything checks out; 2 when the log is not intact.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {"Query, export and verify the tamper-evident audit log (an AUDITOR key)."},
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost audit events --envelope 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10",
      "  sealpost audit export --out audit.ndjson",
      "  sealpost audit verify --file audit.ndjson \\",
      "      --jwks https://sealpost.example.com/.well-known/jwks.json"
    },
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      AuditCommand.Events.class,
      AuditCommand.Export.class,
      AuditCommand.Verify.class,
      EvidenceCommand.class
    })
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: events, export, verify or evidence");
  }

  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      description = {
        "Print audit events as JSON lines, oldest first.",
        "Filters are combined with AND; without --all only the first page is printed."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
        "  sealpost audit events --type ENVELOPE_OPENED --from 2030-01-01T00:00:00Z \\",
        "      --all"
      })
  static final class Events implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AuditServer server;

    @Option(
        names = "--envelope",
        paramLabel = "ID",
        description = "Only the events of this envelope.")
    String envelope;

    @Option(
        names = "--recipient",
        paramLabel = "ID",
        description = "Only the events of this recipient.")
    String recipient;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description =
            "Only events of this type, e.g. ENVELOPE_OPENED, API_KEY_CREATED, API_KEY_REVOKED, LINK_REISSUED,"
                + " PARTNER_UPDATED, PARTNER_DISABLED, TENANT_UPDATED, SIGNING_KEY_ROTATED,"
                + " WEBHOOK_CREATED, WEBHOOK_DELETED"
                + " (docs/AUDIT.md)")
    String type;

    @Option(
        names = "--actor",
        paramLabel = "ACTOR",
        description = "Only the events of this actor, e.g. api-key:<id>.")
    String actor;

    @Option(
        names = "--from",
        paramLabel = "TIME",
        description = "Events at or after this time (RFC 3339).")
    String from;

    @Option(
        names = "--to",
        paramLabel = "TIME",
        description = "Events before this time (RFC 3339).")
    String to;

    @Option(names = "--limit", paramLabel = "N", description = "Page size (1..1000).")
    Integer limit;

    @Option(names = "--all", description = "Follow the cursor to the last page.")
    boolean all;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      String cursor = null;
      do {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("envelope", envelope);
        q.put("recipient", recipient);
        q.put("type", type);
        q.put("actor", actor);
        q.put("from", from);
        q.put("to", to);
        q.put("limit", limit == null ? null : limit.toString());
        q.put("cursor", cursor);
        Map<String, Object> page = server.getJson("audit/events" + AuditServer.query(q));
        List<Object> items = JSONObjectUtils.getJSONArray(page, "items");
        if (items != null) {
          for (Object item : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) item;
            out.println(JSONObjectUtils.toJSONString(m));
          }
        }
        cursor = (String) page.get("nextCursor");
      } while (all && cursor != null);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Download the whole audit chain with its hashes and signed checkpoints.",
        "Verify it offline with 'sealpost audit verify --file'. The export itself is recorded as AUDIT_EXPORTED."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
        "  sealpost audit export --format ndjson --out audit.ndjson"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AuditServer server;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "ndjson",
        description = "ndjson (default) or csv.")
    String format;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write here (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("ndjson") && !format.equals("csv")) {
        throw CliException.usage("--format must be ndjson or csv");
      }
      try (InputStream in = server.get("audit/export?format=" + format)) {
        OutputDirectory.toFileOrStdout(in, out, ".audit");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check that the audit chain is intact, offline on an export or on the server.",
        "With --file, the export is checked here with the tenant's signing keys from --jwks or --trust; without it, the server checks its own chain and answers a signed checkpoint. Exits 0 only if the chain is intact, 2 if not."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  sealpost audit verify --file audit.ndjson --trust acme.pub.jwk \\",
        "      --checkpoint last.jws",
        "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
        "  sealpost audit verify"
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AuditServer server;

    @Option(names = "--file", paramLabel = "EXPORT", description = "An export (NDJSON or CSV).")
    Path file;

    @ArgGroup(exclusive = true)
    Trust trust;

    static final class Trust {
      @Option(
          names = "--trust",
          paramLabel = "PUBLIC_JWK",
          description = "The tenant's public signing key(s): JWK or JWK set file; repeatable.")
      List<Path> files;

      @Option(
          names = "--jwks",
          paramLabel = "URL",
          description = "Trust the keys published at this URL (.../.well-known/jwks.json).")
      String url;
    }

    @Option(
        names = "--checkpoint",
        paramLabel = "FILE",
        description =
            "A checkpoint JWS kept from earlier (e.g. a previous verify): the export must agree"
                + " with it and reach at least as far; repeatable.")
    List<Path> checkpoints = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (file == null) {
        if (trust != null || !checkpoints.isEmpty()) {
          throw CliException.usage("--trust, --jwks and --checkpoint go with --file");
        }
        Map<String, Object> v = server.getJson("audit/verify");
        out.println(JSONObjectUtils.toJSONString(v));
        out.flush();
        if (!Boolean.TRUE.equals(v.get("ok"))) {
          throw new CliException(
              ExitCodes.INTEGRITY,
              "the audit log is NOT intact: seq " + v.get("firstBadSeq") + ": " + v.get("reason"));
        }
        return ExitCodes.OK;
      }
      if (trust == null) {
        throw CliException.usage("--file needs the tenant's keys: --jwks URL or --trust FILE");
      }
      List<String> extra = new ArrayList<>();
      for (Path p : checkpoints) {
        extra.add(JwkFiles.readSmallFile(p, "--checkpoint").trim());
      }
      AuditVerification v;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        v = AuditExportReader.verify(in, trustedKeys(), extra);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", v.ok());
      m.put("tenant", v.tenant());
      m.put("events", v.events());
      Map<String, Object> head = new LinkedHashMap<>();
      head.put("seq", v.lastSeq());
      head.put("hash", v.lastHash());
      m.put("head", head);
      if (v.checkpoint() != null) {
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("seq", v.checkpoint().seq());
        cp.put("head", v.checkpoint().head());
        cp.put("time", v.checkpoint().time().toString());
        cp.put("jws", v.checkpoint().jws());
        m.put("checkpoint", cp);
      }
      if (!v.ok()) {
        m.put("firstBadSeq", v.firstBadSeq());
        m.put("reason", v.reason());
      }
      out.println(JSONObjectUtils.toJSONString(m));
      out.flush();
      if (!v.ok()) {
        throw new CliException(
            ExitCodes.INTEGRITY,
            "the audit export is NOT intact: seq " + v.firstBadSeq() + ": " + v.reason());
      }
      return ExitCodes.OK;
    }

    private TrustedKeys trustedKeys() throws java.io.IOException {
      if (trust.files != null) {
        List<JWK> keys = new ArrayList<>();
        for (Path p : trust.files) {
          keys.addAll(JwkFiles.readPublicKeys(p, "--trust"));
        }
        try {
          return TrustedKeys.of(keys);
        } catch (IllegalArgumentException e) {
          throw CliException.usage("--trust: " + e.getMessage());
        }
      }
      try {
        return TrustedKeys.fromJwksJson(JwksFetcher.fetch(trust.url));
      } catch (IllegalArgumentException e) {
        throw CliException.io("the JWKS at " + trust.url + " is not a JWK set", e);
      }
    }
  }
}
