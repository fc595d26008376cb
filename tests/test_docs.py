"""The docs cannot drift: the README's CLI reference is --help, and the schema file is `docgen schema`."""

from __future__ import annotations

import subprocess
import sys

import click

from docgen import api
from docgen.cli import cli

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import cli_reference


def test_readme_cli_reference_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cli_reference.readme_with_reference(readme) == readme, \
        "README's CLI reference is stale: run python scripts/cli_reference.py --write"


def test_every_command_and_option_has_help() -> None:
    with click.Context(cli) as ctx:
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            assert command is not None and command.help, f"docgen {name} has no help text"
            for param in command.params:
                if isinstance(param, click.Option):
                    assert param.help, f"docgen {name} {param.opts[0]} has no help text"


def test_schema_file_is_current() -> None:
    assert (ROOT / "schema" / "township.schema.json").read_text(encoding="utf-8") == api.schema_text()


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command:start" in ci
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- test-command:start -->") == 1


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "docgen", "--version"], capture_output=True,
                            text=True, check=False)
    assert (result.returncode, result.stdout.split(",")[0]) == (0, "docgen")
