"""Normalisation of what people type and what import files hold (same code for both)."""

from core.normalize.dates import age_on, parse_birth_date, parse_date, read_birth_date, read_date
from core.normalize.email import email_key, email_with_key, normalize_email
from core.normalize.names import (
    display_name,
    name_key,
    patronymic_key,
    patronymic_matches,
    same_name,
    same_patronymic,
)
from core.normalize.phone import mask_phone, normalize_phone
from core.normalize.policy import canonical_policy, policy_suggestions
from core.normalize.translit import is_latin_key, latin_key

__all__ = [
    "age_on",
    "canonical_policy",
    "display_name",
    "email_key",
    "email_with_key",
    "is_latin_key",
    "latin_key",
    "mask_phone",
    "name_key",
    "normalize_email",
    "normalize_phone",
    "parse_birth_date",
    "parse_date",
    "patronymic_key",
    "patronymic_matches",
    "policy_suggestions",
    "read_birth_date",
    "read_date",
    "same_name",
    "same_patronymic",
]
