package dev.sealpost.infra;

import static dev.sealpost.infra.TerraformConfig.block;
import static dev.sealpost.infra.TerraformConfig.blocks;
import static dev.sealpost.infra.TerraformConfig.ref;
import static dev.sealpost.infra.TerraformConfig.referencedName;
import static dev.sealpost.infra.TerraformConfig.referencedNames;
import static dev.sealpost.infra.TerraformConfig.strings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security properties of the AWS deployment, each a function from the parsed configuration to
 * its violations (empty: the property holds). Each names the resource that breaks it, so a failing
 * build says what to fix.
 */
final class SecurityRules {

  /** ALB policies that allow only TLS 1.2 and 1.3 with forward-secret AEAD ciphers. */
  static final Set<String> ALLOWED_TLS_POLICIES =
      Set.of(
          "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
          "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
          "ELBSecurityPolicy-TLS13-1-3-2021-06",
          "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04");

  /** KMS actions the server may call; anything else (Encrypt, CreateGrant, ...) is not its job. */
  static final Set<String> TASK_KMS_ACTIONS =
      Set.of(
          "kms:GenerateDataKey",
          "kms:Decrypt",
          "kms:DescribeKey",
          "kms:Sign",
          "kms:GetPublicKey",
          "kms:CreateKey",
          "kms:TagResource",
          "kms:CreateAlias",
          "kms:UpdateAlias",
          "kms:ScheduleKeyDeletion");

  /** What the server may do with keys it created itself (matched by tag, not by resource). */
  static final Set<String> TAGGED_KEY_ACTIONS =
      Set.of(
          "kms:Sign",
          "kms:GetPublicKey",
          "kms:CreateAlias",
          "kms:UpdateAlias",
          "kms:ScheduleKeyDeletion");

  static final String TENANT_ALIASES = ":alias/sealpost/tenant/*";

  static final Set<String> TASK_S3_ACTIONS =
      Set.of(
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts");

  /** Actions AWS does not scope to a resource, so {@code "*"} is their only possible resource. */
  static final Set<String> UNSCOPABLE_ACTIONS = Set.of("ecr:GetAuthorizationToken");

  private static final Set<String> OPEN_CIDRS = Set.of("0.0.0.0/0", "::/0");
  private static final Pattern ENV_KEY = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=");
  private static final Pattern S3_BUCKET_ENV =
      Pattern.compile("SEALPOST_S3_BUCKET\\s*=\\s*aws_s3_bucket\\.([A-Za-z0-9_-]+)\\.");

  record Rule(String name, Function<TerraformConfig, List<String>> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Rule> ALL =
      List.of(
          new Rule("s3 public access blocked", SecurityRules::s3BucketsBlockAllPublicAccess),
          new Rule("s3 SSE-KMS", SecurityRules::s3BucketsEncryptWithKms),
          new Rule("s3 versioning + noncurrent expiry", SecurityRules::s3BucketsVersionedAndExpire),
          new Rule("envelope bucket 1-day noncurrent", SecurityRules::envelopeBucketForgetsFast),
          new Rule("s3 TLS only", SecurityRules::s3BucketsRefuseRequestsWithoutTls),
          new Rule("rds encrypted multi-az private", SecurityRules::rdsEncryptedMultiAzNotPublic),
          new Rule("rds backups + deletion protection", SecurityRules::rdsBackupsAndProtection),
          new Rule("rds only from service", SecurityRules::rdsReachableOnlyFromService),
          new Rule("rds TLS connections", SecurityRules::databaseConnectionsRequireTls),
          new Rule("kms rotation", SecurityRules::kmsSymmetricKeysRotate),
          new Rule("kms tenant signing keys", SecurityRules::tenantSigningKeysPerTenant),
          new Rule("security groups", SecurityRules::onlyAlbOpenToInternet),
          new Rule("alb tls policy", SecurityRules::albHttpsUsesModernTls),
          new Rule("alb http redirect", SecurityRules::albHttpOnlyRedirects),
          new Rule("waf rate limit", SecurityRules::wafRateLimitsTheAlb),
          new Rule("iam no wildcard actions", SecurityRules::iamPoliciesGrantNoWildcards),
          new Rule("task kms conditions", SecurityRules::taskRoleKmsBoundToContext),
          new Rule("task s3 objects only", SecurityRules::taskRoleS3ObjectsOfEnvelopeBucket),
          new Rule("resource policies not public", SecurityRules::resourcePoliciesNotPublic),
          new Rule("cloudtrail", SecurityRules::cloudTrailRecordsManagementEvents),
          new Rule("log groups", SecurityRules::logGroupsEncryptedWithRetention),
          new Rule("alarms", SecurityRules::alarmsWatchErrorsHealthAndDatabase),
          new Rule("ecs service", SecurityRules::ecsServicePrivateBehindAlbAutoscaled),
          new Rule("ecs secrets + logs", SecurityRules::ecsTaskSecretsAndLogs),
          new Rule("ses dkim", SecurityRules::sesIdentitySignsWithDkim),
          new Rule("provider pinned", SecurityRules::awsProviderPinnedExactly),
          new Rule("documented inputs/outputs", SecurityRules::variablesAndOutputsDocumented));

  private SecurityRules() {}

  // --- S3
  // ------------------------------------------------------------------------------------------

  static List<String> s3BucketsBlockAllPublicAccess(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    for (String bucket : tf.resources("aws_s3_bucket").keySet()) {
      Optional<JsonNode> pab = forBucket(tf, "aws_s3_bucket_public_access_block", bucket);
      if (pab.isEmpty()) {
        v.add("aws_s3_bucket." + bucket + " has no aws_s3_bucket_public_access_block");
        continue;
      }
      for (String flag :
          List.of(
              "block_public_acls",
              "block_public_policy",
              "ignore_public_acls",
              "restrict_public_buckets")) {
        if (!isTrue(pab.get().path(flag))) {
          v.add("aws_s3_bucket." + bucket + ": public access block " + flag + " is not true");
        }
      }
    }
    return v;
  }

  static List<String> s3BucketsEncryptWithKms(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    for (String bucket : tf.resources("aws_s3_bucket").keySet()) {
      Optional<JsonNode> sse =
          forBucket(tf, "aws_s3_bucket_server_side_encryption_configuration", bucket);
      if (sse.isEmpty()) {
        v.add("aws_s3_bucket." + bucket + " has no default encryption configuration");
        continue;
      }
      boolean kms = false;
      for (JsonNode rule : blocks(sse.get(), "rule")) {
        JsonNode byDefault = block(rule, "apply_server_side_encryption_by_default");
        String algorithm = byDefault.path("sse_algorithm").asText();
        String key = byDefault.path("kms_master_key_id").asText();
        kms |=
            (algorithm.equals("aws:kms") || algorithm.equals("aws:kms:dsse"))
                && key.contains("aws_kms_key.");
      }
      if (!kms) {
        v.add("aws_s3_bucket." + bucket + " is not encrypted by default with SSE-KMS (own key)");
      }
    }
    return v;
  }

  static List<String> s3BucketsVersionedAndExpire(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    for (String bucket : tf.resources("aws_s3_bucket").keySet()) {
      Optional<JsonNode> versioning = forBucket(tf, "aws_s3_bucket_versioning", bucket);
      if (versioning.isEmpty()
          || !block(versioning.get(), "versioning_configuration")
              .path("status")
              .asText()
              .equals("Enabled")) {
        v.add("aws_s3_bucket." + bucket + " is not versioned");
      }
      if (noncurrentDays(tf, bucket).isEmpty()) {
        v.add("aws_s3_bucket." + bucket + " has no enabled lifecycle rule expiring old versions");
      }
    }
    return v;
  }

  /**
   * Crypto-shredding is real only if no old version of a deleted object lingers: the bucket the
   * server writes (SEALPOST_S3_BUCKET) expires noncurrent versions after 1 day, S3's minimum.
   */
  static List<String> envelopeBucketForgetsFast(TerraformConfig tf) {
    Optional<String> bucket = envelopeBucket(tf);
    if (bucket.isEmpty()) {
      return List.of("SEALPOST_S3_BUCKET does not name an aws_s3_bucket of this configuration");
    }
    Optional<Integer> days = noncurrentDays(tf, bucket.get());
    if (days.isEmpty() || days.get() > 1) {
      return List.of(
          "envelope bucket aws_s3_bucket."
              + bucket.get()
              + " keeps noncurrent versions "
              + days.map(d -> d + " days").orElse("forever")
              + " (must expire after 1 day)");
    }
    return List.of();
  }

  static List<String> s3BucketsRefuseRequestsWithoutTls(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    for (String bucket : tf.resources("aws_s3_bucket").keySet()) {
      Optional<JsonNode> policy = forBucket(tf, "aws_s3_bucket_policy", bucket);
      boolean denies =
          policy.isPresent()
              && statements(tf, policy.get().path("policy").asText()).stream()
                  .anyMatch(SecurityRules::deniesInsecureTransport);
      if (!denies) {
        v.add("aws_s3_bucket." + bucket + " has no policy denying requests without TLS");
      }
    }
    return v;
  }

  private static boolean deniesInsecureTransport(JsonNode s) {
    boolean deny = s.path("effect").asText().equals("Deny");
    boolean everyone =
        blocks(s, "principals").stream()
            .anyMatch(p -> strings(p.path("identifiers")).contains("*"));
    boolean allActions = strings(s.path("actions")).contains("s3:*");
    boolean condition =
        blocks(s, "condition").stream()
            .anyMatch(
                c ->
                    c.path("test").asText().equals("Bool")
                        && c.path("variable").asText().equals("aws:SecureTransport")
                        && strings(c.path("values")).equals(List.of("false")));
    return deny && everyone && allActions && condition;
  }

  // --- RDS
  // -----------------------------------------------------------------------------------------

  static List<String> rdsEncryptedMultiAzNotPublic(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> dbs = tf.resources("aws_db_instance");
    if (dbs.isEmpty()) {
      v.add("no aws_db_instance");
    }
    dbs.forEach(
        (name, db) -> {
          String id = "aws_db_instance." + name;
          if (!isTrue(db.path("storage_encrypted"))) {
            v.add(id + ": storage_encrypted is not true");
          }
          if (!db.path("kms_key_id").asText().contains("aws_kms_key.")) {
            v.add(id + ": storage is not encrypted with this configuration's KMS key");
          }
          if (!isTrue(db.path("multi_az"))) {
            v.add(id + ": multi_az is not true");
          }
          if (!isFalse(db.path("publicly_accessible"))) {
            v.add(id + ": publicly_accessible is not explicitly false");
          }
        });
    return v;
  }

  static List<String> rdsBackupsAndProtection(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    tf.resources("aws_db_instance")
        .forEach(
            (name, db) -> {
              String id = "aws_db_instance." + name;
              int days = tf.resolved(db, "backup_retention_period").map(JsonNode::asInt).orElse(0);
              if (days < 7) {
                v.add(id + ": backup_retention_period is " + days + " (at least 7 days)");
              }
              if (!isTrue(db.path("deletion_protection"))) {
                v.add(id + ": deletion_protection is not true");
              }
              if (!isFalse(db.path("skip_final_snapshot"))) {
                v.add(id + ": skip_final_snapshot is not explicitly false");
              }
            });
    return v;
  }

  static List<String> rdsReachableOnlyFromService(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Set<String> serviceGroups = new LinkedHashSet<>();
    tf.resources("aws_ecs_service")
        .values()
        .forEach(
            s ->
                blocks(s, "network_configuration")
                    .forEach(
                        n ->
                            serviceGroups.addAll(
                                referencedNames(
                                    n.path("security_groups").toString(), "aws_security_group"))));
    tf.resources("aws_db_instance")
        .forEach(
            (name, db) -> {
              List<String> groups =
                  referencedNames(
                      db.path("vpc_security_group_ids").toString(), "aws_security_group");
              if (groups.isEmpty()) {
                v.add("aws_db_instance." + name + " has no own security group");
              }
              for (Ingress in : ingressRules(tf)) {
                if (!groups.contains(in.group())) {
                  continue;
                }
                if (!in.cidrs().isEmpty()
                    || in.sourceGroup().isEmpty()
                    || !serviceGroups.contains(in.sourceGroup().get())) {
                  v.add(
                      "aws_db_instance."
                          + name
                          + ": "
                          + in.id()
                          + " admits more than the service's security group");
                }
              }
            });
    return v;
  }

  static List<String> databaseConnectionsRequireTls(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    tf.resources("aws_db_instance")
        .forEach(
            (name, db) -> {
              String group =
                  referencedName(db.path("parameter_group_name").asText(), "aws_db_parameter_group")
                      .orElse("");
              JsonNode pg = tf.resources("aws_db_parameter_group").get(group);
              boolean forced =
                  pg != null
                      && blocks(pg, "parameter").stream()
                          .anyMatch(
                              p ->
                                  p.path("name").asText().equals("rds.force_ssl")
                                      && p.path("value").asText().equals("1"));
              if (!forced) {
                v.add("aws_db_instance." + name + ": parameter group does not set rds.force_ssl=1");
              }
            });
    String env = containerEnvironment(tf);
    if (!env.matches(
        "(?s).*SEALPOST_DB_URL\\s*=\\s*\"jdbc:postgresql://[^\"]*sslmode=(require|verify-ca|verify-full)[^\"]*\".*")) {
      v.add("SEALPOST_DB_URL does not require TLS (sslmode=require or verify-full)");
    }
    return v;
  }

  // --- KMS
  // -----------------------------------------------------------------------------------------

  static List<String> kmsSymmetricKeysRotate(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    tf.resources("aws_kms_key")
        .forEach(
            (name, key) -> {
              String spec = key.path("customer_master_key_spec").asText("SYMMETRIC_DEFAULT");
              if (spec.equals("SYMMETRIC_DEFAULT") && !isTrue(key.path("enable_key_rotation"))) {
                v.add("aws_kms_key." + name + ": symmetric key without enable_key_rotation = true");
              }
            });
    return v;
  }

  /**
   * Per-tenant signing keys: the task role can create ECC_NIST_P256 SIGN_VERIFY keys only with the
   * tags {@code sealpost:purpose=signing} and {@code sealpost:tenant}, and the server is not
   * configured with one shared signing key for every tenant.
   */
  static List<String> tenantSigningKeysPerTenant(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    List<JsonNode> creates =
        taskRoleStatements(tf, v).stream()
            .filter(s -> !isDeny(s) && strings(s.path("actions")).contains("kms:CreateKey"))
            .toList();
    if (creates.isEmpty()) {
      v.add("the task role can not create per-tenant signing keys (kms:CreateKey)");
    }
    for (JsonNode s : creates) {
      String sid = "task role statement " + s.path("sid").asText("(no sid)");
      if (!hasCondition(s, "StringEquals", "kms:KeySpec", "ECC_NIST_P256")
          || !hasCondition(s, "StringEquals", "kms:KeyUsage", "SIGN_VERIFY")) {
        v.add(sid + ": kms:CreateKey not limited to ECC_NIST_P256 SIGN_VERIFY keys");
      }
      if (!hasCondition(s, "StringEquals", "aws:RequestTag/sealpost:purpose", "signing")
          || !hasCondition(s, "Null", "aws:RequestTag/sealpost:tenant", "false")) {
        v.add(sid + ": kms:CreateKey without the sealpost:purpose and sealpost:tenant tags");
      }
    }
    if (containerEnvironment(tf).contains("SEALPOST_KMS_SIGNING_KEY_ID")) {
      v.add("SEALPOST_KMS_SIGNING_KEY_ID set: one signing key would be shared by every tenant");
    }
    return v;
  }

  private static boolean isDeny(JsonNode statement) {
    return statement.path("effect").asText("Allow").equals("Deny");
  }

  private static boolean hasCondition(JsonNode s, String test, String variable, String value) {
    return blocks(s, "condition").stream()
        .anyMatch(
            c ->
                c.path("test").asText().equals(test)
                    && c.path("variable").asText().equals(variable)
                    && strings(c.path("values")).equals(List.of(value)));
  }

  /**
   * KMS resources of a task role statement that are neither this configuration's keys nor scoped.
   */
  private static void checkKmsResources(JsonNode s, List<String> kms, String sid, List<String> v) {
    for (String r : strings(s.path("resources"))) {
      if (r.contains("aws_kms_key.")) {
        continue;
      }
      if (r.equals("*")) {
        if (!Set.of("kms:CreateKey", "kms:TagResource").containsAll(kms)) {
          v.add(sid + ": KMS resource '*' for " + kms);
        }
      } else if (r.endsWith(TENANT_ALIASES)) {
        if (!Set.of("kms:CreateAlias", "kms:UpdateAlias").containsAll(kms)) {
          v.add(sid + ": " + kms + " on the tenant aliases");
        }
      } else if (r.endsWith(":key/*")) {
        if (!TAGGED_KEY_ACTIONS.containsAll(kms)) {
          v.add(sid + ": " + kms + " on any key");
        }
        if (!hasCondition(s, "StringEquals", "aws:ResourceTag/sealpost:purpose", "signing")) {
          v.add(sid + ": " + kms + " on any key without aws:ResourceTag/sealpost:purpose");
        }
      } else {
        v.add(sid + ": KMS resource '" + r + "' is not a key of this configuration");
      }
    }
    if (kms.contains("kms:ScheduleKeyDeletion")
        && !hasCondition(
            s, "NumericGreaterThanEquals", "kms:ScheduleKeyDeletionPendingWindowInDays", "30")) {
      v.add(sid + ": kms:ScheduleKeyDeletion without the 30-day pending window");
    }
  }

  // --- Network
  // -------------------------------------------------------------------------------------

  record Ingress(
      String id,
      String group,
      List<String> cidrs,
      Optional<String> sourceGroup,
      String protocol,
      int from,
      int to) {}

  /** Ingress rules in all three spellings: rule resources, legacy rule resources, inline blocks. */
  static List<Ingress> ingressRules(TerraformConfig tf) {
    List<Ingress> all = new ArrayList<>();
    tf.resources("aws_vpc_security_group_ingress_rule")
        .forEach(
            (name, r) -> {
              List<String> cidrs = new ArrayList<>();
              cidrs.addAll(strings(r.path("cidr_ipv4")));
              cidrs.addAll(strings(r.path("cidr_ipv6")));
              all.add(
                  new Ingress(
                      "aws_vpc_security_group_ingress_rule." + name,
                      referencedName(r.path("security_group_id").asText(), "aws_security_group")
                          .orElse("?"),
                      cidrs,
                      referencedName(
                          r.path("referenced_security_group_id").asText(), "aws_security_group"),
                      r.path("ip_protocol").asText(),
                      r.path("from_port").asInt(-1),
                      r.path("to_port").asInt(-1)));
            });
    tf.resources("aws_security_group_rule")
        .forEach(
            (name, r) -> {
              if (!r.path("type").asText().equals("ingress")) {
                return;
              }
              List<String> cidrs = new ArrayList<>();
              cidrs.addAll(strings(r.path("cidr_blocks")));
              cidrs.addAll(strings(r.path("ipv6_cidr_blocks")));
              all.add(
                  new Ingress(
                      "aws_security_group_rule." + name,
                      referencedName(r.path("security_group_id").asText(), "aws_security_group")
                          .orElse("?"),
                      cidrs,
                      referencedName(
                          r.path("source_security_group_id").asText(), "aws_security_group"),
                      r.path("protocol").asText(),
                      r.path("from_port").asInt(-1),
                      r.path("to_port").asInt(-1)));
            });
    tf.resources("aws_security_group")
        .forEach(
            (name, g) -> {
              for (JsonNode in : blocks(g, "ingress")) {
                List<String> cidrs = new ArrayList<>();
                cidrs.addAll(strings(in.path("cidr_blocks")));
                cidrs.addAll(strings(in.path("ipv6_cidr_blocks")));
                List<String> sources =
                    referencedNames(in.path("security_groups").toString(), "aws_security_group");
                all.add(
                    new Ingress(
                        "aws_security_group." + name + " (inline ingress)",
                        name,
                        cidrs,
                        sources.isEmpty() ? Optional.empty() : Optional.of(sources.get(0)),
                        in.path("protocol").asText(),
                        in.path("from_port").asInt(-1),
                        in.path("to_port").asInt(-1)));
              }
            });
    return all;
  }

  static List<String> onlyAlbOpenToInternet(TerraformConfig tf) {
    Set<String> albGroups = new LinkedHashSet<>();
    tf.resources("aws_lb")
        .values()
        .forEach(
            lb ->
                albGroups.addAll(
                    referencedNames(lb.path("security_groups").toString(), "aws_security_group")));
    List<String> v = new ArrayList<>();
    for (Ingress in : ingressRules(tf)) {
      boolean open = in.cidrs().stream().anyMatch(OPEN_CIDRS::contains);
      if (!open) {
        continue;
      }
      boolean webPort = in.from() == in.to() && (in.from() == 80 || in.from() == 443);
      if (!albGroups.contains(in.group()) || !webPort || !in.protocol().equals("tcp")) {
        v.add(
            in.id()
                + " opens "
                + in.protocol()
                + " "
                + in.from()
                + "-"
                + in.to()
                + " of security group "
                + in.group()
                + " to the internet");
      }
    }
    return v;
  }

  // --- Load balancer and WAF
  // -------------------------------------------------------------------------

  static List<String> albHttpsUsesModernTls(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    boolean anyHttps = false;
    for (Map.Entry<String, JsonNode> e : tf.resources("aws_lb_listener").entrySet()) {
      String protocol = e.getValue().path("protocol").asText();
      if (protocol.equals("HTTPS") || protocol.equals("TLS")) {
        anyHttps = true;
        String policy = e.getValue().path("ssl_policy").asText();
        if (!ALLOWED_TLS_POLICIES.contains(policy)) {
          v.add(
              "aws_lb_listener."
                  + e.getKey()
                  + ": ssl_policy '"
                  + policy
                  + "' is not a TLS 1.2+ policy");
        }
      }
    }
    if (!anyHttps) {
      v.add("no HTTPS listener");
    }
    return v;
  }

  static List<String> albHttpOnlyRedirects(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    tf.resources("aws_lb_listener")
        .forEach(
            (name, l) -> {
              String protocol = l.path("protocol").asText();
              if (protocol.equals("HTTPS") || protocol.equals("TLS")) {
                return;
              }
              JsonNode action = block(l, "default_action");
              JsonNode redirect = block(action, "redirect");
              boolean redirects =
                  action.path("type").asText().equals("redirect")
                      && redirect.path("protocol").asText().equals("HTTPS")
                      && redirect.path("status_code").asText().equals("HTTP_301");
              if (!redirects) {
                v.add(
                    "aws_lb_listener."
                        + name
                        + " ("
                        + protocol
                        + ") does not answer with a permanent redirect to HTTPS");
              }
            });
    return v;
  }

  static List<String> wafRateLimitsTheAlb(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> acls = tf.resources("aws_wafv2_web_acl");
    List<String> rateLimited = new ArrayList<>();
    acls.forEach(
        (name, acl) -> {
          boolean rate =
              blocks(acl, "rule").stream()
                  .anyMatch(
                      r ->
                          !block(block(r, "statement"), "rate_based_statement").isMissingNode()
                              && !block(block(r, "action"), "block").isMissingNode());
          if (rate && acl.path("scope").asText().equals("REGIONAL")) {
            rateLimited.add(name);
          }
        });
    if (rateLimited.isEmpty()) {
      v.add("no regional WAF web ACL with a blocking rate-based rule");
    }
    boolean attached =
        tf.resources("aws_wafv2_web_acl_association").values().stream()
            .anyMatch(
                a ->
                    a.path("resource_arn").asText().contains("aws_lb.")
                        && rateLimited.contains(
                            referencedName(a.path("web_acl_arn").asText(), "aws_wafv2_web_acl")
                                .orElse("")));
    if (!attached) {
      v.add("the rate-limiting WAF web ACL is not associated with the load balancer");
    }
    return v;
  }

  // --- IAM
  // -----------------------------------------------------------------------------------------

  private static final List<String> IDENTITY_POLICY_TYPES =
      List.of(
          "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_policy");

  static List<String> iamPoliciesGrantNoWildcards(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    for (String type : IDENTITY_POLICY_TYPES) {
      tf.resources(type)
          .forEach(
              (name, p) -> {
                String id = type + "." + name;
                String expr = p.path("policy").asText();
                if (referencedName(expr, "data.aws_iam_policy_document").isEmpty()) {
                  v.add(id + ": policy is not an aws_iam_policy_document (can not be checked)");
                  return;
                }
                for (JsonNode s : statements(tf, expr)) {
                  if (s.path("effect").asText("Allow").equals("Deny")) {
                    continue;
                  }
                  if (s.has("not_actions") || s.has("not_resources")) {
                    v.add(id + ": Allow with not_actions/not_resources");
                  }
                  List<String> actions = strings(s.path("actions"));
                  for (String a : actions) {
                    if (a.contains("*")) {
                      v.add(id + ": wildcard action '" + a + "'");
                    }
                  }
                  boolean keyCreation =
                      Set.of("kms:CreateKey", "kms:TagResource").containsAll(actions)
                          && hasCondition(s, "StringEquals", "kms:KeySpec", "ECC_NIST_P256");
                  if (strings(s.path("resources")).contains("*")
                      && !UNSCOPABLE_ACTIONS.containsAll(actions)
                      && !keyCreation) {
                    v.add(id + ": resource '*' for " + actions);
                  }
                }
              });
    }
    tf.resources("aws_iam_role_policy_attachment")
        .forEach(
            (name, a) -> {
              String arn = a.path("policy_arn").asText();
              if (arn.contains("AdministratorAccess")
                  || arn.contains("FullAccess")
                  || arn.contains("PowerUser")) {
                v.add("aws_iam_role_policy_attachment." + name + " attaches " + arn);
              }
            });
    return v;
  }

  static List<String> taskRoleKmsBoundToContext(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    List<JsonNode> statements = taskRoleStatements(tf, v);
    for (JsonNode s : statements) {
      List<String> actions = strings(s.path("actions"));
      List<String> kms = actions.stream().filter(a -> a.startsWith("kms:")).toList();
      if (kms.isEmpty() || isDeny(s)) {
        continue;
      }
      String sid = "task role statement " + s.path("sid").asText("(no sid)");
      for (String a : kms) {
        if (!TASK_KMS_ACTIONS.contains(a)) {
          v.add(sid + ": KMS action " + a + " is not one the server needs");
        }
      }
      checkKmsResources(s, kms, sid, v);
      List<JsonNode> conditions = blocks(s, "condition");
      boolean symmetric = kms.contains("kms:GenerateDataKey") || kms.contains("kms:Decrypt");
      if (symmetric) {
        boolean context =
            conditions.stream()
                .anyMatch(c -> c.path("variable").asText().startsWith("kms:EncryptionContext"));
        if (!context) {
          v.add(sid + ": " + kms + " without an encryption context condition");
        }
        boolean forAllKeys =
            conditions.stream()
                .anyMatch(
                    c ->
                        c.path("variable").asText().equals("kms:EncryptionContextKeys")
                            && c.path("test").asText().startsWith("ForAllValues:"));
        boolean notNull =
            conditions.stream()
                .anyMatch(
                    c ->
                        c.path("test").asText().equals("Null")
                            && c.path("variable").asText().equals("kms:EncryptionContextKeys")
                            && strings(c.path("values")).equals(List.of("false")));
        if (forAllKeys && !notNull) {
          v.add(sid + ": ForAllValues on kms:EncryptionContextKeys also passes an empty context");
        }
      }
      if (kms.contains("kms:Sign")) {
        boolean algorithm =
            conditions.stream()
                .anyMatch(
                    c ->
                        c.path("variable").asText().equals("kms:SigningAlgorithm")
                            && strings(c.path("values")).equals(List.of("ECDSA_SHA_256")));
        if (!algorithm) {
          v.add(sid + ": kms:Sign not limited to kms:SigningAlgorithm ECDSA_SHA_256");
        }
      }
    }
    if (statements.stream()
        .noneMatch(s -> strings(s.path("actions")).contains("kms:GenerateDataKey"))) {
      v.add("task role can not generate envelope data keys");
    }
    return v;
  }

  static List<String> taskRoleS3ObjectsOfEnvelopeBucket(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Optional<String> bucket = envelopeBucket(tf);
    if (bucket.isEmpty()) {
      return List.of("SEALPOST_S3_BUCKET does not name an aws_s3_bucket of this configuration");
    }
    String objects = ref("aws_s3_bucket", bucket.get()) + "arn}/";
    boolean any = false;
    for (JsonNode s : taskRoleStatements(tf, v)) {
      List<String> s3 =
          strings(s.path("actions")).stream().filter(a -> a.startsWith("s3:")).toList();
      if (s3.isEmpty()) {
        continue;
      }
      any = true;
      String sid = "task role statement " + s.path("sid").asText("(no sid)");
      if (s3.equals(List.of("s3:ListBucket"))) {
        // Listing (for deleting an envelope's objects by prefix) is granted on the bucket itself.
        String bucketArn = ref("aws_s3_bucket", bucket.get()) + "arn}";
        for (String r : strings(s.path("resources"))) {
          if (!r.equals(bucketArn)) {
            v.add(sid + ": s3:ListBucket on '" + r + "', not the envelope bucket");
          }
        }
        continue;
      }
      for (String a : s3) {
        if (!TASK_S3_ACTIONS.contains(a)) {
          v.add(sid + ": S3 action " + a + " is not an object action the server needs");
        }
      }
      for (String r : strings(s.path("resources"))) {
        if (!r.startsWith(objects)) {
          v.add(sid + ": S3 resource '" + r + "' is not an object of the envelope bucket");
        }
      }
    }
    if (!any) {
      v.add("task role has no access to the envelope bucket");
    }
    return v;
  }

  /** The statements of every inline policy of the role named in the task definitions. */
  private static List<JsonNode> taskRoleStatements(TerraformConfig tf, List<String> violations) {
    Set<String> roles = new LinkedHashSet<>();
    tf.resources("aws_ecs_task_definition")
        .values()
        .forEach(
            t ->
                referencedName(t.path("task_role_arn").asText(), "aws_iam_role")
                    .ifPresent(roles::add));
    if (roles.isEmpty()) {
      violations.add("no ECS task definition with a task role of this configuration");
    }
    List<JsonNode> all = new ArrayList<>();
    tf.resources("aws_iam_role_policy")
        .values()
        .forEach(
            p -> {
              String role = referencedName(p.path("role").asText(), "aws_iam_role").orElse("");
              if (roles.contains(role)) {
                all.addAll(statements(tf, p.path("policy").asText()));
              }
            });
    tf.resources("aws_iam_role_policy_attachment")
        .forEach(
            (name, a) -> {
              String role = referencedName(a.path("role").asText(), "aws_iam_role").orElse("");
              if (roles.contains(role)) {
                violations.add(
                    "aws_iam_role_policy_attachment."
                        + name
                        + ": the task role takes inline, checked policies only");
              }
            });
    return all;
  }

  static List<String> resourcePoliciesNotPublic(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    tf.resources("aws_kms_key").values().forEach(k -> expressions.add(k.path("policy").asText()));
    tf.resources("aws_s3_bucket_policy")
        .values()
        .forEach(p -> expressions.add(p.path("policy").asText()));
    tf.resources("aws_sns_topic_policy")
        .values()
        .forEach(p -> expressions.add(p.path("policy").asText()));
    for (String expr : expressions) {
      for (JsonNode s : statements(tf, expr)) {
        if (s.path("effect").asText("Allow").equals("Deny")) {
          continue;
        }
        for (JsonNode p : blocks(s, "principals")) {
          if (p.path("type").asText().equals("*") || strings(p.path("identifiers")).contains("*")) {
            v.add(
                expr + " statement " + s.path("sid").asText("(no sid)") + " allows any principal");
          }
        }
      }
    }
    return v;
  }

  // --- Audit, logs, alarms
  // -------------------------------------------------------------------------

  static List<String> cloudTrailRecordsManagementEvents(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> trails = tf.resources("aws_cloudtrail");
    if (trails.isEmpty()) {
      v.add("no aws_cloudtrail: KMS calls would not be recorded");
    }
    trails.forEach(
        (name, t) -> {
          String id = "aws_cloudtrail." + name;
          if (!isTrue(t.path("is_multi_region_trail"))) {
            v.add(id + ": not multi-region");
          }
          if (!isTrue(t.path("enable_log_file_validation"))) {
            v.add(id + ": log file validation off");
          }
          if (!t.path("kms_key_id").asText().contains("aws_kms_key.")) {
            v.add(id + ": log files not encrypted with a KMS key of this configuration");
          }
          for (JsonNode sel : blocks(t, "event_selector")) {
            if (!isTrue(sel.path("include_management_events"))
                || !sel.path("read_write_type").asText("All").equals("All")) {
              v.add(id + ": an event selector leaves out management events (KMS calls)");
            }
          }
        });
    return v;
  }

  static List<String> logGroupsEncryptedWithRetention(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> groups = tf.resources("aws_cloudwatch_log_group");
    if (groups.isEmpty()) {
      v.add("no aws_cloudwatch_log_group");
    }
    groups.forEach(
        (name, g) -> {
          int days = tf.resolved(g, "retention_in_days").map(JsonNode::asInt).orElse(0);
          if (days <= 0) {
            v.add("aws_cloudwatch_log_group." + name + ": no retention (kept forever)");
          }
          if (!g.path("kms_key_id").asText().contains("aws_kms_key.")) {
            v.add("aws_cloudwatch_log_group." + name + ": not encrypted with a KMS key");
          }
        });
    return v;
  }

  static List<String> alarmsWatchErrorsHealthAndDatabase(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> alarms = tf.resources("aws_cloudwatch_metric_alarm");
    for (String[] want :
        List.of(
            new String[] {"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"},
            new String[] {"AWS/ApplicationELB", "UnHealthyHostCount"},
            new String[] {"AWS/RDS", "CPUUtilization"},
            new String[] {"AWS/RDS", "FreeStorageSpace"})) {
      boolean found =
          alarms.values().stream()
              .anyMatch(
                  a ->
                      a.path("namespace").asText().equals(want[0])
                          && a.path("metric_name").asText().equals(want[1]));
      if (!found) {
        v.add("no alarm on " + want[0] + " " + want[1]);
      }
    }
    alarms.forEach(
        (name, a) -> {
          if (strings(a.path("alarm_actions")).isEmpty()) {
            v.add("aws_cloudwatch_metric_alarm." + name + " notifies nobody");
          }
        });
    return v;
  }

  // --- ECS
  // -----------------------------------------------------------------------------------------

  static List<String> ecsServicePrivateBehindAlbAutoscaled(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> services = tf.resources("aws_ecs_service");
    if (services.isEmpty()) {
      v.add("no aws_ecs_service");
    }
    services.forEach(
        (name, s) -> {
          String id = "aws_ecs_service." + name;
          if (!s.path("launch_type").asText().equals("FARGATE")) {
            v.add(id + ": not on Fargate");
          }
          if (!isFalse(block(s, "network_configuration").path("assign_public_ip"))) {
            v.add(id + ": tasks may get public IP addresses");
          }
          if (block(s, "load_balancer").isMissingNode()) {
            v.add(id + ": not behind the load balancer");
          }
        });
    Set<String> metrics = new LinkedHashSet<>();
    tf.resources("aws_appautoscaling_policy")
        .values()
        .forEach(
            p ->
                metrics.add(
                    block(
                            block(p, "target_tracking_scaling_policy_configuration"),
                            "predefined_metric_specification")
                        .path("predefined_metric_type")
                        .asText()));
    for (String m : List.of("ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget")) {
      if (!metrics.contains(m)) {
        v.add("no target tracking autoscaling on " + m);
      }
    }
    return v;
  }

  static List<String> ecsTaskSecretsAndLogs(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    Map<String, JsonNode> locals = tf.locals();
    String env = containerEnvironment(tf);
    Matcher m = ENV_KEY.matcher(env);
    boolean anyEnv = false;
    while (m.find()) {
      String key = m.group(1);
      anyEnv = true;
      if (!key.startsWith("SEALPOST_") && !key.startsWith("AWS_")) {
        v.add("container environment " + key + " is not a SEALPOST_* (or AWS_*) variable");
      }
      if (key.matches(".*(PASSWORD|SECRET|ADMIN_KEY|API_KEY|TOKEN).*")) {
        v.add("secret " + key + " is a plain environment variable (use Secrets Manager)");
      }
    }
    if (!anyEnv) {
      v.add("no local container_environment with the SEALPOST_* configuration");
    }
    Set<String> secrets = new LinkedHashSet<>();
    JsonNode declared = locals.getOrDefault("container_secrets", missing());
    declared.forEach(
        s -> {
          if (s.path("valueFrom").asText().contains("secret")) {
            secrets.add(s.path("name").asText());
          }
        });
    for (String needed : List.of("SEALPOST_DB_PASSWORD", "SEALPOST_SMTP_PASSWORD")) {
      if (!secrets.contains(needed)) {
        v.add(needed + " does not come from Secrets Manager");
      }
    }
    tf.resources("aws_ecs_task_definition")
        .forEach(
            (name, t) -> {
              String defs = t.path("container_definitions").asText();
              if (!defs.contains("awslogs")) {
                v.add("aws_ecs_task_definition." + name + ": containers do not log to CloudWatch");
              }
              if (!defs.contains("local.container_secrets")
                  || !defs.contains("local.container_environment")) {
                v.add(
                    "aws_ecs_task_definition."
                        + name
                        + ": does not take its environment and secrets from the checked locals");
              }
            });
    return v;
  }

  // --- Mail, versions, documentation
  // ---------------------------------------------------------------

  static List<String> sesIdentitySignsWithDkim(TerraformConfig tf) {
    boolean v2 =
        tf.resources("aws_sesv2_email_identity").values().stream()
            .anyMatch(i -> !block(i, "dkim_signing_attributes").isMissingNode());
    boolean v1 = !tf.resources("aws_ses_domain_dkim").isEmpty();
    return v2 || v1 ? List.of() : List.of("no SES domain identity signing with DKIM");
  }

  static List<String> awsProviderPinnedExactly(TerraformConfig tf) {
    for (JsonNode t : tf.terraformBlocks()) {
      for (JsonNode rp : blocks(t, "required_providers")) {
        JsonNode aws = rp.path("aws");
        if (aws.path("source").asText().equals("hashicorp/aws")) {
          String version = aws.path("version").asText();
          return version.matches("=?\\s*\\d+\\.\\d+\\.\\d+")
              ? List.of()
              : List.of("hashicorp/aws version '" + version + "' is not pinned to one release");
        }
      }
    }
    return List.of("no required_providers entry for hashicorp/aws");
  }

  static List<String> variablesAndOutputsDocumented(TerraformConfig tf) {
    List<String> v = new ArrayList<>();
    tf.variables()
        .forEach(
            (name, var) -> {
              if (var.path("description").asText().isBlank()) {
                v.add("variable " + name + " has no description");
              }
              if (!var.has("type")) {
                v.add("variable " + name + " has no type");
              }
            });
    tf.outputs()
        .forEach(
            (name, out) -> {
              if (out.path("description").asText().isBlank()) {
                v.add("output " + name + " has no description");
              }
            });
    if (tf.variables().isEmpty() || tf.outputs().isEmpty()) {
      v.add("no variables or no outputs");
    }
    return v;
  }

  // --- helpers
  // -------------------------------------------------------------------------------------

  /**
   * The resource of {@code type} whose {@code bucket} references {@code aws_s3_bucket.<bucket>}.
   */
  private static Optional<JsonNode> forBucket(TerraformConfig tf, String type, String bucket) {
    String prefix = ref("aws_s3_bucket", bucket);
    return tf.resources(type).values().stream()
        .filter(r -> r.path("bucket").asText().startsWith(prefix))
        .findFirst();
  }

  private static Optional<Integer> noncurrentDays(TerraformConfig tf, String bucket) {
    Optional<JsonNode> lifecycle = forBucket(tf, "aws_s3_bucket_lifecycle_configuration", bucket);
    if (lifecycle.isEmpty()) {
      return Optional.empty();
    }
    return blocks(lifecycle.get(), "rule").stream()
        .filter(r -> r.path("status").asText().equals("Enabled"))
        .map(r -> block(r, "noncurrent_version_expiration").path("noncurrent_days"))
        .filter(JsonNode::isInt)
        .map(JsonNode::asInt)
        .min(Integer::compare);
  }

  private static Optional<String> envelopeBucket(TerraformConfig tf) {
    String env = containerEnvironment(tf);
    Matcher m = S3_BUCKET_ENV.matcher(env);
    return m.find() && tf.resources("aws_s3_bucket").containsKey(m.group(1))
        ? Optional.of(m.group(1))
        : Optional.empty();
  }

  /**
   * Statements of the policy document an expression such as {@code
   * ${data.aws_iam_policy_document.task.json}} names, including its source_policy_documents.
   */
  static List<JsonNode> statements(TerraformConfig tf, String expression) {
    List<JsonNode> all = new ArrayList<>();
    collectStatements(tf, expression, all, new LinkedHashSet<>());
    return all;
  }

  private static void collectStatements(
      TerraformConfig tf, String expression, List<JsonNode> into, Set<String> seen) {
    for (String name : referencedNames(expression, "data.aws_iam_policy_document")) {
      if (!seen.add(name)) {
        continue;
      }
      JsonNode doc = tf.data("aws_iam_policy_document").get(name);
      if (doc == null) {
        continue;
      }
      into.addAll(blocks(doc, "statement"));
      collectStatements(tf, doc.path("source_policy_documents").toString(), into, seen);
    }
  }

  /**
   * The container environment (local {@code container_environment}) as HCL-like text, one {@code
   * KEY = value} per line, whether it is a literal map or an expression such as {@code merge(...)}.
   */
  static String containerEnvironment(TerraformConfig tf) {
    JsonNode env = tf.locals().getOrDefault("container_environment", missing());
    if (env.isTextual()) {
      return env.asText();
    }
    StringBuilder text = new StringBuilder();
    env.fields()
        .forEachRemaining(
            e -> {
              String value = e.getValue().asText();
              boolean expression = value.startsWith("${") && value.endsWith("}");
              text.append(e.getKey())
                  .append(" = ")
                  .append(expression ? value.substring(2, value.length() - 1) : '"' + value + '"')
                  .append('\n');
            });
    return text.toString();
  }

  private static boolean isTrue(JsonNode v) {
    return v.isBoolean() && v.booleanValue();
  }

  private static boolean isFalse(JsonNode v) {
    return v.isBoolean() && !v.booleanValue();
  }

  private static JsonNode missing() {
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
