"""The registry row's fingerprint is the one stored by earlier versions: re-importing the same file
after an upgrade finds every row unchanged."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from core.services.importing.registry import STORED, fingerprint


@settings(max_examples=300, deadline=None)
@given(st.tuples(*[st.none() | st.text()] * (len(STORED) - 1)))
def test_fingerprint_is_the_md5_of_the_values_joined(values):
    joined = "\x1f".join(map(str, values))
    assert fingerprint(values) == hashlib.md5(joined.encode(), usedforsecurity=False).hexdigest()
