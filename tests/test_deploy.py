"""The ways to run the bot name real commands: the container's entry point, the systemd
unit's ExecStart, and a compose file with the bot and PostgreSQL 16.

Images cannot be built or pulled here, so these read the files: the unit file as the INI
it is, the Dockerfile's instructions, and the compose file's structure by indentation (no
YAML library is a dependency, and this test does not make one).
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from pathlib import Path

from bot.cli.main import _parser

ROOT = Path(__file__).resolve().parent.parent


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    pairs = [line.split(maxsplit=1) for line in lines if line and not line.startswith("#")]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def yaml_keys(path: str) -> dict[str, str]:
    """Each ``key: value`` of a block-style YAML file by its dotted path (``services.db.image``)."""
    keys: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in (ROOT / path).read_text().splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "-")):
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().partition(":")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        dotted = ".".join([name for _, name in stack] + [key])
        keys[dotted] = value.strip()
        stack.append((indent, key))
    return keys


def test_the_container_runs_briefbot_run_as_a_user_with_a_health_check() -> None:
    instructions = dockerfile_instructions()
    command = {
        name: json.loads(args) for name, args in instructions if name in ("ENTRYPOINT", "CMD")
    }
    stages = [args for name, args in instructions if name == "FROM"]
    users = [args for name, args in instructions if name == "USER"]
    [health] = [args for name, args in instructions if name == "HEALTHCHECK"]

    assert command["ENTRYPOINT"] + command["CMD"] == ["briefbot", "run"]
    assert len(stages) == 2 and all(stage.startswith("python:3.11-slim") for stage in stages)
    assert users and users[-1] not in ("root", "0")
    assert "/healthz" in health


def test_the_systemd_unit_starts_briefbot_run_and_restarts_on_failure() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "briefbot.service")
    service = unit["Service"]

    executable, *arguments = service["ExecStart"].split()
    assert executable.endswith("/briefbot") and arguments == ["run"]
    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"]


def test_the_commands_named_exist() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]

    assert scripts["briefbot"] == "bot.cli:main"
    assert _parser().parse_args(["run"]).command == "run"
    assert _parser().parse_args(["db", "upgrade"]).db_command == "upgrade"


def test_compose_runs_the_bot_after_a_healthy_postgresql_16_with_a_named_volume() -> None:
    keys = yaml_keys("compose.yaml")

    assert keys["services.db.image"] == "postgres:16"
    assert "services.db.healthcheck.test" in keys
    assert keys["services.bot.build"] == "."
    assert keys["services.bot.depends_on.db.condition"] == "service_healthy"
    assert keys["services.bot.environment.DATABASE_URL"].startswith("postgresql://")
    assert keys["services.bot.deploy.replicas"] == "2"
    assert "volumes.pgdata" in keys
    compose = (ROOT / "compose.yaml").read_text()
    assert "- pgdata:/var/lib/postgresql/data" in compose
