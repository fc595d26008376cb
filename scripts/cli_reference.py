"""Print (or write into README.md) the CLI reference, generated from every command's --help."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

os.environ["DOCGEN_LANG"] = "en"  # the reference is the English help

import click

from docgen.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def reference() -> str:
    """The Markdown reference: `docgen --help`, then each command's --help."""
    blocks = []
    with click.Context(cli, info_name="docgen", terminal_width=100) as ctx:
        blocks.append(("docgen --help", cli.get_help(ctx)))
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            assert command is not None
            with click.Context(command, info_name=name, parent=ctx, terminal_width=100) as sub:
                blocks.append((f"docgen {name} --help", command.get_help(sub)))
    return "\n".join(f"#### `{title}`\n\n```\n{text}\n```\n" for title, text in blocks)


def readme_with_reference(text: str) -> str:
    """README text with the part between the markers replaced by the current reference."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    return pattern.sub(lambda _: f"{START}\n{reference()}{END}", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="update README.md in place")
    args = parser.parse_args()
    if args.write:
        README.write_text(readme_with_reference(README.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(reference())


if __name__ == "__main__":
    main()
