"""Where a digest keeps its sources, generated pages and site.

A digest folder is one with an `mkdocs.yml`. Digest reads only the few MkDocs
keys it needs from it (site name, URL and author, docs_dir, site_dir), so that the file
stays an ordinary MkDocs config and `mkdocs serve` works after a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from digest.model import Problem
from digest.siteurl import SiteURLError, normalise
from digest.sources import ARTICLES_DIR, READERS, yaml_error_line

CONFIG_FILE = "mkdocs.yml"


class ConfigError(ValueError):
    """The digest folder or its mkdocs.yml cannot be used; the message says why."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that tolerates the `!!python/name:` and `!ENV` tags MkDocs configs use.

    Digest only reads plain keys; the tagged values are left to MkDocs itself.
    """


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_Loader.add_multi_constructor("!", lambda *_: None)


@dataclass(frozen=True)
class DigestConfig:
    root: Path  # the digest folder
    config_file: Path  # its mkdocs.yml
    content_dir: Path  # curator-owned sources: never written
    docs_dir: Path  # generated Markdown pages (MkDocs' docs_dir)
    site_dir: Path  # the rendered site
    cache_dir: Path  # extraction cache, safe to delete
    site_name: str
    site_url: str | None  # mkdocs.yml's, ending in "/"; `digest build` may find one elsewhere
    site_author: str | None = None

    def validate(self) -> list[Problem]:
        problems = []
        if not self.content_dir.is_dir():
            problems.append(Problem(self.content_dir, "content folder not found", True))
        elif not (self.content_dir / ARTICLES_DIR).is_dir() and any(
                path.suffix.lower() in READERS for path in self.content_dir.iterdir()):
            # `--content content/articles`, or articles dropped beside aliases.yml: the
            # build would publish none of them and say nothing.
            problems.append(Problem(self.content_dir, f"holds article files but no "
                                    f"{ARTICLES_DIR}/ folder; articles go in "
                                    f"{self.content_dir / ARTICLES_DIR}", True))
        # A build makes docs_dir hold exactly its pages and replaces the site folder whole:
        # sharing a folder with the articles, or holding the digest folder, would delete them.
        # The cache is always inside the digest folder: a folder that holds the digest
        # folder holds the cache too, and is refused for it.
        own = {"content folder": self.content_dir, "cache folder": self.cache_dir}
        for key, folder, where, others in (
            ("docs_dir", self.docs_dir, self.config_file, own),
            ("site folder", self.site_dir, self.site_dir, {**own, "docs_dir": self.docs_dir}),
        ):
            clash = next((name for name, other in others.items() if _overlap(folder, other)),
                         None)
            if clash:
                problems.append(Problem(where, f"{key} must not be, hold or be inside the "
                                               f"{clash}; use a folder of its own", True))
        return problems


def _overlap(one: Path, other: Path) -> bool:
    one, other = one.resolve(), other.resolve()
    return one.is_relative_to(other) or other.is_relative_to(one)


def load_config(
    root: Path, content_dir: Path | None = None, site_dir: Path | None = None
) -> DigestConfig:
    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {root}: run digest in a digest folder "
                          "(or create one with `digest new DIR`)")
    try:
        raw = yaml.load(config_file.read_text("utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as err:
        raise ConfigError(f"{config_file}: not valid YAML{yaml_error_line(err)}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"{config_file}: not UTF-8 text ({err.reason})") from err
    except OSError as err:
        raise ConfigError(f"{config_file}: cannot be read: {err.strerror}") from err
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: must be a mapping of settings")
    try:
        site_url = normalise(str(raw["site_url"])) if raw.get("site_url") else None
    except SiteURLError as err:
        raise ConfigError(f"{config_file}: {err}") from err
    return DigestConfig(
        root=root,
        config_file=config_file,
        content_dir=content_dir or root / "content",
        docs_dir=root / str(raw.get("docs_dir") or "build/docs"),
        site_dir=site_dir or root / str(raw.get("site_dir") or "site"),
        cache_dir=root / ".digest-cache",
        site_name=str(raw.get("site_name") or "Digest"),
        site_url=site_url,
        site_author=str(raw["site_author"]) if raw.get("site_author") else None,
    )
