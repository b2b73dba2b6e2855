"""The caches' file, saved by appending what changed: what the next build reads back."""

from __future__ import annotations

from pathlib import Path

from digest.cache import ExtractionCache
from digest.memo import TextMemo
from digest.model import Metadata


def _memo_saved(path: Path, texts: dict[str, str]) -> None:
    memo = TextMemo(path, "v1")
    memo.keep(texts)
    memo.save()


def _read(path: Path, keys: list[str], version: str = "v1") -> dict[str, object]:
    memo = TextMemo(path, version)
    return {key: memo.get(key) for key in keys}


def test_each_build_reads_back_exactly_what_the_last_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    page = "<p>" + "x" * 10_000 + "</p>"  # a first write large enough for appends to follow
    kept = {f"page-{n}": f"{page}{n}" for n in range(5)}  # most entries stay from build to build
    _memo_saved(path, {**kept, "a": page, "b": "B"})
    _memo_saved(path, {**kept, "a": page, "c": "C"})  # b dropped, c new
    _memo_saved(path, {**kept, "a": page, "c": "C2", "b": "B again"})
    assert len(path.read_text("utf-8").split("\n")) > 2  # appended, not written whole
    assert _read(path, ["a", "b", "c", "page-4"]) == {"a": page, "b": "B again", "c": "C2",
                                                      "page-4": f"{page}4"}
    _memo_saved(path, {"c": "C2"})
    assert _read(path, ["a", "b", "c", "page-4"]) == {"a": None, "b": None, "c": "C2",
                                                      "page-4": None}


def test_the_file_is_written_whole_before_appends_outgrow_it(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    for build in range(40):
        _memo_saved(path, {"site": "s" * 2_000, f"page-{build}": "p" * 500})
    whole = tmp_path / "whole.json"
    _memo_saved(whole, {"site": "s" * 2_000, "page-39": "p" * 500})
    assert path.stat().st_size <= 2 * whole.stat().st_size
    assert _read(path, ["site", "page-39", "page-38"]) == {
        "site": "s" * 2_000, "page-39": "p" * 500, "page-38": None}


def test_a_save_cut_short_loses_only_what_it_was_saving(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    _memo_saved(path, {"a": "A" * 5_000})
    _memo_saved(path, {"a": "A" * 5_000, "b": "B"})
    with path.open("a", encoding="utf-8") as out:
        out.write('{"drop": [], "put": {"c": "C')  # the machine stopped mid-line
    assert _read(path, ["a", "b", "c"]) == {"a": "A" * 5_000, "b": "B", "c": None}
    _memo_saved(path, {"a": "A" * 5_000, "b": "B", "d": "D"})
    assert _read(path, ["a", "b", "d"]) == {"a": "A" * 5_000, "b": "B", "d": "D"}


def test_another_version_s_texts_are_not_read_appended_or_not(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    _memo_saved(path, {"a": "A" * 5_000})
    _memo_saved(path, {"a": "A" * 5_000, "b": "B"})
    assert _read(path, ["a", "b"], "v2") == {"a": None, "b": None}
    memo = TextMemo(path, "v2")
    memo.keep({"c": "C"})
    memo.save()
    assert _read(path, ["a", "b", "c"], "v2") == {"a": None, "b": None, "c": "C"}


def test_extraction_results_survive_appended_saves(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path, "1.0")
    for n in range(30):
        cache.put(f"old-{n}", Metadata(title=f"Story {n}", people=["Ann Lee"] * 20))
    cache.save()
    cache = ExtractionCache(tmp_path, "1.0")
    cache.put("new", Metadata(title="Grain", places=["Zürich"]))
    cache.save(keep={"new", *(f"old-{n}" for n in range(1, 30))})
    reread = ExtractionCache(tmp_path, "1.0")
    assert reread.get("new") == Metadata(title="Grain", places=["Zürich"])
    assert reread.get("old-0") is None
    assert reread.get("old-29") == Metadata(title="Story 29", people=["Ann Lee"] * 20)
    assert len(reread.path.read_text("utf-8").split("\n")) > 2
