"""Where the site will be served from, found without configuration where possible.

Feeds, canonical URLs and the sitemap need the site's absolute address. A
curator who publishes with the scaffolded GitHub Pages workflow never writes it
down, so it is taken from the first of: `site_url` in mkdocs.yml; the
`--site-url` option (which the Pages workflow fills from
`actions/configure-pages`); the GitHub Pages address implied by the git remote.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# https://github.com/USER/REPO(.git), git@github.com:USER/REPO(.git), ssh://git@github.com/…
_GITHUB_REMOTE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]+@)?github\.com[:/]"
    r"(?P<user>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$",
    re.IGNORECASE,
)


FROM_CONFIG = "site_url in mkdocs.yml"
FROM_OPTION = "--site-url"
FROM_REMOTE = "the GitHub Pages address of the git remote origin"


class SiteURLError(ValueError):
    """A given site URL is unusable; the message says why."""


@dataclass(frozen=True)
class SiteURL:
    url: str | None  # absolute, ending in "/"; None when no source gave one
    origin: str | None  # where it came from: one of FROM_*


def normalise(url: str) -> str:
    """An absolute http(s) URL with a trailing slash (configure-pages gives none)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteURLError(f"site URL {url!r} must be an absolute http(s) URL, "
                           "like https://user.github.io/repo/")
    return url.strip().rstrip("/") + "/"


def pages_url(remote: str) -> str | None:
    """The GitHub Pages address of a GitHub repository's remote URL; None for other hosts."""
    match = _GITHUB_REMOTE.match(remote.strip())
    if not match:
        return None
    user, repo = match["user"].lower(), match["repo"]
    host = f"{user}.github.io"
    # A repository named USER.github.io is published at the root of that host.
    return f"https://{host}/" if repo.lower() == host else f"https://{host}/{repo}/"


def git_remote(root: Path) -> str | None:
    """The URL of the `origin` remote of the repository holding root, if any."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "config", "--get", "remote.origin.url"],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):  # no git: no remote to go by
        return None
    if result.returncode != 0:  # not a repository, or no origin
        return None
    return result.stdout.strip() or None


def resolve_site_url(configured: str | None, option: str | None, root: Path) -> SiteURL:
    """The site URL from the first source that gives one (`configured`: already normalised)."""
    if configured:
        return SiteURL(configured, FROM_CONFIG)
    if option:
        return SiteURL(normalise(option), FROM_OPTION)
    remote = git_remote(root)
    implied = pages_url(remote) if remote else None
    if implied:
        return SiteURL(implied, FROM_REMOTE)
    return SiteURL(None, None)
