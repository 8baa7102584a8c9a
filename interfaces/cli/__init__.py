"""The `planledger` command line. Errors become a message and an exit status, never a traceback.

Each module holds the commands of one concern; this one only registers them.
"""

from __future__ import annotations

import typer

from interfaces.cli import evidence, imports, mail, plans, projections, retention, serve

app = typer.Typer(
    name="planledger",
    no_args_is_help=True,
    add_completion=False,
    help="Planledger: support plans for children and young people, as attributed events.",
)
app.command()(plans.demo)
app.command()(plans.show)
app.command()(plans.keygen)
app.command()(serve.serve)
app.command()(serve.token)
app.command()(evidence.verify)
app.command()(evidence.export)
app.command()(evidence.bundle)
app.add_typer(evidence.checkpoint, name="checkpoint")
app.add_typer(retention.retention, name="retention")
app.add_typer(mail.mail, name="mail")
app.add_typer(imports.imports, name="import")
app.command()(projections.project)
app.command()(projections.rebuild)
app.command(name="read-models")(projections.read_models)


def main() -> None:
    app(prog_name="planledger")
