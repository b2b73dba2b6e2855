"""The extraction cache: keyed by content hash and extractor version, safe to lose."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from digest.cache import ExtractionCache
from digest.model import Metadata
from tests.conftest import make_digest
from tests.site_fixture import SECOND, build_digest


def test_results_survive_a_new_process_but_not_a_new_extractor_version(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path, "1.0")
    cache.put("abc", Metadata(title="Grain", people=["Ann Lee"]))
    cache.save()
    assert ExtractionCache(tmp_path, "1.0").get("abc") == Metadata(title="Grain",
                                                                     people=["Ann Lee"])
    assert ExtractionCache(tmp_path, "1.1").get("abc") is None


def test_articles_gone_from_the_digest_leave_the_cache(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path, "1.0")
    cache.put("kept", Metadata(title="Kept"))
    cache.put("gone", Metadata(title="Gone"))
    cache.save(keep={"kept"})
    reread = ExtractionCache(tmp_path, "1.0")
    assert reread.get("kept") is not None and reread.get("gone") is None


@pytest.mark.parametrize("damage", ["{not json", "[1, 2]", '{"abc": 5}', "\udcff"])
def test_a_damaged_cache_is_ignored_with_a_warning(tmp_path: Path, damage: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "extract-1.0.json"
    path.write_text(damage, "utf-8", errors="surrogateescape")
    assert ExtractionCache(tmp_path, "1.0").get("abc") is None
    assert f"{path} is damaged" in caplog.text


def _extracted(done: subprocess.CompletedProcess[str]) -> int:
    """How many articles a successful build says it extracted (found in no cache)."""
    assert done.returncode == 0, done.stderr
    found = re.search(r"\((\d+) extracted", done.stdout)
    assert found, done.stdout
    return int(found.group(1))


@pytest.mark.model
def test_a_rebuild_extracts_only_new_or_changed_articles(tmp_path: Path, seed_text: str) -> None:
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "grain.md": SECOND})

    def extracted() -> int:
        return _extracted(build_digest(root))

    assert extracted() == 2
    assert extracted() == 0
    (root / "content" / "articles" / "grain.md").write_text(SECOND + "\nOne more line.\n")
    assert extracted() == 1


@pytest.mark.model
def test_a_build_over_a_damaged_cache_rebuilds_it(tmp_path: Path, seed_text: str) -> None:
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text})
    assert _extracted(build_digest(root)) == 1
    site = (root / "site" / "index.html").read_bytes()
    cache = root / ".digest-cache"
    damaged = sorted(cache.glob("*.json"))
    assert len(damaged) >= 2
    for path in damaged:  # JSON of another shape, or not JSON
        path.write_text("[1, 2]" if path.name.startswith("extract-") else "{not json", "utf-8")
    again = build_digest(root)
    assert _extracted(again) == 1
    assert "Traceback" not in again.stderr
    assert f"{cache / 'extract-'}" in again.stderr and "is damaged" in again.stderr
    assert (root / "site" / "index.html").read_bytes() == site
    assert _extracted(build_digest(root)) == 0  # the cache was rewritten


@pytest.mark.model
def test_a_new_extractor_version_extracts_every_article_again(tmp_path: Path,
                                                               seed_text: str) -> None:
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text, "grain.md": SECOND})

    def extracted(version: str | None = None) -> int:
        bump = f"digest.build.EXTRACTOR_VERSION = {version!r}; " if version else ""
        return _extracted(subprocess.run(
            [sys.executable, "-c",
             f"import digest.build; {bump}from digest.__main__ import cli; cli(['build'])"],
            cwd=root, capture_output=True, text=True, timeout=600,
        ))

    assert extracted() == 2
    assert extracted() == 0
    assert extracted("next") == 2


@pytest.mark.model
def test_a_build_whose_render_fails_keeps_what_it_extracted(tmp_path: Path,
                                                             seed_text: str) -> None:
    root = make_digest(tmp_path / "d", {"seed.txt": seed_text})
    assert _extracted(build_digest(root)) == 1
    (root / "content" / "articles" / "grain.md").write_text(SECOND, "utf-8")
    main = root / "theme" / "main.html"
    good = main.read_text("utf-8")
    main.write_text(good + "{% if %}", "utf-8")  # a template MkDocs cannot compile
    failed = build_digest(root)
    assert failed.returncode != 0 and "main.html, line" in failed.stderr
    assert "Traceback" not in failed.stderr  # one line naming the template, not a traceback
    main.write_text(good, "utf-8")
    assert _extracted(build_digest(root)) == 0


def test_an_older_extractor_s_results_leave_the_folder_once_new_ones_are_saved(
    tmp_path: Path,
) -> None:
    old = ExtractionCache(tmp_path, "1.0")
    old.put("abc", Metadata(title="Grain"))
    old.save()
    new = ExtractionCache(tmp_path, "1.1")
    assert old.path.exists()  # reading does not remove it: only saving new results
    new.put("abc", Metadata(title="Grain, again"))
    new.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract-1.1.json"]
