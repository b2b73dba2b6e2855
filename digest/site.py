"""Render docs_dir into the site with MkDocs, swapping the new site in only when complete."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config
from mkdocs.exceptions import MkDocsException


class SiteError(RuntimeError):
    """MkDocs could not render the site; the previous site is untouched."""


def render_site(
    config_file: Path, docs_dir: Path, site_dir: Path, strict: bool = False,
    as_of: str | None = None,
) -> None:
    """Build the site; `as_of` (YYYY-MM-DD) stands in for the build date, so the same
    content always gives a byte-identical site (sitemap dates, gzip headers)."""
    staging = site_dir.with_name(f".{site_dir.name}.new")
    retired = site_dir.with_name(f".{site_dir.name}.old")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    # MkDocs warns that it cannot see 2.0 coming; that is for its own users to act on.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if as_of and "SOURCE_DATE_EPOCH" not in os.environ:
        stamp = dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time(), dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        config = mkdocs_load_config(
            config_file=str(config_file),
            docs_dir=str(docs_dir),
            site_dir=str(staging),
            strict=strict,
        )
        mkdocs_build(config)
    except (MkDocsException, SystemExit, OSError) as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(f"MkDocs failed: {err}") from err
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
