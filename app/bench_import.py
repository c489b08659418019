"""Benchmarks for reading files in: `python -m app.bench_import [--html] [--pdf DIR] [--runs N]`.

--html  The saved pages in ../shared/external/webpages (test data, never shipped): for each page,
        expect.json lists snippets the article text must contain (`in`) and must not (`out`:
        navigation, related links, cookie banners). Whitespace is collapsed and Markdown link and
        emphasis marks in a snippet are reduced to their text (the data comes from a project that
        also tests Markdown output). Two views of Parallax's result are scored:
          shown     the article text as the reader shows it (furniture dimmed but present)
          compared  the text the comparison uses (boilerplate ranges removed)
        recall = share of `in` snippets kept; exclusion = share of `out` snippets absent;
        F1 = their harmonic mean. Other extractors are scored on the same pages when they are
        installed (readability-lxml, jusText, boilerpy3; not Parallax dependencies), plus the
        hand-written reader Parallax used before.
--pdf   PDF files in DIR (for example web pages printed to PDF by a browser, named like the
        page, so the page's `in` snippets apply): pypdf and pdfminer.six are compared with
        Parallax's PDFium reader when installed. Prints snippet recall and the median time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from app import paths

WEBPAGES = paths.bundle_root().parent / "shared" / "external" / "webpages"


def _norm(s: str) -> str:
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\*([^*]+)\*", r"\1", s)
    return " ".join(s.split())


def _score(kept: list[bool], excluded: list[bool]) -> tuple[float, float, float]:
    r = sum(kept) / max(1, len(kept))
    p = sum(excluded) / max(1, len(excluded))
    return r, p, (2 * p * r / (p + r) if p + r else 0.0)


def _parallax(path: Path) -> tuple[str, str]:
    from app.core.articles import load_path

    a = load_path(path)
    parts, pos = [], 0
    for s, e in a.boilerplate:
        parts.append(a.text[pos:s])
        pos = e
    parts.append(a.text[pos:])
    return a.text, " ".join(parts)


def _others() -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {}

    def old(html: str) -> str:
        from app.core.readers.html import fallback_text

        return fallback_text(html)

    found["former hand-written reader"] = old
    try:
        import lxml.html
        from readability import Document

        def readability(html: str) -> str:
            s = Document(html).summary()
            return str(lxml.html.fromstring(s).text_content()) if s.strip() else ""

        found["readability-lxml"] = readability
    except ImportError:
        pass
    try:
        import justext

        stop = frozenset(justext.get_stoplist("English")) | frozenset(
            justext.get_stoplist("German")
        )

        def jt(html: str) -> str:
            ps = justext.justext(html.encode("utf-8"), stop)
            return "\n".join(p.text for p in ps if not p.is_boilerplate)

        found["jusText"] = jt
    except ImportError:
        pass
    try:
        from boilerpy3 import extractors

        def bp(html: str) -> str:
            return str(extractors.ArticleExtractor(raise_on_failure=False).get_content(html))

        found["boilerpy3"] = bp
    except ImportError:
        pass
    try:
        import trafilatura

        def tf(html: str) -> str:
            return trafilatura.extract(html, include_comments=True) or ""

        found["trafilatura alone (with comments)"] = tf
    except ImportError:
        pass
    return found


BODIES = paths.bundle_root() / "tests" / "data" / "html-bodies.json"


def _ranges(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _token_prf(pred: str, gold: str) -> tuple[float, float, float]:
    from collections import Counter

    p, g = Counter(_tokens(pred)), Counter(_tokens(gold))
    tp = sum((p & g).values())
    prec = tp / max(1, sum(p.values()))
    rec = tp / max(1, sum(g.values()))
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def gold_bodies(folder: Path, bodies: Path = BODIES) -> dict[str, str]:
    """The hand-made article bodies (tests/data/html-bodies.json) rebuilt from the pages."""
    import hashlib

    from app.core.readers.html import _MainTextParser, _paragraphs

    spec = json.loads(bodies.read_text(encoding="utf-8"))["pages"]
    out: dict[str, str] = {}
    for name, s in spec.items():
        parser = _MainTextParser()
        parser.feed((folder / "pages" / name).read_bytes().decode("utf-8", "replace"))
        parser.close()
        paras = _paragraphs("".join(parser.chunks).split("\n")).split("\n\n")
        digest = hashlib.sha256("\n".join(paras).encode()).hexdigest()
        if digest != s["visible_sha256"]:
            raise ValueError(f"{name}: the paragraph split changed; re-make its body by hand")
        kept = [paras[i] for i in _ranges(s["keep"])]
        out[name] = "\n\n".join(([s["headline"]] if s["headline"] else []) + kept)
    return out


def bench_tokens(folder: Path) -> None:
    if not BODIES.exists():
        print(f"skipped token-level scores: {BODIES} not found")
        return
    gold = gold_bodies(folder)
    print(f"\ntoken-level precision / recall / F1 against {len(gold)} hand-made article bodies "
          "(bag of words; macro average over pages, then all tokens pooled):")
    readers: dict[str, Callable[[Path], str]] = {
        "Parallax, compared": lambda p: _parallax(p)[1],
        "Parallax, shown": lambda p: _parallax(p)[0],
    }
    def on_file(extract: Callable[[str], str]) -> Callable[[Path], str]:
        return lambda p: extract(p.read_bytes().decode("utf-8", "replace"))

    for name, extract in _others().items():
        readers[name] = on_file(extract)
    print(f"{'reader':36s} {'P':>6s} {'R':>6s} {'F1':>6s}   {'pooled P':>8s} {'R':>6s} {'F1':>6s}")
    for name, read in readers.items():
        scores, pooled_pred, pooled_gold = [], "", ""
        for page, body in gold.items():
            try:
                text = read(folder / "pages" / page)
            except Exception:
                text = ""
            scores.append(_token_prf(text, body))
            pooled_pred += "\n" + text
            pooled_gold += "\n" + body
        macro = [statistics.mean(s[i] for s in scores) for i in range(3)]
        pooled = _token_prf(pooled_pred, pooled_gold)
        print(f"{name:36s} {macro[0]:6.3f} {macro[1]:6.3f} {macro[2]:6.3f}   "
              f"{pooled[0]:8.3f} {pooled[1]:6.3f} {pooled[2]:6.3f}")


def bench_html(folder: Path, runs: int) -> None:
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    pages = [(folder / "pages" / name, e) for name, e in expect.items()]
    print(f"{len(pages)} saved pages from {folder}")
    shown_k, shown_x, cmp_k, cmp_x, times, refused = [], [], [], [], [], []
    for path, e in pages:
        t = []
        for _ in range(runs):
            t0 = time.perf_counter()
            try:
                shown, compared = _parallax(path)
            except Exception as exc:
                refused.append(f"{path.name}: {exc}")
                shown = compared = ""
            t.append(time.perf_counter() - t0)
        times.append(statistics.median(t))
        shown, compared = _norm(shown), _norm(compared)
        shown_k += [_norm(s) in shown for s in e["in"]]
        cmp_k += [_norm(s) in compared for s in e["in"]]
        shown_x += [_norm(s) not in shown for s in e["out"]]
        cmp_x += [_norm(s) not in compared for s in e["out"]]
    print(f"{'reader':36s} {'recall':>7s} {'exclusion':>9s} {'F1':>6s} {'refused':>7s} "
          f"{'median ms':>9s}")
    med = statistics.median(times) * 1000
    for name, k, x in (("Parallax, shown", shown_k, shown_x),
                       ("Parallax, compared", cmp_k, cmp_x)):
        r, p, f = _score(k, x)
        print(f"{name:36s} {r:7.3f} {p:9.3f} {f:6.3f} {len(refused):7d} {med:9.1f}")
    for name, fn in _others().items():
        k, x, t, empty = [], [], [], 0
        for path, e in pages:
            html = path.read_bytes().decode("utf-8", "replace")
            t0 = time.perf_counter()
            try:
                text = _norm(fn(html))
            except Exception:
                text = ""
            t.append(time.perf_counter() - t0)
            empty += not text
            k += [_norm(s) in text for s in e["in"]]
            x += [_norm(s) not in text for s in e["out"]]
        r, p, f = _score(k, x)
        print(f"{name:36s} {r:7.3f} {p:9.3f} {f:6.3f} {empty:7d} "
              f"{statistics.median(t) * 1000:9.1f}")
    for line in refused:
        print(f"  refused: {line}")
    bench_tokens(folder)


def bench_pdf(folder: Path, runs: int, webpages: Path) -> None:
    expect = {}
    if (webpages / "expect.json").exists():
        expect = json.loads((webpages / "expect.json").read_text(encoding="utf-8"))
    files = sorted(folder.glob("*.pdf"))
    print(f"{len(files)} PDFs from {folder}")

    def parallax(p: Path) -> str:
        from app.core.articles import load_path

        return load_path(p).text

    readers: dict[str, Callable[[Path], str]] = {"Parallax (PDFium)": parallax}
    try:
        import pypdf

        readers["pypdf"] = lambda p: "\n".join(
            pg.extract_text() or "" for pg in pypdf.PdfReader(p).pages
        )
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        readers["pdfminer.six"] = lambda p: str(extract_text(p))
    except ImportError:
        pass
    for name, fn in readers.items():
        kept, times = [], []
        for f in files:
            t = []
            for _ in range(runs):
                t0 = time.perf_counter()
                text = fn(f)
                t.append(time.perf_counter() - t0)
            times.append(statistics.median(t))
            # Line-end hyphens as the raw libraries leave them, joined for a fair snippet test.
            text = _norm(re.sub(r"(\w)[-\x02\xad\ufffe]\s*\n\s*(\w)", r"\1\2", text))
            kept += [_norm(s) in text for s in expect.get(f.stem + ".html", {}).get("in", [])]
        print(f"{name:20s} snippets kept {sum(kept)}/{len(kept)}  "
              f"median {statistics.median(times) * 1000:.0f} ms per file")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", action="store_true", help="saved web pages")
    ap.add_argument("--webpages", type=Path, default=WEBPAGES, help="folder with expect.json")
    ap.add_argument("--pdf", type=Path, metavar="DIR", help="a folder of PDF files")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args(argv)
    if not args.html and not args.pdf:
        args.html = True
    if args.html:
        if not (args.webpages / "expect.json").exists():
            print(f"skipped --html: {args.webpages}/expect.json not found (test data, not "
                  "shipped)", file=sys.stderr)
        else:
            bench_html(args.webpages, args.runs)
    if args.pdf:
        bench_pdf(args.pdf, args.runs, args.webpages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
