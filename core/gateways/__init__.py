"""Outside services (SMS, e-mail, YooKassa): an interface, a real adapter, a development fallback."""

DEFAULT_TIMEOUT = 10.0  # seconds; every network call has one


class DeliveryError(Exception):
    """A message was not handed over: network, timeout or the provider's refusal.

    The text names the provider's status only, never the recipient or the message,
    and the cause is dropped because a library's error may quote either.
    """
