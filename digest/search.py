"""The site's search index: Pagefind over the rendered article pages.

MkDocs renders the site; then Pagefind (PyPI `pagefind[bin]`, a Rust binary)
reads the article pages and writes a chunked static index into `<site>/pagefind/`.
The browser downloads only the chunks a query needs, instead of Material's lunr
index of the whole digest, so search stays fast as the digest grows.

What is indexed is decided by the theme (theme/partials/content.html): only an
article page marks its text `data-pagefind-body` (up to "Related articles"),
with its date as `data-pagefind-meta`/`-sort`; the chips and the dateline carry
`data-pagefind-filter` (person, place, organisation, topic, year), written by
digest/pages.py. The search box (theme/partials/search.html) and
theme/assets/digest-search.js query the index with Pagefind's JS API.

`mkdocs serve` does not run this step, so its preview has no search.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from pagefind_bin import get_executable

BUNDLE = "pagefind"
# Only article pages can hold results; walking the rest of the site is wasted time.
INDEXED = "articles/"
GLOB = f"{INDEXED}**/*.html"
# Lines on an article page that are not the news, so that excerpts quote the story:
# the dateline, the people, places, organisations and topics (their filters and the
# primary topic's meta are still read), keywords, the source file, the older/newer links.
EXCLUDE = (".digest-dateline", ".digest-chips", ".digest-keywords", ".digest-source",
           ".digest-steps")
# Pagefind's own ready-made UIs: the digest renders results in Material's markup instead.
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
TIMEOUT = 600  # seconds; 4,000 articles take a few (6 s on a busy 2-CPU machine)


class SearchError(OSError):
    """The indexer could not be run or failed; the message holds its output."""


def index_site(site: Path, language: str = "en") -> Path:
    """Write the Pagefind index of the article pages of `site` into `site/pagefind/`."""
    return Indexing(site, language).wait()


class Indexing:
    """Pagefind indexing a site's article pages, started now, finished by wait().

    It needs only the article pages, so the build starts it once those are
    rendered and renders the other pages meanwhile.
    """

    def __init__(self, site: Path, language: str = "en") -> None:
        self.site = site.resolve()
        self.bundle = self.site / BUNDLE
        shutil.rmtree(self.bundle, ignore_errors=True)
        try:
            # The binary itself: `python -m pagefind` would start Python just to exec it.
            executable = str(get_executable())
        except FileNotFoundError as err:
            raise SearchError(f"Pagefind is not installed ({err}); install pagefind[bin]") from err
        cmd = [
            executable,
            "--site", str(self.site),
            "--output-subdir", BUNDLE,
            "--glob", GLOB,
            "--exclude-selectors", ", ".join(EXCLUDE),
            "--force-language", language,
            "--silent",
        ]
        try:
            # cwd is the site, so a pagefind.yml elsewhere (the digest folder) is never read.
            self.process = subprocess.Popen(cmd, cwd=self.site, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True)
        except OSError as err:
            raise SearchError(f"could not run Pagefind ({err})") from err

    def wait(self) -> Path:
        """The finished bundle. The same site gives the same bytes: Pagefind writes
        filter values in hash-map order, so the filter files (and the metadata
        naming them) are rewritten sorted."""
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as expired:
            self.cancel()
            raise SearchError(f"Pagefind took more than {TIMEOUT} s") from expired
        if self.process.returncode != 0:
            raise SearchError(f"Pagefind failed ({self.process.returncode}): "
                              f"{(err or out).strip()}")
        for name in UNUSED:
            (self.bundle / name).unlink(missing_ok=True)
        if not (self.bundle / "pagefind.js").is_file():
            raise SearchError(f"Pagefind wrote no {BUNDLE}/pagefind.js into {self.site}")
        _sort_filters(self.bundle)
        return self.bundle

    def cancel(self) -> None:
        """Stop Pagefind (the build failed; its output is going away)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


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
