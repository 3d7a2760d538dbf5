package dev.sealpost.api.infrastructure.mail;

import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.infrastructure.config.MailConfig;
import dev.sealpost.api.infrastructure.metrics.Metered;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** The mailer ({@code sealpost.mail}: files in the outbox directory, or SMTP). */
@ApplicationScoped
public class MailProducers {
  @Produces
  @ApplicationScoped
  Mailer mailer(MailConfig config, Clock clock, MetricRegistry metrics, Instance<Tracer> tracers) {
    try {
      return Metered.wrap(
          Mailer.class, of(config, clock), metrics, Metered.tracer(tracers), "mail");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mailer the settings ask for. */
  public static Mailer of(MailConfig mail, Clock clock) throws IOException {
    if (mail.kind().equals(MailConfig.SMTP)) {
      return new SmtpMailer(
          mail.host().orElseThrow(),
          mail.port(),
          mail.user(),
          mail.password(),
          mail.from().orElseThrow(),
          mail.requireStartTls());
    }
    return new OutboxMailer(
        mail.outboxDir(), mail.from().orElse("no-reply@sealpost.invalid"), clock);
  }
}
