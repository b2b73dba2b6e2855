"""The site's search index: Pagefind over the rendered article pages, in parts.

MkDocs renders the site; then Pagefind (PyPI `pagefind[bin]`, a Rust binary)
reads the article pages and writes chunked static indexes into `<site>/pagefind/`.
The browser downloads only the chunks a query needs, instead of Material's lunr
index of the whole digest, so search stays fast as the digest grows.

The index is split into parts by the articles' dates, newest first
(`plan_parts`), and the browser merges them with Pagefind's `mergeIndex`
(theme/assets/digest-search.js): adding an article re-indexes the part it falls
in, not the digest. Results are listed newest first, so the browser shows those
of the parts it holds so far, newest first, while the older ones load.
A part depends only on the articles, never on the builds before, so a clean
build writes the same bytes. The layout:

    pagefind/parts.json         the parts, newest first: name, and what the browser
                                fetches of each before Pagefind asks (its entry's
                                languages: metadata and WebAssembly; its index chunks)
    pagefind/pagefind.js        Pagefind's JS API, the same for every part
    pagefind/<part>/            one Pagefind bundle (entry, meta, index, fragments; the
                                newest part also Pagefind's WebAssembly, which the
                                browser loads from there only)

What is indexed is decided by the theme (theme/partials/content.html): only an
article page marks its text `data-pagefind-body` (up to "Related articles"),
with its date as `data-pagefind-meta`/`-sort`; the chips and the dateline carry
`data-pagefind-filter` (person, place, organisation, topic, year), written by
digest/pages.py. The search box (theme/partials/search.html) and
theme/assets/digest-search.js query the index with Pagefind's JS API.

`mkdocs serve` does not run this step, so its preview has no search.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind_bin import get_executable

BUNDLE = "pagefind"
PARTS_FILE = "parts.json"
# Only article pages can hold results; walking the rest of the site is wasted time.
INDEXED = "articles/"
# The element of an article page that holds what is indexed (theme/partials/content.html).
BODY = "[data-pagefind-body]"
# Lines on an article page that are not the news, so that excerpts quote the story:
# the dateline, the people, places, organisations and topics (their filters and the
# primary topic's meta are still read), keywords, the source file, the older/newer links.
EXCLUDE = (".digest-dateline", ".digest-chips", ".digest-keywords", ".digest-source",
           ".digest-steps")
# Most articles in one part, unless they all share one day. Re-indexing a part
# costs about this many pages (adding an article re-indexes one); every part costs
# the browser a few more requests, but the first results wait only for the newest
# part (theme/assets/digest-search.js).
PART_SIZE = 250
# Pagefind's JS, the same for every part: one copy at the bundle's root.
RUNTIME = ("pagefind.js", "pagefind-worker.js")
# Pagefind's own ready-made UIs: the digest renders results in Material's markup instead.
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
TIMEOUT = 600  # seconds; 4,000 articles take a few (6 s on a busy 2-CPU machine)
# Days covered by the split: every date's ordinal fits (year 1 to about 2870).
_SPAN = 1 << 20
UNDATED = "undated"


class SearchError(OSError):
    """The indexer could not be run or failed; the message holds its output."""


def plan_parts(dates: Mapping[str, str | None], size: int | None = None) -> dict[str, list[str]]:
    """The parts of the index: {name: article pages (paths in the site)}, newest first.

    Fixed periods, halved until a period holds at most `size` articles: the
    whole calendar, then its halves, their halves, down to single days (a day
    with more is split by a hash of the page path). An added article changes
    only the part of its date, or splits that one part in two; and the parts
    are in date order, so merged results sorted by date stay sorted.
    """
    size = size or PART_SIZE
    dated = sorted((dt.date.fromisoformat(day).toordinal(), page)
                   for page, day in dates.items() if day)
    parts: dict[str, list[str]] = {}
    _halve(dated, 0, _SPAN, size, parts)
    parts = dict(reversed(parts.items()))
    undated = sorted(page for page, day in dates.items() if not day)
    parts.update(_buckets(UNDATED, undated, size))
    return parts


def _halve(dated: list[tuple[int, str]], start: int, span: int, size: int,
           parts: dict[str, list[str]]) -> None:
    """Parts of the period [start, start + span) days, oldest first, into `parts`."""
    if not dated:
        return
    first = dt.date.fromordinal(max(start, 1)).isoformat()
    if len(dated) <= size or span == 1:
        pages = sorted(page for _, page in dated)
        parts.update(_buckets(f"{first}-{span}d", pages, size))
        return
    middle = start + span // 2
    cut = bisect.bisect_left(dated, (middle, ""))
    _halve(dated[:cut], start, span // 2, size, parts)
    _halve(dated[cut:], middle, span - span // 2, size, parts)


def _buckets(name: str, pages: list[str], size: int) -> dict[str, list[str]]:
    """One part, or as many as `size` asks for, by a hash of each page's path."""
    if len(pages) <= size:
        return {name: pages} if pages else {}
    count = -(-len(pages) // size)
    buckets: dict[str, list[str]] = {f"{name}-{i + 1}": [] for i in range(count)}
    for page in pages:
        number = int.from_bytes(hashlib.sha256(page.encode()).digest()[:8], "big") % count
        buckets[f"{name}-{number + 1}"].append(page)
    return {key: pages for key, pages in buckets.items() if pages}


# What Pagefind does not read of an article page (digest/pages.py, and
# theme/partials/content.html): from the related articles on, and the older/newer
# links, the page's last paragraph. Both change when other articles are added.
_RELATED = "\n## Related articles\n"
_STEPS = re.compile(r"\n[^\n]*\n\{ \.digest-steps \}\n*\Z")


def search_key(page: str) -> str:
    """A digest of what the index holds of an article page (given its Markdown).
    Should the marks above change, the key covers the whole page: more parts
    indexed again, never too few."""
    page = _STEPS.sub("", page.split(_RELATED, 1)[0])
    return hashlib.sha256(page.encode("utf-8")).hexdigest()[:16]


def parts_to_index(
    plan: Mapping[str, Sequence[str]],
    previous: Mapping[str, Sequence[str]] | None,
    changed_pages: Iterable[str],
) -> list[str]:
    """The parts whose index must be written again: new ones, those whose articles
    changed, and those holding a page whose indexed text changed; and when the
    newest part is another than before, the newest before and after, since only
    the newest holds Pagefind's WebAssembly (see Indexing.wait). All without a
    previous plan."""
    if previous is None:
        return list(plan)
    changed = set(changed_pages)
    newest = {next(iter(plan), None), next(iter(previous), None)}
    if len(newest) == 1:
        newest = set()
    return [name for name, pages in plan.items()
            if list(previous.get(name) or ()) != list(pages) or changed.intersection(pages)
            or name in newest]


def index_site(site: Path, plan: Mapping[str, Sequence[str]], language: str = "en") -> Path:
    """Write the whole Pagefind index of the article pages of `site` into `site/pagefind/`."""
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    return Indexing(site, plan, list(plan), language).wait()


class Indexing:
    """Pagefind indexing parts of a site's article pages, started now, finished by wait().

    It needs only the article pages, so the build starts it once those are
    rendered and renders the other pages meanwhile. Each part is one Pagefind
    run over its pages, as many at a time as there are CPU cores.
    """

    def __init__(self, site: Path, plan: Mapping[str, Sequence[str]], parts: Sequence[str],
                 language: str = "en", current: Path | None = None) -> None:
        self.site = site.resolve()
        # The site holding the parts of the plan not indexed again (an incremental build).
        self.current = current
        self.bundle = self.site / BUNDLE
        self.plan = plan
        self.parts = list(parts)
        self.language = language
        try:
            # The binary itself: `python -m pagefind` would start Python just to exec it.
            self.executable = str(get_executable())
        except FileNotFoundError as err:
            raise SearchError(f"Pagefind is not installed ({err}); install pagefind[bin]") from err
        for name in self.parts:
            shutil.rmtree(self.bundle / name, ignore_errors=True)
        self._running: list[subprocess.Popen[str]] = []
        self._lock = threading.Lock()
        self._cancelled = False
        workers = max(1, min(len(self.parts), len(os.sched_getaffinity(0))))
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._done = [self._pool.submit(self._index, name) for name in self.parts]

    def _index(self, name: str) -> None:
        # A brace list of the part's pages: slugs hold only [a-z0-9-], nothing a glob reads.
        glob = "{" + ",".join(self.plan[name]) + "}"
        cmd = [
            self.executable,
            "--site", str(self.site),
            "--output-subdir", f"{BUNDLE}/{name}",
            "--glob", glob,
            "--exclude-selectors", ", ".join(EXCLUDE),
            # Start at what is indexed, not at <html>: the same index for a third
            # less of Pagefind's time than walking Material's header and navigation.
            "--root-selector", BODY,
            "--force-language", self.language,
            "--silent",
        ]
        with self._lock:
            if self._cancelled:
                return
            try:
                # cwd is the site, so a pagefind.yml elsewhere (the digest folder) is never read.
                # The environment goes as a copy: without one the child reads the process's
                # own, which the build changes meanwhile on another thread (SOURCE_DATE_EPOCH,
                # digest/site.py), and a vfork child reading it as it changed once failed to
                # start with "[Errno 14] Bad address".
                process = subprocess.Popen(cmd, cwd=self.site, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True,
                                           env=dict(os.environ))
            except OSError as err:
                raise SearchError(f"could not run Pagefind ({err})") from err
            self._running.append(process)
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as expired:
            process.kill()
            process.wait()
            raise SearchError(f"Pagefind took more than {TIMEOUT} s") from expired
        if process.returncode != 0 and not self._cancelled:
            raise SearchError(f"Pagefind failed ({process.returncode}): {(err or out).strip()}")

    def wait(self) -> Path:
        """The finished bundle. The same site gives the same bytes: Pagefind writes
        filter values in hash-map order, so the filter files (and the metadata
        naming them) are rewritten sorted."""
        try:
            for done in self._done:
                done.result()
        finally:
            self._pool.shutdown()
        self.bundle.mkdir(parents=True, exist_ok=True)
        newest = next(iter(self.plan), None)
        for name in self.parts:
            part = self.bundle / name
            for unused in UNUSED:
                (part / unused).unlink(missing_ok=True)
            if not (part / "pagefind-entry.json").is_file():
                raise SearchError(f"Pagefind wrote no {BUNDLE}/{name} into {self.site}")
            for runtime in RUNTIME:
                # A replace, not a write: the root's copy may be a link into the last site.
                os.replace(part / runtime, self.bundle / runtime)
            _keep_wasm(part, name == newest)
            _sort_filters(part)
        parts = [self._describe(name) for name in self.plan]
        (self.bundle / PARTS_FILE).write_text(
            json.dumps(parts, ensure_ascii=False, separators=(",", ":")), "utf-8")
        return self.bundle

    def _describe(self, name: str) -> dict[str, object]:
        """A part as parts.json lists it. Named there, the files Pagefind would only
        find one after the other (entry, then metadata and WebAssembly, then index
        chunks) are fetched at once by the browser (theme/assets/digest-search.js)."""
        part = self.bundle / name
        if name not in self.parts and self.current is not None:
            part = self.current / BUNDLE / name
        try:
            entry = json.loads((part / "pagefind-entry.json").read_text("utf-8"))
            chunks = sorted(chunk.name for chunk in (part / "index").iterdir())
        except (OSError, ValueError) as err:
            raise SearchError(f"search index part {name} missing or damaged ({err})") from err
        return {"name": name, "languages": entry["languages"], "index": chunks}

    def cancel(self) -> None:
        """Stop Pagefind (the build failed; its output is going away)."""
        with self._lock:
            self._cancelled = True
            for process in self._running:
                if process.poll() is None:
                    process.kill()
        self._pool.shutdown(wait=True)


def _keep_wasm(part: Path, newest: bool) -> None:
    """Remove the WebAssembly files of a part that the browser never loads.

    Pagefind writes one for the language indexed and one for any other
    ("unknown"), about 70 KB each, into every part. The browser starts Pagefind
    on the newest part, which loads the one its entry names (or "unknown" when it
    names none); the other parts are merged into it and use its WebAssembly. So
    the newest part keeps that one file, the others none.
    """
    entry = json.loads((part / "pagefind-entry.json").read_text("utf-8"))
    used = {f"wasm.{language.get('wasm') or 'unknown'}.pagefind"
            for language in entry["languages"].values()} if newest else set()
    for wasm in part.glob("wasm.*.pagefind"):
        if wasm.name not in used:
            wasm.unlink()


# ---- byte-identical output ----------------------------------------------------
#
# A Pagefind file is gzip(b"pagefind_dcd" + CBOR). The metadata file
# (pagefind.<lang>_<hash>.pf_meta, named in pagefind-entry.json) is
# [version, pages, index chunks, filters [[name, chunk]], sorts, meta fields];
# a filter chunk (filter/<lang>_<hash>.pf_filter) is [name, [[value, [page, …]], …]].
# Only the filter lists come out in a random order; pages, index chunks and
# fragments are already deterministic. The JS fetches files by the names given
# in the metadata and checks no hash, so sorted files get new content-hash names.

MAGIC = b"pagefind_dcd"


def _sort_filters(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        prefix = language["hash"].split("_")[0]
        chunks = []
        for name, chunk in meta[3]:
            old = bundle / "filter" / f"{chunk}.pf_filter"
            filter_name, values = _read(old)
            data = _pack([filter_name, sorted(values, key=lambda v: v[0])])
            new = f"{prefix}_{hashlib.sha256(data).hexdigest()[:7]}"
            old.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            chunks.append([name, new])
        meta[3] = sorted(chunks)
        data = _pack(meta)
        language["hash"] = f"{prefix}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _read(path: Path) -> list:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise SearchError(f"unexpected Pagefind file format: {path}")
    value, end = _cbor_decode(raw, len(MAGIC))
    if end != len(raw):
        raise SearchError(f"unexpected Pagefind file format: {path}")
    return value


def _pack(value: object) -> bytes:
    return gzip.compress(MAGIC + _cbor_encode(value), compresslevel=9, mtime=0)


def _cbor_decode(data: bytes, i: int) -> tuple[object, int]:
    """The CBOR Pagefind writes: unsigned integers, text, byte strings, arrays."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i : i + size], "big"), i + size
    else:
        raise SearchError("unexpected CBOR in a Pagefind file")
    if major == 0:
        return n, i
    if major == 2:
        return data[i : i + n], i + n
    if major == 3:
        return data[i : i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _cbor_decode(data, i)
            items.append(item)
        return items, i
    raise SearchError("unexpected CBOR in a Pagefind file")


def _cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise SearchError("number too large for CBOR")


def _cbor_encode(value: object) -> bytes:
    if isinstance(value, bool) or value is None:
        raise SearchError("unexpected value in a Pagefind file")
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)
    raise SearchError("unexpected value in a Pagefind file")
