"""One pass of the outbox sender, for tests that want the notices due now delivered and then to look: the
due rows read once and sent, paced as the worker's loop sends them. The product runs the loop only
(`OutboxSender.start`); this drives its own steps, so it reaches into them."""

from __future__ import annotations

from bot.outbox_sender import OutboxSender


async def deliver_pending(sender: OutboxSender) -> int:
    """The due rows (`batch` of them, oldest first) sent; how many Telegram accepted. A RetryAfter is
    waited for within the pass."""
    before = sender._sent
    await sender._read(cut=False)
    await sender._pump(continuous=False)
    return sender._sent - before
