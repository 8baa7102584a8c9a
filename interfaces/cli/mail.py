"""Mail: send what the outbox holds (`mail send-pending`), see where it stands (`mail status`)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from threading import Event
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from application.config import ConfigurationError
from interfaces.cli.common import console, friendly_errors
from interfaces.cli.projections import Authorities
from interfaces.settings import Settings
from interfaces.tenancy import each_store

if TYPE_CHECKING:
    from projections.outbox.sender import MailSettings

log = logging.getLogger("planledger.mail")

mail = typer.Typer(no_args_is_help=True, help="Email: changes and notices, from the outbox.")


def mail_settings(settings: Settings) -> MailSettings:
    from projections.outbox.sender import MailSettings

    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    return MailSettings(sender=settings.mail_from, base_url=base)


def send_once(settings: Settings) -> str:
    """One run of the sender on one store: what it did, in counts."""
    from interfaces.bootstrap import opened
    from interfaces.mail import SMTPTransport
    from projections.engine.reading import ReadModels
    from projections.outbox.sender import send_pending

    if settings.smtp_url is None:
        raise ConfigurationError("PLANLEDGER_SMTP_URL is not set: there is no mail server")
    with opened(settings) as planning, SMTPTransport(settings.smtp_url.get_secret_value()) as smtp:
        read_models = ReadModels(planning)
        done = send_pending(
            planning,
            read_models.outbox(),
            smtp,
            mail_settings(settings),
            now=lambda: datetime.now(UTC),
            summaries=read_models.summaries(),
        )
    return str(done)


def keep_sending(stores: list[tuple[str | None, Settings]], every: float, stopping: Event) -> None:
    """The projector's mail worker: a run on each store every `every` seconds until
    stopped. A run that fails (the database or the mail server away) is logged, with no
    personal data, and the next one tries again."""
    while not stopping.is_set():
        for tenant, settings in stores:
            try:
                done = send_once(settings)
            except Exception as error:  # the worker outlives any one run
                log.warning("mail run failed: %s", type(error).__name__)
            else:
                log.info("mail%s: %s", f" ({tenant})" if tenant else "", done)
        stopping.wait(every)


@mail.command("send-pending")
@friendly_errors
def send_pending(
    every: Annotated[
        float | None, typer.Option(help="Keep sending, checking every this many seconds")
    ] = None,
    authority: Authorities = None,
) -> None:
    """Send the messages due (and the daily messages due); with --every, until stopped."""
    stores = each_store(Settings(), authority or ())
    while True:
        for tenant, settings in stores:
            console.print(f"{tenant + ': ' if tenant else ''}{send_once(settings)}.")
        if every is None:
            return
        time.sleep(every)


@mail.command("status")
@friendly_errors
def status(authority: Authorities = None) -> None:
    """The outbox's messages by state: pending (never tried), sent, held for a daily
    message, retry, failed, skipped."""
    from interfaces.bootstrap import opened
    from projections.engine.reading import ReadModels

    table = Table("store", "state", "messages")
    for tenant, settings in each_store(Settings(), authority or ()):
        with opened(settings) as planning:
            for state, n in sorted(ReadModels(planning).outbox().counts().items()):
                table.add_row(tenant or "-", state, str(n))
    console.print(table)
