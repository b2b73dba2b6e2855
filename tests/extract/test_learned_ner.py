"""The shipped NER model: names in tables and lists, companies and clubs that are not
people, and weights that are exactly the ones trained."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import spacy

from digest.extract.nlp import (
    MODEL,
    NER_DIR,
    NER_MANIFEST,
    NER_SHA256,
    ArrayVectors,
    pipeline,
    verified_model,
)
from digest.extract.pipeline import extract

LEADERBOARD = """GOLF - LEADING SCORES AFTER SECOND ROUND OF THE OPEN.
TROON, Scotland 1997-07-18
Leading scores after the second round of the Open on Friday (British unless stated):
136 Darren Clarke 67 69
137 Justin Leonard (U.S.) 69 68
138 Jesper Parnevik (Sweden) 70 68
139 Fred Couples (U.S.) 69 70, Ernie Els (South Africa) 72 67
140 Lee Westwood 73 67
"""

SOCCER = """SOCCER - SPANISH FIRST DIVISION RESULTS.
MADRID 1997-09-14
Results of Spanish first division matches on Sunday:
Valencia 3 Sevilla 1
Barcelona 2 Valladolid 0
Bilbao 1 Zaragoza 1
"""

TICKER = (
    "Dean Witter said it raised its posted prices for crude oil by one dollar a "
    "barrel.\n\nDean Witter joined Sun Co and Murphy Oil in raising prices."
)

MINISTER = (
    "Oil minister Sheikh Ahmed al-Fahad al-Sabah said output was below the ceiling.\n\n"
    "Demand would rise in April, Sheikh Ahmed said."
)


@pytest.mark.model
def test_names_in_a_leaderboard_are_people() -> None:
    found = extract(LEADERBOARD)
    people = set(found.people)
    assert {"Darren Clarke", "Justin Leonard", "Jesper Parnevik", "Ernie Els"} <= people
    assert {"Fred Couples", "Lee Westwood"} <= people
    assert not people & set(found.places) | people & set(found.organisations)


@pytest.mark.model
def test_initials_in_a_scorecard_are_people() -> None:
    text = "CRICKET - RESULTS\nLONDON 1996-08-30\nGlamorgan 259 (A. Dale 69, H. Morris 69)."
    found = extract(text)
    assert {"A. Dale", "H. Morris"} <= set(found.people)


@pytest.mark.model
def test_clubs_named_after_cities_are_not_people() -> None:
    found = extract(SOCCER)
    assert found.people == []
    assert {"Valencia", "Sevilla", "Barcelona", "Bilbao"} <= set(found.organisations)


@pytest.mark.model
def test_a_company_with_a_ticker_in_the_headline_is_not_a_person() -> None:
    found = extract(TICKER, title="DEAN WITTER <DWR> RAISES CRUDE POSTINGS")
    assert found.people == []
    assert "Dean Witter" in found.organisations


@pytest.mark.model
def test_a_given_name_after_a_title_folds_into_the_full_name() -> None:
    assert extract(MINISTER).people == ["Ahmed al-Fahad al-Sabah"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("He will probably be replaced by Shearer's Newcastle team mate Les Ferdinand.",
         "Les Ferdinand"),
        ("The move reunites Lentini, who fell out with ex-Milan coach Fabio Capello last "
         "season, with his former coach at Torino, Emiliano Mondonico.", "Fabio Capello"),
        ("In an interview on CNBC Friday, Federal Reserve Governor Lawrence Lindsey said "
         'there still were "mixed signals" about the economy.', "Lawrence Lindsey"),
    ],
)
def test_people_the_word_vectors_make_names(text: str, person: str) -> None:
    # Each was missed with the vectors read as zeros: the network learned on them.
    assert person in extract(text).people


def _shipped_copy(tmp_path: Path) -> Path:
    with resources.as_file(resources.files("digest").joinpath(NER_DIR)) as folder:
        return Path(shutil.copytree(folder, tmp_path / "ner"))


def test_the_shipped_weights_match_the_pinned_hash(tmp_path: Path) -> None:
    folder = _shipped_copy(tmp_path)
    assert verified_model(folder, NER_SHA256) == folder


def test_changed_weights_are_refused(tmp_path: Path) -> None:
    folder = _shipped_copy(tmp_path)
    weights = folder / "ner" / "model"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\0")
    with pytest.raises(RuntimeError, match="changed since training"):
        verified_model(folder, NER_SHA256)


def test_a_different_manifest_is_refused(tmp_path: Path) -> None:
    folder = _shipped_copy(tmp_path)
    manifest = folder / NER_MANIFEST
    manifest.write_text(manifest.read_text("utf-8").replace("}", ' ,"extra": "0"}'), "utf-8")
    with pytest.raises(RuntimeError, match="not the pinned NER model"):
        verified_model(folder, NER_SHA256)


def _vectors() -> ArrayVectors:
    """Four words' keys, unsorted, two of them sharing a row, over a three-row table."""
    strings = spacy.blank("en").vocab.strings
    key2row = {strings.add(w): row for w, row in (("Walpole", 2), ("walpole", 2), ("Naroff", 0))}
    key2row[strings.add("economist")] = 1
    return ArrayVectors.from_table(key2row, np.arange(9, dtype=np.float32).reshape(3, 3))


def test_each_word_reads_its_own_row_and_an_unknown_word_zeros() -> None:
    nlp = spacy.blank("en")
    nlp.vocab.vectors = _vectors()
    doc = nlp("economist Naroff of Walpole walpole xqzzy")
    got = nlp.vocab.vectors.get_batch(doc.to_array("ORTH"))
    rows = [[3, 4, 5], [0, 1, 2], [0, 0, 0], [6, 7, 8], [6, 7, 8], [0, 0, 0]]
    assert got.tolist() == rows


def test_the_vectors_read_back_as_written(tmp_path: Path) -> None:
    vectors = _vectors()
    vectors.to_disk(tmp_path / "vectors")
    again = ArrayVectors.from_disk(tmp_path / "vectors")
    keys = np.concatenate([vectors.keys, [np.uint64(7)]])
    assert np.array_equal(again.get_batch(keys), vectors.get_batch(keys))
    assert again.shape == (3, 3)


def test_the_pipeline_tokenizes_as_the_small_model_does() -> None:
    # Digest loads the tokenizer straight from the model's files (a quicker load): it
    # must split words exactly as the model loaded the usual way, special cases and all.
    text = "Don't e-mail the U.S. Dept. at 9 a.m.; it's $10bn (3.5%) :) in N.Y.C.'s mid-2020s."
    ours = pipeline().tokenizer
    stock = spacy.load(MODEL, exclude=["ner"]).tokenizer
    assert [t.text for t in ours(text)] == [t.text for t in stock(text)]
    assert ours.to_bytes(exclude=["vocab"]) == stock.to_bytes(exclude=["vocab"])
