"""The project's own settings: one typed model, each field described.

Pelican's settings (``pelicanconf.py``) say how pages are laid out; these say
where the data comes from and where state and output live. Every field can be
overridden from the environment: the four that operators set most have short
names (``REGISTRY_URL``, ``REGISTRY_TOKEN``, ``SUNSHINE_VAR``,
``SUNSHINE_OUTPUT``); the others take the ``SUNSHINE_`` prefix and their field
name in capitals (``SUNSHINE_LICENCE``). A bad value stops the build with a
message that names the setting, its variable and what was wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, HttpUrl, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
"""The project's top folder; relative paths in settings are taken from here."""


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class ConfigError(Exception):
    """A setting has a value the site cannot be built with."""


class Settings(BaseSettings):
    """Settings of the Sunshine site and its fetcher."""

    model_config = SettingsConfigDict(
        env_prefix="SUNSHINE_",
        extra="forbid",
        frozen=True,
        populate_by_name=True,
    )

    registry_url: Annotated[
        HttpUrl,
        Field(
            validation_alias=_env("REGISTRY_URL"),
            description="Base URL of the case registry's export API (v1), "
            "for example https://registry.example.org/api/v1. "
            "The default is the demo registry that `invoke registry` serves on loopback.",
        ),
    ] = HttpUrl("http://127.0.0.1:8765/api/v1")
    registry_token: Annotated[
        SecretStr,
        Field(
            validation_alias=_env("REGISTRY_TOKEN"),
            description="Bearer token for the registry. Never logged or written to the output.",
        ),
    ] = SecretStr("demo-token")
    var_dir: Annotated[
        Path,
        Field(
            validation_alias=_env("SUNSHINE_VAR"),
            description="Folder for state: the SQLite store, caches and the search index. "
            "Relative paths are taken from the project folder.",
        ),
    ] = Path("var")
    output_dir: Annotated[
        Path,
        Field(
            validation_alias=_env("SUNSHINE_OUTPUT"),
            description="Folder the static site is written to. "
            "Relative paths are taken from the project folder.",
        ),
    ] = Path("output")
    site_url: Annotated[
        str,
        Field(
            description="Absolute URL the production site is served from, without a "
            "trailing slash (used by publishconf.py for feeds and canonical links).",
        ),
    ] = "https://sunshine.example.org"
    licence: Annotated[
        str,
        Field(
            min_length=1,
            description="Licence of the published data and texts, named in every page's "
            "footer and in the open-data package.",
        ),
    ] = "CC BY 4.0"
    site_secret: Annotated[
        SecretStr,
        Field(
            min_length=8,
            description="Secret of this deployment for the case tracker: it sets the public "
            "salt of the key derivation and makes the sealed lookup files deterministic. "
            "Keep it stable (changing it rewrites every lookup file) and private.",
        ),
    ] = SecretStr("demo-site-secret")
    kdf_iterations: Annotated[
        int,
        Field(
            ge=256,
            le=10_000_000,
            description="PBKDF2-SHA256 iterations per query code. 256 makes guessing any one "
            "of 10 million published cases cost more than 2^60 SHA-256 evaluations "
            "(docs/privacy.md); more costs build time linearly.",
        ),
    ] = 256
    notes_enabled: Annotated[
        bool,
        Field(
            description="Publish staff notes (after scrubbing). False leaves every note "
            "out of the store and the site.",
        ),
    ] = True

    @field_validator("site_url")
    @classmethod
    def _absolute_without_slash(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an absolute http(s) URL")
        if value.endswith("/"):
            raise ValueError("must not end with '/'")
        return value

    def path(self, value: Path) -> Path:
        """An absolute path for a folder setting, relative ones taken from the project."""
        return value if value.is_absolute() else ROOT / value

    @property
    def var_path(self) -> Path:
        """Absolute path of the state folder."""
        return self.path(self.var_dir)

    @property
    def output_path(self) -> Path:
        """Absolute path of the output folder."""
        return self.path(self.output_dir)


def environment(settings: Settings) -> dict[str, str]:
    """Every setting as the environment variables that give it (secrets included).

    For child processes that must see exactly these settings (a build run by
    ``invoke update``), whatever this process's own environment says.
    """
    env = {}
    for field in Settings.model_fields:
        value = getattr(settings, field)
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        if isinstance(value, Path):
            value = settings.path(value)
        env[env_name(field)] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


def env_name(field: str) -> str:
    """The environment variable that overrides ``field``."""
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"SUNSHINE_{field.upper()}"


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment; raise :class:`ConfigError` naming a bad one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            name = field
            if field in Settings.model_fields:
                name = f"{field} (environment variable {env_name(field)})"
            else:
                for candidate in Settings.model_fields:
                    if env_name(candidate) == field:
                        name = f"{candidate} (environment variable {field})"
            problems.append(f"setting {name}: {error['msg']}")
        raise ConfigError("; ".join(problems)) from None
