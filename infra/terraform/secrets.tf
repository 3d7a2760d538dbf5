# Secrets the containers receive as environment variables (ECS injects them at start; they are
# never in the task definition, the image or Terraform state). Terraform creates the secrets but
# not their values: put the values in before the service starts (see README.md, "First deploy").
# The database password is not here: RDS generates it and keeps it in its own managed secret.

resource "aws_secretsmanager_secret" "smtp" {
  name                    = "${local.name}/smtp"
  description             = "Amazon SES SMTP credentials as JSON: {\"username\": ..., \"password\": ...}"
  kms_key_id              = aws_kms_key.storage.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret" "bootstrap_admin_key" {
  name                    = "${local.name}/bootstrap-admin-key"
  description             = "The first ADMIN API key (sp_...), so it is never printed to the logs"
  kms_key_id              = aws_kms_key.storage.arn
  recovery_window_in_days = 7
}

locals {
  db_password_secret_arn = aws_db_instance.main.master_user_secret[0].secret_arn

  # Secrets Manager encrypts with the storage key under the context {"SecretARN": <arn>}.
  container_secret_arns = [
    local.db_password_secret_arn,
    aws_secretsmanager_secret.smtp.arn,
    aws_secretsmanager_secret.bootstrap_admin_key.arn,
  ]
}
