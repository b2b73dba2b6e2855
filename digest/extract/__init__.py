"""Pure extraction: article text in, Metadata out (see digest.extract.pipeline).

Only the version and the error of a damaged model live here, so that reading them
does not import spaCy: that takes most of a second, and a build whose articles are
all cached never needs it.
"""

import sys
import types
from typing import Any

# Bump whenever a rule, data file or model change alters output: it keys the extraction cache.
EXTRACTOR_VERSION = "0.9.3"
# The shipped NER model, a folder of the digest package (digest.extract.nlp loads it).
NER_DIR = "data/ner"


class ModelError(RuntimeError):
    """A shipped model file is missing or not the one pinned: reinstalling Digest helps."""


def _spacy_without_cli() -> None:
    """Let `import spacy` skip spaCy's command line until spaCy is loaded.

    spaCy's __init__ imports its whole command line (typer, weasel, httpx: 0.17 of
    the 0.55 s `import spacy` takes) only to offer spacy.info(), which extraction
    never calls; every `digest add` waits for that import. Until spaCy is imported,
    the two modules it reads are stand-ins; digest.extract.nlp puts them back
    (restore_spacy_cli), after which `import spacy.cli` loads the real one, and
    spacy.info() runs the real one.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return

    def info(*args: Any, **kwargs: Any) -> Any:
        restore_spacy_cli()
        from spacy.cli.info import info as run

        return run(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package (spaCy imports its .info) with nothing else in it
    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.info = info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": stand_in})
    _STAND_INS.update({"spacy.cli": cli, "spacy.cli.info": stand_in})


def restore_spacy_cli() -> None:
    """Take away the stand-ins of spaCy's command line (see _spacy_without_cli)."""
    for name, module in _STAND_INS.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]
    if (spacy := sys.modules.get("spacy")) is not None and vars(spacy).get("cli") is \
            _STAND_INS.get("spacy.cli"):
        vars(spacy).pop("cli", None)


_STAND_INS: dict[str, types.ModuleType] = {}
_spacy_without_cli()
