"""``briefbot summarize`` and ``briefbot extract`` on batches: every input kind, order,
failures that stay on their line, and input files that are refused with one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli.batch import Progress
from tests import test_cli
from tests.support.pageserver import PageServer
from tests.support.paths import PAGES
from tests.test_cli import Briefbot

briefbot = test_cli.briefbot  # the fixture: ``briefbot *args`` in this process

SUMMARY_KEYS = {"id", "title", "sentences"}
ARTICLE_KEYS = {"id", "title", "source", "published", "language", "extractor", "text"}
MISSILE = PAGES / "boilerplate_missile_en.html"
EUCKR = PAGES / "korean_euckr.html"
DONGA = PAGES / "goose3_test_donga_korean.html"
STORY = (
    "Talks resume in Panmunjom\n\n"
    "Officials from both Koreas met in Panmunjom on Tuesday for the first time in a year."
    " They agreed to meet again next month.\n\n"
    "The South's delegation said the talks were frank. The North's did not comment."
)


def write_jsonl(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def lines_of(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_summarize_reads_every_kind_of_input_in_order(
    tmp_path: Path, page_server: PageServer, briefbot: Briefbot
) -> None:
    batch = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "url", "url": page_server.url_for("/newspaper4k_yna_co_kr.html")},
        {"id": 2, "file": str(MISSILE)},
        {"id": "text", "text": STORY},
        {"id": "html", "html": MISSILE.read_text(encoding="utf-8")},
        {"id": "ko", "file": str(EUCKR), "url": "https://www.hanbando-ilbo.example/nk/1"},
    )
    result = briefbot(
        "summarize", "--jsonl", str(batch), "--sentences", "2",
        FETCH_ALLOW_PRIVATE_NETWORKS="true",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = lines_of(result.stdout)
    assert [line["id"] for line in lines] == ["url", 2, "text", "html", "ko"]
    assert all(set(line) == SUMMARY_KEYS for line in lines)
    assert all(len(line["sentences"]) == 2 for line in lines)  # type: ignore[arg-type]
    assert lines[0]["title"] == (
        "N. Korea slams S. Korea for joint military drill, warns of consequences"
    )
    assert lines[1]["sentences"] == lines[3]["sentences"]
    assert lines[2]["title"] == "Talks resume in Panmunjom"
    assert str(lines[4]["sentences"][0]).startswith("통일부는 12일")  # type: ignore[index]


def test_a_failing_line_writes_its_error_and_the_run_goes_on(
    tmp_path: Path, page_server: PageServer, briefbot: Briefbot
) -> None:
    batch = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "missing", "file": "no-such-page.html"},
        {"id": "gone", "url": page_server.url_for("/status/404")},
        {"id": "pdf", "url": page_server.url_for("/pdf")},
        {"id": "fine", "file": str(MISSILE)},
    )
    result = briefbot("summarize", "--jsonl", str(batch), FETCH_ALLOW_PRIVATE_NETWORKS="true")
    assert result.returncode == 1
    missing, gone, pdf, fine = lines_of(result.stdout)
    assert missing == {
        "id": "missing",
        "error": f"cannot read {tmp_path / 'no-such-page.html'}: No such file or directory",
    }
    assert set(gone) == set(pdf) == {"id", "error"}
    assert "404" in str(gone["error"])
    assert "can't summarize this kind of file" in str(pdf["error"])
    assert set(fine) == SUMMARY_KEYS
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ('{"file": "a.html"}', "line 2: no id"),
        ('{"id": 7}', "line 2: needs one of url, file, text or html"),
        ("[1, 2]", "line 2: not a JSON object"),
    ],
)
def test_a_malformed_line_is_refused_in_one_line_before_anything_runs(
    tmp_path: Path, briefbot: Briefbot, line: str, message: str
) -> None:
    batch = write_jsonl(tmp_path / "in.jsonl", {"id": 1, "file": str(MISSILE)}, line)
    for command in ("summarize", "extract"):
        result = briefbot(command, "--jsonl", str(batch))
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == f"briefbot: {batch}: {message}\n"


def test_a_missing_input_file_is_one_line(tmp_path: Path, briefbot: Briefbot) -> None:
    result = briefbot("extract", "--jsonl", "absent.jsonl")
    assert result.returncode == 2
    assert result.stderr == "briefbot: absent.jsonl: No such file or directory\n"


def test_standard_input_is_read_with_a_dash(
    monkeypatch: pytest.MonkeyPatch, briefbot: Briefbot
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": "a", "text": STORY}) + "\n"))
    result = briefbot("summarize", "--jsonl", "-", "--sentences", "1")
    assert result.returncode == 0, result.stderr
    (line,) = lines_of(result.stdout)
    assert line["id"] == "a"
    assert line["title"] == "Talks resume in Panmunjom"
    sentences = line["sentences"]
    assert isinstance(sentences, list) and len(sentences) == 1
    assert sentences[0] in STORY


def test_several_targets_print_as_text_in_order(briefbot: Briefbot) -> None:
    result = briefbot("summarize", str(EUCKR), str(MISSILE), "--sentences", "1")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n\n")  # head, sentences, address; then the next page
    assert len(blocks) == 6
    assert blocks[0].startswith('남북 이산가족 화상상봉 재개 검토…통일부 "8월 목표"\n한반도일보 · ')
    assert blocks[1].startswith("1. 통일부는")
    assert blocks[2] == EUCKR.resolve().as_uri()
    assert blocks[3].startswith("North Korea fires ballistic missile into East Sea")


def test_extract_shows_what_the_bot_read(tmp_path: Path, briefbot: Briefbot) -> None:
    batch = write_jsonl(
        tmp_path / "in.jsonl",
        {
            "id": "donga",
            "file": str(DONGA),
            "url": "http://news.donga.com/3/all/20131023/58406128/1",
        },
        {"id": "plain", "text": STORY},
        {"id": "empty", "html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"},
    )
    result = briefbot("extract", "--jsonl", str(batch))
    assert result.returncode == 1
    donga, plain, empty = lines_of(result.stdout)
    assert set(donga) == set(plain) == ARTICLE_KEYS
    assert donga["source"] == "The Dong-A Ilbo"
    assert donga["language"] == "ko"
    assert donga["extractor"] == "trafilatura"
    assert donga["published"] == "2013-10-24"
    assert plain["extractor"] == "plain"
    assert plain["text"] == STORY.split("\n\n", 1)[1].replace("\n\n", "\n")
    assert set(empty) == {"id", "error"}


def test_extract_of_a_file_target_uses_the_target_as_its_id(briefbot: Briefbot) -> None:
    result = briefbot("extract", str(MISSILE))
    assert result.returncode == 0, result.stderr
    (line,) = lines_of(result.stdout)
    assert line["id"] == str(MISSILE)
    assert line["source"] == "The Peninsula Ledger"


def test_without_inputs_the_command_says_what_it_needs(briefbot: Briefbot) -> None:
    result = briefbot("summarize")
    assert result.returncode == 2
    assert result.stderr == "briefbot summarize: give URLs or files, or --jsonl FILE\n"


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize("tty", [True, False])
def test_progress_shows_on_a_terminal_only(tty: bool) -> None:
    stream = Terminal(tty)
    progress = Progress(3, "summarize", stream)
    for _ in range(3):
        progress.step()
    progress.close()
    expected = "\rsummarize: 1/3\rsummarize: 2/3\rsummarize: 3/3\n" if tty else ""
    assert stream.getvalue() == expected
