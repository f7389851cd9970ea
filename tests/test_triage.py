"""``briefbot triage``: the operator's view of what the briefing makes of each item."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import InputError
from bot.news.triage import read_items, triage
from tests.support.relevance import MARKETS, POLITICS, use_section_model

NOW = "2025-09-06T12:00:00+09:00"
ITEMS = [
    {
        "id": "yna-en",
        "title": "N. Korea fires ballistic missile into East Sea: JCS",
        "summary": "North Korea fired a short-range ballistic missile into the East Sea on "
        "Saturday, the Joint Chiefs of Staff said.",
        "url": "https://en.yna.co.kr/view/AEN1",
        "published": "2025-09-06T08:00:00+09:00",
        "language": "en",
        "source": "yna",
    },
    {
        "id": "yna-ko",
        "title": "북한, 동해상으로 탄도미사일 발사…합참",
        "summary": "북한이 6일 동해상으로 단거리 탄도미사일을 발사했다고 합동참모본부가 밝혔다.",
        "url": "https://www.yna.co.kr/view/AKR1",
        "published": "2025-09-06T08:05:00+09:00",
        "language": "ko",
        "source": "yna",
    },
    {
        "id": "kpop",
        "title": "BTS announce world tour dates",
        "url": "https://example.com/bts",
        "published": "2025-09-06",
        "language": "en",
    },
    {
        "id": "tass",
        "title": "Putin, Kim Jong Un hold talks in Moscow",
        "summary": "Russian President Vladimir Putin and DPRK leader Kim Jong Un held talks.",
        "url": "https://tass.com/politics/1",
        "language": "en",
        "source": "tass",
    },
]


def write_items(tmp_path: Path, items: Sequence[Mapping[str, object]]) -> Path:
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["triage", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_one_line_per_item_in_input_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(write_items(tmp_path, ITEMS)), "--json", "--now", NOW)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["id"] for row in rows] == ["yna-en", "yna-ko", "kpop", "tass"]
    assert set(rows[0]) == {"id", "relevant", "score", "topics", "story", "provenance"}
    verdict = {row["id"]: row for row in rows}
    assert verdict["yna-en"]["relevant"] and "security" in verdict["yna-en"]["topics"]
    assert not verdict["kpop"]["relevant"] and verdict["kpop"]["topics"] == []
    assert verdict["yna-en"]["story"] == verdict["yna-ko"]["story"], "one launch, two languages"
    assert verdict["kpop"]["story"] != verdict["yna-en"]["story"]
    assert verdict["tass"]["provenance"] == "ru_state_media"
    assert verdict["yna-en"]["provenance"] is None


def test_standard_input_and_a_readable_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in ITEMS)
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    code, out, _ = run(capsys, "-")
    assert code == 0
    table = out.splitlines()
    assert len(table) == 4
    assert table[0].startswith("IN ") and table[2].startswith("out")
    assert table[3].endswith("[ru_state_media]")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "line 2: not JSON"),
        ('["a list"]', "line 2: each line must be a JSON object"),
        ('{"id": "x", "url": "https://e.com", "language": "en"}', "line 2: missing title"),
        (
            '{"id": "x", "title": "t", "url": "u", "language": "ja"}',
            "line 2: language must be en or ko",
        ),
        (
            '{"id": "x", "title": 5, "url": "u", "language": "en"}',
            "line 2: title must be text",
        ),
        (
            '{"id": "x", "title": "t", "url": "u", "language": "en", "published": "yesterday"}',
            "line 2: published 'yesterday' is not an ISO 8601",
        ),
        (
            '{"id": "yna-en", "title": "t", "url": "u", "language": "en"}',
            "line 2: id 'yna-en' appears twice",
        ),
    ],
)
def test_a_malformed_line_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(ITEMS[0]) + "\n" + line + "\n", "utf-8")
    code, out, err = run(capsys, str(path), "--json")
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.jsonl"))
    assert code == 2 and "nope.jsonl" in err


def test_items_without_a_time_are_placed_at_now() -> None:
    now = dt.datetime(2025, 9, 6, 3, tzinfo=dt.UTC)
    items = read_items([json.dumps(ITEMS[3])], now)
    assert items[0].published == now
    dated = read_items([json.dumps(ITEMS[2])], now)
    assert dated[0].published == dt.datetime(2025, 9, 6, 12, tzinfo=dt.UTC)


def test_an_empty_batch_gives_no_verdicts() -> None:
    assert triage([]) == []


def test_blank_lines_are_skipped() -> None:
    items = read_items(["", json.dumps(ITEMS[0]), "   "], dt.datetime.now(dt.UTC))
    assert [item.id for item in items] == ["yna-en"]


def test_input_error_is_ours() -> None:
    with pytest.raises(InputError, match="line 1"):
        read_items(["{"], dt.datetime.now(dt.UTC))


def test_a_file_that_is_not_utf8_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "items.jsonl"
    path.write_bytes('{"id": "가"}\n'.encode("cp949"))
    code, _, err = run(capsys, str(path))
    assert code == 2 and "not UTF-8" in err


def test_explain_says_why_in_json_and_in_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_items(tmp_path, ITEMS)
    code, out, _ = run(capsys, str(path), "--json", "--explain")
    assert code == 0
    rows = {row["id"]: row for row in map(json.loads, out.splitlines())}
    launch = rows["yna-en"]["explain"]
    assert launch["outlet"] == "korean" and launch["story_items"] == 2
    assert launch["reasons"] and all(weight > 0 for _, weight in launch["reasons"][:1])
    kpop = rows["kpop"]["explain"]
    assert any(weight < 0 for _, weight in kpop["reasons"]), "what kept it out"
    assert rows["tass"]["explain"]["outlet"] == "state"

    code, out, _ = run(capsys, str(path), "--explain")
    assert code == 0
    assert "outlet korean; story of 2;" in out.splitlines()[1]


def test_the_section_of_each_items_address_is_a_named_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_section_model(monkeypatch, "politics")
    title = {"title": "여야, 예산안 처리 합의", "language": "ko", "source": "chosun"}
    items = [{"id": "assembly", "url": POLITICS} | title, {"id": "markets", "url": MARKETS} | title]
    code, out, _ = run(capsys, str(write_items(tmp_path, items)), "--json", "--explain")
    assert code == 0
    rows = {row["id"]: row for row in map(json.loads, out.splitlines())}
    assert rows["assembly"]["relevant"] and not rows["markets"]["relevant"]
    assert ["u:s:politics", 2.0] in rows["assembly"]["explain"]["reasons"]


def test_a_summary_is_read_as_the_bot_reads_a_feeds_description() -> None:
    """A Yonhap dateline and byline, or a description that repeats the headline, weigh
    nothing: the verdict is the one the bot reaches from the feed."""
    plain, *_ = ITEMS[1:2]
    filed = {
        **plain,
        "id": "filed",
        "url": "https://www.yna.co.kr/view/AKR2",
        "summary": f"(서울=연합뉴스) 홍국기 기자 = {plain['summary']}",
    }
    flash = {**plain, "id": "flash", "url": "https://www.yna.co.kr/view/AKR3",
             "summary": plain["title"]}  # fmt: skip
    lines = [json.dumps(item, ensure_ascii=False) for item in (plain, filed, flash)]

    items = read_items(lines, dt.datetime.fromisoformat(NOW))
    same, dated, echoed = triage(items)

    assert items[1].summary == plain["summary"]
    assert items[2].summary == ""
    assert dated.score == same.score and dated.story == same.story
    assert echoed.relevant == same.relevant
