package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every rule can fail: a deliberately insecure configuration
 * (src/test/resources/insecure-terraform, one breach of each property) is flagged by each of them.
 * A rule that passed here would be a rule that checks nothing.
 */
class InsecureConfigurationTest {

  static TerraformConfig insecure;

  @BeforeAll
  static void parse() throws Exception {
    insecure =
        TerraformConfig.load(
            Path.of(InsecureConfigurationTest.class.getResource("/insecure-terraform").toURI()));
  }

  static final java.util.List<SecurityRules.Rule> RULES = SecurityRules.ALL;

  @ParameterizedTest(name = "{0}")
  @FieldSource("RULES")
  void eachRule_flagsTheInsecureConfiguration(SecurityRules.Rule rule) {
    assertThat(rule.check().apply(insecure)).as(rule.name()).isNotEmpty();
  }

  @Test
  void insecureConfiguration_namesTheOffendingResources() {
    assertThat(SecurityRules.rdsEncryptedMultiAzNotPublic(insecure))
        .contains(
            "aws_db_instance.main: storage_encrypted is not true",
            "aws_db_instance.main: multi_az is not true",
            "aws_db_instance.main: publicly_accessible is not explicitly false");
    assertThat(SecurityRules.onlyAlbOpenToInternet(insecure))
        .anySatisfy(v -> assertThat(v).contains("ssh").contains("22-22"));
    assertThat(SecurityRules.iamPoliciesGrantNoWildcards(insecure))
        .anySatisfy(v -> assertThat(v).contains("wildcard action 's3:*'"));
  }

  @Test
  void unparsableTerraform_failsWithTheParsersMessage(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("broken.tf"), "resource \"aws_s3_bucket\" \"b\" {\n");
    assertThatThrownBy(() -> TerraformConfig.load(dir))
        .hasMessageContaining("does not parse")
        .hasMessageContaining("broken.tf");
  }
}
