# Shared names and lookups. One file per concern: network.tf, alb.tf, waf.tf, ecs.tf, rds.tf, s3.tf,
# kms.tf, iam.tf, secrets.tf, ses.tf, monitoring.tf, cloudtrail.tf.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name       = "${var.name_prefix}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # Two availability zones: the ALB, the service and the Multi-AZ database span both.
  azs = slice(data.aws_availability_zones.available.names, 0, 2)

  container_name = "sealpost"
  container_port = 8080
  image          = coalesce(var.container_image, "${aws_ecr_repository.app.repository_url}:${var.image_tag}")

  public_base_url = "https://${var.domain_name}"
  smtp_host       = "email-smtp.${var.region}.amazonaws.com"
}
