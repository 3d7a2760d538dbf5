# ECS Fargate: the stateless Sealpost containers in the private subnets behind the ALB.
# Everything an instance must agree on lives in PostgreSQL, S3 and KMS, so any number of tasks
# can run; autoscaling follows CPU and requests per target.

resource "aws_ecs_cluster" "main" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

locals {
  # Configuration is environment only: MicroProfile Config maps SEALPOST_DB_URL to sealpost.db.url
  # and so on. docs/OPERATIONS.md lists every key.
  container_environment = merge(
    {
      SEALPOST_PUBLIC_BASE_URL       = local.public_base_url
      SEALPOST_TRUSTED_PROXIES       = join(",", aws_subnet.public[*].cidr_block)
      SEALPOST_DB_URL                = "jdbc:postgresql://${aws_db_instance.main.address}:${aws_db_instance.main.port}/${var.db_name}?sslmode=require"
      SEALPOST_DB_USER               = var.db_username
      SEALPOST_BLOBS                 = "s3"
      SEALPOST_S3_BUCKET             = aws_s3_bucket.blobs.id
      SEALPOST_S3_REGION             = var.region
      SEALPOST_KEYS                  = "aws-kms"
      SEALPOST_KMS_KEY_ID            = aws_kms_key.envelope.arn
      SEALPOST_MAIL                  = "smtp"
      SEALPOST_SMTP_HOST             = local.smtp_host
      SEALPOST_SMTP_PORT             = "587"
      SEALPOST_SMTP_FROM             = var.mail_from
      SEALPOST_EXPIRY_SWEEP_INTERVAL = var.expiry_sweep_interval
      SEALPOST_LOG_FORMAT            = "json"
      AWS_REGION                     = var.region
    },
    var.extra_environment,
  )

  # ECS reads these from Secrets Manager when a task starts; "<arn>:<json key>::" picks one field.
  container_secrets = [
    { name = "SEALPOST_DB_PASSWORD", valueFrom = "${local.db_password_secret_arn}:password::" },
    { name = "SEALPOST_SMTP_USER", valueFrom = "${aws_secretsmanager_secret.smtp.arn}:username::" },
    { name = "SEALPOST_SMTP_PASSWORD", valueFrom = "${aws_secretsmanager_secret.smtp.arn}:password::" },
    { name = "SEALPOST_BOOTSTRAP_ADMIN_KEY", valueFrom = aws_secretsmanager_secret.bootstrap_admin_key.arn },
  ]
}

resource "aws_ecs_task_definition" "app" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name         = local.container_name
      image        = local.image
      essential    = true
      portMappings = [{ containerPort = local.container_port, protocol = "tcp" }]
      environment  = [for k in sort(keys(local.container_environment)) : { name = k, value = local.container_environment[k] }]
      secrets      = local.container_secrets
      stopTimeout  = 30
      linuxParameters = {
        initProcessEnabled = true
        capabilities       = { drop = ["ALL"] }
      }
      healthCheck = {
        command     = ["CMD", "/opt/sealpost/healthcheck.sh"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 120
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.app.name
          awslogs-region        = var.region
          awslogs-stream-prefix = local.container_name
        }
      }
    }
  ])
}

resource "aws_ecs_service" "app" {
  name             = local.name
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.app.arn
  desired_count    = var.desired_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 180
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  lifecycle {
    # Autoscaling owns the count once the service runs.
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.https, aws_iam_role_policy.execution]
}

resource "aws_appautoscaling_target" "app" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.app.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.app.service_namespace
  resource_id        = aws_appautoscaling_target.app.resource_id
  scalable_dimension = aws_appautoscaling_target.app.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  name               = "${local.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.app.service_namespace
  resource_id        = aws_appautoscaling_target.app.resource_id
  scalable_dimension = aws_appautoscaling_target.app.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.main.arn_suffix}/${aws_lb_target_group.app.arn_suffix}"
    }
  }
}
