"""Names typed in Latin: the passport (ICAO Doc 9303) spelling of the registry's Cyrillic keys."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.normalize import is_latin_key, latin_key, name_key, patronymic_key, same_name, same_patronymic
from core.normalize.translit import loose_latin

ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}


def test_the_table_is_the_whole_alphabet() -> None:
    assert set(ICAO) == set(ALPHABET) and len(ALPHABET) == 33


@pytest.mark.parametrize(("letter", "latin"), ICAO.items())
def test_every_letter(letter: str, latin: str) -> None:
    assert latin_key(letter) == latin
    assert latin_key("а" + letter + "а") == "a" + latin + "a"


# A surname, first name or patronymic as the registry holds it, and the passport's spelling.
NAMES = [
    ("Салтыков-Щедрин", "saltykov-shchedrin"),
    ("Семёнова", "semenova"),
    ("Алёна", "alena"),
    ("Щукин", "shchukin"),
    ("Юлия", "iuliia"),
    ("Ярослав", "iaroslav"),
    ("Хабибуллин", "khabibullin"),
    ("Подъячев", "podieiachev"),
    ("Ильин", "ilin"),
    ("Эльвира", "elvira"),
    ("Цой", "tsoi"),
    ("Жанна", "zhanna"),
    ("Чайковский", "chaikovskii"),
    ("Шишкин", "shishkin"),
    ("Рыжов", "ryzhov"),
    ("Алиев", "aliev"),
    ("Рашид", "rashid"),
    ("Фёдор", "fedor"),
    ("Объедков", "obieedkov"),
    ("Наталья", "natalia"),
    ("Татьяна", "tatiana"),
    ("Ксения", "kseniia"),
    ("Дмитрий", "dmitrii"),
    ("Евгений", "evgenii"),
    ("Пётр", "petr"),
    ("Вьюгин", "viugin"),
    ("Зайцев", "zaitsev"),
    ("Ёлкин", "elkin"),
    ("Гусейнов", "guseinov"),
    ("Мухаммед", "mukhammed"),
    ("Анна Мария", "anna mariia"),
    ("Мар'яна", "mar'iana"),
    ("Бобров-Эйдельман", "bobrov-eidelman"),
    ("Оксана", "oksana"),
    ("Smith", "smith"),
    ("O'Neil", "o'neil"),  # a registry name already in Latin stays itself
]


def test_the_names_cover_every_letter() -> None:
    assert set(ALPHABET) <= set("".join(name for name, _ in NAMES).lower())


@pytest.mark.parametrize(("name", "latin"), NAMES)
def test_names(name: str, latin: str) -> None:
    key = name_key(name)
    assert latin_key(key) == latin
    assert name_key(latin) == latin  # the spelling typed back is a key of its own
    assert same_name(key, name_key(latin.upper()))


@pytest.mark.parametrize(
    ("patronymic", "latin"),
    [
        ("Гасан оглы", "gasanogly"),
        ("Гасан-оглы", "gasanogly"),
        ("Гасаноглы", "gasanogly"),
        ("Мамед кызы", "mamedkyzy"),
        ("Асан уулу", "asanuulu"),
        ("Иванович", "ivanovich"),
        ("Ильинична", "ilinichna"),
        ("Вениаминовна", "veniaminovna"),
        ("Аркадьевич", "arkadevich"),
    ],
)
def test_patronymics(patronymic: str, latin: str) -> None:
    assert latin_key(patronymic_key(patronymic)) == latin


def test_aliev_rashid_gasan_ogly() -> None:
    last, first, patronymic = name_key("Алиев"), name_key("Рашид"), patronymic_key("Гасан оглы")
    assert (latin_key(last), latin_key(first), latin_key(patronymic)) == ("aliev", "rashid", "gasanogly")
    for typed in ("Gasan ogly", "Gasan-ogly", "Gasanogly", "GASAN OGLY", "Gasan – Ogly"):
        assert same_patronymic(patronymic, patronymic_key(typed))


@pytest.mark.parametrize(
    ("key", "latin"),
    [
        ("ivanov", True),
        ("o'neil", True),
        ("josé", True),
        ("anna-maria", True),
        ("иванов", False),
        ("ivanов", False),
        ("", False),
        ("-", False),
        ("αλέξης", False),
        ("жумабаев", False),
    ],
)
def test_is_latin_key(key: str, latin: bool) -> None:
    assert is_latin_key(key) is latin


@pytest.mark.parametrize(
    ("registry", "typed", "same"),
    [
        ("иванов", "ivanov", True),
        ("зайцев", "zaitsev", True),
        ("заицев", "zaitsev", True),
        ("зайцев", "заицев", False),  # Cyrillic is compared as typed: stronger than the transliterations
        ("салтыков-щедрин", "saltykov-shchedrin", True),
        ("салтыков-щедрин", "saltykov-schedrin", False),
        ("салтыков-щедрин", "saltykovshchedrin", False),
        ("салтыков-щедрин", "saltykov shchedrin", False),
        ("юлия", "yulia", False),
        ("юлия", "iuliia", True),
        ("сорока", "copoka", False),  # look-alikes are not read
        ("smith", "smith", True),
        ("smith", "смит", False),
        ("иванов", "иванов", True),
        ("иванов", "ivanova", False),
    ],
)
def test_same_name(registry: str, typed: str, same: bool) -> None:
    assert same_name(registry, typed) is same


@pytest.mark.parametrize(
    ("registry", "typed", "same"),
    [
        ("", "", True),
        ("", "ivanovich", True),
        ("", "иванович", True),  # the registry has none: ignored
        ("иванович", "ivanovich", True),
        ("иванович", "иванович", True),
        ("иванович", "", False),
        ("иванович", "ivanovitch", False),
        ("гасаноглы", "gasanogly", True),
        ("гасаноглы", "gasan", False),
    ],
)
def test_same_patronymic(registry: str, typed: str, same: bool) -> None:
    assert same_patronymic(registry, typed) is same


# --- properties ------------------------------------------------------------------

keys = st.text(st.sampled_from(ALPHABET + "abcdefghijklmnopqrstuvwxyz- 'і"), max_size=30)
word = st.text(st.sampled_from(ALPHABET + ALPHABET.upper()), min_size=1, max_size=12).filter(
    lambda w: w.strip("ьЬ")  # a word of soft signs only would spell nothing
)
cyrillic_names = st.lists(st.tuples(word, st.sampled_from(["-", " "])), min_size=1, max_size=3).map(
    lambda parts: "".join(w + sep for w, sep in parts)[:-1]
)


@settings(max_examples=200, deadline=None)
@given(keys)
def test_latin_key_is_deterministic_and_idempotent(key: str) -> None:
    latin = latin_key(key)
    assert latin == latin_key(key)
    assert latin_key(latin) == latin
    assert not set(latin) & set(ALPHABET)


@settings(max_examples=200, deadline=None)
@given(cyrillic_names)
def test_the_passport_spelling_of_a_registry_name_matches_it(name: str) -> None:
    registry = name_key(name)
    typed = name_key(latin_key(registry).upper())  # the user types what the passport shows
    assert typed == latin_key(registry) and is_latin_key(typed)
    assert same_name(registry, typed)
    assert same_patronymic(patronymic_key(name), patronymic_key(latin_key(patronymic_key(name))))


@settings(max_examples=200, deadline=None)
@given(cyrillic_names, st.data())
def test_one_letter_changed_no_longer_matches(name: str, data: st.DataObject) -> None:
    registry = name_key(name)
    latin = latin_key(registry)
    at = data.draw(st.sampled_from([i for i, ch in enumerate(latin) if ch.isalpha()]))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    changed = latin[:at] + letter + latin[at + 1 :]
    assume(changed != latin)
    assert not same_name(registry, changed)
    assert not same_name(registry, name_key(changed))
    assert not same_patronymic(registry, changed)


@settings(max_examples=200, deadline=None)
@given(cyrillic_names, cyrillic_names)
def test_cyrillic_is_compared_exactly(a: str, b: str) -> None:
    ka, kb = name_key(a), name_key(b)
    assert same_name(ka, kb) is (ka == kb)


# --- loose_latin: the search form (clinics searched in Latin letters)

RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


@pytest.mark.parametrize(
    "cyrillic, typed",
    [
        ("Медси", "Medsi"),
        ("Здоровье", "Zdorovye"),
        ("Здоровье", "zdorovie"),
        ("Ёлка", "Yolka"),
        ("Челябинск", "Chelyabinsk"),
        ("Нижний Новгород", "Nizhny Novgorod"),
        ("Семейный доктор", "Semeyny doktor"),
        ("Хабаровск", "Habarovsk"),
        ("Щёлково", "Shchyolkovo"),
        ("Мария", "Maria"),
        ("Ольга", "Olga"),
    ],
)
def test_common_english_spellings_meet_the_cyrillic(cyrillic: str, typed: str) -> None:
    assert loose_latin(typed) in loose_latin(cyrillic)


@given(st.text(max_size=60))
def test_loose_latin_is_idempotent(text: str) -> None:
    assert loose_latin(loose_latin(text)) == loose_latin(text)


@given(st.text(alphabet=RUSSIAN_LETTERS + " -", min_size=1, max_size=40))
def test_the_passport_spelling_of_a_russian_text_finds_it(text: str) -> None:
    key = text.replace("ё", "е")
    assert loose_latin(latin_key(key)) == loose_latin(text)


@given(st.text(alphabet=RUSSIAN_LETTERS + " ", min_size=4, max_size=40), st.data())
def test_a_part_of_a_word_in_latin_is_found_in_the_whole(text: str, data: st.DataObject) -> None:
    """Within one word, a substring's spelling is found in the word's (cut at letter boundaries)."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    part = text[start:end]
    # A cut between two letters that loosen together (т|с, к|х, a doubled letter, и|е …) may spell apart:
    # only cuts at spaces are promised.
    if (start and text[start - 1] != " ") or (end < len(text) and text[end] != " "):
        return
    assert loose_latin(latin_key(part.replace("ё", "е"))) in loose_latin(text)
