"""Planledger's settings, all from PLANLEDGER_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from application.config import DEFAULT_DATABASE_URL, persistence_env
from application.persistence.keys import new_master_key
from application.planning import ENCRYPTION_KEY, STAGES_FILE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANLEDGER_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    pool_size: int = 10
    max_overflow: int = 10
    encryption_key: SecretStr | None = None
    encryption_key_file: Path | None = None
    stages_file: Path | None = None

    @property
    def is_embedded(self) -> bool:
        return urlparse(self.database_url).scheme == "sqlite"

    def master_key(self) -> str | None:
        """The master key; on the embedded default one is made beside the database, so
        personal data is sealed at rest from the first run."""
        if self.encryption_key is not None:
            return self.encryption_key.get_secret_value()
        path = self.encryption_key_file
        if path is None and self.is_embedded:
            db_path = Path(urlparse(self.database_url).path.removeprefix("/"))
            path = db_path.with_suffix(".key") if db_path.name != ":memory:" else None
        if path is None:
            return None
        if not path.exists() and self.is_embedded:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(new_master_key())
        return path.read_text().strip()

    def planning_env(self) -> dict[str, str]:
        env = persistence_env(
            self.database_url, pool_size=self.pool_size, max_overflow=self.max_overflow
        )
        if key := self.master_key():
            env[ENCRYPTION_KEY] = key
        if self.stages_file:
            env[STAGES_FILE] = str(self.stages_file)
        return env
