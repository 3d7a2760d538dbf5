package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository.PagePosition;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvelopeQueriesTest {
  private static EnvelopeRecord envelope(EnvelopeStatus status, Instant created, Instant expires) {
    return new EnvelopeRecord(
        new EnvelopeId("6f1c1f0e-3c1b-4a59-9a57-0c1f7f3e9d11"),
        TenantId.random(),
        "key",
        status,
        created,
        expires,
        null,
        null,
        null,
        null,
        true,
        "kid",
        "blob",
        1,
        1,
        null,
        null,
        false);
  }

  @Test
  void cursor_roundTripsPositionToTheNanosecond() {
    Instant created = Instant.parse("2026-11-29T19:00:00.123456789Z");
    String cursor = EnvelopeQueries.encode(envelope(EnvelopeStatus.ACTIVE, created, null));
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    PagePosition p = EnvelopeQueries.decode(cursor);
    assertThat(p.createdAt()).isEqualTo(created);
    assertThat(p.id().value()).isEqualTo("6f1c1f0e-3c1b-4a59-9a57-0c1f7f3e9d11");
  }

  @Test
  void foreignCursor_is422NamingCursor() {
    for (String bad : new String[] {"", "%%%", "bm90LWEtY3Vyc29y", "djF8eHx5fHo"}) {
      assertThatThrownBy(() -> EnvelopeQueries.decode(bad))
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).field())
          .isEqualTo("cursor");
    }
  }

  @Test
  void activePastExpiry_readsAsExpired() {
    Instant now = Instant.parse("2026-11-29T19:00:00Z");
    assertThat(
            EnvelopeQueries.effective(
                envelope(EnvelopeStatus.ACTIVE, now.minusSeconds(100), now.minusSeconds(1)), now))
        .isEqualTo(EnvelopeStatus.EXPIRED);
    assertThat(
            EnvelopeQueries.effective(
                envelope(EnvelopeStatus.ACTIVE, now.minusSeconds(100), now.plusSeconds(1)), now))
        .isEqualTo(EnvelopeStatus.ACTIVE);
    assertThat(
            EnvelopeQueries.effective(
                envelope(EnvelopeStatus.REVOKED, now.minusSeconds(100), now.minusSeconds(1)), now))
        .isEqualTo(EnvelopeStatus.REVOKED);
  }
}
