"""Entry point: the reader window by default, subcommands for headless work.

    parallax [PATH...] [--screenshot FILE.png] [--project FILE.parallax]
    parallax compare PATH... [--json] [--min-score X]
    parallax annotate PROJECT --article NAME --quote TEXT --note TEXT [--tag T ...]
    parallax annotations list|export|import ...
    parallax report PATH... -o FILE.html|FILE.pdf [--project FILE.parallax]
    parallax --self-test

Subcommands live in app/cli/<name>.py, each exposing `add_arguments(parser)` and `run(args)`;
they are imported only when used so that `parallax compare` never loads Qt.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from app import APP_NAME, __version__

# subcommand -> (module, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "compare": ("app.cli.compare", "compare articles and print the findings"),
    "annotate": ("app.cli.annotations", "add an annotation to a project file"),
    "annotations": ("app.cli.annotations", "list, export or import annotations"),
    "report": ("app.cli.report", "write the comparison report as one HTML or PDF file"),
}


def _gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="parallax",
        description=f"{APP_NAME}: read news articles side by side. "
        f"Subcommands: {', '.join(SUBCOMMANDS)} (parallax SUBCOMMAND --help).",
    )
    p.add_argument("paths", nargs="*", help="article files or folders (default: the sample story)")
    p.add_argument("--screenshot", metavar="FILE.png", help="render the window to a PNG and exit")
    p.add_argument("--size", default="1600x1000", help="window size for --screenshot (WxH)")
    p.add_argument("--project", metavar="FILE.parallax", help="open or create a project file")
    p.add_argument("--self-test", action="store_true", help="check the installation and exit")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in SUBCOMMANDS:
        name = args_list[0]
        module_name, help_text = SUBCOMMANDS[name]
        module = importlib.import_module(module_name)
        parser = argparse.ArgumentParser(prog=f"parallax {name}", description=help_text)
        module.add_arguments(parser, name)
        args = parser.parse_args(args_list[1:])
        try:
            return int(module.run(args, name) or 0)
        except BrokenPipeError:
            # The reader of the output went away (`parallax compare --json | head`): no
            # traceback, and nothing more written to the closed pipe at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1

    args = _gui_parser().parse_args(args_list)
    if args.self_test:
        from app.cli import selftest

        return selftest.run(args)
    from app.ui import main as gui

    return gui.run(args)


# Subcommands that hold no open file, database or thread when they return (their cache writes
# are whole by then): the process may end without tearing down the loaded language model.
_QUICK_EXIT = frozenset({"compare"})


def finish(code: int, argv: Sequence[str] | None = None) -> NoReturn:
    """Exit with `code`. After a `_QUICK_EXIT` subcommand, skip the interpreter's teardown:
    freeing the model object by object takes 0.15 to 0.25 s that the system does at once."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] and args_list[0] in _QUICK_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            code = code or 1  # the reader of our output went away: say so, as Python would
        logging.shutdown()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    finish(main())
