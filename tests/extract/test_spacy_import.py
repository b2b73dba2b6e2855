"""spaCy loads for extraction without its command line, and its command line still works."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import digest.extract.nlp
loaded_cli = sorted(name for name in ("typer", "weasel") if name in sys.modules)
import spacy, spacy.cli
has_download = hasattr(spacy.cli, "download")
print(loaded_cli, has_download, spacy.info()["spacy_version"] == spacy.__version__)
"""


def _run() -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          check=True, timeout=120)
    return done.stdout.strip()


def test_extraction_loads_spacy_without_its_command_line_which_still_works_after() -> None:
    assert _run() == "[] True True"
