"""Errors the user can fix by typing something else."""


class InputError(ValueError):
    """A typed, user-fixable input error.

    `code` is a stable dotted key (also the i18n message key suffix), `field` the
    field name, `details` safe parameters for the message (e.g. suggestions).
    The message carries only field and code: details may hold personal data and
    exceptions end up in logs.
    """

    def __init__(self, field: str, code: str, **details):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.details = details

    def __reduce__(self):
        # Keyword-only details would be lost by the default pickling of exceptions
        # (multiprocessing imports pass errors between processes).
        return _rebuild, (self.field, self.code, self.details)


def _rebuild(field: str, code: str, details: dict) -> InputError:
    return InputError(field, code, **details)
