# PostgreSQL: metadata, tokens, counters, the audit chain. Every instance of the service shares it,
# so it is what keeps open counts, attempt limits and idempotency exact across instances.
# Encrypted with the storage key, Multi-AZ (synchronous standby in the other zone), automated
# backups with point-in-time recovery, deletion protection, reachable only from the service's
# security group, TLS forced by the parameter group. The master password is generated and kept
# by RDS in Secrets Manager (never in Terraform state or variables).

resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "main" {
  # A prefix, not a fixed name: a changed parameter group is created before the old one goes.
  name_prefix = "${local.name}-pg${var.db_engine_major_version}-"
  family      = "postgres${var.db_engine_major_version}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "main" {
  identifier = local.name

  engine                     = "postgres"
  engine_version             = var.db_engine_major_version
  auto_minor_version_upgrade = true
  instance_class             = var.db_instance_class
  parameter_group_name       = aws_db_parameter_group.main.name
  ca_cert_identifier         = "rds-ca-rsa2048-g1"

  allocated_storage     = var.db_allocated_storage_gb
  max_allocated_storage = var.db_max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.storage.arn

  db_name                       = var.db_name
  username                      = var.db_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.storage.arn

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  port                   = 5432

  backup_retention_period   = var.db_backup_retention_days
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.name}-final"

  iam_database_authentication_enabled  = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.storage.arn
  performance_insights_retention_period = 7
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  apply_immediately = false
}

# RDS rotates its managed master password (every 7 days unless told otherwise). ECS hands secrets
# to a task when it starts, so after a rotation running tasks keep their open connections but
# can not open new ones: redeploy right after each rotation (docs/OPERATIONS.md, "Rotate keys").
# The schedule is explicit here so that rotations are rare and expected.
resource "aws_secretsmanager_secret_rotation" "db_master" {
  secret_id = aws_db_instance.main.master_user_secret[0].secret_arn

  rotation_rules {
    automatically_after_days = var.db_password_rotation_days
  }
}
