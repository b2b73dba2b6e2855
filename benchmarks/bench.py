#!/usr/bin/env python3
"""Build-speed benchmark: our digest against a stock Material blog of the same articles.

    python benchmarks/bench.py [N ...] [--repeat R] [--shared DIR] [--keep] [--identical]

For each N (default 250 and 1000), in one run and on the same machine, this makes
the two corpora with `shared/bench/make_corpus.py` (articles 0..N-1, formats
`digest` and `material`) and times, each from a clean output folder:

  cold         `digest build` with no .digest-cache, build/ or site/
  warm         `digest build` again with the extraction cache kept, build/ and site/ removed
  incremental  after warm, article N of the bench source is added and the digest rebuilt
  serve        with --serve: `digest serve` running, the same article copied in,
               until the served site (pages and search) holds it
  Material     `mkdocs build -q` in the stock Material blog

and prints a Markdown table of medians (over --repeat runs of every build) with
the ratios against Material, the files the +1 build wrote (site files with a new
inode, and pages of build/docs), CPU seconds (user + system of the whole child
process tree) per rendered HTML page of the warm build against Material's,
pages per second and peak RSS of the child process tree. Figures are only
meaningful as ratios within one run (see shared/bench/README.md). With
--identical it also checks that the incremental site is byte-identical to a full
warm build of the same N+1 articles.

Output folders are moved aside before each timed build and deleted at the end,
never deleted just before one: see set_aside().

The digest is the code of the checkout this file lives in (its root is put first
on PYTHONPATH), so a copy of the repo can be benchmarked as it is. This is not a
test: pytest never collects it (tests/ is the test path).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (250, 1000)
TIME_BIN = Path("/usr/bin/time")
MB = 1024 * 1024
DUPLICATE_LOOKAHEAD = 10
TRASH = "set-aside"  # in the work folder: what set_aside() moved, deleted at the end


@dataclass
class Run:
    seconds: float
    rss_bytes: int  # peak resident set size of the largest process in the child tree
    cpu_seconds: float = 0.0  # user + system time of the whole child tree
    stdout: str = ""


@dataclass
class Result:
    n: int
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    incremental: list[Run] = field(default_factory=list)
    material: list[Run] = field(default_factory=list)
    pages_ours: int = 0
    pages_material: int = 0
    written_site: list[int] = field(default_factory=list)  # site files written by each +1 build
    written_docs: list[int] = field(default_factory=list)  # pages of build/docs it wrote
    served: list[float] = field(default_factory=list)  # s from a new file to it being served
    identical: bool | None = None
    added: str = ""
    differences: list[str] = field(default_factory=list)


def median_seconds(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def median_cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu_seconds for r in runs)


def peak_mb(runs: list[Run]) -> float:
    return max(r.rss_bytes for r in runs) / MB


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run cmd to completion; wall time and peak RSS of its process tree."""
    use_time = TIME_BIN.exists()
    stats = Path(tempfile.mkstemp(prefix="bench-time-", suffix=".txt")[1])
    full = [str(TIME_BIN), "-v", "-o", str(stats), *cmd] if use_time else cmd
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = done.ru_maxrss
    cpu = (done.ru_utime + done.ru_stime) - (usage.ru_utime + usage.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed ({proc.returncode}) in {cwd}: {' '.join(cmd)}")
    rss_kb = 0
    if use_time:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stats.read_text())
        rss_kb = int(found.group(1)) if found else 0
    else:
        # A high-water mark over all children so far: exact only when this run set it.
        rss_kb = after if after > before else before
    stats.unlink(missing_ok=True)
    return Run(seconds, rss_kb * 1024, cpu, proc.stdout)


def make_corpus(
    script: Path, n: int, out: Path, fmt: str, start: int = 0, force: bool = False
) -> None:
    cmd = [sys.executable, str(script), str(n), str(out), "--format", fmt, "--start", str(start)]
    if force:
        cmd.append("--force")
    subprocess.run(cmd, check=True, capture_output=True, text=True)


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def inodes(site: Path) -> set[tuple[str, int]]:
    """Every file of a site with its inode: a file the build wrote has a new one."""
    return {(str(p.relative_to(site)), p.stat().st_ino) for p in site.rglob("*") if p.is_file()}


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def set_aside(trash: Path, *paths: Path) -> None:
    """Move folders out of the way of a timed build; `trash` is deleted after all runs.

    Deleting them right before the build would time the file system instead: on
    ext4 without a journal (this machine's), a new file skips every inode freed in
    the last minutes (`find_inode_bit` → `recently_deleted`), so creating N files
    just after deleting N costs O(N²) kernel time, far more for the side with
    more files. Both sides are treated alike.
    """
    trash.mkdir(parents=True, exist_ok=True)
    for path in paths:
        if path.exists():
            path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


def compare_trees(left: Path, right: Path) -> list[str]:
    """Relative paths that differ (content, or present on one side only)."""
    diffs: list[str] = []
    left_files = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    right_files = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    diffs += [f"only in incremental: {p}" for p in sorted(left_files - right_files)]
    diffs += [f"only in full build: {p}" for p in sorted(right_files - left_files)]
    for rel in sorted(left_files & right_files):
        if not filecmp.cmp(left / rel, right / rel, shallow=False):
            diffs.append(f"differs: {rel}")
    return diffs


def setup_digest(folder: Path, repo: Path, articles: Path) -> None:
    """A digest folder: the repo's mkdocs.yml and theme/, the corpus as content/articles/."""
    shutil.copy2(repo / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(repo / "theme", folder / "theme")
    target = folder / "content" / "articles"
    target.parent.mkdir(parents=True)
    shutil.move(str(articles), str(target))


def indexed_pages(base: str) -> int:
    """Article pages in the search index of the site served at base; -1 while none."""
    try:
        with urllib.request.urlopen(f"{base}pagefind/parts.json", timeout=60) as response:
            parts = json.load(response)
        total = 0
        for part in parts:
            with urllib.request.urlopen(f"{base}pagefind/{part['name']}/pagefind-entry.json",
                                        timeout=60) as response:
                total += json.load(response)["languages"]["en"]["page_count"]
        return total
    except (OSError, ValueError, KeyError):
        return -1


def serve_latency(digest_dir: Path, added: Path, target: Path, env: dict[str, str]) -> float:
    """With `digest serve` running (and its first build done), seconds from copying a
    new article into content/articles/ to its being in the served site. The site is
    swapped in whole, pages and search index together, so the search index holding
    one more page means the new site is served."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "digest", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=digest_dir, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 1800
        while (before := indexed_pages(base)) < 0:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("digest serve did not start")
            time.sleep(0.5)
        time.sleep(2)  # the watcher's first look at the content folder
        start = time.perf_counter()
        shutil.copy2(added, target)
        while indexed_pages(base) != before + 1:
            if time.monotonic() > deadline:
                raise SystemExit("digest serve did not pick up the new article")
            # Not more often: the server answers in the process that builds.
            time.sleep(0.2)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=60)


def bench_size(
    n: int,
    repeat: int,
    work: Path,
    script: Path,
    repo: Path,
    env: dict[str, str],
    identical: bool,
    serve: bool = False,
    seed_cache: Path | None = None,
) -> Result:
    result = Result(n)
    root = work / f"n{n}"
    trash = work / TRASH
    digest_dir, material_dir, extra_dir = root / "digest", root / "material", root / "extra"
    digest_dir.mkdir(parents=True)
    make_corpus(script, n, root / "articles", "digest")
    make_corpus(script, n, material_dir, "material")
    # Article N is the one added; the source holds a few verbatim duplicates, which the
    # digest rightly skips, so take the first of N, N+1, … whose text is new.
    known = {p.read_bytes() for p in (root / "articles").iterdir()}
    for k in range(n, n + DUPLICATE_LOOKAHEAD):
        remove(extra_dir)
        try:
            make_corpus(script, 1, extra_dir, "digest", start=k)
        except subprocess.CalledProcessError:
            # The source ends at N: the digest starts from N-1 articles and adds the last.
            k = n - 1
            remove(extra_dir)
            make_corpus(script, 1, extra_dir, "digest", start=k)
            (added,) = extra_dir.iterdir()
            (root / "articles" / added.name).unlink()
            break
        (added,) = extra_dir.iterdir()
        if added.read_bytes() not in known:
            break
    result.added = f"article {k}, {added.name}"
    setup_digest(digest_dir, repo, root / "articles")
    added_target = digest_dir / "content" / "articles" / added.name

    digest_cmd = [sys.executable, "-m", "digest", "build"]
    mkdocs_cmd = [sys.executable, "-m", "mkdocs", "build", "-q"]
    cache, build, site = (digest_dir / d for d in (".digest-cache", "build", "site"))
    for i in range(repeat):
        remove(added_target)
        if seed_cache:
            set_aside(trash, cache, build, site)
            cache.mkdir()
            shutil.copy2(seed_cache, cache / seed_cache.name)
        else:
            log(f"N={n} run {i + 1}/{repeat}: ours cold")
            set_aside(trash, cache, build, site)
            result.cold.append(timed(digest_cmd, digest_dir, env))
        log(f"N={n} run {i + 1}/{repeat}: ours warm")
        set_aside(trash, build, site)
        result.warm.append(timed(digest_cmd, digest_dir, env))
        result.pages_ours = count_pages(site)
        log(f"N={n} run {i + 1}/{repeat}: ours incremental (+1 article)")
        shutil.copy2(added, added_target)
        before = inodes(site)
        result.incremental.append(timed(digest_cmd, digest_dir, env))
        result.written_site.append(len(inodes(site) - before))
        updated = re.search(r"(\d+) pages? updated", result.incremental[-1].stdout)
        result.written_docs.append(int(updated.group(1)) if updated else -1)
        if identical and i == 0:
            kept = root / "site-incremental"
            site.rename(kept)
            set_aside(trash, build)
            timed(digest_cmd, digest_dir, env)
            result.differences = compare_trees(kept, site)
            result.identical = not result.differences
            set_aside(trash, kept)
        if serve:
            log(f"N={n} run {i + 1}/{repeat}: ours +1 with digest serve running")
            remove(added_target)
            timed(digest_cmd, digest_dir, env)  # back to N articles
            result.served.append(serve_latency(digest_dir, added, added_target, env))
        log(f"N={n} run {i + 1}/{repeat}: stock Material")
        set_aside(trash, material_dir / "site")
        result.material.append(timed(mkdocs_cmd, material_dir, env))
        result.pages_material = count_pages(material_dir / "site")
    return result


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def table(results: list[Result]) -> str:
    head = [
        "N",
        "ours cold s",
        "ours warm s",
        "+1 s",
        "Material s",
        "+1/Material",
        "+1/Material, CPU s",
        "warm/Material",
        "cold/Material",
        "+1/warm",
        "files written by +1 (site / build/docs)",
        "pages ours",
        "pages Material",
        "CPU s per page, warm vs Material",
        "pages/s ours vs Material",
        "peak RSS warm vs Material",
        "peak RSS cold vs Material",
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cold = median_seconds(r.cold) if r.cold else float("nan")
        warm = median_seconds(r.warm)
        inc, mat = median_seconds(r.incremental), median_seconds(r.material)
        pps_ours, pps_mat = r.pages_ours / warm, r.pages_material / mat
        cpp_ours = median_cpu(r.warm) / r.pages_ours
        cpp_mat = median_cpu(r.material) / r.pages_material
        rss_warm, rss_mat = peak_mb(r.warm), peak_mb(r.material)
        rss_cold = peak_mb(r.cold) if r.cold else float("nan")
        cells = [
            str(r.n),
            f"{cold:.2f}",
            f"{warm:.2f}",
            f"{inc:.2f}",
            f"{mat:.2f}",
            ratio(inc, mat),
            f"{median_cpu(r.incremental):.1f} / {median_cpu(r.material):.1f} "
            f"({ratio(median_cpu(r.incremental), median_cpu(r.material))})",
            ratio(warm, mat),
            ratio(cold, mat),
            ratio(inc, warm),
            f"{statistics.median(r.written_site):.0f} / {statistics.median(r.written_docs):.0f}",
            str(r.pages_ours),
            str(r.pages_material),
            f"{cpp_ours * 1000:.1f} vs {cpp_mat * 1000:.1f} ms ({ratio(cpp_ours, cpp_mat)})",
            f"{pps_ours:.0f} vs {pps_mat:.0f} ({ratio(pps_ours, pps_mat)})",
            f"{rss_warm:.0f} vs {rss_mat:.0f} MB ({ratio(rss_warm, rss_mat)})",
            f"{rss_cold:.0f} vs {rss_mat:.0f} MB ({ratio(rss_cold, rss_mat)})",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES), metavar="N")
    parser.add_argument("--repeat", type=int, default=1, help="runs of every build (median)")
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="the shared folder holding bench/make_corpus.py",
    )
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and sites")
    parser.add_argument(
        "--cache",
        type=Path,
        help="an extraction cache file (.digest-cache/extract-*.json) of these articles, "
        "to start from instead of timing a cold build (not holding the added article); "
        "the warm build is then the first, without the dossier memo or compiled "
        "templates: slower than a warm build, so compare +1 and serve only",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="also time a new article's way into the site `digest serve` serves",
    )
    parser.add_argument(
        "--identical",
        action="store_true",
        help="check the incremental site against a full build (one more build)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("N and --repeat must be positive")
    script = args.shared / "bench" / "make_corpus.py"
    if not script.is_file():
        parser.error(f"{script} not found (use --shared DIR)")

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="digest-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in args.sizes:
            results.append(bench_size(n, args.repeat, work, script, REPO, env, args.identical,
                                      args.serve, args.cache and args.cache.resolve()))
    finally:
        shutil.rmtree(work / TRASH, ignore_errors=True)
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    runs = f"median of {args.repeat} runs" if args.repeat > 1 else "1 run"
    print(
        f"Digest vs stock Material blog, same articles, same run ({runs}; "
        f"source: Reuters-21578, Distribution 1.0)\n"
    )
    print(table(results))
    for r in results:
        print(f"\nN={r.n}: the incremental build added {r.added}")
        if r.served:
            served, mat = statistics.median(r.served), median_seconds(r.material)
            print(f"\nN={r.n}: with `digest serve` running, the new article was served "
                  f"(pages and search) {served:.2f} s after it was copied in: "
                  f"{ratio(served, mat)} the stock Material build")
        if r.identical is not None:
            verdict = "byte-identical" if r.identical else f"{len(r.differences)} file(s) differ"
            print(f"\nN={r.n}: incremental site vs full build of N+1: {verdict}")
            for line in r.differences[:20]:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
