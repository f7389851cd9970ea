"""Score the extraction chain against plain trafilatura on pages nobody here wrote.

    python -m benchmarks.extraction --aeb DIR --wcxb DIR [--limit N] [--jobs N]
                                    [--split dev|holdout|all] [--errors SYSTEM]

Sets (``../shared/data/extraction/README.md`` describes them):

* **aeb** — scrapinghub's article-extraction-benchmark (181 news pages), scored with the
  benchmark's own ``evaluate.py``: 4-word shingles, P and R averaged over pages, F1 of
  the two averages.
* **wcxb-dev** — the article pages of WCXB's development split (711), scored with WCXB's
  ``evaluate.py``: word-level P/R/F1 per page, averaged.

Both scorers are imported from the data folders, so the numbers are the sets' own.

Systems, each given the same decoded text (``bot.articles.charset.decode_document``):

* **ours** — ``bot.articles.extract.extract_article`` (the whole chain);
* **trafilatura** — ``trafilatura.extract(html, url=url)``, its defaults;
* **trafilatura recall** — the same with ``favor_recall=True``;
* **readability** — our readability fallback alone (``readability_text``).

Columns: precision, recall, F1; pages with no text; pages that raised; "empty where
trafilatura is not" (pages where the system gives nothing but plain trafilatura gives
text); the median milliseconds a page.

The chain was tuned on these sets. To keep an honest estimate each set is split by a hash
of the page id: ``--split dev`` (the half tuning looked at), ``--split holdout`` (never
looked at page by page) or ``all`` (default, with the two halves as extra rows for ours
and plain trafilatura).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import multiprocessing
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import trafilatura

from bot.articles import extract
from bot.articles.charset import decode_document
from bot.errors import NoArticleText

Extractor = Callable[[str, str], str]


def _ours(html: str, url: str) -> str:
    try:
        return extract.extract_article(html, url).text
    except NoArticleText:
        return ""


def _trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def _trafilatura_recall(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, favor_recall=True) or ""


def _readability(html: str, url: str) -> str:
    return extract.readability_text(html)


SYSTEMS: dict[str, Extractor] = {
    "ours": _ours,
    "trafilatura": _trafilatura,
    "trafilatura recall": _trafilatura_recall,
    "readability": _readability,
}
BASELINE = "trafilatura"


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    path: Path
    truth: str


@dataclass(slots=True)
class Outcome:
    """One system's result on one page."""

    text: str = ""
    error: str | None = None
    ms: float = 0.0


@dataclass(slots=True)
class Row:
    precision: float
    recall: float
    f1: float
    empty: int
    errors: int
    empty_where_baseline_not: int
    ms: float
    pages: int
    per_page: list[tuple[str, float]] = field(default_factory=list)


def in_holdout(page_id: str) -> bool:
    """Half of the pages, fixed by the id alone: never looked at while tuning."""
    return hashlib.sha1(page_id.encode()).digest()[0] % 2 == 1


def aeb_pages(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(key, value.get("url", ""), folder / "html" / f"{key}.html.gz", value["articleBody"])
        for key, value in sorted(truth.items())
    ]


def wcxb_pages(folder: Path) -> list[Page]:
    pages = []
    for path in sorted((folder / "ground-truth").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        truth = data.get("ground_truth")
        if not isinstance(truth, dict):
            continue
        html = folder / "html" / f"{path.stem}.html.gz"
        pages.append(Page(path.stem, data.get("url", ""), html, truth.get("main_content") or ""))
    return pages


def _scorer(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"evaluate_{folder.name}", folder / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no evaluate.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_page(page: Page, systems: tuple[str, ...]) -> dict[str, Outcome]:
    """Every system on one page (in a worker process when ``--jobs`` > 1)."""
    html, _encoding = decode_document(gzip.decompress(page.path.read_bytes()), None)
    outcomes = {}
    for name in systems:
        outcome = Outcome()
        started = time.perf_counter()
        try:
            outcome.text = SYSTEMS[name](html, page.url)
        except Exception as exc:  # a benchmark counts crashes rather than stopping at one
            outcome.error = f"{type(exc).__name__}: {exc}"[:200]
        outcome.ms = (time.perf_counter() - started) * 1000
        outcomes[name] = outcome
    return outcomes


def _run_all(
    pages: list[Page], systems: tuple[str, ...], jobs: int
) -> Iterator[dict[str, Outcome]]:
    if jobs <= 1:
        for page in pages:
            yield run_page(page, systems)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.starmap(run_page, [(page, systems) for page in pages], chunksize=4)


def score_aeb(
    scorer: ModuleType, pages: list[Page], outcomes: list[dict[str, Outcome]], name: str
) -> Row:
    counts = [
        scorer.string_shingle_matching(true=page.truth, pred=result[name].text)
        for page, result in zip(pages, outcomes, strict=True)
    ]
    metrics = scorer.metrics_from_tp_fp_fns(counts)
    per_page = [
        (page.id, 2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        for page, (tp, fp, fn) in zip(pages, counts, strict=True)
    ]
    return _row(metrics["precision"], metrics["recall"], metrics["f1"], outcomes, name, per_page)


def score_wcxb(
    scorer: ModuleType, pages: list[Page], outcomes: list[dict[str, Outcome]], name: str
) -> Row:
    scores = [
        scorer.word_f1(result[name].text, page.truth)
        for page, result in zip(pages, outcomes, strict=True)
    ]
    per_page = [(page.id, f1) for page, (_p, _r, f1) in zip(pages, scores, strict=True)]
    return _row(
        statistics.fmean(s[0] for s in scores),
        statistics.fmean(s[1] for s in scores),
        statistics.fmean(s[2] for s in scores),
        outcomes,
        name,
        per_page,
    )


def _row(
    precision: float,
    recall: float,
    f1: float,
    outcomes: list[dict[str, Outcome]],
    name: str,
    per_page: list[tuple[str, float]],
) -> Row:
    mine = [o[name] for o in outcomes]
    baseline = [o.get(BASELINE) for o in outcomes]
    return Row(
        precision=precision,
        recall=recall,
        f1=f1,
        empty=sum(1 for o in mine if not o.text.strip()),
        errors=sum(1 for o in mine if o.error),
        empty_where_baseline_not=sum(
            1
            for o, b in zip(mine, baseline, strict=True)
            if not o.text.strip() and b is not None and b.text.strip()
        ),
        ms=statistics.median(o.ms for o in mine),
        pages=len(mine),
        per_page=per_page,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aeb", type=Path, help="the aeb folder")
    parser.add_argument("--wcxb", type=Path, help="the wcxb-dev folder")
    parser.add_argument("--limit", type=int, default=0, help="first N pages of each set")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--split", choices=("all", "dev", "holdout"), default="all")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated")
    parser.add_argument(
        "--errors", metavar="SYSTEM", help="list the dev pages where SYSTEM trails trafilatura"
    )
    args = parser.parse_args()
    systems = tuple(s.strip() for s in args.systems.split(",") if s.strip())
    if BASELINE not in systems:
        systems = (*systems, BASELINE)
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    sets: list[tuple[str, Path, Callable[[Path], list[Page]], Callable[..., Row]]] = []
    if args.aeb:
        sets.append(("aeb", args.aeb, aeb_pages, score_aeb))
    if args.wcxb:
        sets.append(("wcxb-dev", args.wcxb, wcxb_pages, score_wcxb))
    if not sets:
        parser.error("give --aeb and/or --wcxb")

    print(
        "| set | pages | system | P | R | F1 | empty | raised | empty, trafilatura not | ms/page |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for set_name, folder, load, score in sets:
        scorer = _scorer(folder)
        pages = load(folder)
        if args.split != "all":
            pages = [p for p in pages if in_holdout(p.id) == (args.split == "holdout")]
        if args.limit:
            pages = pages[: args.limit]
        outcomes = list(_run_all(pages, systems, args.jobs))
        rows: list[tuple[str, list[Page], list[dict[str, Outcome]], str]] = [
            (name, pages, outcomes, name) for name in systems
        ]
        if args.split == "all":
            for half in ("dev", "holdout"):
                keep = [i for i, p in enumerate(pages) if in_holdout(p.id) == (half == "holdout")]
                for name in ("ours", BASELINE):
                    if name in systems:
                        rows.append(
                            (
                                name,
                                [pages[i] for i in keep],
                                [outcomes[i] for i in keep],
                                f"{name} ({half} half)",
                            )
                        )
        for name, some_pages, some_outcomes, label in rows:
            row = score(scorer, some_pages, some_outcomes, name)
            print(
                f"| {set_name} | {row.pages} | {label} | {row.precision:.3f} | {row.recall:.3f} "
                f"| {row.f1:.3f} | {row.empty} | {row.errors} | {row.empty_where_baseline_not} "
                f"| {row.ms:.0f} |"
            )
        if args.errors:
            _print_losses(scorer, score, pages, outcomes, args.errors, set_name)


def _print_losses(
    scorer: ModuleType,
    score: Callable[..., Row],
    pages: list[Page],
    outcomes: list[dict[str, Outcome]],
    name: str,
    set_name: str,
) -> None:
    """Dev pages only: where ``name`` trails plain trafilatura most, and what raised."""
    mine = score(scorer, pages, outcomes, name).per_page
    theirs = score(scorer, pages, outcomes, BASELINE).per_page
    gaps = sorted(
        (
            (b - a, page, result)
            for (_id, a), (_id2, b), page, result in zip(mine, theirs, pages, outcomes, strict=True)
            if not in_holdout(page.id)
        ),
        key=lambda gap: -gap[0],
    )
    print(f"\n{set_name}: dev pages where {name} trails {BASELINE} (F1 gap)")
    for gap, page, result in gaps[:25]:
        if gap <= 0.01:
            break
        error = f" RAISED {result[name].error}" if result[name].error else ""
        print(
            f"  {gap:+.3f} {page.id[:16]} {page.url[:70]} "
            f"ours {len(result[name].text)} ch, theirs {len(result[BASELINE].text)} ch{error}"
        )
    for page, result in zip(pages, outcomes, strict=True):
        if result[name].error and in_holdout(page.id) is False:
            print(f"  raised on {page.id[:16]}: {result[name].error}")


if __name__ == "__main__":
    main()
