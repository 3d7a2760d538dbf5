package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.api.application.EnvelopeIntake.Accepted;
import dev.sealpost.api.application.SealEnvelope.Draft;
import dev.sealpost.api.application.SealEnvelope.RecipientDraft;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ExpiryCeiling;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.envelope.EnvelopeSealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The rules a draft meets before anything is written, against in-memory ports. */
class EnvelopeIntakeTest {
  private final TenantId tenantId = TenantId.random();
  private final Caller sender =
      new Caller(new ApiKeyId("k"), tenantId, Role.SENDER, Optional.empty(), false);
  private TenantSettings settings = TenantSettings.defaults("Acme");
  private final Map<PartnerId, String> partnerJwks = new java.util.HashMap<>();
  private ExpiryCeiling ceiling = ExpiryCeiling.DEFAULT;

  @Test
  void expiresInBeyondTheServerCeiling_isRefusedOnTheField_evenIfTheTenantAllowsIt() {
    // A tenant whose maximum was stored before the ceiling existed.
    settings =
        new TenantSettings(
            "Acme",
            settings.allowedVerificationMethods(),
            settings.defaultExpiry(),
            Duration.ofDays(36_500),
            false);
    for (Duration tooLong :
        List.of(
            Duration.ofDays(731), Duration.ofDays(36_500), Duration.ofHours(2562047788015215L))) {
      assertThatThrownBy(() -> intake().accept(sender, draft(List.of(consumer(0)), tooLong)))
          .as(tooLong.toString())
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.field()).isEqualTo("policy.expiresIn"));
    }
    assertThat(intake().accept(sender, draft(List.of(consumer(0)), Duration.ofDays(730))))
        .isNotNull();
  }

  @Test
  void aTenantDefaultBeyondTheCeiling_needsAnExplicitExpiresIn() {
    ceiling = new ExpiryCeiling(Duration.ofDays(7));
    assertThatThrownBy(() -> intake().accept(sender, draft(List.of(consumer(0)))))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("policy.expiresIn"));
    assertThat(intake().accept(sender, draft(List.of(consumer(0)), Duration.ofDays(7))))
        .isNotNull();
  }

  @Test
  void aCallerWhoIsNotASender_isForbidden() {
    Caller admin = new Caller(new ApiKeyId("k"), tenantId, Role.ADMIN, Optional.empty(), false);
    assertThatThrownBy(() -> intake().accept(admin, draft(List.of(consumer(0)))))
        .isInstanceOf(ForbiddenException.class);
  }

  @Test
  void aHintThatContainsTheSecret_isRefusedOnTheHint() {
    RecipientDraft r =
        new RecipientDraft(
            "recipients[0]",
            RecipientType.CONSUMER,
            "a@example.com",
            null,
            null,
            VerificationMethod.SHARED_SECRET,
            "tulip",
            "the flower: TULIP");
    assertThatThrownBy(() -> intake().accept(sender, draft(List.of(r))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("recipients[0].verification.hint"));
  }

  @Test
  void custody_takesOneRecipientSlot() {
    settings =
        new TenantSettings(
            "Acme",
            settings.allowedVerificationMethods(),
            settings.defaultExpiry(),
            settings.maxExpiry(),
            true);
    List<RecipientDraft> full = new ArrayList<>();
    for (int i = 0; i < EnvelopeSealer.MAX_RECIPIENTS; i++) {
      full.add(consumer(i));
    }
    assertThatThrownBy(() -> intake().accept(sender, draft(full)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("recipients"));
    assertThat(intake().accept(sender, draft(full.subList(1, full.size()))).partnerKeys())
        .isEmpty();
  }

  @Test
  void partners_resolveToTheirPublicKeyByPosition_unknownOnesAreRefused() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("p-1").generate();
    partnerJwks.put(new PartnerId("p"), key.toPublicJWK().toJSONString());
    RecipientDraft partner =
        new RecipientDraft(
            "recipients[1]", RecipientType.PARTNER, null, null, "p", null, null, null);
    Accepted accepted = intake().accept(sender, draft(List.of(consumer(0), partner)));
    assertThat(accepted.partnerKeys()).containsOnlyKeys(1);
    assertThat(accepted.partnerKeys().get(1).getKeyID()).isEqualTo("p-1");

    RecipientDraft unknown =
        new RecipientDraft(
            "recipients[0]", RecipientType.PARTNER, null, null, "nobody", null, null, null);
    assertThatThrownBy(() -> intake().accept(sender, draft(List.of(unknown))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("recipients[0].partnerId"));
  }

  @Test
  void sharedSecrets_areHashedAtIntake_byPosition_withinTheBudget() {
    RecipientDraft secret =
        new RecipientDraft(
            "recipients[1]",
            RecipientType.CONSUMER,
            "b@example.com",
            null,
            null,
            VerificationMethod.SHARED_SECRET,
            "blue-harbour-42",
            null);
    Accepted accepted = intake().accept(sender, draft(List.of(consumer(0), secret)));
    assertThat(accepted.secretHashes()).containsExactly(Map.entry(1, "hash:blue-harbour-42"));
  }

  private EnvelopeIntake intake() {
    Tenant tenant = new Tenant(tenantId, "acme", settings, false, Instant.EPOCH);
    return new EnvelopeIntake(
        new DirectTransactions(),
        new OneTenant(tenant),
        (t, partnerId) -> Optional.ofNullable(partnerJwks.get(partnerId)),
        ceiling,
        new SecretHashBudget(SecretHashLimits.defaults(), Clock.systemUTC(), s -> "hash:" + s));
  }

  private static RecipientDraft consumer(int i) {
    return new RecipientDraft(
        "recipients[" + i + "]",
        RecipientType.CONSUMER,
        "r" + i + "@example.com",
        null,
        null,
        VerificationMethod.EMAIL_OTP,
        null,
        null);
  }

  private static Draft draft(List<RecipientDraft> recipients) {
    return new Draft("Invoice", "", recipients, Optional.empty(), Optional.empty(), true);
  }

  private static Draft draft(List<RecipientDraft> recipients, Duration expiresIn) {
    return new Draft("Invoice", "", recipients, Optional.of(expiresIn), Optional.empty(), true);
  }

  private static final class DirectTransactions implements Transactions {
    @Override
    public <T> T inTransaction(Supplier<T> work) {
      return work.get();
    }
  }

  private record OneTenant(Tenant tenant) implements TenantRepository {
    @Override
    public void insert(Tenant t) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
      return Optional.of(tenant).filter(t -> t.id().equals(id));
    }

    @Override
    public Optional<Tenant> findByName(String name) {
      return Optional.empty();
    }

    @Override
    public Optional<Tenant> findBootstrap() {
      return Optional.empty();
    }

    @Override
    public void updateSettings(TenantId id, TenantSettings s) {
      throw new UnsupportedOperationException();
    }
  }
}
