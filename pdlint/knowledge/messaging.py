"""E-mail and SMS: SMTP (Django's mail, smtplib, Flask-Mail), SendGrid, Mailchimp,
Postmark and Twilio. A message's recipient address and body are disclosed to the mail or
SMS provider."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec

SPEC = Spec(
    name="messaging",
    recipients=(
        Recipient("twilio.", "Twilio"),
        Recipient("sendgrid.", "SendGrid"),
        Recipient("mailchimp_marketing.", "Mailchimp"),
        Recipient("mailchimp3.", "Mailchimp"),
        Recipient("postmarker.", "Postmark"),
        Recipient("django.core.mail.", "e-mail (SMTP)"),
        Recipient("smtplib.", "e-mail (SMTP)"),
        Recipient("flask_mail.", "e-mail (SMTP)"),
    ),
)
