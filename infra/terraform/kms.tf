# KMS keys. Four purposes, four keys, so that a grant on one never reaches another's data:
# - envelope: symmetric; the server's data keys (GenerateDataKey / Decrypt with an encryption
#   context naming tenant and envelope). Crypto-shredding an envelope destroys its wrapped keys.
# - storage:  symmetric; S3 default encryption (with bucket keys), RDS storage, Performance
#   Insights and the Secrets Manager secrets.
# - logs:     symmetric; CloudWatch log groups, the CloudTrail trail and the alarm topic.
# - signing:  legacy only (var.signing_key_versions, default none): the shared ECC_NIST_P256 key of
#   deployments before per-tenant keys. Tenant signing keys (ES256 manifests, audit checkpoints)
#   are created by the server itself, one per tenant and version, tagged sealpost:purpose=signing
#   and aliased alias/sealpost/tenant/<id> (iam.tf grants exactly that; docs/OPERATIONS.md).
# Symmetric keys rotate their key material automatically (old material stays for decryption).

resource "aws_kms_key" "envelope" {
  description             = "${local.name}: envelope data keys (encryption context: tenant, envelope)"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  rotation_period_in_days = var.kms_rotation_period_days
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.key_admin_only.json
}

resource "aws_kms_alias" "envelope" {
  name          = "alias/${local.name}-envelope"
  target_key_id = aws_kms_key.envelope.key_id
}

resource "aws_kms_key" "storage" {
  description             = "${local.name}: S3, RDS and Secrets Manager encryption at rest"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  rotation_period_in_days = var.kms_rotation_period_days
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.key_admin_only.json
}

resource "aws_kms_alias" "storage" {
  name          = "alias/${local.name}-storage"
  target_key_id = aws_kms_key.storage.key_id
}

resource "aws_kms_key" "logs" {
  description             = "${local.name}: CloudWatch Logs, CloudTrail and alarm notifications"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  rotation_period_in_days = var.kms_rotation_period_days
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.logs_key.json
}

resource "aws_kms_alias" "logs" {
  name          = "alias/${local.name}-logs"
  target_key_id = aws_kms_key.logs.key_id
}

resource "aws_kms_key" "signing" {
  for_each = toset(var.signing_key_versions)

  description              = "${local.name}: tenant manifest signing key ${each.key} (ES256)"
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = "ECC_NIST_P256"
  deletion_window_in_days  = var.kms_deletion_window_days
  policy                   = data.aws_iam_policy_document.key_admin_only.json
}

resource "aws_kms_alias" "signing" {
  for_each = aws_kms_key.signing

  name          = "alias/${local.name}-signing-${each.key}"
  target_key_id = each.value.key_id
}

# Key policy: the account administers the key and delegates use to IAM policies (the ECS task
# role's policy in iam.tf names the exact actions and conditions). No other principal appears.
data "aws_iam_policy_document" "key_admin_only" {
  statement {
    sid       = "AccountAdministersAndDelegatesToIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

data "aws_iam_policy_document" "logs_key" {
  source_policy_documents = [data.aws_iam_policy_document.key_admin_only.json]

  statement {
    sid       = "CloudWatchLogsEncryptsItsLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
    }
  }

  statement {
    sid       = "CloudTrailEncryptsItsLogs"
    actions   = ["kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:${local.partition}:cloudtrail:*:${local.account_id}:trail/*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudtrail:${var.region}:${local.account_id}:trail/${local.name}"]
    }
  }

  statement {
    sid       = "CloudTrailDescribesKey"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToEncryptedTopic"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}
