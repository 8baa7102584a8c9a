"""The ASGI app for uvicorn workers (`uvicorn interfaces.http.main:app`), from PLANLEDGER_*
settings."""

from interfaces.http.app import create_app

app = create_app()
