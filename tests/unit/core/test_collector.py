"""The cycle collector's pauses (app/core/collector.py): nested in any order, ended once,
the caller's thresholds back when the last ends, what exists then frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.core import collector


@pytest.fixture(autouse=True)
def own_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(600, 9, 8)
    yield
    gc.set_threshold(*before)


def test_pauses_end_in_any_order_and_each_only_once() -> None:
    first = collector.pause()
    assert gc.get_threshold()[0] == 0
    second = collector.pause()
    first.resume(freeze=False)
    assert gc.get_threshold()[0] == 0  # the second pause is still open
    first.resume(freeze=False)  # again: nothing more happens
    assert gc.get_threshold()[0] == 0
    second.resume(freeze=False)
    assert gc.get_threshold() == (600, 9, 8)


def test_a_pause_outlasts_gc_enable_and_no_collection_runs() -> None:
    runs: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(count)
    try:
        with collector.paused():
            gc.enable()  # what spaCy's msgpack loader does after every file
            junk = [[i] for i in range(50_000)]  # far past the thresholds
            del junk
            assert runs == []
    finally:
        gc.callbacks.remove(count)
    assert gc.get_threshold() == (600, 9, 8)


def test_what_exists_when_it_ends_is_frozen_but_not_after_an_error() -> None:
    gc.unfreeze()
    try:
        with pytest.raises(RuntimeError), collector.paused():
            raise RuntimeError("the load failed")
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == (600, 9, 8)
        kept = [[i] for i in range(1000)]  # lists: objects the collector tracks
        with collector.paused():
            pass
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
