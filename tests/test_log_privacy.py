"""The log check every test runs under (tests/conftest.py, tests/log_privacy.py) can tell personal data."""

from __future__ import annotations

import logging

import pytest

from tests.log_privacy import Recorder, delivered_codes, personal_data


@pytest.mark.parametrize(
    "line",
    [
        "core.services.registration: refused Иванов",
        "bot.handlers.support: question from ivanov@example.ru",
        "core.gateways.sms: sent to +7 916 100-00-01",
        "core.gateways.sms: sent to 89161000002",
        "core.services.accounts: matched policy AM012345678/13",
        "core.services.accounts: born 1985-03-15",
    ],
)
def test_personal_data_is_found(line: str) -> None:
    assert personal_data(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "bot.handlers.payments: payment 14 succeeded for invoices [3, 4] (person 7)",
        "core.services.registration: refused reason=no_match account=12",
        "bot.outbox_sender: telegram 429, retry after 3 s",
        "core.services.billing: issued 2026/10/3 on 2026-10-01",
        "bot.handlers.staff.find: masked +7 916 ***-**-01",
    ],
)
def test_ids_and_codes_pass(line: str) -> None:
    assert personal_data(line) is None


def test_every_test_runs_with_the_recorder() -> None:
    for name in ("bot", "core"):
        logger = logging.getLogger(name)
        assert logger.level == logging.DEBUG
        assert any(isinstance(handler, Recorder) for handler in logger.handlers)


def test_a_delivered_one_time_code_is_found_and_other_numbers_pass() -> None:
    codes = delivered_codes(["Код для входа: 048213. Никому его не сообщайте.", "Your code: 771900"])
    assert codes == {"048213", "771900"}
    assert personal_data("core.services.codes: code 048213 for user 5001", codes) == "a one-time code"
    for line in ("bot.x: update 1048213 handled", "bot.x: incident 04821300", "core.x: user 5001"):
        assert personal_data(line, codes) is None, line


def test_the_codes_of_this_tests_gateways_are_watched(request, sms_gateway, smtp_sink) -> None:
    from tests.conftest import GATEWAYS

    assert request.node.stash[GATEWAYS] == [sms_gateway, smtp_sink]
