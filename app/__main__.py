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
import sys
from collections.abc import Sequence

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
        return int(module.run(args, name) or 0)

    args = _gui_parser().parse_args(args_list)
    if args.self_test:
        from app.cli import selftest

        return selftest.run(args)
    from app.ui import main as gui

    return gui.run(args)


if __name__ == "__main__":
    sys.exit(main())
