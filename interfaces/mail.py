"""Mail through SMTP (PLANLEDGER_SMTP_URL): the outbox's transport (projections/outbox/sender.py).

smtp://user:password@host:587 upgrades to TLS with STARTTLS whenever the server offers it,
and refuses to send credentials over a connection that did not (RFC 8314 asks for TLS
for mail submission); smtps:// is TLS from the start (port 465).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType
from urllib.parse import unquote, urlparse

from projections.outbox.sender import Refused

TIMEOUT_SECONDS = 30


class SMTPTransport:
    """One connection for a run of the sender, reopened after a failure."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
            raise ValueError("PLANLEDGER_SMTP_URL must look like smtp://user:pass@host:587")
        self.tls = parsed.scheme == "smtps"
        self.host = parsed.hostname
        self.port = parsed.port or (465 if self.tls else 25)
        self.user = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            elif self.user:
                smtp.close()
                raise Refused("the server offers no STARTTLS for the credentials", temporary=True)
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            self._drop()
            code = next(iter(error.recipients.values()))[0]
            raise Refused(f"SMTP {code}", temporary=400 <= code < 500) from None
        except smtplib.SMTPResponseException as error:
            self._drop()
            raise Refused(f"SMTP {error.smtp_code}", temporary=error.smtp_code < 500) from None
        except (smtplib.SMTPException, OSError) as error:
            # No message text: an error may quote the address.
            self._drop()
            raise Refused(type(error).__name__, temporary=True) from None

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> SMTPTransport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._drop()
