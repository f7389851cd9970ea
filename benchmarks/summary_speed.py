"""Time our summarizer against sumy's stock LexRank on ~1k-, 3k-, 9k- and 70k-word articles.

    python -m benchmarks.summary_speed [ARTICLES.jsonl] [--language en|ko] [--runs N]

With a JSONL file (one ``{"article": ...}`` per line, other keys ignored) each test
article is its articles joined until the word count is reached; without one it is
generated from the paragraph bank below: news-style sentence templates written for
this benchmark, filled with varied names, places and numbers (seeded, so every run
times the same text). Each system runs once to warm up, then ``--runs`` times (stock
LexRank: at most 3, it takes seconds; not at all above 9k words, where it takes minutes);
the table gives medians, with the sentence splitter's share on its own.

The unit tests check what these texts come out as, never how fast: speed is measured here.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks.baselines import stock_lexrank
from bot.articles.sentences import split_sentences
from bot.articles.summarize import summarize

SIZES = (1_000, 3_000, 9_000, 70_000)
LEXRANK_MAX_WORDS = 9_000
"""Stock LexRank compares every pair of sentences: 70k words would take it minutes."""

_EN_FILL = {
    "official": [
        "Foreign Minister Cho Tae-yul",
        "Unification Minister Kim Yung-ho",
        "U.S. Secretary of State Antony Blinken",
        "Gen. Paul LaCamera",
        "Defense Minister Shin Won-sik",
        "Japanese Prime Minister Fumio Kishida",
        "Dr. Victor Cha",
        "Rep. Joe Wilson",
        "U.N. special rapporteur Elizabeth Salmon",
    ],
    "place": ["Seoul", "Pyongyang", "Washington", "Tokyo", "Beijing", "Panmunjom", "Busan"],
    "weapon": [
        "short-range ballistic missile",
        "intercontinental ballistic missile",
        "cruise missile",
        "hypersonic missile",
        "multiple rocket launcher",
        "military reconnaissance satellite",
    ],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": ["Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "March", "June"],
    "agency": ["the Joint Chiefs of Staff", "KCNA", "the Rodong Sinmun", "the NIS", "Yonhap"],
    "ord": ["third", "fifth", "seventh", "10th", "12th"],
}
_EN_BANK = [
    "North Korea fired a {weapon} into the East Sea on {day}, "
    "{agency} said, in the latest in a string of weapons tests.",
    "The missile flew about {n} kilometers at an apogee of {d} km before splashing "
    "down outside Japan's exclusive economic zone.",
    "{official} condemned the launch as a clear violation of U.N. Security Council resolutions.",
    "It was the {ord} such launch this year.",
    "Officials in {place} said they were analyzing the flight data.",
    '"We will respond firmly to any provocation," {official} told reporters in {place}.',
    "The launch came days after South Korea and the U.S. wrapped up their "
    "annual Freedom Shield exercise, which Pyongyang calls a rehearsal for invasion.",
    "Analysts said the test appeared aimed at improving the accuracy of a {weapon} "
    "that could carry a tactical nuclear warhead.",
    "{official} is scheduled to visit {place} on {month} {date} for talks on "
    "extended deterrence, according to a senior official.",
    "The two sides are expected to discuss ways to deter the North's growing nuclear "
    "and missile threats, as well as cooperation on supply chains and climate change.",
    "Trade between the two Koreas fell {pct} percent last year to ${money} million.",
    "The North has rejected repeated offers of dialogue, saying it has no interest "
    "in talks as long as Washington maintains its hostile policy.",
    "In a statement carried by {agency}, the North's foreign ministry accused "
    "the U.S.-South Korea alliance of raising tensions on the peninsula.",
    "He did not elaborate.",
    "The South's military has since raised its readiness posture.",
    "Some 28,500 U.S. troops are stationed in South Korea as a legacy of the "
    "1950-53 Korean War, which ended in an armistice, not a peace treaty.",
    "The U.N. Command, which oversees the truce, said it was in contact with "
    "the North Korean side through the pink phone line at the truce village of "
    "Panmunjom.",
    "Experts say Pyongyang may be preparing for a seventh nuclear test at its "
    "Punggye-ri site, though there were no signs that one was imminent.",
    "Satellite imagery reviewed by 38 North showed new construction at the "
    "Sohae Satellite Launching Station in recent weeks.",
    "The cost of the program is estimated at about {pct}.{d} percent of the "
    "North's gross domestic product, Mr. Lee said.",
    "Kim Jong-un oversaw the test, accompanied by his daughter, Ju-ae, state media reported.",
    "The Unification Ministry said it was closely monitoring the situation.",
    "Prices of rice and corn in North Korean markets have risen by nearly "
    "{pct} percent since {month}, according to Daily NK, a Seoul-based outlet.",
    "Lawmakers from the ruling and opposition parties called for a calm response.",
    "But critics said the government had few options left.",
    "The meeting lasted about {n2} minutes.",
    "The ministry plans to hold a public hearing on {month} {date} to collect "
    "opinions on the revised guidelines for civilian exchanges.",
    "Japan, South Korea and the U.S. share real-time missile warning data under "
    "an arrangement that took effect last December.",
    "The North's defector population in the South, now about 34,000, has grown "
    "steadily since the 1990s famine, although arrivals slowed sharply during the "
    "COVID-19 pandemic when Pyongyang sealed its borders.",
    "Asked whether the talks could resume soon, {official} said it was too early to tell.",
    "Tensions have been high since the North scrapped the 2018 inter-Korean "
    "military agreement, which was meant to reduce border clashes.",
    "The Korean Peninsula remains technically at war.",
    "North Korea has also sent thousands of balloons carrying trash across the "
    "border, prompting the South to resume loudspeaker broadcasts.",
    "The statement was issued by Kim Yo-jong, the leader's sister and a senior "
    "official of the ruling Workers' Party.",
    "China, the North's main ally and trading partner, urged all sides to "
    "exercise restraint and avoid actions that could escalate tensions.",
]

_KO_FILL = {
    "official": [
        "조태열 외교부 장관",
        "김영호 통일부 장관",
        "신원식 국방부 장관",
        "블링컨 美 국무장관",
    ],
    "place": ["서울", "평양", "워싱턴", "베이징", "판문점", "부산"],
    "ord": ["3", "5", "7", "10", "12"],
    "weapon": ["단거리 탄도미사일", "대륙간탄도미사일(ICBM)", "순항미사일", "극초음속 미사일"],
    "day": ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"],
    "month": ["1월", "3월", "6월", "8월", "10월", "12월"],
    "agency": ["합동참모본부", "조선중앙통신", "노동신문", "국가정보원"],
}
_KO_BANK = [
    "{agency}에 따르면 북한은 {day} 동해상으로 {weapon}을 발사했다.",
    "미사일은 약 {n}㎞를 비행했으며 정점고도는 {d}㎞였다.",
    "{official}은 이번 발사가 유엔 안전보장이사회 결의를 명백히 위반한 것이라고 규탄했다.",
    "북한의 미사일 발사는 올해 들어 {ord}번째다.",
    '{official}은 "어떠한 도발에도 단호하게 대응하겠다"고 말했다.',
    "이번 발사는 한미 연합훈련 '자유의 방패'가 끝난 지 며칠 만에 이뤄졌다.",
    "전문가들은 이번 시험이 전술핵 탑재가 가능한 {weapon}의 정확도를 높이기 위한 것으로 분석했다.",
    "{official}은 {month} {date}일 {place}을 방문해 확장억제 강화 방안을 논의할 예정이다.",
    "양측은 북한의 핵·미사일 위협에 대한 억제 방안과 공급망, 기후변화 협력 등을 "
    "논의할 것으로 보인다.",
    "남북 교역액은 지난해 {pct}% 줄어든 {money}만 달러에 그쳤다.",
    "북한은 미국이 적대시 정책을 유지하는 한 대화에 관심이 없다며 거듭된 대화 제의를 거부해왔다.",
    "{agency}에 따르면 북한 외무성은 성명에서 한미동맹이 한반도 긴장을 고조시키고 있다고 비난했다.",
    "그는 구체적인 설명은 하지 않았다.",
    "군은 이후 대비태세를 강화했다.",
    "주한미군 약 2만8천500명은 정전협정 체제 아래 한국에 주둔하고 있다.",
    "전문가들은 북한이 풍계리 핵실험장에서 7차 핵실험을 준비하고 있을 수 있다고 보지만, "
    "임박한 징후는 없다고 말한다.",
    "위성사진에서는 최근 몇 주 사이 서해위성발사장에서 새로운 공사가 진행된 정황이 포착됐다.",
    "김정은 국무위원장은 딸 주애와 함께 시험 발사를 참관했다고 관영 매체가 보도했다.",
    "통일부는 상황을 예의주시하고 있다고 밝혔다.",
    "북한 시장의 쌀과 옥수수 가격은 {month} 이후 {pct}% 가까이 올랐다.",
    "여야 의원들은 차분한 대응을 주문했다.",
    "하지만 정부가 쓸 수 있는 카드가 많지 않다는 지적도 나온다.",
    "회의는 약 {n2}분간 진행됐다.",
    "통일부는 {month} {date}일 민간 교류 지침 개정안에 대한 공청회를 열 계획이다.",
    "한미일 3국은 지난해 12월부터 북한 미사일 경보 정보를 실시간으로 공유하고 있다.",
    "국내 탈북민은 약 3만4천 명으로, 코로나19 기간 북한의 국경 봉쇄로 입국자가 크게 줄었다.",
    "대화 재개 가능성에 대해 {official}은 아직 판단하기 이르다고 말했다.",
    "북한이 2018년 9·19 남북군사합의를 파기한 이후 접경지역의 긴장이 높아지고 있다.",
    "한반도는 기술적으로 여전히 전쟁 상태다.",
    "북한은 쓰레기를 담은 풍선 수천 개를 남쪽으로 날려 보냈고, 군은 대북 확성기 방송을 재개했다.",
    "성명은 김정은 위원장의 여동생인 김여정 노동당 부부장 명의로 발표됐다.",
    "중국은 모든 당사자가 자제하고 긴장을 고조시킬 수 있는 행동을 피해야 한다고 촉구했다.",
]


def _fill(template: str, fill: dict[str, list[str]], rng: random.Random) -> str:
    return template.format(
        **{key: rng.choice(values) for key, values in fill.items()},
        n=rng.randrange(300, 1500),
        n2=rng.randrange(30, 150),
        d=rng.randrange(2, 99),
        date=rng.randrange(1, 29),
        pct=rng.randrange(2, 60),
        money=rng.randrange(1, 900),
    )


def generated_article(words: int, language: str, seed: int = 7) -> str:
    """A news-like article of about ``words`` words, one paragraph per line."""
    rng = random.Random(seed)
    bank, fill = (_KO_BANK, _KO_FILL) if language == "ko" else (_EN_BANK, _EN_FILL)
    if language == "ko":
        lines = ["(서울=연합뉴스) 홍길동 기자 = " + _fill(bank[0], fill, rng)]
    else:
        lines = ["SEOUL, Aug. 20 (Yonhap) -- " + _fill(bank[0], fill, rng)]
    count = len(lines[0].split())
    while count < words:
        paragraph = " ".join(
            _fill(rng.choice(bank), fill, rng) for _ in range(rng.choice((1, 2, 2, 3, 4)))
        )
        lines.append(paragraph)
        count += len(paragraph.split())
    lines += (
        ["hong@yna.co.kr", "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>"]
        if language == "ko"
        else ["(END)"]
    )
    return "\n".join(lines)


def articles_from_jsonl(path: Path, words: int) -> str:
    """Articles of ``path`` joined, one per paragraph block, until ``words`` is reached."""
    parts: list[str] = []
    count = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            article = str(json.loads(line)["article"])
            parts.append(article)
            count += len(article.split())
            if count >= words:
                break
    return "\n".join(parts)


def median_ms(run: Callable[[], object], runs: int) -> float:
    run()  # warm-up: imports, regex compilation, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, help="JSONL of {'article': ...}")
    parser.add_argument("--language", choices=("en", "ko"), default="en")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    source = str(args.path) if args.path else f"generated ({args.language})"
    print(f"Source: {source}; medians of {args.runs} runs (LexRank: {min(args.runs, 3)})\n")
    print("| words | sentences | split ms | ours ms | LexRank ms | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in SIZES:
        if args.path:
            text = articles_from_jsonl(args.path, size)
        else:
            text = generated_article(size, args.language)
        sentences = len(split_sentences(text, args.language))
        split = median_ms(partial(split_sentences, text, args.language), args.runs)
        ours = median_ms(partial(summarize, text, language=args.language), args.runs)
        if size > LEXRANK_MAX_WORDS:
            stock_cells = "— | —"
        else:
            stock = median_ms(partial(stock_lexrank, text, 3, args.language), min(args.runs, 3))
            stock_cells = f"{stock:,.0f} | {stock / ours:,.0f}×"
        print(
            f"| {len(text.split()):,} | {sentences:,} | {split:.1f} | {ours:.1f} | {stock_cells} |"
        )


if __name__ == "__main__":
    main()
