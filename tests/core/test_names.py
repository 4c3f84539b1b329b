import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.normalize.names import (
    MAX_LENGTH,
    display_name,
    name_key,
    patronymic_key,
    patronymic_matches,
    same_name,
    same_patronymic,
)
from core.normalize.translit import latin_key


def code_of(function, text):
    try:
        function(text)
    except InputError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    "text",
    [
        "Салтыков-Щедрин",
        "Салтыков - Щедрин",
        "Салтыков -Щедрин",
        "Салтыков–Щедрин",
        "Салтыков — Щедрин",
        "Салтыков\u2011Щедрин",
        "Салтыков\u2212Щедрин",
        "САЛТЫКОВ-ЩЕДРИН",
        "  салтыков  -  щедрин  ",
        "Салтыков\u00a0-\u00a0Щедрин",
        "Салтыков--Щедрин",
        "Салтыков-Щедрин\u200b",
        "Салтыков-\u00adЩедрин-",
        "Cалтыков-Щeдрин",  # Latin C and e
    ],
)
def test_hyphenated_surname_variants(text):
    assert name_key(text, "last_name") == "салтыков-щедрин"


@pytest.mark.parametrize(
    "a, b",
    [
        ("Семёнова", "Семенова"),
        ("Алёна", "Алена"),
        ("АЛЁНА", "алена"),
        ("Ceмёнoва", "Семенова"),
        ("AЛЕНA", "Алена"),
        ("Иванoв", "Иванов"),
        ("Пётр", "ПЕТР"),
        ("Алëна", "Алена"),  # Latin ë
        ("Мария  Анна", "мария анна"),
        ("Мария\u00a0Анна", "Мария Анна"),
        ("Ива́нов", "Иванов"),
        ("D’Artagnan", "d'artagnan"),
        ("D´Artagnan", "D'Artagnan"),
        ("Марʼяна", "Мар'яна"),
        ("Ｉｖａｎ", "ivan"),
        ("Се\u0308мёнова", "Семенова"),
        ("Семё\u0301нова", "Семенова"),
    ],
)
def test_equal_keys(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    "text, key",
    [
        ("Smith", "smith"),
        ("Copoka", "copoka"),  # entirely Latin stays Latin, even of look-alikes
        ("Jоhn", "john"),  # Latin word with a Cyrillic о: made Latin
        ("Иванов", "иванов"),
        ("O'Neil", "o'neil"),
    ],
)
def test_scripts(text, key):
    assert name_key(text) == key


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "name.empty"),
        ("   ", "name.empty"),
        ("\u00a0\t", "name.empty"),
        ("-", "name.empty"),
        ("Иван1", "name.invalid"),
        ("Иван!", "name.invalid"),
        ("Иван.", "name.invalid"),
        ("'", "name.invalid"),
        ("Иван_Иванов", "name.invalid"),
        ("Ivan@", "name.invalid"),
        ("Иван (Ваня)", "name.invalid"),
        ("Иван ¨", "name.invalid"),  # a spacing diaeresis: an accent on nothing
        ("Я" * (MAX_LENGTH + 1), "name.too_long"),
    ],
)
def test_refusals(text, code):
    assert code_of(name_key, text) == code


def test_error_carries_the_field():
    with pytest.raises(InputError) as caught:
        name_key("", "first_name")
    assert (caught.value.field, caught.value.code) == ("first_name", "name.empty")
    assert name_key("Я" * MAX_LENGTH)


@pytest.mark.parametrize(
    "text",
    [
        "Гасан оглы",
        "Гасан-оглы",
        "Гасаноглы",
        "гасан  ОГЛЫ",
        "Гасан – оглы",
        "Гасан\u00a0оглы",
        "Гасан Oглы",
    ],
)
def test_particles_glued_to_the_patronymic(text):
    assert patronymic_key(text) == "гасаноглы"


@pytest.mark.parametrize(
    "text",
    [
        "Gasan ogly",
        "Gasan-ogly",
        "Gasanogly",
        "GASAN OGLY",
        "gasan  Ogly",
        "Gasan – ogly",
        "Gasan\u00a0ogly",
    ],
)
def test_latin_particles_glued_like_the_passport_spells_them(text):
    assert patronymic_key(text) == "gasanogly" == latin_key(patronymic_key("Гасан оглы"))
    assert same_patronymic(patronymic_key("Гасан оглы"), patronymic_key(text))


@pytest.mark.parametrize(
    "text, key",
    [
        ("Мамед кызы", "мамедкызы"),
        ("Асан уулу", "асануулу"),
        ("Hasan ogly", "hasanogly"),
        ("Оглы", "оглы"),
        ("Иванович", "иванович"),
        ("Ёлкина", "елкина"),
        (None, ""),
        ("", ""),
        ("  ", ""),
        ("-", ""),
    ],
)
def test_patronymic_keys(text, key):
    assert patronymic_key(text) == key


def test_patronymic_refusals():
    assert code_of(patronymic_key, "Иванович2") == "name.invalid"
    with pytest.raises(InputError) as caught:
        patronymic_key("??")
    assert caught.value.field == "patronymic"


@pytest.mark.parametrize(
    "registry, typed, ok",
    [
        ("иванович", "иванович", True),
        ("иванович", "", False),
        ("иванович", "петрович", False),
        ("", "", True),
        ("", "петрович", True),
        ("гасаноглы", patronymic_key("Гасан оглы"), True),
    ],
)
def test_patronymic_matches(registry, typed, ok):
    assert patronymic_matches(registry, typed) is ok


@pytest.mark.parametrize(
    "registry, typed, ok",
    [
        ("иванович", "ivanovich", True),
        ("иванович", "", False),
        ("", "ivanovich", True),
        ("", "", True),
        ("иванович", "petrovich", False),
        ("мамедкызы", patronymic_key("Mamed kyzy"), True),
    ],
)
def test_same_patronymic_reads_latin_like_the_passport(registry, typed, ok):
    assert same_patronymic(registry, typed) is ok
    assert patronymic_matches(registry, typed) is (not registry or registry == typed)  # exact keys only


@pytest.mark.parametrize(
    "registry, typed, ok",
    [
        (name_key("Семёнова"), name_key("Semenova"), True),
        (name_key("Алёна"), name_key("ALENA"), True),
        (name_key("Алёна"), name_key("Aljona"), False),
        (name_key("Семёнова"), name_key("Семенова"), True),
        (name_key("Зайцев"), name_key("Заицев"), False),
        (name_key("Зайцев"), name_key("Zaitsev"), True),
    ],
)
def test_same_name(registry, typed, ok):
    assert same_name(registry, typed) is ok


@pytest.mark.parametrize(
    "text, shown",
    [
        ("  Салтыков  -  Щедрин ", "Салтыков-Щедрин"),
        ("Семёнова", "Семёнова"),
        ("Мария\u00a0 Анна", "Мария Анна"),
        ("Салтыков\u2014Щедрин", "Салтыков-Щедрин"),
        ("", ""),
        ("Ｉｖａｎ", "Ivan"),
        ("Гасан оглы", "Гасан оглы"),
    ],
)
def test_display_name(text, shown):
    assert display_name(text) == shown


# --- properties ------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_gives_a_key_or_an_input_error(text):
    for function in (name_key, patronymic_key):
        try:
            key = function(text)
        except InputError as error:
            assert error.code in {"name.empty", "name.invalid", "name.too_long"}
            continue
        assert function(key) == key
        assert function(display_name(text)) == key
    assert display_name(display_name(text)) == display_name(text)


name_chars = st.sampled_from(
    list(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяABCEHKMOPTXYaceopxyjlnsqë- '’´`\u00a0–\u200b"
        "\u0301\u0300\u0308\u0306\u0323ѓѐİß"  # accents, combining or not, that NFKC/NFD move around
    )
)


@settings(max_examples=600, deadline=None)
@given(st.text(name_chars, min_size=1, max_size=30))
def test_keys_of_name_like_text_are_idempotent(text):
    for function in (name_key, patronymic_key):
        try:
            key = function(text)
        except InputError:
            continue
        assert function(key) == key
        assert function(display_name(text)) == key


LOOK_ALIKES = dict(zip("АВЕКМНОРСТХУаеорсху", "ABEKMHOPCTXYaeopcxy", strict=True))
CYRILLIC_NAMES = ["Салтыков-Щедрин", "Семёнова", "Алёна", "Иванов", "Петрова Анна", "Шмолина", "Ковалёва", "Жумабаев"]


@st.composite
def disguised(draw):
    """A Cyrillic name retyped: case, ё/е, some look-alikes, dashes and spaces changed."""
    name = draw(st.sampled_from(CYRILLIC_NAMES))
    words = []
    for word in name.replace("-", " - ").split(" "):
        letters = []
        for ch in word:
            if ch in "ёЁ" and draw(st.booleans()):
                ch = "е" if ch == "ё" else "Е"
            if draw(st.booleans()):
                ch = ch.swapcase()
            letters.append(ch)
        keep = [i for i, ch in enumerate(letters) if ch.isalpha() and ch not in LOOK_ALIKES]
        for i, ch in enumerate(letters):  # a word keeps at least one Cyrillic letter without a Latin twin
            if ch in LOOK_ALIKES and keep and draw(st.booleans()):
                letters[i] = LOOK_ALIKES[ch]
        words.append("".join(letters))
    text = ""
    for word in words:
        text += word if word == "-" else word.replace("-", draw(st.sampled_from(["-", "–", "—", "\u2011"])))
        text += draw(st.sampled_from([" ", "  ", "\u00a0", " \t"]))
    return name, draw(st.sampled_from(["", " ", "\u00a0"])) + text


@settings(max_examples=300, deadline=None)
@given(disguised())
def test_disguised_names_meet_at_one_key(pair):
    name, typed = pair
    assert name_key(typed) == name_key(name)
    assert patronymic_key(typed) == patronymic_key(name)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=200))
def test_display_name_never_raises(text):
    shown = display_name(text)
    assert shown == shown.strip(" -") and "  " not in shown
