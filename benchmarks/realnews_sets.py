"""Draw the real-news labelling batches, and assemble the labelled sets for ``tests/data``.

    python -m benchmarks.realnews_sets sample ../shared/data/realnews/items.jsonl OUT_DIR
    python -m benchmarks.realnews_sets assemble ../shared/data/realnews/items.jsonl OUT_DIR
    python -m benchmarks.realnews_sets window ../shared/data/realnews/items.jsonl OUT_DIR --day D
    python -m benchmarks.realnews_sets extend ../shared/data/realnews/items.jsonl OUT_DIR
    python -m benchmarks.realnews_sets kcna ../shared/data/realnews/items.jsonl OUT_DIR

``sample`` writes one JSONL batch per labeller under ``OUT_DIR/batches/``: whole capture
windows (every item published 07:00–19:00 KST on a chosen day, so the noise is real) and
stratified samples of the other days. The split is by time, so no story is in both
sets: the **development** set is drawn from Aug–Oct and Dec 2025 (and KCNA before
September 2024), the **blind holdout** from Nov 2025 and Mar 2026 (KCNA from September
2024). Labels are made by reading, following the policy in the data's README, into
``OUT_DIR/labels/<batch>.jsonl``. ``assemble`` joins items and labels into
``tests/data/realnews_dev.jsonl`` and ``tests/data/realnews_holdout.jsonl``: headline,
a short lede (first sentences, at most 300 characters), URL, date, source, labels.

A later wave adds whole windows: ``window`` draws one day's window as a batch (dev or
holdout by its date), and ``extend`` appends the newly labelled batches to the sets
without rewriting the earlier ones (the second wave: dev windows 2025-10-29 and
2025-12-10, holdout window 2025-11-18). ``kcna`` draws random KCNA items not yet in
either set — 300 for dev, 150 for the holdout, split by date as above — because windows of
South Korean days hold none and the model had only 50 to learn KCNA's domestic reports from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

KST = dt.timezone(dt.timedelta(hours=9))
SEED = 20261206
DEV_WINDOWS = ("2025-08-25", "2025-09-06", "2025-10-22")
HOLDOUT_WINDOWS = ("2025-11-19", "2026-03-10")
# Stratified samples of the remaining days, per source family.
DEV_SAMPLE = {"yna": 200, "chosun": 150, "yna-nk": 50, "foreign": 150, "KCNA": 50}
HOLDOUT_SAMPLE = {"yna": 30, "chosun": 25, "yna-nk": 15, "foreign": 35, "KCNA": 15}
LEDE_LIMIT = 300

Item = dict[str, Any]


def item_id(item: Item) -> str:
    return hashlib.sha1(item["url"].encode()).hexdigest()[:12]


def published(item: Item) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(item["published"])
    except ValueError:
        return None
    return moment.astimezone(KST) if moment.tzinfo else None


def is_holdout(item: Item) -> bool:
    if item["source"] == "KCNA":
        return str(item["published"]) >= "2024-09"
    return item["published"][:7] in ("2025-11", "2026-03")


def family(item: Item) -> str:
    if item["source"] == "KCNA":
        return "KCNA"
    if item["source"] == "yna":
        return "yna-nk" if item["capture"] == "kp_articles" else "yna"
    if item["source"] == "chosun":
        return "chosun"
    return "foreign"


def window_of(item: Item) -> str | None:
    moment = published(item)
    if moment is None or not 7 <= moment.hour < 19:
        return None
    return moment.date().isoformat()


def load(path: Path) -> list[Item]:
    seen: set[str] = set()
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["url"] in seen:
            continue
        seen.add(item["url"])
        item["id"] = item_id(item)
        items.append(item)
    return items


def write_batch(path: Path, batch: list[Item]) -> None:
    """A labeller's batch: what they read of each item, nothing of the system's."""
    with path.open("w", encoding="utf-8") as f:
        for item in batch:
            row = {k: item[k] for k in ("id", "source", "published", "title", "summary")}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {len(batch)} items")


def sample(items: list[Item], out: Path) -> None:
    rng = random.Random(SEED)
    batches: dict[str, list[Item]] = {}
    chosen: set[str] = set()
    for name, days in (("dev", DEV_WINDOWS), ("holdout", HOLDOUT_WINDOWS)):
        for day in days:
            window = [i for i in items if window_of(i) == day]
            window.sort(key=lambda i: published(i) or dt.datetime.min.replace(tzinfo=KST))
            batches[f"{name}-window-{day}"] = window
            chosen.update(i["id"] for i in window)
    excluded_days = set(DEV_WINDOWS) | set(HOLDOUT_WINDOWS)
    for name, quota, holdout in (
        ("dev", DEV_SAMPLE, False),
        ("holdout", HOLDOUT_SAMPLE, True),
    ):
        pools: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            day = item["published"][:10]
            if item["id"] in chosen or day in excluded_days or is_holdout(item) != holdout:
                continue
            pools[family(item)].append(item)
        picked: list[Item] = []
        for fam, count in quota.items():
            picked += rng.sample(pools[fam], min(count, len(pools[fam])))
        rng.shuffle(picked)
        # Labellers get at most ~320 items each.
        parts = max(1, -(-len(picked) // 320))
        for part in range(parts):
            batches[f"{name}-sample-{part + 1}"] = picked[part::parts]
    (out / "batches").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    for name, batch in batches.items():
        write_batch(out / "batches" / f"{name}.jsonl", batch)


_SENTENCE_END = re.compile(r"(?<=[.!?다])\s+")


def window(items: list[Item], out: Path, day: str) -> None:
    """One whole capture window as a labelling batch, named for its split by date."""
    batch = [i for i in items if window_of(i) == day]
    if not batch:
        sys.exit(f"no items in the 07:00–19:00 KST window of {day}")
    split = "holdout" if is_holdout(batch[0]) else "dev"
    batch.sort(key=lambda i: published(i) or dt.datetime.min.replace(tzinfo=KST))
    (out / "batches").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    write_batch(out / "batches" / f"{split}-window-{day}.jsonl", batch)


def kcna(items: list[Item], out: Path, target: Path) -> None:
    """Random KCNA items not yet labelled, one batch per split."""
    have = {
        json.loads(line)["id"]
        for name in ("realnews_dev.jsonl", "realnews_holdout.jsonl")
        for line in (target / name).read_text(encoding="utf-8").splitlines()
    }
    rng = random.Random(SEED)
    fresh = [i for i in items if i["source"] == "KCNA" and i["id"] not in have]
    (out / "batches").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    for split, count in (("dev", 300), ("holdout", 150)):
        pool = [i for i in fresh if is_holdout(i) == (split == "holdout")]
        batch = rng.sample(pool, min(count, len(pool)))
        write_batch(out / "batches" / f"{split}-kcna-1.jsonl", batch)


def short_lede(summary: str | None) -> str:
    """First sentences of the feed's lede, whole, within LEDE_LIMIT characters."""
    text = " ".join((summary or "").split())
    if len(text) <= LEDE_LIMIT:
        return text
    lede = ""
    for sentence in _SENTENCE_END.split(text):
        if len(lede) + len(sentence) + 1 > LEDE_LIMIT:
            break
        lede = f"{lede} {sentence}".strip()
    return lede or text[: LEDE_LIMIT - 1] + "…"


def labelled_rows(items: list[Item], labels: Path) -> list[dict[str, Any]]:
    """The rows of one labeller's file: the item's short texts with its labels."""
    by_id = {item["id"]: item for item in items}
    batch = labels.stem
    rows = []
    for line_no, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        label = json.loads(line)
        item = by_id.get(label["id"])
        if item is None:
            sys.exit(f"{labels}:{line_no}: unknown id {label['id']}")
        story = label.get("story")
        rows.append(
            {
                "id": item["id"],
                "title": item["title"],
                "lede": short_lede(item.get("summary")),
                "url": item["url"],
                "published": item["published"],
                "source": item["source"],
                "feed": item["capture"],
                "language": item["language"],
                "batch": batch,
                "window": batch.split("window-", 1)[1] if "window-" in batch else None,
                "relevant": bool(label["relevant"]),
                "topics": label.get("topics") or [],
                # Story ids are the labeller's slugs, made unique per batch.
                "story": f"{batch}/{story}" if story else None,
            }
        )
    return rows


def top_stories(out: Path) -> dict[str, list[str]]:
    """Each labelled window's three most important stories, as story ids."""
    windows = {}
    for top in sorted((out / "labels").glob("*window-*.top.json")):
        batch = top.name.removesuffix(".top.json")
        stories = json.loads(top.read_text(encoding="utf-8"))["top_stories"]
        windows[batch] = [f"{batch}/{slug}" for slug in stories]
    return windows


def write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {len(rows)} items")


def assemble(items: list[Item], out: Path, target: Path) -> None:
    sets: dict[str, list[dict[str, Any]]] = {"dev": [], "holdout": []}
    for labels in sorted((out / "labels").glob("*.jsonl")):
        sets[labels.stem.split("-", 1)[0]] += labelled_rows(items, labels)
    (target / "realnews_windows.json").write_text(
        json.dumps({"top_stories": top_stories(out)}, ensure_ascii=False, indent=1) + "\n",
        "utf-8",
    )
    for split, rows in sets.items():
        write_rows(target / f"realnews_{split}.jsonl", rows)


def extend(items: list[Item], out: Path, target: Path) -> None:
    """Add the batches labelled in ``out`` to the sets in ``target``, keeping what is there.

    A later wave of labelling joins the earlier one without its labels directory; a batch
    already in a set is refused rather than added twice.
    """
    for labels in sorted((out / "labels").glob("*.jsonl")):
        split = labels.stem.split("-", 1)[0]
        path = target / f"realnews_{split}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        if any(row["batch"] == labels.stem for row in rows):
            sys.exit(f"{path}: batch {labels.stem} is already there")
        added = labelled_rows(items, labels)
        # A new whole window may hold items an earlier sample drew from that day: the
        # window keeps them (its noise stays whole), the sample lets them go.
        taken = {row["id"] for row in added}
        kept = [row for row in rows if row["id"] not in taken]
        if len(kept) < len(rows):
            print(f"{path.name}: {len(rows) - len(kept)} items move to {labels.stem}")
        write_rows(path, kept + added)
    windows_path = target / "realnews_windows.json"
    windows = json.loads(windows_path.read_text(encoding="utf-8"))["top_stories"]
    windows.update(top_stories(out))
    windows_path.write_text(
        json.dumps({"top_stories": windows}, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["sample", "window", "kcna", "assemble", "extend"])
    parser.add_argument("items", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--target", type=Path, default=Path("tests/data"))
    parser.add_argument("--day", help="the window's day (YYYY-MM-DD KST), for window")
    args = parser.parse_args(argv)
    items = load(args.items)
    if args.command == "sample":
        sample(items, args.out)
    elif args.command == "window":
        if not args.day:
            parser.error("window needs --day")
        window(items, args.out, args.day)
    elif args.command == "kcna":
        kcna(items, args.out, args.target)
    elif args.command == "assemble":
        assemble(items, args.out, args.target)
    else:
        extend(items, args.out, args.target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
