"""Telegram's text rules: UTF-16 lengths and the HTML dialect of ``parse_mode=HTML``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.support.fakebotapi.errors import JSONDict, bad_request

MAX_TEXT_LENGTH = 4096


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


_HTML_TAGS = frozenset(
    [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    ]
)
_SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_SPACES = " \t\r\n\v\f"
_CHAR_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int  # UTF-16 offset in the visible text where the tag opened


def _is_token_char(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in ".-"


class _HtmlParser:
    """A small hand-written parser following tdlib's ``parse_html`` rules and messages."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JSONDict] = []

    def fail(self, message: str, at: int | None = None) -> HtmlParseError:
        if at is None:
            return HtmlParseError(message)
        byte_offset = len(self.text[:at].encode("utf-8", "surrogatepass"))
        return HtmlParseError(message.format(at=f"at byte offset {byte_offset}"))

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16 += utf16_len(chars)

    def parse(self) -> tuple[str, list[JSONDict]]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "&":
                self.emit(self.char_entity())
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif text.startswith("</", self.pos):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            name = self.stack[-1].name
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        return "".join(self.out), self.entities

    def char_entity(self) -> str:
        match = _CHAR_ENTITY.match(self.text, self.pos)
        if match is None:
            raise self.fail("Character entity expected {at}", self.pos)
        named, decimal, hexadecimal = match.groups()
        if named:
            char = _NAMED_ENTITIES[named]
        else:
            code = int(decimal, 10) if decimal else int(hexadecimal, 16)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.fail(f'Invalid character entity "{match.group()}" {{at}}', self.pos)
            char = chr(code)
        self.pos = match.end()
        return char

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _SPACES:
            self.pos += 1

    def read_until(self, stops: str) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in stops:
            self.pos += 1
        return self.text[start : self.pos]

    def start_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        name = self.read_until(_SPACES + ">").lower()
        if self.pos >= len(self.text):
            raise self.fail("Unclosed start tag {at}", begin)
        if name not in _HTML_TAGS:
            raise self.fail(f'Unsupported start tag "{name}" {{at}}', begin)
        attributes: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.pos >= len(self.text):
                raise self.fail("Unclosed start tag {at}", begin)
            if self.text[self.pos] == ">":
                self.pos += 1
                break
            attr_begin = self.pos
            attr = self.read_until(_SPACES + "=>").lower()
            if not attr:
                raise self.fail(f'Empty attribute name in the tag "{name}" {{at}}', attr_begin)
            self.skip_spaces()
            if self.pos < len(self.text) and self.text[self.pos] != "=":
                if name == "blockquote" and attr == "expandable":
                    attributes.setdefault(attr, "")
                    continue
                raise self.fail(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" {{at}}',
                    attr_begin,
                )
            self.pos += 1
            self.skip_spaces()
            if self.pos >= len(self.text):
                raise self.fail(f'Unclosed start tag "{name}" {{at}}', begin)
            attributes.setdefault(attr, self.attribute_value(begin))
        self.stack.append(_OpenTag(name, attributes, self.utf16))
        self.check_required_attributes(name, attributes, begin)

    def attribute_value(self, tag_begin: int) -> str:
        quote = self.text[self.pos]
        if quote not in "'\"":
            token_begin = self.pos
            while self.pos < len(self.text) and _is_token_char(self.text[self.pos]):
                self.pos += 1
            if self.pos < len(self.text) and self.text[self.pos] not in _SPACES + ">":
                raise self.fail("Unexpected end of name token {at}", token_begin)
            return self.text[token_begin : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] != quote:
            if self.text[self.pos] == "&":
                value.append(self.char_entity())
            else:
                value.append(self.text[self.pos])
                self.pos += 1
        if self.pos >= len(self.text):
            raise self.fail("Unclosed start tag {at}", tag_begin)
        self.pos += 1
        return "".join(value)

    def check_required_attributes(self, name: str, attributes: dict[str, str], at: int) -> None:
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler" {at}', at)
        if name == "a" and not attributes.get("href"):
            raise self.fail('Tag "a" must have attribute "href" {at}', at)
        if name == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self.fail('Tag "tg-emoji" must have attribute "emoji-id" {at}', at)

    def end_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise self.fail("Unexpected end tag {at}", begin)
        self.pos += 2
        name = self.read_until(_SPACES + ">").lower()
        self.skip_spaces()
        if self.pos >= len(self.text) or self.text[self.pos] != ">":
            raise self.fail("Unclosed end tag {at}", begin)
        self.pos += 1
        tag = self.stack.pop()
        if name and name != tag.name:
            raise self.fail(
                f'Unmatched end tag {{at}}, expected "</{tag.name}>", found "</{name}>"', begin
            )
        if self.utf16 > tag.offset:
            self.entities.append(self.entity_for(tag, self.utf16 - tag.offset))

    def entity_for(self, tag: _OpenTag, length: int) -> JSONDict:
        entity: JSONDict = {"offset": tag.offset, "length": length}
        attrs = tag.attributes
        if tag.name in _SIMPLE_ENTITIES:
            entity["type"] = _SIMPLE_ENTITIES[tag.name]
            language = attrs.get("class", "")
            if tag.name == "code" and language.startswith("language-"):
                entity["language"] = language.removeprefix("language-")
        elif tag.name == "a":
            entity.update(type="text_link", url=attrs["href"])
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=attrs["emoji-id"])
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
        else:  # pre, possibly wrapping <code class="language-…"> over the same text
            entity["type"] = "pre"
            inner = self.entities[-1] if self.entities else {}
            span = (inner.get("offset"), inner.get("length"))
            if inner.get("type") == "code" and span == (tag.offset, length):
                self.entities.pop()
                if "language" in inner:
                    entity["language"] = inner["language"]
        return entity


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Visible text and Bot API entities of ``text`` in parse_mode HTML, or HtmlParseError."""
    return _HtmlParser(text).parse()


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip outer whitespace as Telegram does, moving entities with the text."""
    stripped = text.strip(_SPACES)
    lead = utf16_len(text[: len(text) - len(text.lstrip(_SPACES))])
    total = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str, parse_mode: str | None, entities: list[JSONDict] | None = None
) -> tuple[str, list[JSONDict]]:
    """Check a message text like Telegram: the visible text and entities, or ApiError."""
    if parse_mode:
        mode = parse_mode.lower()
        if mode in ("markdown", "markdownv2"):
            raise bad_request("unsupported parse_mode (the fake Bot API implements only HTML)")
        if mode != "html":
            raise bad_request("unsupported parse_mode")
        try:
            text, entities = parse_html(text)
        except HtmlParseError as err:
            raise bad_request(f"can't parse entities: {err}") from None
    text, entities = _trim(text, list(entities or []))
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return text, entities


_COMMAND_IN_TEXT = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"]+")


def detect_entities(text: str) -> list[JSONDict]:
    """The bot_command and url entities Telegram adds to a user's plain text."""
    found: list[JSONDict] = []
    for kind, pattern in (("bot_command", _COMMAND_IN_TEXT), ("url", _URL_IN_TEXT)):
        for match in pattern.finditer(text):
            value = match.group().rstrip(".,;:!?'\")") if kind == "url" else match.group()
            offset = utf16_len(text[: match.start()])
            found.append({"type": kind, "offset": offset, "length": utf16_len(value)})
    return sorted(found, key=lambda e: e["offset"])


def entity_for(text: str, part: str, kind: str = "url", *, url: str | None = None) -> JSONDict:
    """The entity Telegram puts on the first ``part`` of ``text``: offsets in UTF-16 units.

    For the entities it finds that ``detect_entities`` does not (a ``url`` without a
    scheme, ``en.yna.co.kr/…``) and those a client adds (``text_link``, with ``url``).
    """
    index = text.index(part)
    entity: JSONDict = {"type": kind, "offset": utf16_len(text[:index]), "length": utf16_len(part)}
    if url is not None:
        entity["url"] = url
    return entity
