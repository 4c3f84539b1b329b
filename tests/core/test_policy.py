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


@pytest.mark.parametrize("text", [
    "AM012345678/13", "АМ012345678/13", "ам012345678/13", "am 012345678 / 13", "AM.012345678/13",
    "AM_012345678/13", "AM-012345678/13", "АМ–012345678/13", "AM012345678\\13", "№ AM012345678/13",
    " AM\u00a0012345678/13 ", "ＡＭ０１２３４５６７８／１３", "Am012345678/13",
])
def test_one_policy_in_many_spellings(text):
    assert canonical_policy(text) == "AM012345678/13"


@pytest.mark.parametrize("text, canonical", [
    ("123/14", "123/14"), ("ВЕКМНОРСТХУ", "BEKMHOPCTXY"), ("ёЁ1", "EE1"), ("Ж-12", "Ж12"), ("зб 7", "ЗБ7"),
    ("ДМС 77 123/2026", "ДMC77123/2026"),
])
def test_canonical_forms(text, canonical):
    assert canonical_policy(text) == canonical


@pytest.mark.parametrize("a, b", [("AMO12345678/13", "AM012345678/13"), ("З12", "312"), ("I23", "123"), ("L23", "123")])
def test_confusable_glyphs_are_never_folded(a, b):
    assert canonical_policy(a) != canonical_policy(b)


@pytest.mark.parametrize("text, code", [
    ("", "policy.empty"), ("  ", "policy.empty"), (" - . _ ", "policy.empty"),
    ("AM#1", "policy.invalid"), ("123,14", "policy.invalid"), ("ÄÖ1", "policy.invalid"), ("1½", "policy.invalid"),
    ("1" * (MAX_LENGTH + 1), "policy.too_long"), ("1" * MAX_LENGTH, None),
])
def test_refusals(text, code):
    assert code_of(text) == code


def test_sample_registry_policies_are_distinct_and_latin_cyrillic_pairs_meet():
    canonical = [canonical_policy(n) for n in SAMPLE_POLICIES]
    assert len(set(canonical)) == len(SAMPLE_POLICIES)
    assert canonical[2] == "AM012345679/13"
    assert canonical_policy("AM012345678/13") == canonical_policy("АМ012345678/13")


def test_suggestions():
    assert policy_suggestions("AMO12345678/13")[0] == "AM012345678/13"  # the letter O was the slip
    assert policy_suggestions("123/14") == ["I23/14", "12З/14", "123/I4", "I2З/14", "I23/I4", "12З/I4", "I2З/I4"]
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
