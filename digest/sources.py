"""Find and read the curator's articles. Readers are keyed by file extension."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from digest.model import Problem, Source

ARTICLES_DIR = "articles"


class SourceError(ValueError):
    """A file that cannot be read as an article; the message says why."""


def yaml_error_line(err: yaml.YAMLError) -> str:
    """" (line N)" for a YAML error: where the broken value starts (a bracket or quote
    left open), else where the parser stopped. The parser's own message spans several
    lines and quotes the text, too much for a one-line report."""
    mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
    return f" (line {mark.line + 1})" if mark else ""


# PyYAML's C parser (libyaml, in its wheels) when it is there: the pure-Python one
# took most of the time of reading a thousand articles' front matter.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CuratorLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader (tags never run code) that reads an impossible date such as 2022-13-45
    as the text it is: the curator then hears that `date` must be a date, as for any
    wrong value, instead of the build stopping on PyYAML's ValueError."""


def _timestamp_or_text(loader: CuratorLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


CuratorLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def decode(data: bytes) -> str:
    """Bytes to text: BOMs first, then UTF-8, then Windows-1252 (a superset of
    Latin-1's printable range, and what pasted web text usually is)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec)
    if b"\x00" in data:
        raise SourceError("binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_text(text: str) -> tuple[str, dict[str, Any]]:
    return text, {}


def _read_markdown(text: str) -> tuple[str, dict[str, Any]]:
    # python-frontmatter's own parse() quietly drops front matter that is not a
    # mapping or not closed; a curator should hear about both, so use its parts.
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return text, {}
    try:
        raw, body = handler.split(text)
    except ValueError as err:
        raise SourceError("front matter is not closed with a `---` line") from err
    try:
        data = handler.load(raw, Loader=CuratorLoader)
    except yaml.YAMLError as err:
        # `raw` starts on the opening `---` line: its line 1 is the file's.
        raise SourceError(f"front matter is not valid YAML{yaml_error_line(err)}") from err
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError("front matter must be a mapping of keys to values")
    return body, {str(k): v for k, v in data.items()}


Reader = Callable[[str], tuple[str, dict[str, Any]]]
READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("text", _read_text),
    ".md": ("markdown", _read_markdown),
    ".markdown": ("markdown", _read_markdown),
}


def shown_path(path: Path, root: Path) -> Path:
    """The path as messages and the `source` field show it: relative to the digest
    folder when the file is inside it, as given otherwise."""
    return path.relative_to(root) if path.is_relative_to(root) else path


SIDECAR_SUFFIX = ".yml"


def sidecar_path(path: Path) -> Path:
    """Where curator metadata for a plain-text article lives: NAME.txt.yml beside NAME.txt."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _read_sidecar(path: Path) -> tuple[dict[str, Any], bytes]:
    """A plain-text article's sidecar mapping (empty when there is none) and its bytes."""
    sidecar = sidecar_path(path)
    if path.suffix.lower() != ".txt" or not sidecar.is_file():
        return {}, b""
    data = sidecar.read_bytes()
    try:
        front = yaml.load(decode(data), Loader=CuratorLoader)
    except yaml.YAMLError as err:
        raise SourceError(f"{sidecar.name} is not valid YAML{yaml_error_line(err)}") from err
    if front is None:
        return {}, data
    if not isinstance(front, dict):
        raise SourceError(f"{sidecar.name} must be a mapping of keys to values")
    return {str(k): v for k, v in front.items()}, data


def read_front_matter(path: Path) -> tuple[str, dict[str, Any], bytes]:
    """An article file's body and curator metadata (front matter, or a .txt's sidecar),
    and the bytes both came from."""
    _, reader = READERS[path.suffix.lower()]
    data = path.read_bytes()
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    body, front = reader(text)
    sidecar, sidecar_data = _read_sidecar(path)
    return body, {**front, **sidecar}, data + sidecar_data


def read_source(path: Path, root: Path, added: str | None = None) -> Source:
    """Read one article file; raise SourceError with a reason a curator understands."""
    fmt, _ = READERS[path.suffix.lower()]
    body, front, data = read_front_matter(path)
    if not body.strip() and not front.get("title"):
        raise SourceError("empty article")
    return Source(
        path=shown_path(path, root),
        text=body,
        front_matter=front,
        # The sidecar is part of the article: editing it must re-extract (a title is input).
        sha256=hashlib.sha256(data).hexdigest(),
        fmt=fmt,
        added=added,
    )


def find_articles(content_dir: Path) -> tuple[list[Path], list[Path]]:
    """Article files in a stable order (hidden files and unknown extensions are skipped),
    and the folders among them that could not be listed, so that none is left out unsaid.
    A link to an article that is gone is listed too: reading it says what is wrong."""
    folder = content_dir / ARTICLES_DIR
    found: list[Path] = []
    unlisted: list[Path] = []
    if folder.is_dir():
        for top, _, names in os.walk(folder, onerror=lambda e: unlisted.append(Path(e.filename))):
            for name in names:
                path = Path(top, name)
                if (not name.startswith(".") and path.suffix.lower() in READERS
                        and (path.is_file() or path.is_symlink())):
                    found.append(path)
    return sorted(found), sorted(unlisted)


def first_added_dates(content_dir: Path) -> dict[Path, str]:
    """Date each file was first committed, from one `git log` over the folder.

    A renamed file keeps the date its first name was committed. File names are
    read NUL-separated, so git never quotes them (non-ASCII, spaces, quotes).
    Files unknown to git (or no git at all) are absent: callers fall back to mtime.
    """
    try:
        out = subprocess.run(
            ["git", "log", "--reverse", "-M", "-z", "--name-status", "--format=%x01%as",
             "--", "."],
            cwd=content_dir,
            capture_output=True,
            check=True,
        ).stdout
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=content_dir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    tokens = iter(os.fsdecode(out).split("\0"))
    current = ""
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            current = token[1:]
        elif token[:1] == "R":  # renamed: the old name, then the new one
            old, new = next(tokens), next(tokens)
            dates[new] = dates.pop(old, current)
        elif token[:1] == "D":
            dates.pop(next(tokens), None)
        elif token:  # added, modified or type-changed: the oldest commit seen wins
            dates.setdefault(next(tokens), current)
    return {(Path(top) / name).resolve(): date for name, date in dates.items()}


def _day(timestamp: float) -> str:
    """The UTC date of a file's modification time."""
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).date().isoformat()


# A file as last read: its stat (and its sidecar's) and date added, and the Source read.
KnownSources = dict[Path, tuple[tuple[object, ...], Source]]


def _stamp(file: Path | os.stat_result) -> tuple[int, int, int] | None:
    """What changes when a file is written or replaced: inode, size, modification time."""
    try:
        stat = file.stat() if isinstance(file, Path) else file
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def stamps(known: KnownSources) -> dict[str, list[object]]:
    """What read_sources found of each article file and its sidecar, by path, as JSON
    holds it: for changed_articles to compare a later look at the folder with."""
    return {str(path): _size_and_time(stamp[:2]) for path, (stamp, _) in known.items()}


def changed_articles(content_dir: Path, seen: dict[str, list[object]]) -> int:
    """How many article files under content_dir are new, or changed (or their sidecar)
    since they were `seen` (stamps), by their stat alone: no file is read."""
    paths, _ = find_articles(content_dir)
    return sum(seen.get(str(path)) != _size_and_time(_files_stamp(path)) for path in paths)


def _files_stamp(path: Path, stat: os.stat_result | None = None
                 ) -> tuple[tuple[int, int, int] | None, ...]:
    """The _stamp of an article file (from its `stat` when already made) and of its sidecar."""
    return _stamp(stat or path), _stamp(sidecar_path(path))


def _size_and_time(stamps: tuple[tuple[int, int, int] | None, ...]) -> list[object]:
    # Not the inode, which a copy of the digest (a backup restored, a CI cache) changes
    # for every file: size and modification time tell an edit, as make does.
    return [list(stamp[1:]) if stamp else None for stamp in stamps]


def read_sources(root: Path, content_dir: Path, known: KnownSources | None = None
                 ) -> tuple[list[Source], list[Problem]]:
    """Every readable article under content_dir, and a problem for each one that is not.

    `known` (kept by a long-running process) holds the files read last time: one
    whose stat, sidecar and date added are unchanged is not read again. It is
    updated to this call's files.
    """
    sources: list[Source] = []
    problems: list[Problem] = []
    added = first_added_dates(content_dir)
    resolved_content = content_dir.resolve()
    paths, unlisted = find_articles(content_dir)
    for folder in unlisted:
        problems.append(Problem(shown_path(folder, root),
                                "folder cannot be read; its articles are left out", True))
    seen: KnownSources = {}
    # Each folder is resolved once, and a file only when it is a link: resolving every
    # file's folders again was most of the time of finding thousands of known articles.
    folders: dict[Path, Path] = {}
    for path in paths:
        rel = shown_path(path, root)
        if path.parent not in folders:
            folders[path.parent] = path.parent.resolve()
        real = path.resolve() if path.is_symlink() else folders[path.parent] / path.name
        if not real.is_relative_to(resolved_content):
            problems.append(Problem(rel, "links outside the content folder; not published", True))
            continue
        try:
            stat = path.stat()
            when = added.get(real) or _day(stat.st_mtime)
            stamp = (*_files_stamp(path, stat), when)
            last = known.get(path) if known is not None else None
            source = last[1] if last and last[0] == stamp else read_source(path, root, when)
            seen[path] = (stamp, source)
            sources.append(source)
        except SourceError as err:
            problems.append(Problem(rel, str(err), True))
        except OSError as err:
            problems.append(Problem(rel, f"cannot be read: {err.strerror}", True))
    if known is not None:
        known.clear()
        known.update(seen)
    return sources, problems
