package dev.sealpost.api.infrastructure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.BlobStore;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.infrastructure.blobs.FileSystemBlobStore;
import dev.sealpost.api.infrastructure.mail.OutboxMailer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: with a tracer (the OpenTelemetry SDK here, MicroProfile Telemetry's in Payara), every
 * call to the blob store, the mailer, the key service and the database ports is a client span under
 * the request's span, failures are marked, and no attribute carries an argument: the canary
 * personal data and key names planted below never appear.
 */
class MeteredTracingTest {
  private static final String CANARY = "canary.q7x3@example.org";

  /** The OpenTelemetry SDK's span pipeline into a list (what an in-memory exporter does). */
  private final List<SpanData> spans = new CopyOnWriteArrayList<>();

  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(
              SimpleSpanProcessor.create(
                  new SpanExporter() {
                    @Override
                    public CompletableResultCode export(Collection<SpanData> batch) {
                      spans.addAll(batch);
                      return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode flush() {
                      return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode shutdown() {
                      return CompletableResultCode.ofSuccess();
                    }
                  }))
          .build();
  private final Tracer tracer = provider.get("sealpost-test");

  @TempDir Path tmp;

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void adapterCalls_areChildSpansOfTheRequest_withoutArgumentsInTheirAttributes() throws Exception {
    BlobStore blobs =
        Metered.wrap(
            BlobStore.class, FileSystemBlobStore.open(tmp.resolve("blobs")), null, tracer, "blobs");
    Mailer mailer =
        Metered.wrap(
            Mailer.class,
            new OutboxMailer(tmp.resolve("outbox"), "no-reply@sealpost.test", Clock.systemUTC()),
            null,
            tracer,
            "mail");
    BlobKey key = BlobKey.of("envelopes", "canary-q7x3", "a");

    Span request =
        tracer.spanBuilder("POST /v1/envelopes").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope s = request.makeCurrent()) {
      try (BlobStore.Upload up = blobs.upload(key)) {
        up.stream().write(CANARY.getBytes(StandardCharsets.UTF_8));
        up.commit();
      }
      mailer.send(
          new MailerMessage(
              CANARY, "Canary Sender", "For " + CANARY, CANARY, "<p>" + CANARY + "</p>"));
      assertThatThrownBy(() -> blobs.get(BlobKey.of("envelopes", "canary-q7x3", "missing")))
          .isNotNull();
    } finally {
      request.end();
    }

    Map<String, SpanData> byName =
        spans.stream().collect(Collectors.toMap(SpanData::getName, d -> d, (a, b) -> a));
    assertThat(byName)
        .containsKeys(
            "POST /v1/envelopes", "blobs upload", "blobs upload.commit", "mail send", "blobs get");
    String requestSpan = byName.get("POST /v1/envelopes").getSpanId();
    for (String child : List.of("blobs upload", "mail send", "blobs get")) {
      assertThat(byName.get(child).getParentSpanId()).as(child).isEqualTo(requestSpan);
      assertThat(byName.get(child).getKind()).isEqualTo(SpanKind.CLIENT);
    }
    assertThat(byName.get("blobs upload.commit").getTraceId())
        .isEqualTo(byName.get("POST /v1/envelopes").getTraceId());
    assertThat(byName.get("mail send").getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    SpanData failed = byName.get("blobs get");
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("sealpost.operation")))
        .isEqualTo("get");
    for (SpanData d : spans) {
      assertThat(d.getAttributes().asMap().values().toString())
          .as(d.getName())
          .doesNotContain("canary", "q7x3", "example.org");
      assertThat(d.getEvents()).as(d.getName()).isEmpty();
    }
  }

  @Test
  void databasePorts_areSpansNamedByPortAndMethod() {
    Mailer inner = m -> {};
    Mailer db = Metered.wrapDatabase(Mailer.class, inner, null, tracer);
    db.send(new MailerMessage(CANARY, "n", "s", "t", "h"));
    assertThat(spans).extracting(SpanData::getName).containsExactly("db Mailer.send");
  }

  @Test
  void withoutATracer_thereAreNoSpans_andCallsStillWork() throws Exception {
    BlobStore blobs =
        Metered.wrap(BlobStore.class, FileSystemBlobStore.open(tmp.resolve("b")), null, null, "x");
    BlobKey key = BlobKey.of("e", "1");
    blobs.put(key, new ByteArrayInputStream(new byte[] {1, 2}));
    assertThat(blobs.exists(key)).isTrue();
    assertThat(Metered.unwrap(blobs)).isInstanceOf(FileSystemBlobStore.class);
    assertThat(spans).isEmpty();
  }
}
