"""`parallax annotate` and `parallax annotations ...`, run through app.__main__ in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import main
from tests.gold import SEEDS
from tests.unit.store.conftest import file_sha


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_annotate_creates_project_then_lists_and_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(tmp_path / "story.parallax")
    code, out, err = run(
        capsys,
        "annotate", project, "--article", "000_ae34742a79f7a3e3", "--quote", "Putin",
        "--nth", "2", "--note", "check the Kremlin readout", "--tag", "Needs source",
        "--add", str(SEEDS),
    )  # fmt: skip
    assert code == 0, err
    ann_id, article_id, span, _quote = out.strip().split("\t")
    assert article_id == "a0"
    text = (SEEDS / "000_ae34742a79f7a3e3.txt").read_text(encoding="utf-8")
    first = text.find("Putin")
    assert int(span.split("-")[0]) > first  # the second occurrence, not the first

    code, out, _ = run(capsys, "annotations", "list", project, "--json")
    assert code == 0
    (item,) = json.loads(out)
    assert item["id"] == ann_id
    assert item["tags"] == ["Needs source"]
    assert item["anchor"]["method"] == "position"

    code, out, _ = run(capsys, "annotations", "list", project)
    assert "check the Kremlin readout" in out
    assert "1 annotation(s), 0 orphan(s)." in out

    target = tmp_path / "out.jsonld"
    code, _, _ = run(
        capsys, "annotations", "export", project, "--format", "jsonld", "-o", str(target)
    )
    assert code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 1
    code, out, _ = run(capsys, "annotations", "export", project, "--format", "md")
    assert "> Putin" in out

    fresh = str(tmp_path / "fresh.parallax")
    run(capsys, "annotate", fresh, "--article", "a1", "--quote", "Biden", "--note", "x",
        "--add", str(SEEDS))  # fmt: skip
    code, out, _ = run(capsys, "annotations", "import", fresh, str(target))
    assert code == 0
    assert "Added 1, updated 0, kept in conflict 0" in out


def test_annotate_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = str(tmp_path / "story.parallax")
    code, _, err = run(capsys, "annotate", project, "--article", "a0", "--quote", "x", "--note", "")
    assert code == 1
    assert "--add" in err
    assert not Path(project).exists()

    run(capsys, "annotate", project, "--article", "a0", "--quote", "Putin", "--note", "n",
        "--add", str(SEEDS))  # fmt: skip
    code, _, err = run(capsys, "annotate", project, "--article", "a0", "--quote", "Putin",
                       "--nth", "99", "--note", "n")  # fmt: skip
    assert code == 1
    assert "not 99" in err
    code, _, err = run(capsys, "annotate", project, "--article", "nowhere", "--quote", "Putin",
                       "--note", "n")  # fmt: skip
    assert code == 1
    assert "no article matches" in err


def test_cli_refuses_foreign_file_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.parallax"
    path.write_text("not a project\n")
    before = file_sha(path)
    code, _, err = run(capsys, "annotations", "list", str(path))
    assert code == 1
    assert "not a Parallax project" in err
    assert file_sha(path) == before
