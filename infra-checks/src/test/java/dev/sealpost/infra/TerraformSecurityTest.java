package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS deployment in infra/terraform has the security properties issue 7 asks for. Terraform can
 * not download providers in the build, so the configuration is parsed with HashiCorp's HCL parser
 * and checked as data; {@link InsecureConfigurationTest} shows that every check fails on a
 * configuration that breaks it.
 */
class TerraformSecurityTest {

  static TerraformConfig tf;

  @BeforeAll
  static void parse() {
    tf =
        TerraformConfig.load(
            Path.of(System.getProperty("infra.terraformDir", "../infra/terraform")));
  }

  @Test
  void everyTerraformFile_parses() {
    assertThat(tf.fileNames())
        .contains(
            "versions.tf",
            "variables.tf",
            "outputs.tf",
            "network.tf",
            "alb.tf",
            "waf.tf",
            "ecs.tf",
            "rds.tf",
            "s3.tf",
            "kms.tf",
            "iam.tf",
            "ses.tf",
            "monitoring.tf",
            "cloudtrail.tf");
  }

  @Test
  void s3Buckets_blockAllPublicAccess() {
    assertThat(SecurityRules.s3BucketsBlockAllPublicAccess(tf)).isEmpty();
    assertThat(tf.resources("aws_s3_bucket")).containsKeys("blobs", "trail");
  }

  @Test
  void s3Buckets_encryptWithKmsByDefault() {
    assertThat(SecurityRules.s3BucketsEncryptWithKms(tf)).isEmpty();
  }

  @Test
  void s3Buckets_areVersionedAndExpireOldVersions() {
    assertThat(SecurityRules.s3BucketsVersionedAndExpire(tf)).isEmpty();
  }

  @Test
  void envelopeBucket_dropsNoncurrentVersionsAfterOneDay_soCryptoShreddingIsReal() {
    assertThat(SecurityRules.envelopeBucketForgetsFast(tf)).isEmpty();
  }

  @Test
  void s3Buckets_refuseRequestsWithoutTls() {
    assertThat(SecurityRules.s3BucketsRefuseRequestsWithoutTls(tf)).isEmpty();
  }

  @Test
  void rdsInstance_isEncryptedMultiAzAndNotPublic() {
    assertThat(SecurityRules.rdsEncryptedMultiAzNotPublic(tf)).isEmpty();
  }

  @Test
  void rdsInstance_keepsAWeekOfBackupsAndResistsDeletion() {
    assertThat(SecurityRules.rdsBackupsAndProtection(tf)).isEmpty();
  }

  @Test
  void rdsInstance_acceptsConnectionsOnlyFromTheService() {
    assertThat(SecurityRules.rdsReachableOnlyFromService(tf)).isEmpty();
  }

  @Test
  void databaseConnections_requireTls() {
    assertThat(SecurityRules.databaseConnectionsRequireTls(tf)).isEmpty();
  }

  @Test
  void kmsSymmetricKeys_rotateAutomatically() {
    assertThat(SecurityRules.kmsSymmetricKeysRotate(tf)).isEmpty();
  }

  @Test
  void tenantSigningKeys_areCreatedOnlyAsTaggedP256Keys_andNoKeyIsSharedByAllTenants() {
    assertThat(SecurityRules.tenantSigningKeysPerTenant(tf)).isEmpty();
  }

  @Test
  void securityGroups_openOnlyTheLoadBalancerOn80And443ToTheInternet() {
    assertThat(SecurityRules.onlyAlbOpenToInternet(tf)).isEmpty();
  }

  @Test
  void albHttpsListener_allowsOnlyTls12AndAbove() {
    assertThat(SecurityRules.albHttpsUsesModernTls(tf)).isEmpty();
  }

  @Test
  void albHttpListener_onlyRedirectsToHttps() {
    assertThat(SecurityRules.albHttpOnlyRedirects(tf)).isEmpty();
  }

  @Test
  void waf_rateLimitsRequestsToTheLoadBalancer() {
    assertThat(SecurityRules.wafRateLimitsTheAlb(tf)).isEmpty();
  }

  @Test
  void iamPolicies_grantNoWildcardActions() {
    assertThat(SecurityRules.iamPoliciesGrantNoWildcards(tf)).isEmpty();
  }

  @Test
  void taskRole_usesKmsOnlyOnItsKeysOrSealpostTaggedKeys_withEncryptionContextAndEs256() {
    assertThat(SecurityRules.taskRoleKmsBoundToContext(tf)).isEmpty();
  }

  @Test
  void taskRole_touchesOnlyObjectsOfTheEnvelopeBucket() {
    assertThat(SecurityRules.taskRoleS3ObjectsOfEnvelopeBucket(tf)).isEmpty();
  }

  @Test
  void keyAndBucketPolicies_grantNothingToAnyone() {
    assertThat(SecurityRules.resourcePoliciesNotPublic(tf)).isEmpty();
  }

  @Test
  void cloudTrail_recordsKmsAndManagementEventsInEveryRegion() {
    assertThat(SecurityRules.cloudTrailRecordsManagementEvents(tf)).isEmpty();
  }

  @Test
  void logGroups_areEncryptedAndExpire() {
    assertThat(SecurityRules.logGroupsEncryptedWithRetention(tf)).isEmpty();
  }

  @Test
  void alarms_watch5xxUnhealthyHostsAndDatabaseCpuAndStorage() {
    assertThat(SecurityRules.alarmsWatchErrorsHealthAndDatabase(tf)).isEmpty();
  }

  @Test
  void ecsService_runsPrivatelyBehindTheAlbAndScalesOnCpuAndRequests() {
    assertThat(SecurityRules.ecsServicePrivateBehindAlbAutoscaled(tf)).isEmpty();
  }

  @Test
  void ecsTask_isConfiguredBySealpostVariablesWithSecretsFromSecretsManager() {
    assertThat(SecurityRules.ecsTaskSecretsAndLogs(tf)).isEmpty();
  }

  @Test
  void sesIdentity_signsWithDkim() {
    assertThat(SecurityRules.sesIdentitySignsWithDkim(tf)).isEmpty();
  }

  @Test
  void awsProvider_isPinnedToOneRelease() {
    assertThat(SecurityRules.awsProviderPinnedExactly(tf)).isEmpty();
  }

  @Test
  void variablesAndOutputs_areDocumented() {
    assertThat(SecurityRules.variablesAndOutputsDocumented(tf)).isEmpty();
  }

  @Test
  void everyRule_isCheckedByATestHere() {
    // A rule added to SecurityRules.ALL without a test above would still be proven to fail by
    // InsecureConfigurationTest, but never asserted on the real configuration: keep them paired.
    List<String> violations =
        SecurityRules.ALL.stream()
            .flatMap(r -> r.check().apply(tf).stream().map(v -> r.name() + ": " + v))
            .toList();
    assertThat(violations).isEmpty();
  }
}
