"""Text as Telegram counts it (UTF-16 units) and as a database keeps it (core.free_text), and the forms that
use it: requests, support questions, clinic search, long replies cut into messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cabinet.clinics import search_needle, search_query
from core.cabinet.paging import text_chunks
from core.cabinet.requests import MAX_PREFERRED_TIME, MAX_TEXT, preferred_time, request_text
from core.errors import InputError
from core.free_text import INVISIBLE, blank, clip_utf16, cut_utf16, strip_control, utf16_len
from core.normalize import name_key

EMOJI = "😀"  # U+1F600: two UTF-16 units, one code point
# Every character, lone surrogates included (Python strings may hold them; Telegram never sends them).
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=200)


def test_utf16_len_counts_astral_characters_twice() -> None:
    assert utf16_len("") == 0
    assert utf16_len("abc") == 3
    assert utf16_len("абв") == 3
    assert utf16_len(EMOJI) == 2
    assert utf16_len(EMOJI * 2000) == 4000
    assert utf16_len("👩‍⚕️") == 5  # woman, zero-width joiner, staff of Aesculapius, variation selector
    assert utf16_len("\ud800") == 1  # a lone surrogate does not break the count


@pytest.mark.parametrize(
    "text, limit, cut",
    [
        ("abcdef", 4, "abcd"),
        ("ab" + EMOJI, 3, "ab"),  # the pair is not split
        ("ab" + EMOJI, 4, "ab" + EMOJI),
        (EMOJI * 3, 5, EMOJI * 2),
        (EMOJI, 1, ""),
        ("abc", 0, ""),
        ("abc", 10, "abc"),
    ],
)
def test_cut_utf16(text: str, limit: int, cut: str) -> None:
    assert cut_utf16(text, limit) == cut


@given(st.text(max_size=300), st.integers(0, 400))
def test_cut_utf16_is_the_longest_prefix_that_fits(text: str, limit: int) -> None:
    cut = cut_utf16(text, limit)
    assert text.startswith(cut) and utf16_len(cut) <= limit
    assert cut == text or utf16_len(text[: len(cut) + 1]) > limit


def test_clip_utf16_ends_with_an_ellipsis_when_cut() -> None:
    assert clip_utf16("short", 10) == "short"
    assert clip_utf16(EMOJI * 10, 7) == EMOJI * 3 + "…"
    assert utf16_len(clip_utf16(EMOJI * 3000, MAX_TEXT)) <= MAX_TEXT


def test_strip_control_drops_c0_c1_nul_and_lone_surrogates_but_keeps_lines_and_tabs() -> None:
    assert strip_control("Hello\x00 world") == "Hello world"
    assert strip_control("line 1\r\nline 2\tend") == "line 1\nline 2\tend"
    assert strip_control("a\x1b[31mred\x7f\x85\x9fb") == "a[31mredb"
    assert strip_control("лишний \ud800суррогат") == "лишний суррогат"
    kept = "Обычный текст — с «кавычками», эмодзи 😀 и zero-width joiner 👩‍⚕️ и\u00a0nbsp"
    assert strip_control(kept) == kept


@given(ANY_TEXT)
def test_stripped_text_is_storable_anywhere(text: str) -> None:
    clean = strip_control(text)
    clean.encode("utf-8")  # no lone surrogate left: PostgreSQL and SQLite store it
    assert "\x00" not in clean
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) for ch in clean)
    assert strip_control(clean) == clean


# What a text that shows nothing is made of: zero-width spaces and joiners, word joiner, BOM, soft hyphen,
# variation selectors, Hangul fillers, braille blank, bidi marks and isolates, tags; white space; controls.
SHOWS_NOTHING = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\ufe0f",
    "\U000e0100",
    "\u3164",
    "\u115f",
    "\uffa0",
    "\u2800",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u202e",
    "\u2066",
    "\u2069",
    "\U000e0041",
    " ",
    "\u00a0",
    "\u3000",
    "\n",
    "\t",
    "\x00",
    "\x85",
)
NOTHING = st.text(st.sampled_from(SHOWS_NOTHING) | st.sampled_from(sorted(INVISIBLE)), max_size=50)
# A character that shows: a letter, digit, punctuation or symbol of any script.
SHOWS = st.characters(categories=("L", "N", "P", "S")).filter(lambda ch: ch not in INVISIBLE)


@given(NOTHING)
def test_a_text_of_invisible_characters_is_an_empty_answer_at_every_free_text_step(text: str) -> None:
    assert blank(text)
    for step in (request_text, preferred_time, search_query):
        with pytest.raises(InputError) as error:
            step(text)
        assert error.value.code in ("request.empty", "search.too_short")
    with pytest.raises(InputError) as error:
        name_key(text)
    assert error.value.code in ("name.empty", "name.invalid")  # a control character is not a name either


def test_a_name_of_fillers_is_empty() -> None:
    for text in ("\u3164", "\u2800 \u2800", "\u200b\ufe0f\u00ad", "\uffa0\u115f"):
        with pytest.raises(InputError) as error:
            name_key(text)
        assert error.value.code == "name.empty"
    assert name_key("Ива\u3164нов\u2800") == "иванов"


@given(NOTHING, SHOWS, NOTHING)
def test_one_visible_character_is_not_blank(before: str, shown: str, after: str) -> None:
    assert not blank(before + shown + after)
    assert not blank("👩‍⚕️") and not blank("a\u200b")


def test_a_request_of_2000_emoji_is_over_the_limit_as_telegram_counts() -> None:
    assert request_text("x" * MAX_TEXT) == "x" * MAX_TEXT
    assert request_text(EMOJI * (MAX_TEXT // 2)) == EMOJI * (MAX_TEXT // 2)
    with pytest.raises(InputError) as error:
        request_text(EMOJI * MAX_TEXT)
    assert error.value.code == "request.too_long"
    assert error.value.details == {"max": MAX_TEXT, "length": 2 * MAX_TEXT}


def test_request_texts_lose_control_characters_before_they_are_counted_and_stored() -> None:
    assert request_text("  Нужна\x00 справка\r\n для бассейна \x07 ") == "Нужна справка\n для бассейна"
    with pytest.raises(InputError) as error:
        request_text("\x00\x01 \r\n ")
    assert error.value.code == "request.empty"
    assert preferred_time("завтра\x00 с 10") == "завтра с 10"
    with pytest.raises(InputError):
        preferred_time(EMOJI * (MAX_PREFERRED_TIME // 2 + 1))


def test_clinic_search_is_cleaned_and_counted_in_units() -> None:
    assert search_query("  улыб\x00ка ") == "улыбка"
    assert search_needle("Улыбка") == "улыбка"
    with pytest.raises(InputError) as error:
        search_query("\x00a\x00")
    assert error.value.code == "search.too_short"
    with pytest.raises(InputError) as error:
        search_query(EMOJI * 51)
    assert error.value.code == "search.too_long"


def test_text_chunks_count_utf16_units() -> None:
    chunks = text_chunks(EMOJI * 10, 5)
    assert chunks == [EMOJI * 2] * 5
    assert text_chunks("ab" + EMOJI + "cd", 3) == ["ab", EMOJI + "c", "d"]
    with pytest.raises(ValueError):
        text_chunks("abc", 1)


@given(st.text(min_size=1, max_size=400), st.integers(2, 60))
def test_text_chunks_fit_in_units_and_keep_every_visible_character(text: str, size: int) -> None:
    chunks = text_chunks(text, size)
    assert all(0 < utf16_len(chunk) <= size for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())
