"""The project's settings: typed, described, overridable, and a bad one stops the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from operations.build import BuildError
from sunshine.config import ConfigError, Settings, env_name, load_settings
from tests.conftest import build_into


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REGISTRY_URL", "REGISTRY_TOKEN", "SUNSHINE_VAR", "SUNSHINE_OUTPUT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.output_path.name == "output"
    assert settings.var_path.name == "var"
    assert settings.licence == "CC BY 4.0"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUNSHINE_OUTPUT", str(tmp_path / "out"))
    monkeypatch.setenv("SUNSHINE_VAR", "state")
    monkeypatch.setenv("REGISTRY_URL", "https://registry.example.org/api/v1")
    monkeypatch.setenv("REGISTRY_TOKEN", "s3cret")
    monkeypatch.setenv("SUNSHINE_NOTES_ENABLED", "false")
    settings = load_settings()
    assert settings.output_path == tmp_path / "out"
    assert settings.var_path.name == "state" and settings.var_path.is_absolute()
    assert str(settings.registry_url) == "https://registry.example.org/api/v1"
    assert settings.registry_token.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.notes_enabled is False


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("REGISTRY_URL", "not a url", "REGISTRY_URL"),
        ("SUNSHINE_NOTES_ENABLED", "perhaps", "SUNSHINE_NOTES_ENABLED"),
        ("SUNSHINE_SITE_URL", "https://example.org/", "SUNSHINE_SITE_URL"),
        ("SUNSHINE_LICENCE", "", "SUNSHINE_LICENCE"),
    ],
)
def test_bad_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_bad_setting_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as failure:
        build_into(tmp_path, REGISTRY_URL="ftp//nowhere")
    assert "REGISTRY_URL" in str(failure.value)
    assert not (tmp_path / "output" / "index.html").exists()


def test_every_setting_is_described_and_documented() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    for field, info in Settings.model_fields.items():
        assert info.description and len(info.description) > 20, f"{field} has no description"
        assert f"`{env_name(field)}`" in docs, f"{env_name(field)} is not in docs/configuration.md"
        assert f"`{field}`" in docs, f"{field} is not in docs/configuration.md"
