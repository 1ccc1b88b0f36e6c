"""Payment providers (Stripe, Braintree, Adyen, PayPal): customers' names, addresses and
e-mails are sent with charges and customer records."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec

SPEC = Spec(
    name="payments",
    recipients=(
        Recipient("stripe.", "Stripe"),
        Recipient("braintree.", "Braintree"),
        Recipient("adyen.", "Adyen"),
        Recipient("Adyen.", "Adyen"),
        Recipient("paypalrestsdk.", "PayPal"),
    ),
)
