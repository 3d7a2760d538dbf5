# Inputs. Only the first block has no default: where the service lives and how it is named.

# --- Required ------------------------------------------------------------------------------------

variable "domain_name" {
  description = "Public host name of the service (e.g. sealpost.example.com). The consumer links use https://<domain_name>; the ACM certificate must cover it."
  type        = string
}

variable "certificate_arn" {
  description = "ARN of the ACM certificate (same region) for domain_name, served by the HTTPS listener."
  type        = string
}

variable "mail_domain" {
  description = "Domain verified in Amazon SES (with DKIM) from which notification emails are sent, e.g. example.com or mail.example.com."
  type        = string
}

variable "mail_from" {
  description = "Sender address of the notification emails (SEALPOST_SMTP_FROM); must be in mail_domain. The SES SMTP user may send only as this address."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+$", var.mail_from))
    error_message = "mail_from must be an email address."
  }
}

variable "image_tag" {
  description = "Tag of the Sealpost image in the ECR repository this configuration creates (tags are immutable: use a release version or a git commit)."
  type        = string
}

# --- Placement and naming --------------------------------------------------------------------------

variable "region" {
  description = "AWS region for every resource (SES, KMS and the bucket included)."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name, part of every resource name and tag (e.g. prod, staging)."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lower-case letters, digits or dashes."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "sealpost"
}

variable "tags" {
  description = "Extra tags for every resource (e.g. cost centre, data classification)."
  type        = map(string)
  default     = {}
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone id: when set, creates the alias record for domain_name and the SES DKIM (and DMARC) records. Leave null to manage DNS elsewhere."
  type        = string
  default     = null
}

variable "dmarc_record" {
  description = "TXT value of _dmarc.<mail_domain>, created when route53_zone_id is set; null creates none."
  type        = string
  default     = "v=DMARC1; p=quarantine; adkim=s; aspf=r"
}

# --- Network ---------------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR block of the VPC; split into two public and two private subnets."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per availability zone: cheaper, but outbound traffic of both zones then depends on one zone."
  type        = bool
  default     = false
}

variable "alb_deletion_protection" {
  description = "Deletion protection on the load balancer."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes allowed from one IP address to the whole service before WAF blocks it."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 100 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be between 100 and 2,000,000,000 (WAF's range)."
  }
}

variable "waf_open_rate_limit" {
  description = "Requests per 5 minutes allowed from one IP address to the consumer open endpoints (/v1/open/...), where second factors are tried."
  type        = number
  default     = 100

  validation {
    condition     = var.waf_open_rate_limit >= 100
    error_message = "waf_open_rate_limit must be at least 100 (WAF's minimum)."
  }
}

# --- Service ---------------------------------------------------------------------------------------

variable "container_image" {
  description = "Full image reference overriding <ECR repository>:<image_tag>, e.g. for an image in another registry. Null uses the ECR repository."
  type        = string
  default     = null
}

variable "cpu_architecture" {
  description = "CPU architecture of the Fargate tasks: X86_64 or ARM64 (the image must be built for it)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "task_cpu" {
  description = "Fargate CPU units per task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "task_memory" {
  description = "Fargate memory per task in MiB; the JVM takes 75% of it as heap (MaxRAMPercentage in the image)."
  type        = number
  default     = 2048
}

variable "desired_count" {
  description = "Tasks started on the first deploy; afterwards autoscaling owns the count. Use 0 for the very first apply, before the secrets have values."
  type        = number
  default     = 2
}

variable "min_count" {
  description = "Fewest tasks autoscaling keeps (2 keeps one per availability zone)."
  type        = number
  default     = 2
}

variable "max_count" {
  description = "Most tasks autoscaling starts. Size the database's max_connections for max_count x the server's pool size."
  type        = number
  default     = 10
}

variable "cpu_target_percent" {
  description = "Average task CPU utilisation that CPU autoscaling aims at."
  type        = number
  default     = 60
}

variable "requests_per_target" {
  description = "ALB requests per task per minute that request-count autoscaling aims at."
  type        = number
  default     = 3000
}

variable "expiry_sweep_interval" {
  description = "SEALPOST_EXPIRY_SWEEP_INTERVAL: how often each instance looks for expired envelopes to crypto-shred (ISO-8601 duration)."
  type        = string
  default     = "PT1M"
}

variable "extra_environment" {
  description = "More SEALPOST_* environment variables for the containers (see docs/OPERATIONS.md), e.g. { SEALPOST_RATE_LIMIT_PER_MINUTE = \"1200\" }. Never put secrets here: they would be visible in the task definition."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_environment) : can(regex("^SEALPOST_[A-Z0-9_]+$", k))])
    error_message = "extra_environment keys must be SEALPOST_* variables."
  }

  validation {
    condition     = alltrue([for k in keys(var.extra_environment) : !can(regex("(PASSWORD|SECRET|ADMIN_KEY)", k))])
    error_message = "Secrets go to Secrets Manager (secrets.tf), not to extra_environment."
  }
}

variable "ecr_keep_images" {
  description = "How many images the ECR repository keeps (older ones expire)."
  type        = number
  default     = 50
}

# --- Database --------------------------------------------------------------------------------------

variable "db_engine_major_version" {
  description = "PostgreSQL major version (minor versions upgrade automatically in the maintenance window)."
  type        = string
  default     = "16"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "db_allocated_storage_gb" {
  description = "Initial database storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage_gb" {
  description = "Upper limit of storage autoscaling in GiB."
  type        = number
  default     = 500
}

variable "db_name" {
  description = "Name of the database the server uses."
  type        = string
  default     = "sealpost"
}

variable "db_username" {
  description = "Database user of the server (the RDS master user; its password is generated and kept by RDS in Secrets Manager)."
  type        = string
  default     = "sealpost"
}

variable "db_backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery (7 to 35)."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 7 and 35."
  }
}

variable "db_password_rotation_days" {
  description = "Days between rotations of the RDS-managed master password. Each rotation needs a redeploy of the service (docs/OPERATIONS.md)."
  type        = number
  default     = 90

  validation {
    condition     = var.db_password_rotation_days >= 1 && var.db_password_rotation_days <= 1000
    error_message = "db_password_rotation_days must be between 1 and 1000."
  }
}

# --- Keys ------------------------------------------------------------------------------------------

variable "kms_rotation_period_days" {
  description = "Automatic rotation period of the symmetric KMS keys, in days (90 to 2560)."
  type        = number
  default     = 365

  validation {
    condition     = var.kms_rotation_period_days >= 90 && var.kms_rotation_period_days <= 2560
    error_message = "kms_rotation_period_days must be between 90 and 2560."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a KMS key scheduled for deletion is destroyed (7 to 30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "kms_encryption_context_keys" {
  description = "Encryption context keys the server sends with every GenerateDataKey/Decrypt on the envelope key; the task role may use the key only with exactly these keys."
  type        = list(string)
  default     = ["tenant", "envelope", "purpose"]
}

variable "signing_key_versions" {
  description = "Legacy: versions of the shared signing key of deployments before per-tenant keys (e.g. [\"v1\"]). Nothing signs with them any more (their public keys stay in the JWKS from the database); keep them listed as long as you want the KMS keys kept. New deployments: []."
  type        = list(string)
  default     = []
}

# --- Logs, audit and alarms --------------------------------------------------------------------------

variable "log_retention_days" {
  description = "Retention of the CloudWatch log groups (server, VPC flow logs, CloudTrail copy), in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch retention value of at least 90 days."
  }
}

variable "trail_retention_days" {
  description = "Days CloudTrail log files are kept in their bucket (2557 = 7 years)."
  type        = number
  default     = 2557
}

variable "alarm_email" {
  description = "Email address subscribed to the alarm topic (confirm the subscription mail); null subscribes nobody."
  type        = string
  default     = null
}

variable "alarm_5xx_threshold" {
  description = "5xx answers in 5 minutes (from the targets, or from the load balancer itself) that raise an alarm."
  type        = number
  default     = 10
}

variable "alarm_rds_cpu_percent" {
  description = "Database CPU percentage that, sustained for 15 minutes, raises an alarm."
  type        = number
  default     = 80
}

variable "alarm_rds_free_storage_gb" {
  description = "Free database storage in GiB below which an alarm is raised."
  type        = number
  default     = 10
}
