# Terraform and provider versions. The AWS provider is pinned exactly: upgrade it on purpose, read
# its changelog, and re-run `terraform plan` before applying.
terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # State holds resource ids and the database endpoint (never a password: RDS manages the master
  # password in Secrets Manager). Keep it in an encrypted, versioned S3 backend, e.g.:
  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "sealpost/prod.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(
      {
        Application = "sealpost"
        Environment = var.environment
        ManagedBy   = "terraform"
      },
      var.tags,
    )
  }
}
