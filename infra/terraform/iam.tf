# IAM, least privilege. No policy here grants a wildcard action; the only wildcard resources are
# ecr:GetAuthorizationToken and kms:CreateKey (with its TagResource), which AWS does not scope to a
# resource; CreateKey is bound by conditions on the key spec and the request tags instead.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# --- Task role: what the Sealpost server itself may do --------------------------------------------

resource "aws_iam_role" "task" {
  name               = "${local.name}-task"
  description        = "Sealpost server: envelope data keys, tenant signing, envelope ciphertext objects"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "task" {
  name   = "sealpost-server"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

data "aws_iam_policy_document" "task" {
  # Data keys only with an encryption context that has exactly the expected keys (tenant, envelope):
  # a data key unwrapped for one envelope can not be asked for under another's context, and
  # CloudTrail records the context of every call. The Null test refuses calls with no context
  # at all (ForAllValues alone would let an empty context through).
  statement {
    sid       = "EnvelopeDataKeysWithContext"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.envelope.arn]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "kms:EncryptionContextKeys"
      values   = var.kms_encryption_context_keys
    }

    condition {
      test     = "Null"
      variable = "kms:EncryptionContextKeys"
      values   = ["false"]
    }
  }

  # Readiness: DescribeKey of the envelope key (exists and enabled), without making a data key.
  statement {
    sid       = "EnvelopeKeyHealth"
    actions   = ["kms:DescribeKey"]
    resources = [aws_kms_key.envelope.arn]
  }

  # --- Per-tenant signing keys (one asymmetric KMS key per tenant and version, docs/OPERATIONS.md).
  # KMS keys created at run time are not resources of this configuration, so the grants below are
  # bound by tags instead: the server may create only ECC_NIST_P256 SIGN_VERIFY keys tagged
  # sealpost:purpose=signing and sealpost:tenant, and may use only keys carrying that purpose tag.
  # CreateKey has no resource to scope (AWS: "*"); with Tags it also needs TagResource, which is
  # checked with the same request tags and key spec.
  statement {
    sid       = "TenantSigningKeyCreate"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "kms:KeySpec"
      values   = ["ECC_NIST_P256"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:KeyUsage"
      values   = ["SIGN_VERIFY"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/sealpost:purpose"
      values   = ["signing"]
    }

    condition {
      test     = "Null"
      variable = "aws:RequestTag/sealpost:tenant"
      values   = ["false"]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["sealpost:tenant", "sealpost:purpose"]
    }
  }

  # A key that already belongs to a tenant is never re-tagged (e.g. handed to another tenant).
  statement {
    sid       = "TenantSigningKeyTagsAreFinal"
    effect    = "Deny"
    actions   = ["kms:TagResource", "kms:UntagResource"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account_id}:key/*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/sealpost:tenant"
      values   = ["false"]
    }
  }

  # The alias alias/sealpost/tenant/<id> names the tenant's newest key: CreateAlias/UpdateAlias need
  # the alias (only under alias/sealpost/tenant/) and the key (only a sealpost signing key).
  statement {
    sid       = "TenantSigningKeyAliasNames"
    actions   = ["kms:CreateAlias", "kms:UpdateAlias"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account_id}:alias/sealpost/tenant/*"]
  }

  statement {
    sid       = "TenantSigningKeyAliasTargets"
    actions   = ["kms:CreateAlias", "kms:UpdateAlias"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sealpost:purpose"
      values   = ["signing"]
    }
  }

  # Signing only with sealpost signing keys and only ES256 (ECDSA_SHA_256).
  statement {
    sid       = "TenantSigningKeySign"
    actions   = ["kms:Sign"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:SigningAlgorithm"
      values   = ["ECDSA_SHA_256"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sealpost:purpose"
      values   = ["signing"]
    }
  }

  # The public key of a new tenant key, stored in the database for the JWKS.
  statement {
    sid       = "TenantSigningKeyPublicKey"
    actions   = ["kms:GetPublicKey"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sealpost:purpose"
      values   = ["signing"]
    }
  }

  # Two instances racing on a tenant's first key: the loser schedules its own unused key for
  # deletion, always with the longest window (30 days, cancellable; the KMS alarm reports it).
  statement {
    sid       = "TenantSigningKeyRaceLoserDeletion"
    actions   = ["kms:ScheduleKeyDeletion"]
    resources = ["arn:${local.partition}:kms:${var.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/sealpost:purpose"
      values   = ["signing"]
    }

    condition {
      test     = "NumericGreaterThanEquals"
      variable = "kms:ScheduleKeyDeletionPendingWindowInDays"
      values   = ["30"]
    }
  }

  # Listing the envelope bucket: revocation and expiry delete every object under
  # <tenant>/<envelope>/ (ListObjectsV2 + DeleteObjects), and with ListBucket a missing object
  # answers 404 rather than 403 (the readiness probe and the start check rely on it). No bucket
  # settings, no other bucket.
  statement {
    sid       = "EnvelopeBucketList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.blobs.arn]
  }

  # Objects of the envelope bucket only.
  statement {
    sid = "EnvelopeCiphertextObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.blobs.arn}/*"]
  }

  # S3 default encryption (SSE-KMS with bucket keys) uses the storage key on the caller's behalf:
  # only through S3 and only for this bucket.
  statement {
    sid       = "BucketEncryptionThroughS3Only"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.storage.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [aws_s3_bucket.blobs.arn]
    }
  }
}

# --- Execution role: what ECS needs to start the task ---------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  description        = "ECS agent for Sealpost: pull the image, write logs, read the container secrets"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "execution" {
  name   = "ecs-task-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "EcrPullThisRepository"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = [aws_ecr_repository.app.arn]
  }

  statement {
    sid       = "ContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
  }

  statement {
    sid       = "ContainerSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.container_secret_arns
  }

  statement {
    sid       = "ContainerSecretsDecrypt"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.storage.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:SecretARN"
      values   = local.container_secret_arns
    }
  }
}

# --- VPC flow logs -----------------------------------------------------------------------------------

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${local.name}-flow-logs"
  description        = "VPC flow logs delivery to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "flow-logs-delivery"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    sid       = "DeliverFlowLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
  }
}

# --- CloudTrail to CloudWatch Logs (for the KMS alarms) --------------------------------------------

data "aws_iam_policy_document" "cloudtrail_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "cloudtrail" {
  name               = "${local.name}-cloudtrail"
  description        = "CloudTrail delivery to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.cloudtrail_assume.json
}

resource "aws_iam_role_policy" "cloudtrail" {
  name   = "cloudtrail-delivery"
  role   = aws_iam_role.cloudtrail.id
  policy = data.aws_iam_policy_document.cloudtrail_logs.json
}

data "aws_iam_policy_document" "cloudtrail_logs" {
  statement {
    sid       = "DeliverTrail"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.trail.arn}:*"]
  }
}

# --- SES SMTP user ---------------------------------------------------------------------------------
# Amazon SES SMTP credentials are derived from an IAM user's access key. Terraform creates the
# user and its policy, not the key (a key in Terraform state would be a long-lived secret there):
# create it with the AWS CLI and store the derived SMTP password in the smtp secret (README.md).

resource "aws_iam_user" "smtp" {
  name = "${local.name}-ses-smtp"
}

resource "aws_iam_user_policy" "smtp" {
  name   = "ses-send-from-sealpost-identity"
  user   = aws_iam_user.smtp.name
  policy = data.aws_iam_policy_document.smtp.json
}

data "aws_iam_policy_document" "smtp" {
  statement {
    sid       = "SendOnlyAsTheSealpostSender"
    actions   = ["ses:SendRawEmail"]
    resources = [aws_sesv2_email_identity.mail.arn]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.mail_from]
    }
  }
}
