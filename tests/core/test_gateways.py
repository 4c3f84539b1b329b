"""SMS and e-mail gateways over real HTTP and SMTP on loopback, against the sandbox emulators."""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
import trustme

from core.calendar import Clock
from core.db.engine import create_engine, create_session_factory
from core.gateways import DeliveryError
from core.gateways.email import LogEmailSender, SmtpEmailSender, build_email_sender
from core.gateways.sms import GenericSmsGateway, LogSmsSender, SmsRuGateway, build_sms_sender
from core.infra.otp_store import DatabaseOtpStore
from core.services.otp import OtpService
from core.settings import ConfigError, Settings, load_settings
from emulators.sms import SmsGatewayEmulator, only_code
from emulators.smtp import SmtpSink

PHONE = "+79161234567"
EMAIL = "ivan.petrov@example.com"
API_ID = "0000AAAA-1111-2222-3333-444455556666"
TEXT = "Код для входа: 482913. Никому его не сообщайте."


@pytest.fixture
async def sms() -> AsyncIterator[SmsGatewayEmulator]:
    async with SmsGatewayEmulator(api_id=API_ID) as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_only_code_wants_exactly_one_six_digit_run() -> None:
    assert only_code(TEXT) == "482913"
    assert only_code("код 000123, телефон +79161234567") == "000123"
    for text in ("нет кода", "12345", "1234567", "111111 и 222222"):
        with pytest.raises(LookupError):
            only_code(text)


# --- SMS


async def test_generic_gateway_delivers(sms: SmsGatewayEmulator, http: aiohttp.ClientSession) -> None:
    seen = []
    sms.on_message.append(lambda phone, text: seen.append(phone))
    await GenericSmsGateway(sms.url, http).send(PHONE, TEXT)
    assert await sms.wait_for(PHONE) == TEXT
    assert sms.messages == [(PHONE, TEXT)] and seen == [PHONE]
    assert sms.last_code(PHONE) == "482913"


@pytest.mark.parametrize("failure", ["http", "provider"])
async def test_generic_gateway_failure_is_a_delivery_error(
    sms: SmsGatewayEmulator, http: aiohttp.ClientSession, failure: str
) -> None:
    sms.fail = failure
    with pytest.raises(DeliveryError) as error:
        await GenericSmsGateway(sms.url, http).send(PHONE, TEXT)
    assert "HTTP" in str(error.value) and PHONE[2:] not in str(error.value)
    assert sms.messages == []


async def test_smsru_gateway_delivers(sms: SmsGatewayEmulator, http: aiohttp.ClientSession) -> None:
    await SmsRuGateway(API_ID, http, base_url=sms.base_url).send(PHONE, TEXT)
    assert await sms.wait_for(PHONE) == TEXT
    assert sms.last_code(PHONE) == "482913"


@pytest.mark.parametrize(
    ("failure", "api_id", "expected"),
    [
        ("http", API_ID, "HTTP 500"),
        ("provider", API_ID, "request: 200"),
        (None, "wrong-key", "request: 200"),
        ("number", API_ID, "number: 202"),
    ],
)
async def test_smsru_refusals_are_delivery_errors(
    sms: SmsGatewayEmulator, http: aiohttp.ClientSession, failure: str | None, api_id: str, expected: str
) -> None:
    sms.fail = failure
    with pytest.raises(DeliveryError, match=expected) as error:
        await SmsRuGateway(api_id, http, base_url=sms.base_url).send(PHONE, TEXT)
    assert PHONE[2:] not in str(error.value) and API_ID not in str(error.value)
    assert sms.messages == []


@pytest.mark.parametrize("provider", ["generic", "smsru"])
async def test_slow_or_absent_gateway_is_a_delivery_error(
    sms: SmsGatewayEmulator, http: aiohttp.ClientSession, provider: str
) -> None:
    sms.delay = 1.0
    slow = (
        GenericSmsGateway(sms.url, http, timeout=0.1)
        if provider == "generic"
        else SmsRuGateway(API_ID, http, base_url=sms.base_url, timeout=0.1)
    )
    with pytest.raises(DeliveryError, match="TimeoutError"):
        await slow.send(PHONE, TEXT)
    absent = f"http://127.0.0.1:{free_port()}"
    gone = GenericSmsGateway(absent + "/send", http) if provider == "generic" else SmsRuGateway(API_ID, http, absent)
    with pytest.raises(DeliveryError, match="unreachable"):
        await gone.send(PHONE, TEXT)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


@pytest.mark.prints_personal_data  # the development fallback prints the code on purpose
async def test_sms_factory_follows_the_settings(http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture) -> None:
    assert isinstance(build_sms_sender(settings(sms_gateway_url="http://gw/send"), http), GenericSmsGateway)
    smsru = build_sms_sender(settings(sms_provider="smsru", smsru_api_id=API_ID), http)
    assert isinstance(smsru, SmsRuGateway) and smsru.url == "https://sms.ru/sms/send"
    with caplog.at_level(logging.INFO, logger="core.gateways.sms"):
        sender = build_sms_sender(settings(), http)
        assert isinstance(sender, LogSmsSender)
        assert not caplog.records  # building it says nothing: the bot process warns (development_fallbacks)
        await sender.send(PHONE, TEXT)
    assert "development only" in sender.development_warning
    assert caplog.records[0].getMessage() == f"SMS to +7 916 ***-**-67: {TEXT}"
    assert PHONE not in caplog.text and "9161234567" not in caplog.text


def test_smsru_needs_its_api_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")  # no project .env
    with pytest.raises(ConfigError, match="SMSRU_API_ID"):
        load_settings(sms_provider="smsru", smsru_api_id=None)
    with pytest.raises(ConfigError, match="SMS_PROVIDER"):
        load_settings(sms_provider="smsc")
    with pytest.raises(ConfigError, match="SMTP_URL"):
        load_settings(smtp_url="mail.example.com:25")


# --- e-mail


@pytest.fixture(scope="module")
def tls() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A throwaway CA: the sink's certificate for 127.0.0.1 and a client context trusting it."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return server, client


async def test_plain_smtp_delivers() -> None:
    async with SmtpSink() as sink:
        seen = []
        sink.on_message.append(seen.append)
        await SmtpEmailSender(sink.url, "no-reply@dms.test").send(EMAIL, "Код подтверждения", TEXT)
        mail = await sink.wait_for(EMAIL)
    assert (mail.to, mail.subject, mail.body.strip()) == (EMAIL, "Код подтверждения", TEXT)
    assert seen == [mail] and sink.last_code(EMAIL) == "482913"


async def test_starttls_with_credentials(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server, client = tls
    # AUTH is accepted only after STARTTLS, so a delivery proves the upgrade happened.
    async with SmtpSink(tls_context=server, credentials=("bot", "p@ss")) as sink:
        assert sink.url == f"smtp://bot:p%40ss@127.0.0.1:{sink.port}"
        await SmtpEmailSender(sink.url, "no-reply@dms.test", tls_context=client).send(EMAIL, "Код", TEXT)
        assert sink.last_code(EMAIL) == "482913"
        wrong = f"smtp://bot:nope@{sink.host}:{sink.port}"
        with pytest.raises(DeliveryError, match="refused: 535"):
            await SmtpEmailSender(wrong, "no-reply@dms.test", tls_context=client).send(EMAIL, "Код", TEXT)


async def test_implicit_tls(tls: tuple[ssl.SSLContext, ssl.SSLContext]) -> None:
    server, client = tls
    async with SmtpSink(tls_context=server, implicit_tls=True) as sink:
        assert sink.url.startswith("smtps://")
        await SmtpEmailSender(sink.url, "no-reply@dms.test", tls_context=client).send(EMAIL, "Код", TEXT)
        assert sink.last_code(EMAIL) == "482913"
        # Without trust in the throwaway CA the certificate is refused.
        with pytest.raises(DeliveryError):
            await SmtpEmailSender(sink.url, "no-reply@dms.test").send(EMAIL, "Код", TEXT)


async def test_smtp_refusal_and_absence_are_delivery_errors() -> None:
    async with SmtpSink() as sink:
        sink.refuse = True
        with pytest.raises(DeliveryError) as error:
            await SmtpEmailSender(sink.url, "no-reply@dms.test").send(EMAIL, "Код", TEXT)
        assert EMAIL not in str(error.value) and sink.messages == []
    with pytest.raises(DeliveryError, match="unreachable"):
        absent = SmtpEmailSender(f"smtp://127.0.0.1:{free_port()}", "no-reply@dms.test", timeout=1)
        await absent.send(EMAIL, "Код", TEXT)


@pytest.mark.prints_personal_data
async def test_email_factory_and_log_sender(caplog: pytest.LogCaptureFixture) -> None:
    smtp = build_email_sender(settings(smtp_url="smtps://u:p@mail.example.com", smtp_from="dms@example.com"))
    assert isinstance(smtp, SmtpEmailSender) and (smtp.port, smtp.implicit_tls, smtp.username) == (465, True, "u")
    with caplog.at_level(logging.INFO, logger="core.gateways.email"):
        sender = build_email_sender(settings())
        assert isinstance(sender, LogEmailSender)
        assert not caplog.records
        await sender.send(EMAIL, "Код", TEXT)
    assert "development only" in sender.development_warning
    assert "i***@example.com" in caplog.text and EMAIL not in caplog.text and "482913" in caplog.text


# --- end to end: a code issued, sent over HTTP, read back, accepted


async def test_issued_code_travels_by_sms_and_verifies(
    sms: SmsGatewayEmulator, http: aiohttp.ClientSession, sqlite_url: str
) -> None:
    engine = create_engine(sqlite_url)
    clock = Clock("Europe/Moscow", now_fn=lambda: datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    service = OtpService(DatabaseOtpStore(create_session_factory(engine)), b"secret", clock)
    try:
        issued = await service.issue(77, "sms", PHONE)
        await SmsRuGateway(API_ID, http, base_url=sms.base_url).send(PHONE, f"Код: {issued.code}. Номер {PHONE}")
        code = only_code(await sms.wait_for(PHONE))
        assert (await service.verify(77, "sms", PHONE, code)).ok
    finally:
        await engine.dispose()
