# CloudTrail: every management event in every region, which includes every KMS call (GenerateDataKey,
# Decrypt with its encryption context, Sign, key policy changes, disable and deletion schedules).
# Log files are validated (digest files), encrypted with the logs key, and also sent to CloudWatch
# Logs so that alarms can watch for key tampering (monitoring.tf).

resource "aws_cloudtrail" "main" {
  name                          = local.name
  s3_bucket_name                = aws_s3_bucket.trail.id
  kms_key_id                    = aws_kms_key.logs.arn
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

  depends_on = [aws_s3_bucket_policy.trail]
}
