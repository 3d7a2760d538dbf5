package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-tenant signing key grants (issue 13) are checked, not just present: a task role that
 * creates untagged keys, signs with any key, aliases outside alias/sealpost/tenant/ or deletes keys
 * quickly is flagged, and the real configuration's statements are exactly the tagged ones.
 */
class TenantSigningKeyGrantsTest {
  private static final String KEYS = "arn:aws:kms:eu-west-1:111122223333:key/*";

  private static TerraformConfig taskRole(Path dir, String statements) throws IOException {
    Files.writeString(
        dir.resolve("main.tf"),
        """
        resource "aws_kms_key" "envelope" {
          key_usage = "ENCRYPT_DECRYPT"
        }
        resource "aws_iam_role" "task" {
          name = "task"
        }
        resource "aws_iam_role_policy" "task" {
          role   = aws_iam_role.task.id
          policy = data.aws_iam_policy_document.task.json
        }
        resource "aws_ecs_task_definition" "app" {
          task_role_arn = aws_iam_role.task.arn
        }
        data "aws_iam_policy_document" "task" {
        %s
        }
        """
            .formatted(statements));
    return TerraformConfig.load(dir);
  }

  @Test
  void untaggedKeyCreation_andUseOfAnyKey_areFlagged(@TempDir Path dir) throws IOException {
    TerraformConfig tf =
        taskRole(
            dir,
            """
              statement {
                sid       = "Create"
                actions   = ["kms:CreateKey"]
                resources = ["*"]
              }
              statement {
                sid       = "SignAny"
                actions   = ["kms:Sign", "kms:Decrypt"]
                resources = ["%s"]
                condition {
                  test     = "StringEquals"
                  variable = "kms:SigningAlgorithm"
                  values   = ["ECDSA_SHA_256"]
                }
              }
              statement {
                sid       = "AliasAnywhere"
                actions   = ["kms:CreateAlias", "kms:ScheduleKeyDeletion"]
                resources = ["arn:aws:kms:eu-west-1:111122223333:alias/*"]
              }
            """
                .formatted(KEYS));
    assertThat(SecurityRules.tenantSigningKeysPerTenant(tf))
        .contains(
            "task role statement Create: kms:CreateKey not limited to ECC_NIST_P256 SIGN_VERIFY"
                + " keys",
            "task role statement Create: kms:CreateKey without the sealpost:purpose and"
                + " sealpost:tenant tags");
    List<String> kms = SecurityRules.taskRoleKmsBoundToContext(tf);
    assertThat(kms)
        .anySatisfy(v -> assertThat(v).contains("SignAny").contains("on any key"))
        .anySatisfy(
            v -> assertThat(v).contains("SignAny").contains("without aws:ResourceTag/sealpost"))
        .anySatisfy(v -> assertThat(v).contains("AliasAnywhere").contains("is not a key of this"))
        .anySatisfy(v -> assertThat(v).contains("AliasAnywhere").contains("30-day pending window"));
    assertThat(SecurityRules.iamPoliciesGrantNoWildcards(tf))
        .anySatisfy(v -> assertThat(v).contains("resource '*' for [kms:CreateKey]"));
  }

  @Test
  void theRealTaskRole_createsTaggedP256Keys_andUsesOnlyKeysTaggedForSealpostSigning() {
    TerraformConfig tf =
        TerraformConfig.load(
            Path.of(System.getProperty("infra.terraformDir", "../infra/terraform")));
    assertThat(SecurityRules.tenantSigningKeysPerTenant(tf)).isEmpty();
    assertThat(SecurityRules.taskRoleKmsBoundToContext(tf)).isEmpty();
    assertThat(SecurityRules.iamPoliciesGrantNoWildcards(tf)).isEmpty();
  }
}
