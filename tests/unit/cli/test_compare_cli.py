"""`python -m app compare` as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.gold import ROOT, SEEDS


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "compare", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120,
    )


def test_json_contract_on_stdout_only() -> None:
    proc = _run("--json", str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # stdout is exactly one JSON document
    assert data["schema"] == "parallax.comparison/1"
    assert [Path(a["path"]).name for a in data["articles"]] == sorted(
        p.name for p in SEEDS.glob("*.txt")
    )
    texts = {a["id"]: a["text"] for a in data["articles"]}
    kinds = {f["kind"] for f in data["findings"]}
    assert {"match", "unique"} <= kinds
    assert kinds <= {"match", "unique", "number", "quote", "name", "date"}
    for f in data["findings"]:
        assert set(f) >= {"id", "kind", "label", "score", "spans"}
        for s in f["spans"]:
            assert set(s) >= {"article", "start", "end", "text", "value"}
            assert texts[s["article"]][s["start"] : s["end"]] == s["text"]
    assert len({f["id"] for f in data["findings"]}) == len(data["findings"])


def test_min_score_filters_matches() -> None:
    loose = json.loads(_run("--json", "--min-score", "0.4", str(SEEDS)).stdout)
    strict = json.loads(_run("--json", "--min-score", "0.9", str(SEEDS)).stdout)
    n_loose = sum(f["kind"] == "match" for f in loose["findings"])
    n_strict = sum(f["kind"] == "match" for f in strict["findings"])
    assert 0 < n_strict < n_loose


def test_readable_summary() -> None:
    proc = _run(str(SEEDS))
    assert proc.returncode == 0
    assert "5 articles" in proc.stdout
    assert "Findings:" in proc.stdout
    assert " match" in proc.stdout
    assert "Strongest matches:" in proc.stdout


def test_no_readable_article_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    proc = _run("--json", str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "empty.txt" in proc.stderr
    assert "binary.txt" in proc.stderr
    assert "no article could be read" in proc.stderr


def test_bad_file_is_skipped_and_the_rest_compared(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"")
    proc = _run("--json", str(SEEDS / "003_a4a543118f7fc387.txt"),
                str(SEEDS / "004_6f167063fb4af731.txt"), str(tmp_path / "bad.txt"))
    assert proc.returncode == 0
    assert "bad.txt" in proc.stderr
    assert len(json.loads(proc.stdout)["articles"]) == 2


def test_output_is_whole_when_piped_and_a_closed_pipe_is_no_crash() -> None:
    """`compare` ends without tearing down the model (`app.__main__.finish`): what it wrote
    still arrives whole through a pipe; a reader that stops early (`| head`) gets no
    traceback, and the exit status says the output was cut."""
    whole = subprocess.run([sys.executable, "-m", "app", "compare", "--json", str(SEEDS)],
                           capture_output=True, cwd=ROOT, timeout=120, check=False)
    assert whole.returncode == 0, whole.stderr
    assert len(whole.stdout) > 70_000  # more than a pipe holds: the reader below stops early
    assert json.loads(whole.stdout)["schema"] == "parallax.comparison/1"
    proc = subprocess.Popen([sys.executable, "-m", "app", "compare", "--json", str(SEEDS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(10).startswith(b"{")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err
    assert "BrokenPipe" not in err
