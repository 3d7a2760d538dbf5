# Deliberately insecure: each block breaks one property that infra-checks asserts. Never deploy.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "backups" {
  type    = number
  default = 1
}

output "bucket" {
  value = aws_s3_bucket.open.id
}

resource "aws_s3_bucket" "open" {
  bucket = "insecure"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "open" {
  bucket = aws_s3_bucket.open.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "open" {
  bucket = aws_s3_bucket.open.id

  rule {
    id     = "slow"
    status = "Enabled"

    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

resource "aws_kms_key" "no_rotation" {
  description = "never rotates"
  policy      = data.aws_iam_policy_document.public_key.json
}

data "aws_iam_policy_document" "public_key" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_security_group" "ssh" {
  name = "ssh"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name = "db"
}

resource "aws_security_group_rule" "db_world" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_db_instance" "main" {
  engine                  = "postgres"
  storage_encrypted       = false
  multi_az                = false
  publicly_accessible     = true
  backup_retention_period = var.backups
  deletion_protection     = false
  skip_final_snapshot     = true
  vpc_security_group_ids  = [aws_security_group.db.id]
}

resource "aws_lb" "main" {
  security_groups = [aws_security_group.ssh.id]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"

  default_action {
    type = "forward"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "forward"
  }
}

resource "aws_iam_role" "task" {
  name = "task"
}

resource "aws_iam_role_policy" "task" {
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "Everything"
    actions   = ["s3:*"]
    resources = ["*"]
  }

  statement {
    sid       = "KmsWithoutContext"
    actions   = ["kms:Encrypt", "kms:Decrypt"]
    resources = [aws_kms_key.no_rotation.arn]
  }
}

resource "aws_cloudwatch_log_group" "forever" {
  name = "forever"
}

resource "aws_ecs_task_definition" "app" {
  task_role_arn         = aws_iam_role.task.arn
  container_definitions = jsonencode([{ name = "app", environment = [] }])
}

resource "aws_ecs_service" "app" {
  launch_type = "EC2"

  network_configuration {
    assign_public_ip = true
    security_groups  = [aws_security_group.ssh.id]
  }
}

locals {
  container_environment = {
    SEALPOST_S3_BUCKET   = aws_s3_bucket.open.id
    SEALPOST_DB_URL      = "jdbc:postgresql://db:5432/sealpost?sslmode=disable"
    SEALPOST_DB_PASSWORD = "hunter2"
    JAVA_OPTS            = "-Xmx1g"
  }
}
