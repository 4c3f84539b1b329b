"""A person's phone: Russian mobile numbers only, stored as E.164.

The answer is by definition phonenumbers' (`_normalize_phone_reference`). Parsing
with phonenumbers costs 30-60 µs, too slow for a million-row registry import, so
the usual shapes (`9XXXXXXXXX`, `79XXXXXXXXX`, `89XXXXXXXXX`, `+79XXXXXXXXX`
with common separators) are decided by phonenumbers' own RU mobile pattern,
compiled once, and so are the usual refusals (a landline or a toll-free number,
`+7 (495) …`, `8 800 …`, and a Kazakh one, `+7 7XX …`) by its RU and KZ patterns;
everything else goes through phonenumbers. Property tests check that the paths agree.
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from core.errors import InputError

FIELD = "phone"

_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)

# Every Unicode whitespace (tab, thin and narrow no-break spaces pasted from
# documents...) counts as a plain space; phonenumbers itself knows only a few.
_WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_TO_SPACE = str.maketrans(_WHITESPACE, " " * len(_WHITESPACE))

# Separators the fast path drops: whitespace plus the punctuation that
# phonenumbers ignores between digits and that has no other meaning for it
# ('/', '~', 'x', ',', ';', '#' can start a second number or an extension).
_FAST_DROP = str.maketrans("", "", _WHITESPACE + "-().\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_FAST_SHAPE = re.compile(r"(?:\+7|[78])?(9[0-9]{9})")
_FAST_MAX_LEN = 250  # phonenumbers refuses longer input outright

_RU = phonenumbers.PhoneMetadata.metadata_for_region("RU")
# Every RU mobile national number starts with 9 and has 10 digits, and no other
# RU number type starts with 9, so for a 10-digit 9XXXXXXXXX this pattern alone
# decides "valid mobile" versus "invalid" exactly as phonenumbers does. Checked
# roughly below against the installed metadata, exhaustively by the tests.
_RU_MOBILE = re.compile(_RU.mobile.national_number_pattern)
assert _RU.mobile.possible_length == (10,) and _RU.mobile.national_number_pattern.startswith("9")
assert not any(
    desc is not None and desc.national_number_pattern.startswith("9")
    for desc in (_RU.fixed_line, _RU.toll_free, _RU.premium_rate, _RU.personal_number, _RU.voip, _RU.uan)
)


# The usual shape holding a valid mobile number, in one match: most numbers of a registry. ASCII:
# the pattern's \d must not take other scripts' digits, which the shape's [0-9] leaves to phonenumbers.
_FAST_MOBILE = re.compile(rf"(?:\+7|[78])?({_RU.mobile.national_number_pattern})", re.ASCII)


def _valid_national(region: str) -> re.Pattern[str]:
    """A 10-digit national number of `region` of some type, as phonenumbers' `_number_type_helper`
    tells one from UNKNOWN: its general pattern, and the pattern of a type whose lengths take 10 digits."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert 10 in metadata.general_desc.possible_length and not metadata.same_mobile_and_fixed_line_pattern
    kinds = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail")
    types = [getattr(metadata, kind) for kind in (*kinds, "fixed_line", "mobile")]
    patterns = [
        desc.national_number_pattern
        for desc in types
        if desc is not None
        and desc.national_number_pattern
        and (not desc.possible_length or 10 in desc.possible_length)
    ]
    general = metadata.general_desc.national_number_pattern
    return re.compile(rf"(?=(?:{general})\Z)(?:{'|'.join(patterns)})")


# A 10-digit national number led by 3, 4, 7 or 8, written `+7N`, `8N` or `N` (not `810…`: a bare
# number so led is dialled abroad): phonenumbers parses it as +7 N. For +7 numbers it looks the region
# up by the leading digits, RU's `[3489]` or else KZ's `7`, so the number is RU's not mobile one when
# RU's patterns take it (none of RU's other types starts with 9), a foreign (KZ) one when it starts
# with 7 and KZ's take it, invalid otherwise. A 7… number RU's patterns take would be typed by KZ's:
# left to phonenumbers.
_FAST_OTHER = re.compile(r"\+7([3478][0-9]{9})|8([3478][0-9]{9})|(?!810)([3478][0-9]{9})")
_VALID_RU = _valid_national("RU")
_VALID_KZ = _valid_national("KZ")
assert phonenumbers.COUNTRY_CODE_TO_REGION_CODE[7] == ("RU", "KZ")
assert (_RU.leading_digits, phonenumbers.PhoneMetadata.metadata_for_region("KZ").leading_digits) == ("[3489]", "7")
assert (_RU.international_prefix, _RU.national_prefix_for_parsing) == ("810", "8")


def normalize_phone(text: str) -> str:
    """A Russian mobile number in any usual form → E.164 (`+79161234567`)."""
    if len(text) <= _FAST_MAX_LEN:
        dropped = text.translate(_FAST_DROP)
        mobile = _FAST_MOBILE.fullmatch(dropped)
        if mobile is not None:
            return "+7" + mobile.group(1)
        shape = _FAST_SHAPE.fullmatch(dropped)
        if shape is not None:
            national = shape.group(1)
            if _RU_MOBILE.fullmatch(national):
                return "+7" + national
            raise InputError(FIELD, "phone.invalid")
        other = _FAST_OTHER.fullmatch(dropped)
        if other is not None:
            national = other.group(other.lastindex or 0)
            russian = _VALID_RU.fullmatch(national) is not None
            if national[0] != "7":
                raise InputError(FIELD, "phone.not_mobile" if russian else "phone.invalid")
            if not russian:
                raise InputError(FIELD, "phone.foreign" if _VALID_KZ.fullmatch(national) else "phone.invalid")
    return _normalize_phone_reference(text)


def _normalize_phone_reference(text: str) -> str:
    """The definition: phonenumbers' parse, validation and type, per number."""
    text = text.translate(_TO_SPACE)
    if not text.strip():
        raise InputError(FIELD, "phone.empty")
    try:
        number = phonenumbers.parse(text, "RU")
    except NumberParseException:
        raise InputError(FIELD, "phone.invalid") from None
    if phonenumbers.is_valid_number_for_region(number, "RU"):
        if phonenumbers.number_type(number) in _MOBILE_TYPES:
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
        raise InputError(FIELD, "phone.not_mobile")
    if phonenumbers.is_valid_number(number):
        raise InputError(FIELD, "phone.foreign")
    raise InputError(FIELD, "phone.invalid")


_E164_RU = re.compile(r"\+7([0-9]{3})[0-9]{5}([0-9]{2})")


def mask_phone(e164: str) -> str:
    """`+79161234567` → `+7 916 ***-**-67`; anything else keeps only its last two characters."""
    parts = _E164_RU.fullmatch(e164)
    if parts:
        return f"+7 {parts.group(1)} ***-**-{parts.group(2)}"
    return "*" * max(len(e164) - 2, 0) + e164[-2:]
