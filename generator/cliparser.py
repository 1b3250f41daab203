"""The `kb` command line's grammar: every command, its options and its help, and how a mistake is answered.

A mistyped command gets a did-you-mean; a bad option gets the usage of the command it was given to (not
kb's); every help page opens with what the command does. Every message argparse prints is escaped
(errors.printable): it echoes the arguments, which may hold anything.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .errors import did_you_mean, printable
from .kinds import kind_names, singular
from .report import FORMATS

ENGINES = ("mkdocs", "zensical")
_INVALID_CHOICE = re.compile(r"argument ([\w-]+): invalid choice: '(.*)' \(choose from (.*)\)$", re.S)


class Parser(argparse.ArgumentParser):
    """argparse, with escaped messages, a did-you-mean for a mistyped command, and sub-commands' own usage."""

    def error(self, message: str):
        """Print this command's usage and the escaped message (with a did-you-mean when a choice was mistyped)."""
        choice = _INVALID_CHOICE.match(message)
        if choice:
            what, given = choice.group(1), choice.group(2)
            options = re.findall(r"'([^']*)'", choice.group(3))
            label = "command" if what in ("COMMAND", "ACTION") else f"{what} value"
            hint = did_you_mean(given, options) or f" Choose one of: {', '.join(options)}."
            message = f"unknown {label} '{given}'.{hint}"
        self.print_usage(sys.stderr)
        self.exit(2, printable(f"{self.prog}: error: {message}") + "\n")

    def parse_args(self, args=None, namespace=None):
        """Parse, and report an unknown option with the usage of the command it was given to."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            getattr(parsed, "parser", self).error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed


def build_parser() -> Parser:
    """kb's parser; each command's namespace has `command` (its name) and `parser` (for its own usage)."""
    parser = Parser(prog="kb", description="Check, build and preview the customer-focus handbook.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="project root holding content/ (default: .)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND", parser_class=Parser)

    def command(name: str, text: str, where=commands, parents=(common,)) -> Parser:
        """A sub-command whose help page opens with the same line the command list shows."""
        sub = where.add_parser(name, parents=list(parents), help=text, description=text[0].upper() + text[1:] + ".")
        sub.set_defaults(command=name, parser=sub)
        return sub

    check_cmd = command("check", "validate every entry and report all problems")
    check_cmd.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (workflow annotations) or json (a list for other tools)",
    )

    build_cmd = command("build", "build the site into site/, replacing it only on success")
    build_cmd.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site under the root)")
    build_cmd.add_argument(
        "--markdown-only",
        type=Path,
        metavar="DIR",
        help="write the generated Markdown to DIR for another engine, without MkDocs",
    )
    _engine(build_cmd)

    new_cmd = command("new", 'write a new entry\'s skeleton, for example: kb new behaviour "Listen before you answer"')
    new_cmd.add_argument("kind", help=f"the kind of entry: {', '.join(singular(k) for k in kind_names())}")
    new_cmd.add_argument("title", help="the entry's title; its id (the file name) is made from it")
    new_cmd.add_argument("--id", dest="entry_id", help="use this id instead of the one made from the title")

    rename_cmd = command(
        "rename", "give an entry a new id: move its file, keep the old id as an alias, update every reference"
    )
    rename_cmd.add_argument("old", metavar="OLD", help="the entry's current id")
    rename_cmd.add_argument("new", metavar="NEW", help="its new id (lower-case words joined by hyphens)")
    rename_cmd.add_argument("--kind", help="move it to another kind as well, e.g. --kind definition")
    rename_cmd.add_argument("--dry-run", action="store_true", help="print the changes as a diff and write nothing")

    schema_cmd = command("schema", "write the JSON Schema of every kind into content/.schema/ for editors")
    schema_cmd.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a committed schema is stale"
    )

    serve_cmd = command("serve", "preview the site with live reload; content errors show in the browser")
    serve_cmd.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    _engine(serve_cmd)
    serve_cmd.add_argument(
        "--full-rebuild",
        action="store_true",
        help="rebuild every page on each edit, not only the pages the edit changed",
    )

    links_cmd = command("links", "check other documents' links into the handbook", parents=())
    actions = links_cmd.add_subparsers(required=True, metavar="ACTION", parser_class=Parser)
    links_check = command(
        "check", "report broken and renamed handbook links in Markdown, HTML or reStructuredText files", actions
    )
    links_check.set_defaults(command="links check")
    links_check.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="files, or folders to search for .md, .html and .rst files"
    )
    links_check.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="URL",
        help="the handbook's address, e.g. https://docs.example.org/handbook/ (repeatable)",
    )
    links_check.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE_OR_SITE",
        help="a downloaded inventory.json or a built site folder (default: the content under --root)",
    )
    return parser


def _engine(command: argparse.ArgumentParser) -> None:
    """The --engine option of build and serve."""
    command.add_argument(
        "--engine", choices=ENGINES, default="mkdocs", help="mkdocs (MkDocs + Material, the default) or zensical"
    )
