"""Test and demo infrastructure, not the product: stand-ins for the services the bot talks to.

- ``emulators.telegram``: a strict Telegram Bot API server on loopback (the bot and every user);
- ``emulators.sms``: an SMS gateway (the generic JSON gateway and SMS.ru);
- ``emulators.smtp``: an SMTP server that keeps the mail it receives;
- ``emulators.terminal``: ``python -m bot sandbox``, the real bot against all three, chatted
  with in the terminal;
- ``emulators/data/``: the sample import files (``SAMPLE_DATA``) the sandbox loads and the tests use.

The tests and the sandbox command use these; the product (``bot``, ``core``) never imports
them, except the ``sandbox`` command, which does it lazily. The package is installed with
the project so that ``python -m bot sandbox`` works from anywhere.
"""

from datetime import date
from pathlib import Path

SAMPLE_DATA = Path(__file__).resolve().parent / "data"
# The samples' policies run from 2026 to the end of 2027: the sandbox lives on a day inside them (unless
# BOT_TODAY says otherwise), so the demo works the same whenever it is run.
SAMPLES_TODAY = date(2026, 11, 26)

__all__ = ["SAMPLES_TODAY", "SAMPLE_DATA"]
