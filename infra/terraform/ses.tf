# Amazon SES sends the notification emails (which carry only a link, never personal data) through
# its SMTP interface: the server's `smtp` mailer with STARTTLS on port 587. The domain identity
# signs with Easy DKIM (2048-bit). With var.route53_zone_id set, the DKIM CNAMEs and a DMARC record
# are created here; otherwise publish the records from the ses_dkim_records output yourself.
# A new SES account is in the sandbox: request production access before sending to real recipients.

resource "aws_sesv2_email_identity" "mail" {
  email_identity = var.mail_domain

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "dkim" {
  count = var.route53_zone_id == null ? 0 : 3

  zone_id = var.route53_zone_id
  name    = "${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.mail_domain}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "dmarc" {
  count = var.route53_zone_id == null || var.dmarc_record == null ? 0 : 1

  zone_id = var.route53_zone_id
  name    = "_dmarc.${var.mail_domain}"
  type    = "TXT"
  ttl     = 1800
  records = [var.dmarc_record]
}
