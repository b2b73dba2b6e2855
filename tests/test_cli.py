"""The command-line contract other tools rely on (DESIGN.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digest.build import load_aliases
from tests.conftest import REPO, make_digest
from tests.site_fixture import build_digest

KEYS = ["id", "title", "date", "people", "places", "organisations", "topics", "keywords",
        "summary"]


def digest(*args: str, cwd: Path | None = None, stdin: str | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=600)


def test_help_documents_every_command() -> None:
    result = digest("--help")
    assert result.returncode == 0
    for command in ("build", "check", "extract"):
        assert command in result.stdout
    assert "--strict" in digest("build", "--help").stdout


def test_outside_a_digest_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = digest("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "no mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


def test_add_names_the_refused_file_once_and_copies_nothing(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {})
    (tmp_path / "story.txt").write_text("Ann Lee opened a bakery in Leeds.", "utf-8")
    (tmp_path / "story.pdf").write_bytes(b"%PDF-1.4")
    result = digest("add", str(tmp_path / "story.txt"), str(tmp_path / "story.pdf"),
                    "--no-build", cwd=root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("not added: ") for line in lines)
    # The refused file's line gives its reason, without repeating its path.
    pdf = str(tmp_path / "story.pdf")
    assert [line.count(pdf) for line in lines] == [0, 1]
    assert lines[1].startswith(f"not added: {pdf}: not an article")
    assert ".mhtml" in lines[1] and "URL" in lines[1]  # it says what would be taken
    assert not any((root / "content" / "articles").iterdir())


def test_broken_mkdocs_yml_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: News\nnav: [Latest: index.md\n", "utf-8")
    result = digest("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'mkdocs.yml'}: not valid YAML (line 2)"]


def test_broken_aliases_yml_is_one_line_naming_where(tmp_path: Path) -> None:
    (tmp_path / "aliases.yml").write_text("Joe Biden: [Biden\nKyiv: [Kiev]\n", "utf-8")
    aliases, problems = load_aliases(tmp_path)
    assert aliases == {}
    assert [p.message for p in problems] == ["not valid YAML (line 1), ignored"]


@pytest.mark.model
def test_extract_follows_the_json_lines_contract(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "LONDON 1996-08-30\nTony Blair met Bill Clinton in London.",
         "gold": {"ignored": True}},
        {"id": 7, "title": "Markets", "text": "Shares fell on Wall Street."},
    ]
    infile = tmp_path / "in.jsonl"
    infile.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    result = digest("extract", str(infile), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    assert all(list(o) == KEYS for o in out)
    assert out[0]["date"] == "1996-08-30"
    assert "Tony Blair" in out[0]["people"] and "London" in out[0]["places"]
    assert out[1]["title"] == "Markets" and out[1]["topics"]
    from_stdin = digest("extract", stdin=infile.read_text("utf-8"))
    assert [json.loads(x) for x in from_stdin.stdout.splitlines()] == out


def test_extract_of_many_articles_keeps_each_answer_with_its_request() -> None:
    # Enough articles to be shared between worker processes.
    cities = ["London", "Paris", "Tokyo", "Madrid", "Cairo"]
    lines = [{"id": i, "text": f"Officials met in {cities[i % 5]} on Monday."} for i in range(60)]
    result = digest("extract", stdin="".join(json.dumps(x) + "\n" for x in lines))
    assert result.returncode == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(o["id"], o["places"]) for o in out] == [(i, [cities[i % 5]]) for i in range(60)]


def test_extract_rejects_bad_json_with_the_line_number() -> None:
    result = digest("extract", stdin='{"id": 1, "text": "x"}\n{oops\n')
    assert result.returncode == 1
    assert "line 2" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_bad_source_warns_but_the_rest_builds(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"good.txt": "Ann Lee opened a bakery in Leeds.",
                                        "bad.md": "---\ntitle: [oops\n---\nBody"})
    result = build_digest(root)
    assert result.returncode == 0, result.stderr
    assert "content/articles/bad.md: front matter is not valid YAML" in result.stderr
    assert len(list((root / "site" / "articles").iterdir())) == 1


@pytest.mark.model
def test_strict_fails_after_reporting_all_and_keeps_the_previous_site(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {"good.txt": "Ann Lee opened a bakery in Leeds."})
    assert build_digest(root).returncode == 0
    before = (root / "site" / "index.html").read_bytes()
    articles = root / "content" / "articles"
    (articles / "bad.md").write_text("---\ntitle: [oops\n---\nBody", "utf-8")
    (articles / "empty.txt").write_text("  \n", "utf-8")
    result = build_digest(root, "--strict")
    assert result.returncode == 1
    assert "bad.md" in result.stderr and "empty.txt" in result.stderr
    assert (root / "site" / "index.html").read_bytes() == before
    check = digest("check", cwd=root)
    assert check.returncode == 1 and "bad.md" in check.stderr and "empty.txt" in check.stderr


@pytest.mark.model
def test_content_folder_outside_the_digest_folder(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {})
    elsewhere = make_digest(tmp_path / "other", {"a.txt": "Ann Lee opened a bakery in Leeds."})
    result = build_digest(root, "--content", str(elsewhere / "content"))
    assert result.returncode == 0, result.stderr
    assert len(list((root / "site" / "articles").iterdir())) == 1


@pytest.mark.model
def test_check_reports_what_a_strict_build_rejects_without_building(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {
        "good.md": "Ann Lee opened a bakery in Leeds. See [the earlier story](earlier.md).",
        "other.txt": "Bo Chan opened a bookshop in York.",
    })
    check = digest("check", cwd=root)
    assert not (root / "site").exists() and not (root / "build" / "docs").exists()
    assert check.returncode == 1, check.stdout
    assert "content/articles/good.md" in check.stderr and "earlier.md" in check.stderr
    assert "Traceback" not in check.stderr
    strict = build_digest(root, "--strict")
    assert strict.returncode == 1 and "earlier.md" in strict.stderr


def _mkdocs_problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "Doc file" in line]


@pytest.mark.model
def test_a_broken_link_is_a_problem_of_its_source_in_every_build_and_stops_a_strict_one(
        tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {
        "good.md": "Ann Lee opened a bakery in Leeds. See [the earlier story](earlier.md).",
        "other.txt": "Bo Chan opened a bookshop in York.",
    })
    first = build_digest(root)
    assert first.returncode == 0, first.stderr
    (problem,) = _mkdocs_problems(first.stderr)  # not also MkDocs' own line about build/docs
    assert problem.startswith("warning: content/articles/good.md: MkDocs: Doc file 'articles/")
    assert "'earlier.md'" in problem
    assert "1 problem)" in first.stdout
    # Nothing changed, so nothing is rendered again: the problem is still there, and said.
    again = build_digest(root)
    assert _mkdocs_problems(again.stderr) == [problem] and "1 problem)" in again.stdout
    def site() -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in (root / "site").rglob("*") if p.is_file()}

    before = site()
    # Another article edited (its title kept): the page of good.md is not rendered again.
    (root / "content" / "articles" / "other.txt").write_text(
        "Bo Chan opened a bookshop in York.\n\nHe said trade was good.", "utf-8")
    strict = build_digest(root, "--strict")
    assert strict.returncode == 1
    assert _mkdocs_problems(strict.stderr) == [problem]
    assert strict.stderr.splitlines()[-1] == "1 problem; site not built (--strict)."
    assert site() == before
    check = digest("check", cwd=root)
    assert check.returncode == 1 and _mkdocs_problems(check.stderr) == [problem]
    # Fixed: gone from the next build, which renders the page again.
    (root / "content" / "articles" / "good.md").write_text(
        "Ann Lee opened a bakery in Leeds.", "utf-8")
    fixed = build_digest(root, "--strict")
    assert fixed.returncode == 0, fixed.stderr
    assert "problem" not in fixed.stdout + fixed.stderr


@pytest.mark.model
def test_check_passes_what_a_strict_build_builds(tmp_path: Path) -> None:
    root = make_digest(tmp_path / "d", {
        "good.md": "Ann Lee opened a bakery in Leeds.",
        "other.txt": "Bo Chan opened a bookshop in York.",
    })
    check = digest("check", cwd=root)
    assert check.returncode == 0, check.stderr
    assert "2 articles, no problems." in check.stdout
    assert not (root / "site").exists()
    assert build_digest(root, "--strict").returncode == 0


@pytest.mark.parametrize("site", [".", "content", "content/site", "build", ".digest-cache", ".."])
def test_a_site_folder_that_would_replace_the_digest_s_own_is_refused(
        tmp_path: Path, site: str) -> None:
    # The site folder is replaced whole by each build: were it the digest folder, the
    # content folder or a folder holding either, the curator's articles would go with it.
    root = make_digest(tmp_path / "d", {"a.txt": "Ann Lee opened a bakery in Leeds."})
    (root / "build" / "docs").mkdir(parents=True)
    (root / ".digest-cache").mkdir()
    for args in (["build", "--site", site], ["build"]):
        if args == ["build"]:  # the same folder named in mkdocs.yml
            with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
                config.write(f"\nsite_dir: {site}\n")
        result = digest(*args, cwd=root)
        assert result.returncode == 1, result.stdout
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "site folder" in result.stderr
        assert (root / "content" / "articles" / "a.txt").is_file()
        assert (root / "mkdocs.yml").is_file() and (root / "build" / "docs").is_dir()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]
        (root / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())


@pytest.mark.parametrize("docs", [".", "content", "content/pages", "..", ".digest-cache/docs"])
def test_a_docs_dir_that_would_empty_the_digest_s_own_folders_is_refused(
        tmp_path: Path, docs: str) -> None:
    # A build makes docs_dir hold exactly its generated pages, deleting whatever else is
    # there: were it the digest folder or the content folder, the articles would go.
    root = make_digest(tmp_path / "d", {"a.txt": "Ann Lee opened a bakery in Leeds."})
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\ndocs_dir: {docs}\nsite_dir: {tmp_path / 'published'}\n")
    result = digest("build", cwd=root)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "docs_dir must not be" in result.stderr
    assert (root / "content" / "articles" / "a.txt").is_file()
    assert (root / "mkdocs.yml").is_file() and (root / "theme").is_dir()


def test_add_of_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    # `digest add saved/*` also names the "Page_files" folder a browser saves beside a page.
    root = make_digest(tmp_path / "d", {})
    saved = tmp_path / "saved"
    (saved / "Page_files").mkdir(parents=True)
    (saved / "story.txt").write_text("Ann Lee opened a bakery in Leeds.", "utf-8")
    (tmp_path / "Harbour.html").mkdir()  # a folder whose name looks like a saved page
    result = digest("add", str(saved), str(saved / "Page_files"), str(tmp_path / "Harbour.html"),
                    "--no-build", "--json", cwd=root)
    assert result.returncode == 1
    errors = [json.loads(line)["error"] for line in result.stdout.splitlines()]
    assert len(errors) == 3 and all(e.startswith("a folder, not a file") for e in errors)
    assert not any((root / "content" / "articles").iterdir())


@pytest.mark.model
def test_an_impossible_date_is_a_warning_like_any_wrong_value(tmp_path: Path) -> None:
    # PyYAML reads 2022-13-45 as a date and fails on it: it stopped the whole build.
    root = make_digest(tmp_path / "d", {
        "a.md": "---\ndate: 2022-13-45\n---\nAnn Lee opened a bakery in Leeds.",
        "b.txt": "Bo Chan opened a bookshop in York.",
    })
    (root / "content" / "articles" / "b.txt.yml").write_text("date: 2023-02-30\n", "utf-8")
    result = build_digest(root, "--site-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("a.md", "b.txt"):
        assert f"content/articles/{name}: front matter `date`: must be a date" in result.stderr
    assert len(list((root / "site" / "articles").iterdir())) == 2


def test_add_reports_a_file_whose_text_or_original_is_already_in_the_digest(
        tmp_path: Path) -> None:
    # The README: an article already in the digest (same bytes, same original URL or same
    # text) is reported; for files only the same bytes were, so a copy saved again with
    # other line endings became a second article with the same text.
    root = make_digest(tmp_path / "d", {
        "bakery.txt": "Ann Lee opened a bakery in Leeds.\n\nIt sells bread.\n",
        "harbour.md": "---\nsource_url: https://coast.example/news/harbour\n---\n\nThe wall.",
    })
    copy = tmp_path / "Bakery again.txt"
    copy.write_bytes(b"Ann Lee opened a bakery in Leeds.\r\n\r\nIt sells  bread.")
    notes = tmp_path / "notes.md"
    notes.write_text("---\nsource_url: http://coast.example/news/harbour/\n---\n\nMy notes.",
                     "utf-8")
    new = tmp_path / "new.txt"
    new.write_text("Bo Chan opened a bookshop in York.", "utf-8")
    twice = tmp_path / "new again.txt"
    twice.write_text("Bo Chan opened a bookshop in York.\n", "utf-8")
    result = digest("add", str(copy), str(notes), str(new), str(twice), "--no-build", "--json",
                    cwd=root)
    assert result.returncode == 0, result.stderr
    report = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["status"], r["path"]) for r in report] == [
        ("duplicate", "content/articles/bakery.txt"),
        ("duplicate", "content/articles/harbour.md"),
        ("added", "content/articles/new.txt"),
        ("duplicate", "content/articles/new.txt"),
    ]
    assert sorted(p.name for p in (root / "content" / "articles").iterdir()) == [
        "bakery.txt", "harbour.md", "new.txt"]


def test_a_content_folder_without_its_articles_folder_is_refused(tmp_path: Path) -> None:
    # `--content content/articles` (or articles beside aliases.yml) built an empty site.
    root = make_digest(tmp_path / "d", {"a.txt": "Ann Lee opened a bakery in Leeds."})
    for command in ("build", "check"):
        result = digest(command, "--content", "content/articles", cwd=root)
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "no articles/ folder" in result.stderr
    assert not (root / "site").exists()


def test_extract_of_input_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_bytes('{"id": 1, "text": "Café in Paris."}\n'.encode("latin-1"))
    result = digest("extract", str(data))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: {data}: not UTF-8 text "
                                                  "(invalid continuation byte)"]
