"""The HTTP API (../shared/API.md): a thin FastAPI layer over the Planning application."""
