"""The learned relevance model: what it is fed, how it decides, how it explains itself."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.train_relevance import main as train_main
from bot.models import Topic
from bot.news.classifier import (
    FEATURE_VERSION,
    Linear,
    Model,
    features,
    packaged_model,
    url_features,
)
from bot.news.relevance import assess, lexicon_assess, model_covers, model_features
from tests.support.relevance import MARKETS, POLITICS, use_section_model

DATA = Path(__file__).parent / "data"


def test_features_name_words_evidence_and_outlet() -> None:
    values = features(
        "N. Korea fires ballistic missile",
        "북한이 동해상으로 탄도미사일을 발사했다.",
        "en",
        evidence={"g:anchor:north korea": 1.0},
        outlet="korean",
    )
    assert values["bias"] == 1.0
    assert values["outlet:korean"] == 1.0 and values["lang:en"] == 1.0
    assert values["g:anchor:north korea"] == 1.0
    assert "t:missil" in values and "t2:ballistic_missil" in values  # light stems
    assert "l:북한이" not in values and "l:북한" in values  # the particle is stripped


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.chosun.com/politics/assembly/2025/08/22/KQ5BUKQ7XJD3TGW4LM2ZQHJXYU/",
            ["u:host:chosun.com", "u:s:politics", "u:s:politics/assembly"],
        ),
        (
            "https://www.yna.co.kr/view/AKR20250816007100504",
            ["u:host:yna.co.kr", "u:desk:yna:504"],
        ),
        (
            "https://m.yna.co.kr/view/AKR20250822012345001?section=politics/all",
            ["u:host:m.yna.co.kr", "u:desk:yna:001"],
        ),
        # The English service's ids end in its own desk's code, not the section's.
        (
            "https://en.yna.co.kr/view/AEN20231229004900315?section=national/defense",
            ["u:host:en.yna.co.kr"],
        ),
        ("https://www.yna.co.kr/view/AKR2025081600710050", ["u:host:yna.co.kr"]),
        ("https://www.yna.co.kr/view/AKR202508160071005041", ["u:host:yna.co.kr"]),
        ("https://www.yna.co.kr/view/akr20250816007100504", ["u:host:yna.co.kr"]),
        ("https://www.yna.co.kr/view/AKR20250816007100504.html", ["u:host:yna.co.kr"]),
        ("https://notyna.co.kr/view/AKR20250816007100504", ["u:host:notyna.co.kr"]),
        ("https://example.com/view/AKR20250816007100504", ["u:host:example.com"]),
        (
            "https://www.nytimes.com/2025/08/22/world/asia/north-korea-missile.html",
            ["u:host:nytimes.com", "u:s:world", "u:s:world/asia"],
        ),
        (
            "https://www.bbc.co.uk/sounds/play/deadbeefcafe?at_medium=RSS",
            ["u:host:bbc.co.uk", "u:s:sounds", "u:s:sounds/play"],
        ),
        ("https://tass.com/economy/2031723", ["u:host:tass.com", "u:s:economy"]),
        ("https://example.com/deadbeef/News/", ["u:host:example.com", "u:s:news"]),
        ("", []),
        ("http://[::1", []),
    ],
)
def test_url_features_name_the_host_section_and_yonhap_desk_but_no_ids_or_dates(
    url: str, expected: list[str]
) -> None:
    assert url_features(url) == expected


def test_assess_hands_the_address_to_the_model_which_names_it_as_a_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_section_model(monkeypatch, "politics")
    title = "여야, 예산안 처리 합의"
    filed = assess(title, "", "ko", url=POLITICS, explain=True)
    assert filed.relevant and filed.reasons[0] == ("u:s:politics", 2.0)
    assert not assess(title, "", "ko", url=MARKETS).relevant
    assert not assess(title, "", "ko").relevant, "no address, no section"


def toy_model() -> Model:
    return Model(
        relevance=Linear(-1.0, {"t:missile": 2.5, "t:bts": -3.0}),
        threshold=0.0,
        topics={
            Topic.SECURITY: Linear(-0.5, {"t:missile": 2.0}),
            Topic.ECONOMY: Linear(-2.0, {}),
        },
    )


def test_a_model_decides_by_the_weighed_sum_and_explains_it() -> None:
    model = toy_model()
    missile = {"bias": 1.0, "t:missile": 1.0}
    kpop = {"bias": 1.0, "t:bts": 1.0}
    assert model.is_relevant(missile) == (True, 1.5)
    assert model.is_relevant(kpop)[0] is False
    assert model.explain(kpop) == [("t:bts", -3.0)]
    assert model.topics_of(missile) == (Topic.SECURITY,)


def test_the_strongest_topic_is_kept_even_below_even_odds() -> None:
    assert toy_model().topics_of({"bias": 1.0}) == (Topic.SECURITY,)


def test_a_model_survives_its_json() -> None:
    model = toy_model()
    assert Model.from_json(model.to_json()) == model


def test_a_model_fitted_on_other_features_is_refused() -> None:
    data = toy_model().to_json() | {"feature_version": FEATURE_VERSION + 1}
    with pytest.raises(ValueError, match="refit"):
        Model.from_json(data)


def test_a_model_fitted_by_the_training_script_scores_items(tmp_path: Path) -> None:
    """The whole path: fit on labelled items, write JSON, load, decide, explain."""
    out = tmp_path / "model.json"
    train_main(["--dev", str(DATA / "relevance.jsonl"), "--out", str(out)])
    model = Model.from_json(json.loads(out.read_text(encoding="utf-8")))
    missile = model_features("N. Korea fires ballistic missile into East Sea: JCS", "", "en")
    kpop = model_features("BTS announce world tour dates", "K-pop group BTS will tour.", "en")
    assert model.is_relevant(missile)[0] and not model.is_relevant(kpop)[0]
    assert model.topics_of(missile)[0] is Topic.SECURITY
    assert model.explain(kpop)[0][1] < 0, "what kept it out weighs most"


def test_the_shipped_model_decides_korean_text_and_the_lexicon_english() -> None:
    """The model decides where real data taught it (Korean text, KCNA); English items from
    other outlets, which the captures lacked, stay with the lexicon."""
    model = packaged_model()
    assert model is not None
    title, lede = '합참 "北, 동해상으로 탄도미사일 발사"', "합동참모본부는 오늘 밝혔다."
    korean = assess(title, lede, "ko", explain=True)
    assert korean.relevant
    assert korean.reasons == tuple(model.explain(model_features(title, lede, "ko")))
    english = assess("BTS announce world tour dates", "", "en", outlet="korean", explain=True)
    assert english == replace(
        lexicon_assess("BTS announce world tour dates", "", "en"), reasons=english.reasons
    )
    assert not english.relevant and english.reasons[0][1] < 0  # a lexicon term kept it out
    assert model_covers("en", "nk_state") and not model_covers("en", "state")


def test_model_features_default_the_outlet_by_language() -> None:
    assert "outlet:korean" in model_features("기준금리 동결", "", "ko")
    assert "outlet:foreign" in model_features("Fed holds rates", "", "en")
