"""`parallax annotate` and `parallax annotations list|export|import`, without the window.

    parallax annotate PROJECT --article NAME --quote TEXT [--nth N] --note TEXT [--tag T ...]
                      [--colour C] [--add PATH ...]
    parallax annotations list PROJECT [--json]
    parallax annotations export PROJECT --format jsonld|csv|md [-o FILE]
    parallax annotations import PROJECT FILE

`annotate` creates PROJECT from the --add articles when it does not exist yet (and adds them to
an existing one). NAME matches an article's id, file name (with or without extension), title or
source. Exit status: 0 done, 1 the project or the request could not be handled (message on
stderr), 2 bad arguments. No Qt here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.model import Article
from app.store.errors import ProjectError
from app.store.exchange import FORMATS, conflict_ids, export, import_file
from app.store.project import Project


class UserError(Exception):
    """A request the user can fix; printed without a traceback."""


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "annotate":
        _annotate_arguments(parser)
        return
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub.add_parser("list", help="list the annotations, re-anchored in their articles")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="print JSON (one object per annotation)")
    p = sub.add_parser("export", help="write the annotations as W3C JSON-LD, CSV or Markdown")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p = sub.add_parser("import", help="merge a colleague's export or project file into PROJECT")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("file", metavar="FILE", help="a JSON-LD export or a .parallax project file")


def _annotate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT", help="the .parallax project file")
    parser.add_argument("--article", required=True, metavar="NAME", help="article to annotate")
    parser.add_argument("--quote", required=True, metavar="TEXT", help="passage to annotate")
    parser.add_argument(
        "--nth", type=int, default=1, metavar="N", help="annotate the Nth occurrence (default 1)"
    )
    parser.add_argument("--note", required=True, metavar="TEXT")
    parser.add_argument("--tag", action="append", default=[], metavar="T", help="repeatable")
    parser.add_argument("--colour", metavar="C", help="highlight colour, e.g. #ffd54f")
    parser.add_argument(
        "--add",
        nargs="+",
        default=[],
        metavar="PATH",
        help="article files or folders to add (creates PROJECT when it does not exist)",
    )


def run(args: argparse.Namespace, name: str) -> int:
    try:
        if name == "annotate":
            return _annotate(args)
        action = args.action
        if action == "list":
            return _list(args)
        if action == "export":
            return _export(args)
        return _import(args)
    except (ProjectError, UserError) as exc:
        print(f"parallax {name}: {exc}", file=sys.stderr)
        return 1


def _load(paths: list[str]) -> list[Article]:
    from app.core.articles import load_paths

    articles, errors = load_paths(paths)
    for e in errors:
        print(f"warning: {e.path}: {e.message}", file=sys.stderr)
    return articles


def find_article(articles: list[Article], name: str) -> Article:
    """The one article NAME designates: id, file name, file stem, title or source."""
    want = name.casefold().strip()

    def keys(a: Article) -> list[str]:
        out = [a.id, a.name, a.title or "", a.source or ""]
        if a.path:
            out += [Path(a.path).name, Path(a.path).stem]
        if a.name:
            out.append(Path(a.name).stem)
        return [k.casefold().strip() for k in out if k]

    hits = [a for a in articles if want in keys(a)]
    if not hits:
        hits = [a for a in articles if any(want in k for k in keys(a))]
    if len(hits) == 1:
        return hits[0]
    listing = "; ".join(f"{a.id}: {a.name or a.title or ''}" for a in (hits or articles))
    if not hits:
        raise UserError(f"no article matches “{name}”. Articles: {listing}")
    raise UserError(f"“{name}” matches {len(hits)} articles ({listing}); be more precise.")


def _annotate(args: argparse.Namespace) -> int:
    path = Path(args.project)
    added = _load(args.add) if args.add else []
    if not path.exists() and not added:
        raise UserError(
            f"there is no project “{path}”; give article files with --add to create it."
        )
    with Project.open(path, create=True, articles=added) as project:
        if added:
            project.add_articles(added)
        article = find_article(project.articles(include_hidden=True), args.article)
        a = project.annotate_quote(
            article.id, args.quote, nth=args.nth, note=args.note, tags=args.tag, colour=args.colour
        )
    print(f"{a.id}\t{article.id}\t{a.start}-{a.end}\t“{a.exact}”")
    return 0


def _list(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        anchored = project.anchored()
        labels = {a.id: a.label for a in project.articles(include_hidden=True)}
    flagged = conflict_ids(anchored)
    if args.json:
        out = []
        for x in anchored:
            d = x.to_dict()
            d["in_conflict"] = x.annotation.id in flagged
            out.append(d)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not anchored:
        print("No annotations.")
        return 0
    for x in anchored:
        a = x.annotation
        where = labels.get(x.article_id or "", "(article not in project)")
        place = "ORPHAN" if x.is_orphan else f"{x.start}-{x.end}"
        flags = " [both versions kept]" if a.id in flagged else ""
        tags = f" [{', '.join(a.tags)}]" if a.tags else ""
        quote = " ".join(a.exact.split())
        print(f"{a.id[:8]}  {where} {place}{tags}{flags}: “{quote}” — {a.note}")
    orphans = sum(1 for x in anchored if x.is_orphan)
    print(f"{len(anchored)} annotation(s), {orphans} orphan(s).")
    return 0


def _export(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        text = export(project, args.format)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {args.output}: {exc.strerror}") from exc
    else:
        sys.stdout.write(text)
    return 0


def _import(args: argparse.Namespace) -> int:
    if Path(args.project).resolve() == Path(args.file).resolve():
        raise UserError("a project cannot be imported into itself.")
    with Project.open(args.project) as project:
        result = import_file(project, args.file)
    print(result.summary())
    return 0
