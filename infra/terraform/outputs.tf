output "service_url" {
  description = "Public base URL of the service (SEALPOST_PUBLIC_BASE_URL); point domain_name at alb_dns_name if Route 53 is not managed here."
  value       = local.public_base_url
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (the target of the domain_name record)."
  value       = aws_lb.main.dns_name
}

output "alb_zone_id" {
  description = "Route 53 zone id of the load balancer, for an alias record managed elsewhere."
  value       = aws_lb.main.zone_id
}

output "ecr_repository_url" {
  description = "ECR repository to push the image to: docker push <ecr_repository_url>:<image_tag>."
  value       = aws_ecr_repository.app.repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster name (aws ecs update-service --cluster ...)."
  value       = aws_ecs_cluster.main.name
}

output "ecs_service_name" {
  description = "ECS service name (aws ecs update-service --service ...)."
  value       = aws_ecs_service.app.name
}

output "log_group_name" {
  description = "CloudWatch log group of the server containers."
  value       = aws_cloudwatch_log_group.app.name
}

output "blobs_bucket_name" {
  description = "S3 bucket of the envelope ciphertext (SEALPOST_S3_BUCKET)."
  value       = aws_s3_bucket.blobs.id
}

output "envelope_kms_key_arn" {
  description = "Symmetric KMS key of the envelope data keys (SEALPOST_KMS_KEY_ID)."
  value       = aws_kms_key.envelope.arn
}

output "signing_kms_key_arns" {
  description = "Legacy shared signing keys by version (var.signing_key_versions); nothing signs with them, tenant keys are created by the server (alias/sealpost/tenant/<id>)."
  value       = { for version, key in aws_kms_key.signing : version => key.arn }
}

output "db_endpoint" {
  description = "PostgreSQL endpoint (host:port), reachable only from the service's security group."
  value       = aws_db_instance.main.endpoint
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret (managed by RDS) holding the database password; the containers get its password field as SEALPOST_DB_PASSWORD."
  value       = local.db_password_secret_arn
}

output "smtp_secret_arn" {
  description = "Secret to fill with the SES SMTP credentials as JSON {\"username\",\"password\"} (SEALPOST_SMTP_USER / SEALPOST_SMTP_PASSWORD)."
  value       = aws_secretsmanager_secret.smtp.arn
}

output "bootstrap_admin_key_secret_arn" {
  description = "Secret to fill with the first ADMIN API key (SEALPOST_BOOTSTRAP_ADMIN_KEY)."
  value       = aws_secretsmanager_secret.bootstrap_admin_key.arn
}

output "smtp_iam_user_name" {
  description = "IAM user whose access key, converted to an SES SMTP password, goes into the smtp secret."
  value       = aws_iam_user.smtp.name
}

output "smtp_endpoint" {
  description = "Amazon SES SMTP endpoint (SEALPOST_SMTP_HOST), port 587 with STARTTLS."
  value       = local.smtp_host
}

output "ses_dkim_records" {
  description = "DKIM CNAME records to publish for mail_domain when Route 53 is not managed here (name => value)."
  value = {
    for token in aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens :
    "${token}._domainkey.${var.mail_domain}" => "${token}.dkim.amazonses.com"
  }
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify; subscribe a pager or chat integration to it."
  value       = aws_sns_topic.alarms.arn
}

output "cloudtrail_bucket_name" {
  description = "S3 bucket holding the CloudTrail log files (KMS calls included)."
  value       = aws_s3_bucket.trail.id
}
