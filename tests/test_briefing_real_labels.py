"""How the real-briefing benchmark names a shown story by the labellers' stories: it must not
depend on which item heads the story, or the headline choice would move the ranking columns."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.briefing_real import label_of, main_story
from bot.briefing.compose import Story, build_stories
from tests.support.newsitems import NOW, launch_reports

STORY_OF = {"id-yna": "launch", "id-herald": "launch", "id-nknews": "reaction"}


def _story_and_ids() -> tuple[Story, dict[str, str]]:
    reports = launch_reports()
    ids = dict(zip((r.url for r in reports), ("id-yna", "id-herald", "id-nknews"), strict=True))
    (story,) = build_stories(reports, now=NOW)
    return story, ids


def test_a_story_is_named_by_its_most_frequent_labelled_story_whatever_its_order() -> None:
    story, ids = _story_and_ids()
    reversed_story = replace(story, items=tuple(reversed(story.items)))

    assert label_of(story, ids, STORY_OF) == "launch"
    assert label_of(reversed_story, ids, STORY_OF) == "launch"


def test_a_tie_goes_by_name_not_by_the_first_item() -> None:
    story, ids = _story_and_ids()
    tied = {**STORY_OF, "id-herald": "zz-other"}  # launch, zz-other, reaction: one each
    reversed_story = replace(story, items=tuple(reversed(story.items)))

    assert label_of(story, ids, tied) == "zz-other"
    assert label_of(reversed_story, ids, tied) == "zz-other"


def test_the_main_story_of_a_mixed_story_holds_most_of_its_items() -> None:
    story, ids = _story_and_ids()

    assert main_story(story, ids, STORY_OF) == "launch"
    assert main_story(story, ids, {k: "launch" for k in STORY_OF}) is None  # not mixed
    tied = {"id-yna": "launch", "id-herald": "other"}  # and one off-topic item
    assert main_story(story, ids, tied) is None
    off_topic_most = {"id-yna": "launch"}  # two of three items off-topic
    assert main_story(story, ids, off_topic_most) is None
