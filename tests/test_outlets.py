"""Known state media, by web address or by name."""

from __future__ import annotations

import pytest

from bot.models import Provenance
from bot.news.outlets import known_provenance, outlet_kind


@pytest.mark.parametrize(
    ("url", "source", "expected"),
    [
        ("http://www.kcna.kp/en/article/q/abc.kcmsf", "", Provenance.NK_STATE_MEDIA),
        ("https://kcnawatch.org/newstream/123/", "", Provenance.NK_STATE_MEDIA),
        ("https://tass.com/world/2001234", "", Provenance.RU_STATE_MEDIA),
        ("https://news.cgtn.com/news/2025-08-25/x.html", "", Provenance.CN_STATE_MEDIA),
        ("https://english.news.cn/20250825/x.htm", "", Provenance.CN_STATE_MEDIA),
        ("", "tass", Provenance.RU_STATE_MEDIA),
        ("", "CGTN", Provenance.CN_STATE_MEDIA),
        ("", "  Global   Times ", Provenance.CN_STATE_MEDIA),
        ("", "조선중앙통신", Provenance.NK_STATE_MEDIA),
        ("https://www.bbc.co.uk/news/world-asia-123", "bbc", None),
        ("https://www.yna.co.kr/view/AKR2025", "yna", None),
        ("https://evil-tass.com/x", "", None),
        ("not a url at all", "", None),
    ],
)
def test_known_state_media(url: str, source: str, expected: Provenance | None) -> None:
    assert known_provenance(url, source) is expected


@pytest.mark.parametrize("provenance", [p for p in Provenance if p.value.endswith("_state_media")])
def test_every_state_medium_has_a_country(provenance: Provenance) -> None:
    assert provenance.state_media_of is not None and len(provenance.state_media_of) == 2


def test_other_provenances_are_not_state_media() -> None:
    assert Provenance.WIRE.state_media_of is None
    assert Provenance.UNSTATED.state_media_of is None


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"url": "https://en.yna.co.kr/view/AEN1", "source": "", "language": "en"}, "korean"),
        ({"url": "https://x.example/1", "source": "Korea Herald", "language": "en"}, "korean"),
        ({"url": "https://www.bbc.co.uk/news/1", "source": "bbc", "language": "en"}, "foreign"),
        ({"url": "https://x.example/1", "source": "", "language": "ko"}, "korean"),
        ({"url": "https://tass.com/world/1", "source": "tass", "language": "en"}, "state"),
        ({"url": "http://www.kcna.kp/en/1", "source": "KCNA", "language": "en"}, "nk_state"),
        (
            {"url": "https://en.yna.co.kr/RSS/nk.xml", "source": "", "language": "en",
             "topical": True},
            "topical",
        ),
    ],
)  # fmt: skip
def test_outlet_kinds(kwargs: dict[str, object], expected: str) -> None:
    assert outlet_kind(**kwargs) == expected  # type: ignore[arg-type]
