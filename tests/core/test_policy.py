import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.normalize.policy import MAX_LENGTH, MAX_SUGGESTIONS, canonical_policy, policy_suggestions

# The policy numbers of samples/registry.csv (Latin AM in the second, Cyrillic АМ after).
SAMPLE_POLICIES = ["123/14", "AM012345678/13"] + [f"АМ0123456{n}/13" for n in range(79, 93)]


def code_of(text):
    try:
        canonical_policy(text)
    except InputError as error:
        assert error.field == "policy_number"
        return error.code
    return None


@pytest.mark.parametrize(
    "text",
    [
        "AM012345678/13",
        "АМ012345678/13",
        "ам012345678/13",
        "am 012345678 / 13",
        "AM.012345678/13",
        "AM_012345678/13",
        "AM-012345678/13",
        "АМ–012345678/13",
        "AM012345678\\13",
        "№ AM012345678/13",
        " AM\u00a0012345678/13 ",
        "ＡＭ０１２３４５６７８／１３",
        "Am012345678/13",
    ],
)
def test_one_policy_in_many_spellings(text):
    assert canonical_policy(text) == "AM01234567813"


@pytest.mark.parametrize(
    "text",
    ["123/14", "123-14", "123 14", "123.14", "123_14", "123\\14", "123 / 14", "12314", "123–14", "123 14", "123／14"],
)
def test_every_separator_is_one_policy(text):
    assert canonical_policy(text) == "12314"


def test_separators_are_dropped_wherever_they_stand():
    assert canonical_policy("АМ 012345678-13") == canonical_policy("AM012345678/13") == "AM01234567813"
    assert canonical_policy("1/2/3") == canonical_policy("12-3") == canonical_policy("1.23") == "123"


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("123/14", "12314"),
        ("ВЕКМНОРСТХУ", "BEKMHOPCTXY"),
        ("ёЁ1", "EE1"),
        ("Ж-12", "Ж12"),
        ("зб 7", "ЗБ7"),
        ("ДМС 77 123/2026", "ДMC771232026"),
    ],
)
def test_canonical_forms(text, canonical):
    assert canonical_policy(text) == canonical


@pytest.mark.parametrize(
    "a, b",
    [
        ("AMO12345678/13", "AM012345678/13"),
        ("З12", "312"),
        ("I23", "123"),
        ("L23", "123"),
        ("О-12", "0-12"),
        ("123/I4", "123-14"),
    ],
)
def test_confusable_glyphs_are_never_folded(a, b):
    assert canonical_policy(a) != canonical_policy(b)


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "policy.empty"),
        ("  ", "policy.empty"),
        (" - . _ ", "policy.empty"),
        ("/\\/", "policy.empty"),
        ("AM#1", "policy.invalid"),
        ("123,14", "policy.invalid"),
        ("ÄÖ1", "policy.invalid"),
        ("1½", "policy.invalid"),
        ("1" * (MAX_LENGTH + 1), "policy.too_long"),
        ("1" * MAX_LENGTH, None),
    ],
)
def test_refusals(text, code):
    assert code_of(text) == code


def test_sample_registry_policies_are_distinct_and_latin_cyrillic_pairs_meet():
    canonical = [canonical_policy(n) for n in SAMPLE_POLICIES]
    assert len(set(canonical)) == len(SAMPLE_POLICIES)
    assert canonical[2] == "AM01234567913"
    assert canonical_policy("AM012345678/13") == canonical_policy("АМ012345678/13")


def test_suggestions():
    assert policy_suggestions("AMO12345678/13")[0] == "AM01234567813"  # the letter O was the slip
    assert policy_suggestions("123/14") == ["I2314", "12З14", "123I4", "I2З14", "I23I4", "12ЗI4", "I2ЗI4"]
    assert policy_suggestions("З1") == ["31", "ЗI", "3I"]
    assert policy_suggestions("ЖФ/") == []
    assert policy_suggestions("a#") == []
    assert policy_suggestions("") == []


policy_chars = st.sampled_from(list("0123456789/AMOIBSLЗОАМ -.\\_абвжз"))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(policy_chars, min_size=1, max_size=20)))
def test_any_text_gives_a_canonical_form_or_an_input_error(text):
    try:
        canonical = canonical_policy(text)
    except InputError:
        canonical = None
    else:
        assert canonical_policy(canonical) == canonical
    suggestions = policy_suggestions(text)
    assert suggestions == policy_suggestions(text)
    assert len(suggestions) <= MAX_SUGGESTIONS and canonical not in suggestions
    assert len(set(suggestions)) == len(suggestions)
    assert all(canonical_policy(s) == s for s in suggestions)


# --- properties of the canonical form (DESIGN §2 "Policy number")

canonical_chars = st.sampled_from(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZЖЗБДФЯ"))
canonicals = st.text(canonical_chars, min_size=1, max_size=MAX_LENGTH)
separators = st.text(st.sampled_from(["/", "\\", "-", ".", "_", " ", "\u00a0", "\t", "\u2013", "\u2212"]), max_size=3)
LOOK_ALIKES = dict(zip("ABEKMHOPCTXY", "АВЕКМНОРСТХУ", strict=True))


@settings(max_examples=300, deadline=None)
@given(st.text(policy_chars, min_size=1, max_size=30))
def test_canonical_form_is_idempotent(text):
    try:
        canonical = canonical_policy(text)
    except InputError:
        return
    assert canonical_policy(canonical) == canonical
    assert not set(canonical) & set("/\\-._ ")


@settings(max_examples=300, deadline=None)
@given(canonicals, st.data())
def test_separators_anywhere_are_irrelevant(canonical, data):
    spelled = "".join(ch + data.draw(separators) for ch in canonical)
    assert canonical_policy(data.draw(separators) + spelled) == canonical


@settings(max_examples=300, deadline=None)
@given(canonicals, st.data())
def test_cyrillic_look_alikes_and_case_are_folded(canonical, data):
    spelled = "".join(
        data.draw(st.sampled_from([ch, ch.lower(), LOOK_ALIKES.get(ch, ch), LOOK_ALIKES.get(ch, ch).lower()]))
        for ch in canonical
    )
    assert canonical_policy(spelled) == canonical


@settings(max_examples=300, deadline=None)
@given(st.text(canonical_chars, max_size=MAX_LENGTH - 1), st.sampled_from("0O3З1I"), st.data())
def test_confusable_letters_and_digits_are_never_folded(canonical, glyph, data):
    """O/0 (Cyrillic О too), З/3, I/1: one glyph swapped is another policy."""
    i = data.draw(st.integers(0, len(canonical)))
    swapped = {"0": "OО", "O": "0", "3": "З", "З": "3", "1": "I", "I": "1"}[glyph]
    meant = canonical[:i] + glyph + canonical[i:]
    typed = canonical[:i] + data.draw(st.sampled_from(swapped)) + canonical[i:]
    assert canonical_policy(typed) != canonical_policy(meant)
