package dev.sealpost.api.infrastructure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReissueConfigTest {
  @Test
  void maxReissues_defaultsToThree_andIsChecked() {
    assertThat(ReissueConfig.from(Settings.of(Map.of())).maxReissues()).isEqualTo(3);
    assertThat(
            ReissueConfig.from(Settings.of(Map.of("sealpost.open.max-reissues", "0")))
                .maxReissues())
        .isZero();
    for (String bad : new String[] {"three", "-1", "101", "2.5"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> ReissueConfig.from(Settings.of(Map.of("sealpost.open.max-reissues", bad))));
      assertThat(e.key()).as(bad).isEqualTo("sealpost.open.max-reissues");
      assertThat(e.getMessage())
          .as(bad)
          .contains("sealpost.open.max-reissues")
          .doesNotContain("\n");
    }
  }
}
