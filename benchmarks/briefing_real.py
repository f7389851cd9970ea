"""The briefing a reader would get from whole real capture windows, and checks against the
windows people labelled.

    python -m benchmarks.briefing_real ../shared/data/realnews/items.jsonl [--language ko]

A window is every item published 07:00–19:00 KST on one day (see
``benchmarks.realnews_sets``). Each window's items go through what the bot does with a
feed item — the relevance model (with the outlet's kind), known state-media provenance,
lede clean-up — then :func:`bot.briefing.compose.build_stories` and ``compose`` for a
reader with every topic, as at 19:00 KST. Prints, per window, the top stories with their
item and outlet counts. For the labelled windows (``tests/data/realnews_windows.json``) it
checks that the labellers' most important story leads the briefing (or is in its top
three) and that no labelled story appears twice; ``--text`` prints one briefing in full.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.realnews_sets import KST, item_id, load, window_of
from benchmarks.train_relevance import outlet_of
from bot.briefing.compose import Story, build_stories, compose
from bot.briefing.render import render_briefing
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import Language, NewsItem, Provenance, ReaderPrefs, SummaryLength
from bot.news.ledes import clean_lede
from bot.news.outlets import known_provenance, korean_name
from bot.news.relevance import assess

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
WEIGHTY = "headline by weight × relevance"
"""The baseline that shows each story by its weightiest item, not its most central."""
OUTLETS = {
    "yna": "Yonhap",
    "chosun": "Chosun Ilbo",
    "KCNA": "KCNA",
    "bbc": "BBC",
    "nytimes": "New York Times",
    "wsj": "Wall Street Journal",
    "tass": "TASS",
    "smcp": "South China Morning Post",
    "cgtn": "CGTN",
    "taipeitimes": "Taipei Times",
}


def news_items(rows: list[dict[str, object]]) -> list[NewsItem]:
    items = []
    for row in rows:
        # As bot.news.feeds reads an entry: entities decoded, the lede cleaned.
        title = html.unescape(str(row["title"]))
        summary = clean_lede(html.unescape(str(row.get("summary") or "")), headline=title)
        language = str(row["language"])
        relevance = assess(title, summary, language, outlet=outlet_of(row), url=str(row["url"]))
        if not relevance.relevant:
            continue
        published = dt.datetime.fromisoformat(str(row["published"])).astimezone(dt.UTC)
        source = OUTLETS.get(str(row["source"]), str(row["source"]))
        items.append(
            NewsItem(
                url=str(row["url"]),
                title=title,
                summary=summary,
                published=published,
                source=source,
                feed_name=f"{source} {row['capture']}",
                language=language,
                provenance=known_provenance(str(row["url"]), str(row["source"]))
                or Provenance.UNSTATED,
                topics=relevance.topics,
                relevance=relevance.score,
                # As a feed list entry without source_ko gets it: a known outlet's name.
                source_ko=korean_name(str(row["url"]), source) or "",
            )
        )
    return items


def labelled_stories() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Item id → labelled story, and window batch → its labelled top stories."""
    story_of: dict[str, str] = {}
    for name in ("realnews_dev.jsonl", "realnews_holdout.jsonl"):
        path = DATA / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                if row.get("story"):
                    story_of[row["id"]] = row["story"]
    windows_path = DATA / "realnews_windows.json"
    tops = (
        json.loads(windows_path.read_text("utf-8"))["top_stories"] if windows_path.exists() else {}
    )
    return story_of, tops


def _labels(story: Story, url_ids: dict[str, str], story_of: dict[str, str]) -> Counter[str]:
    """The labelled story of each of a story's items, counted ("" for off-topic items)."""
    return Counter(story_of.get(url_ids.get(item.url, ""), "") for item in story.items)


def label_of(story: Story, url_ids: dict[str, str], story_of: dict[str, str]) -> str | None:
    labels = _labels(story, url_ids, story_of)
    labels.pop("", None)
    # Ties go by name, not by the story's item order (which the headline choice changes).
    return max(labels, key=lambda label: (labels[label], label)) if labels else None


def main_story(story: Story, url_ids: dict[str, str], story_of: dict[str, str]) -> str | None:
    """The labelled story holding more of a mixed story's items than any other (items the
    labellers found off-topic count as one more story); None for a story of one labelled
    story, or when two lead with equal counts."""
    labels = _labels(story, url_ids, story_of)
    if len(labels) < 2:
        return None
    (first, most), (_, second) = labels.most_common(2)
    return first if first and most > second else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("items", type=Path)
    parser.add_argument(
        "--windows", nargs="*", help="days to build (default: every labelled window, holdout first)"
    )
    parser.add_argument("--language", type=Language, default=Language.EN)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--text", help="print this window's briefing in full")
    args = parser.parse_args()
    rows = load(args.items)
    story_of, tops = labelled_stories()
    # Holdout windows first: they were labelled blind and are the honest estimate.
    labelled_days = [b.split("window-")[1] for b in sorted(tops, key=lambda b: (b[:3] != "hol", b))]
    catalog = Catalog.load()
    checks = ["| window | top labelled story | leads | in top 3 | labelled stories shown twice |",
              "|---|---|:---:|:---:|---:|"]  # fmt: skip
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for day in args.windows or labelled_days:
        window = [r for r in rows if window_of(r) == day]
        url_ids = {str(r["url"]): item_id(r) for r in window}
        now = dt.datetime.fromisoformat(f"{day}T19:00:00").replace(tzinfo=KST)
        items = news_items(window)
        stories = build_stories(items, now=now.astimezone(dt.UTC), window=dt.timedelta(hours=12))
        prefs = ReaderPrefs.default(args.language, "Asia/Seoul")
        briefing = compose(stories, prefs, now=now, max_stories=args.top)
        plain = build_stories(
            items, now=now.astimezone(dt.UTC), window=dt.timedelta(hours=12), neighbours=False
        )
        baseline = compose(plain, prefs, now=now, max_stories=args.top)
        weighty = build_stories(
            items, now=now.astimezone(dt.UTC), window=dt.timedelta(hours=12), central=False
        )
        by_weight = compose(weighty, prefs, now=now, max_stories=args.top)
        print(f"## {day} — {len(window)} items, {len(items)} relevant, {len(stories)} stories\n")
        print("| # | story (headline) | items | outlets | languages | labelled story |")
        print("|---:|---|---:|---:|---|---|")
        labels = []
        for rank, story in enumerate(briefing.stories, 1):
            label = label_of(story, url_ids, story_of)
            labels.append(label)
            head = story.item_in(args.language).title.replace("|", "/")[:70]
            langs = "+".join(sorted(story.languages))
            print(f"| {rank} | {head} | {len(story.items)} | {len(story.sources)} | {langs} "
                  f"| {(label or '-').split('/')[-1]} |")  # fmt: skip
        print()
        batch = next((b for b in tops if b.endswith(day)), None)
        if batch and tops[batch]:
            first = tops[batch][0]
            twice = sum(n - 1 for n in Counter(x for x in labels if x).values() if n > 1)
            shown_stories = {
                "ours": briefing.stories,
                "without neighbours": baseline.stories,
                WEIGHTY: by_weight.stories,
            }
            for system, shown_list in shown_stories.items():
                shown = [label_of(story, url_ids, story_of) for story in shown_list]
                total = totals[(batch.split("-", 1)[0], system)]
                total["windows"] += 1
                total["leads"] += int(shown[:1] == [first])
                total["top3"] += int(first in shown[:3])
                repeats = sum(n - 1 for n in Counter(x for x in shown if x).values() if n > 1)
                total["twice"] += repeats
                total["clean"] += int(repeats == 0)
                total["covered"] += sum(story in shown for story in tops[batch])
                total["top_stories"] += len(tops[batch])
            # Stories the labellers found off-topic (no item relevant) that the reader sees,
            # and the lines listed under a story (``↳``): do they join parts of one labelled
            # story, or two different ones?
            for system, shown_list in shown_stories.items():
                total = totals[(batch.split("-", 1)[0], system)]
                for story in shown_list:
                    host = label_of(story, url_ids, story_of)
                    total["shown"] += 1
                    total["off_topic"] += int(host is None)
                    # A story holding items of several labelled stories (or off-topic ones),
                    # one of them holding most of its items: is its headline a report of it?
                    main = main_story(story, url_ids, story_of)
                    if main is not None:
                        shown_by = story_of.get(url_ids.get(story.item_in(args.language).url, ""))
                        total["mixed"] += 1
                        total["mixed_main"] += int(shown_by == main)
                    for under in story.also:
                        other = label_of(under, url_ids, story_of)
                        total["also"] += 1
                        total["also_same"] += int(host is not None and other == host)
                        total["also_off"] += int(other is None)
            checks.append(
                f"| {batch} | {first.split('/')[-1]} | {'yes' if labels[:1] == [first] else 'no'} "
                f"| {'yes' if first in labels[:3] else 'no'} | {twice} |"
            )
        if args.text == day:
            messages = render_briefing(briefing, catalog, summary_length=SummaryLength.STANDARD)
            print("```\n" + "\n\n".join(plain_text(m) for m in messages) + "\n```\n")
    print("## Checks on labelled windows\n")
    print("\n".join(checks))
    print(
        "\n| set | system | windows | top story leads | top story in top 3 "
        "| labelled top 3 shown | no story twice | repeats | off-topic shown "
        "| ↳ lines: one labelled story / off-topic / all "
        "| mixed stories headed by their main story |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, system), total in sorted(totals.items(), key=lambda kv: kv[0][0] != "holdout"):
        print(
            f"| {name} | {system} | {total['windows']} | {total['leads']} | {total['top3']} "
            f"| {total['covered']} of {total['top_stories']} | {total['clean']} "
            f"| {total['twice']} | {total['off_topic']} of {total['shown']} "
            f"| {total['also_same']} / {total['also_off']} / {total['also']} "
            f"| {total['mixed_main']} of {total['mixed']} |"
        )


if __name__ == "__main__":
    main()
