"""Sending e-mail over SMTP: settings read from a plain mapping (environment or app config), and a mailer
that keeps one connection open for a batch of messages.

Settings: ``SIKLUS_SMTP_HOST`` (without it no e-mail is sent and notices wait in the outbox),
``SIKLUS_SMTP_PORT`` (587; 465 means TLS from the start), ``SIKLUS_SMTP_USER``, ``SIKLUS_SMTP_PASSWORD``,
``SIKLUS_SMTP_STARTTLS`` (1/0; on by default for port 587), ``SIKLUS_MAIL_FROM`` and ``SIKLUS_BASE_URL``
(turns the link ``/penilaian/12`` into an address a mail reader can open).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from engine.errors import InvalidInput
from engine.messages import Message

_TRUE = {"1", "true", "yes", "on", "ya"}
_FALSE = {"0", "false", "no", "off", "tidak", ""}


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = "siklus@localhost"
    base_url: str = ""
    timeout: float = 30.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> MailSettings | None:
        """The settings in ``values`` (e.g. ``os.environ`` merged with the app config), or None without a host."""
        host = str(values.get("SIKLUS_SMTP_HOST") or "").strip()
        if not host:
            return None
        raw_port = str(values.get("SIKLUS_SMTP_PORT") or "587").strip()
        if not (raw_port.isascii() and raw_port.isdigit()) or not 0 < int(raw_port) < 65536:
            raise InvalidInput(f"SIKLUS_SMTP_PORT '{raw_port}' is not a port number",
                               msg=Message("setting.port", setting="SIKLUS_SMTP_PORT", value=raw_port))
        port = int(raw_port)
        raw_tls = values.get("SIKLUS_SMTP_STARTTLS")
        if raw_tls is None or isinstance(raw_tls, bool):
            starttls = port == 587 if raw_tls is None else raw_tls
        elif str(raw_tls).strip().lower() in _TRUE | _FALSE:
            starttls = str(raw_tls).strip().lower() in _TRUE
        else:
            raise InvalidInput(f"SIKLUS_SMTP_STARTTLS '{raw_tls}' should be 1 or 0",
                               msg=Message("setting.flag", setting="SIKLUS_SMTP_STARTTLS", value=str(raw_tls)))
        return cls(
            host=host, port=port, user=str(values.get("SIKLUS_SMTP_USER") or "") or None,
            password=str(values.get("SIKLUS_SMTP_PASSWORD") or "") or None, starttls=starttls,
            sender=str(values.get("SIKLUS_MAIL_FROM") or f"siklus@{host}"),
            base_url=str(values.get("SIKLUS_BASE_URL") or "").rstrip("/"),
        )


class Mailer(Protocol):
    """What delivery needs: a sender address, a base URL for links, and a way to send one message."""

    sender: str
    base_url: str

    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


# Errors that say the server (not one message) is unreachable or refuses us: stop this round, retry later.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError,
    smtplib.SMTPHeloError, smtplib.SMTPNotSupportedError,
)


class SmtpMailer:
    """Sends over one SMTP connection, opened on the first message and closed by :meth:`close`."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.sender = settings.sender
        self.base_url = settings.base_url
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.port == 465:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                  context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
        if s.user:
            conn.login(s.user, s.password or "")
        return conn

    def send(self, message: EmailMessage) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self._conn = None
            raise

    def close(self) -> None:
        if self._conn is not None:
            with suppress(smtplib.SMTPException, OSError):
                self._conn.quit()
            self._conn = None
