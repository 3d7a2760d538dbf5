package dev.sealpost.api.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.ReissuePolicy.Refusal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReissuePolicyTest {
  private static final TenantId TENANT = TenantId.random();
  private static final String SEALER = "sealer-key";

  private static Caller key(String id, Role role) {
    return new Caller(new ApiKeyId(id), TENANT, role, Optional.empty(), false);
  }

  @Test
  void onlyTheSealingSenderKeyAndAdminKeys_mayReissue() {
    assertThat(ReissuePolicy.mayReissue(key(SEALER, Role.SENDER), SEALER)).isTrue();
    assertThat(ReissuePolicy.mayReissue(key("any-admin", Role.ADMIN), SEALER)).isTrue();
    assertThat(ReissuePolicy.mayReissue(key("other-sender", Role.SENDER), SEALER)).isFalse();
    assertThat(ReissuePolicy.mayReissue(key(SEALER, Role.AUDITOR), SEALER)).isFalse();
    assertThat(ReissuePolicy.mayReissue(key("p", Role.PARTNER), SEALER)).isFalse();
    // an envelope whose creator is not recorded: only an ADMIN
    assertThat(ReissuePolicy.mayReissue(key(SEALER, Role.SENDER), null)).isFalse();
    assertThat(ReissuePolicy.mayReissue(key("any-admin", Role.ADMIN), null)).isTrue();
  }

  @Test
  void aForeignKey_isRefusedBeforeAnythingAboutTheRecipientIsTold() {
    assertThat(ReissuePolicy.refusal(key("other", Role.SENDER), SEALER, true, 99, 3))
        .contains(Refusal.NOT_SEALER_OR_ADMIN);
  }

  @Test
  void liftingALock_needsAnAdmin() {
    assertThat(ReissuePolicy.refusal(key(SEALER, Role.SENDER), SEALER, true, 0, 3))
        .contains(Refusal.LOCK_NEEDS_ADMIN);
    assertThat(ReissuePolicy.refusal(key("admin", Role.ADMIN), SEALER, true, 0, 3)).isEmpty();
    assertThat(ReissuePolicy.refusal(key(SEALER, Role.SENDER), SEALER, false, 0, 3)).isEmpty();
  }

  @Test
  void theLimit_holdsForEveryone() {
    assertThat(ReissuePolicy.refusal(key(SEALER, Role.SENDER), SEALER, false, 2, 3)).isEmpty();
    assertThat(ReissuePolicy.refusal(key(SEALER, Role.SENDER), SEALER, false, 3, 3))
        .contains(Refusal.LIMIT_REACHED);
    assertThat(ReissuePolicy.refusal(key("admin", Role.ADMIN), SEALER, true, 3, 3))
        .contains(Refusal.LIMIT_REACHED);
    assertThat(ReissuePolicy.refusal(key("admin", Role.ADMIN), SEALER, false, 0, 0))
        .contains(Refusal.LIMIT_REACHED);
  }
}
