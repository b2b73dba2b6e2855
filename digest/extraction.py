"""Extraction in processes: the models loaded ahead, and many articles on every core.

Kept apart from digest.build, and light to import: `digest add` forks the process
that loads the models (most of a second of spaCy and the embedding network) before
it imports the rest of Digest, so that the two load side by side on two cores.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from digest.model import Metadata
from digest.parallel import Primed, SharedProgress, map_shared, worker_count

# Below this many, extracting in one process is quicker than forking workers.
PARALLEL_MIN_ARTICLES = 32
Items = list[tuple[str, str | None]]  # what extraction reads of each article: text, title
Extractor = Primed[Items, list[Metadata]]


def primed_extractor() -> Extractor:
    """A process that loads the models now, to extract articles given to it later.
    Only the networks: the articles come before a whole warm-up would be done."""
    return Primed(load_networks, extract_all)


def extract_all(items: Items, progress: bool = False) -> list[Metadata]:
    """Metadata for each (text, title), in order, extracted on every CPU core."""
    # Imported here: spaCy's import is most of a second that a fully cached build skips.
    from digest.extract.nlp import pipeline
    from digest.extract.pipeline import extract_many

    pipeline()  # loaded once, before the workers fork, so that they share it
    bar = SharedProgress(len(items), "extracting", "article", progress)

    def extract(share: Sequence[tuple[str, str | None]]) -> list[Metadata]:
        found = []
        with cycle_collection(True):
            for meta in extract_many(share):
                found.append(meta)
                bar.advance()
        return found

    results = map_shared(extract, items, worker_count(len(items), PARALLEL_MIN_ARTICLES))
    bar.close()
    return results


def load_networks() -> None:
    """Load spaCy's pipeline and the embedding network, the bulk of extraction's start."""
    from digest.extract import embed
    from digest.extract.nlp import pipeline

    # The embedding network loads mostly in native code, on a thread beside spaCy's load
    # instead of after it. ONNX Runtime takes Python's lock in slices while it sets up
    # (microsoft/onnxruntime#27063), without stalling spaCy's thread: a process of its
    # own was measured no quicker.
    with ThreadPoolExecutor(1) as pool:
        embedding = pool.submit(embed.load)
        pipeline()
        embedding.result()


def load_models() -> None:
    """Load everything extraction uses (spaCy, the topic classifier, the rules) into
    this process, so that a process forked to extract a new article starts with them:
    spaCy alone left a second of loading to each article added while serving."""
    load_networks()
    extract_all([("Joe Biden met Angela Merkel in Berlin on Monday to talk trade.", None)])


@contextlib.contextmanager
def cycle_collection(enabled: bool) -> Iterator[None]:
    """Python's cycle collector on or off for a while, then as it was.

    A build makes millions of objects that live until it ends (metadata, pages,
    MkDocs' files), and each full pass of the collector walks them all to find
    next to nothing: with it on, a +1 build at 4,000 articles spent a tenth of its
    CPU time, and a serve rebuild more, in a handful of passes. So a build that
    keeps most of the site runs without it, and the little cyclic garbage it
    leaves is collected after. A full render (MkDocs' pages hold cycles, which
    took the peak memory of a warm build at 4,000 from 287 to 442 MB) and the
    extraction of many articles (spaCy's) run with it.
    """
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()
