"""Cleaning article text: pure functions from what a page or file held to the prose.

Order matters and is fixed in :func:`clean_body`: normalise characters, drop page
furniture line by line (captions, credits, comment prompts — patterns are data in
``data/ingest/furniture.csv``), rejoin hard-wrapped lines, put back spaces lost between
sentences, drop a first line that repeats the title, and take a dateline off the front.
"""

from __future__ import annotations

import bisect
import csv
import functools
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flashpoint.config import resource_path

DATA_DIR = resource_path("ingest")
FURNITURE_FILE = DATA_DIR / "furniture.csv"
FUNCTION_WORDS_FILE = DATA_DIR / "english_function_words.txt"

# A line longer than this is prose, never furniture: line patterns are not tried on it, so
# a one-paragraph article can never vanish because of a loose caption pattern.
MAX_FURNITURE_LINE = 600

# --- characters ------------------------------------------------------------------------

# NFC keeps curly quotes, dashes, "…", "²" and "½" as written; NFKC would flatten the last
# three. Only the compatibility forms that hurt matching are folded, by this table.
_FOLD: dict[int, str | None] = {
    **{code: " " for code in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000)},
    **{code: " " for code in range(0x2000, 0x200B)},  # en/em/thin/hair spaces
    **{code: None for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E)},
    **{code: "\n" for code in (0x2028, 0x2029, 0x0085)},
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},  # fullwidth ASCII
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl",
    0x0009: " ", 0x000B: " ", 0x000C: "\n", 0x000D: "\n",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[ ]{2,}")
# The characters _FOLD changes, found in one pass: most texts have a handful, so replacing
# only those is much faster than str.translate over every character.
_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")


def _fold(match: re.Match[str]) -> str:
    return _FOLD[ord(match.group())] or ""


def normalise_unicode(text: str) -> str:
    """NFC, plus: non-breaking and typographic spaces → space, zero-width characters and
    soft hyphens removed, fullwidth ASCII and ligatures folded, control characters removed,
    every line ending "\\n". Curly quotes stay as written."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    text = _FOLD_CHARS.sub(_fold, text)
    return _CONTROL.sub("", text)


def normalise_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def clean_title(title: str | None) -> str | None:
    """One line, normalised, without Markdown heading marks."""
    if title is None:
        return None
    text = normalise_line(" ".join(normalise_unicode(str(title)).split()))
    text = re.sub(r"^#{1,6}\s+", "", text).strip()
    text = re.sub(r"^(\*\*|__)(.+)\1$", r"\2", text).strip()
    return text or None


# --- markup ------------------------------------------------------------------------------

_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^```.*$|^~~~.*$", re.MULTILINE), ""),
    (re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), ""),  # link definitions
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: their alt text is a caption
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE), r"\1"),
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),
    (re.compile(r"^\s*[-*+]\s+", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
)


def markdown_to_text(markdown: str) -> str:
    """Markdown → plain prose: markup dropped, link text kept, images (captions) dropped."""
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


_DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "object",
        "embed",
        "form",
        "button",
        "svg",
        "figure",
        "figcaption",
        "template",
        "audio",
        "video",
        "canvas",
        "select",
        "textarea",
        "nav",
        "aside",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "blockquote",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "address",
        "hr",
    ]
)


def html_to_text(fragment: str) -> str:
    """An HTML fragment (a feed item's content) → text, one block element per paragraph.

    Scripts, styles, embeds and figure captions are dropped; nothing is fetched.
    """
    from lxml import etree
    from lxml import html as lxml_html

    if "<" not in fragment:
        return html.unescape(fragment)
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag.lower() in _DROP_TAGS:
            if element is not root:
                element.drop_tree()
            continue
        tag = element.tag.lower()
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    text: str = root.text_content()
    return text


# --- page furniture ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FurniturePattern:
    name: str
    scope: str  # "line": the whole line is furniture; "inline": remove the match in place
    pattern: re.Pattern[str]
    example: str


@functools.cache
def load_furniture(path: Path = FURNITURE_FILE) -> tuple[FurniturePattern, ...]:
    patterns = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["scope"] not in ("line", "inline"):
                raise ValueError(
                    f"{path}: pattern {row['name']!r} has unknown scope {row['scope']!r}"
                )
            patterns.append(
                FurniturePattern(
                    row["name"], row["scope"], re.compile(row["pattern"]), row["example"]
                )
            )
    return tuple(patterns)


def furniture_match(line: str) -> str | None:
    """The name of the line pattern that makes this whole line furniture, if any."""
    if len(line) > MAX_FURNITURE_LINE:
        return None
    for item in load_furniture():
        if item.scope == "line" and item.pattern.fullmatch(line):
            return item.name
    return None


def strip_inline_furniture(line: str) -> tuple[str, list[str]]:
    """The line without inline furniture ("(AP Photo/…)", "[Photo/Agencies]"), and what went."""
    removed: list[str] = []
    for item in load_furniture():
        if item.scope == "inline" and item.pattern.search(line):
            removed.extend(match.group(0).strip() for match in item.pattern.finditer(line))
            line = item.pattern.sub("", line)
    if removed:
        line = re.sub(r"\s+([.,;:!?])", r"\1", line)
    return line, removed


# --- sentences glued together ---------------------------------------------------------------

# Where a sentence may end with no space after it: punctuation (maybe a closing quote)
# directly before a capital or an opening quote. Each candidate is then judged by its
# left-hand context, which is cheaper than a lookbehind for every case at every position.
_GLUE_CANDIDATE = re.compile(r"[.!?][”’]?(?=[A-Z“‘])")
_LEFT_RULES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"[.!?][”’]$"), re.compile(r"[A-Z“‘]")),  # ended.”The
    (re.compile(r"[a-z][a-z][.!?]$"), re.compile(r"[A-Z][a-z]|[A-Z]{2}|[“‘]")),  # friend.The
    (re.compile(r"[0-9%)\]][.!?]$"), re.compile(r"[A-Z][a-z]{2}|[“‘]")),  # in 2011.The
    (re.compile(r"[A-Z]{2}[.!?]$"), re.compile(r"[A-Z][a-z]{2}")),  # the DPRK.The
    (re.compile(r"(?<![A-Za-z.])[A-Za-z]\.[A-Za-z]\.$"), re.compile(r"[A-Z][a-z]{2}")),  # U.S.The
)
_STRAIGHT_QUOTE_GLUE = re.compile(r'(?<=[.!?])"(?=[A-Z])')
_URL_TOKEN = re.compile(
    r"://|^www\.|@|\.(?:com|org|net|gov|edu|int|kr|jp|cn|ru|uk|us|de|fr|io)\b", re.IGNORECASE
)


def _in_url(text: str, position: int) -> bool:
    """Whether position lies inside a URL, e-mail address or domain name."""
    start = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position)) + 1
    end = min(
        (i for i in (text.find(" ", position), text.find("\n", position)) if i >= 0),
        default=len(text),
    )
    return bool(_URL_TOKEN.search(text[start:end]))


def _is_glued(text: str, position: int) -> bool:
    left = text[max(0, position - 6) : position]
    right = text[position : position + 3]
    for left_rule, right_rule in _LEFT_RULES:
        if left_rule.search(left):
            return bool(right_rule.match(right)) and not _in_url(text, position)
    return False


def fix_glued_sentences(text: str) -> str:
    """Put back the space lost between sentences: "her friend.The team" → "her friend. The
    team". Leaves "U.S.", "No.1", "3.5", "a.m.", initials and URLs alone."""
    if not text:
        return text
    text = _GLUE_CANDIDATE.sub(
        lambda match: match.group(0) + (" " if _is_glued(text, match.end()) else ""), text
    )
    if '"' in text and _STRAIGHT_QUOTE_GLUE.search(text):
        text = _fix_straight_quotes(text)
    return text


def _fix_straight_quotes(text: str) -> str:
    """'said."The' or '2011."Some': whether the quote closes the last sentence or opens
    the next is decided by how many quotes came before it in the paragraph."""
    quotes = [match.start() for match in re.finditer('"', text)]
    pieces: list[str] = []
    last = 0
    for match in _STRAIGHT_QUOTE_GLUE.finditer(text):
        at = match.start()
        if _in_url(text, at):
            continue
        before = bisect.bisect_left(quotes, at)
        if before % 2 == 0:  # an opening quote: the space goes before it
            pieces.append(text[last:at] + ' "')
        else:  # a closing quote: the space goes after it
            pieces.append(text[last:at] + '" ')
        last = at + 1
    pieces.append(text[last:])
    return "".join(pieces)


# --- dateline ---------------------------------------------------------------------------

WIRE_AGENCIES: tuple[str, ...] = (
    "Reuters", "AP", "AFP", "CNN", "Yonhap", "Xinhua", "Kyodo", "UPI", "dpa", "Bloomberg",
    "TASS", "Sputnik", "RIA Novosti", "NHK", "Jiji", "KCNA", "EFE", "ANSA", "IANS", "PTI",
)  # fmt: skip
_AGENCY = "|".join(re.escape(name) for name in WIRE_AGENCIES)
_DASH = r"(?:--|[-—–―_])"  # "_" is the AP's old plain-text dash
_PLACE_WORD = r"[A-Z][\w.'’-]*"
_DATELINE_AGENCY = re.compile(
    rf"(?:(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}})"
    r"(?P<qual>(?:,\s*[\w.'’-]+(?:\s+[\w.'’-]+){0,3}){0,2})\s*)?"
    rf"\((?P<agency>{_AGENCY})\)\s*(?:{_DASH}|:)?\s+"
)
_CAPS_WORD = r"[A-Z][A-Z.'’-]+"
_DATELINE_CAPS = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}})"
    r"(?P<qual>(?:,\s*[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}){0,2})"
    rf"\s*{_DASH}\s+(?=\S)"
)
# Capitalised words that open a story without being a place.
_NOT_PLACES = frozenset(
    [
        "UPDATE",
        "UPDATED",
        "BREAKING",
        "EXCLUSIVE",
        "ANALYSIS",
        "FACTBOX",
        "WRAPUP",
        "COLUMN",
        "EDITORIAL",
        "OPINION",
        "COMMENTARY",
        "NOTE",
        "CORRECTED",
        "REFILE",
        "INSIGHT",
        "INTERVIEW",
        "PHOTOS",
        "VIDEO",
        "WATCH",
        "LIVE",
        "FILE",
        "PHOTO",
        "EDITOR",
        "EDITORS",
    ]
)
_BYLINE = re.compile(r"By\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von)){0,6}")


def extract_dateline(paragraph: str) -> tuple[str | None, str]:
    """("SEOUL", rest) from "SEOUL (Reuters) - North Korea…", "TOKYO (AP) — …",
    "SEOUL — …", "WASHINGTON, July 4 (Reuters) - …". An agency tag without a place,
    "(CNN) North Korea…", is taken off with no dateline."""
    match = _DATELINE_AGENCY.match(paragraph)
    if match and len(match.group(0)) < 80:
        place = match["place"]
        return (place.strip(" .,") if place else None), paragraph[match.end() :]
    match = _DATELINE_CAPS.match(paragraph)
    if match and len(match.group(0)) < 80:
        place = match["place"].strip(" .,-")
        if place.upper() not in _NOT_PLACES and len(place.replace(".", "")) >= 3:
            return place, paragraph[match.end() :]
    return None, paragraph


# --- the whole body ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanedBody:
    text: str  # paragraphs separated by a blank line
    dateline: str | None
    removed: tuple[str, ...]  # furniture lines taken out, for the record


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _paragraphs(text: str, removed: list[str]) -> list[str]:
    """Lines → paragraphs: furniture lines dropped, hard-wrapped lines rejoined."""
    paragraphs: list[str] = []
    for raw_line in text.split("\n"):
        line = normalise_line(raw_line)
        if not line:
            if paragraphs and paragraphs[-1]:
                paragraphs.append("")  # a blank line ends the paragraph
            continue
        if furniture_match(line):
            removed.append(line)
            continue
        stripped, pieces = strip_inline_furniture(line)
        removed.extend(pieces)
        stripped = normalise_line(stripped)
        if not stripped:
            continue
        if paragraphs and paragraphs[-1] and _continues(paragraphs[-1], stripped):
            paragraphs[-1] = f"{paragraphs[-1]} {stripped}"
        else:
            if paragraphs and not paragraphs[-1]:
                paragraphs.pop()
            paragraphs.append(stripped)
    return [paragraph for paragraph in paragraphs if paragraph]


def _continues(previous: str, line: str) -> bool:
    """A hard-wrapped line: the previous one stops mid-sentence and this one goes on in
    lower case."""
    return not re.search(r"[.!?:;\"”’)\]]$", previous) and bool(re.match(r"[a-z]", line))


def clean_body(text: str, *, title: str | None = None) -> CleanedBody:
    """The cleaning pipeline for one article body (see the module docstring)."""
    removed: list[str] = []
    paragraphs = _paragraphs(normalise_unicode(text), removed)
    paragraphs = [fix_glued_sentences(paragraph) for paragraph in paragraphs]
    if (
        title
        and paragraphs
        and len(paragraphs[0]) <= 2 * len(title) + 20
        and _comparable(paragraphs[0]) == _comparable(title)
    ):
        paragraphs.pop(0)
    dateline = None
    if paragraphs:
        first = 1 if len(paragraphs) > 1 and _BYLINE.fullmatch(paragraphs[0]) else 0
        dateline, rest = extract_dateline(paragraphs[first])
        if dateline is not None or rest != paragraphs[first]:
            rest = rest.strip()
            if rest:
                paragraphs[first] = rest
            else:
                paragraphs.pop(first)
    return CleanedBody("\n\n".join(paragraphs), dateline, tuple(removed))


# --- language -----------------------------------------------------------------------------

# Below this share of English function words a text of MIN_WORDS_TO_JUDGE words or more is
# not English. English news prose in the shared corpora scores 0.17–0.45 (median ~0.34);
# German, French, Spanish and Dutch text written for the tests scores 0.00–0.02.
ENGLISH_THRESHOLD = 0.10
MIN_WORDS_TO_JUDGE = 8
LANGUAGE_SAMPLE_CHARS = 2000  # about 330 words: plenty to tell, and cheap
_WORD = re.compile(
    r"[a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f]+(?:'[a-z]+)?"
)  # on lower-cased text
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")


@functools.cache
def function_words(path: Path = FUNCTION_WORDS_FILE) -> frozenset[str]:
    with path.open(encoding="utf-8") as handle:
        return frozenset(
            line.strip() for line in handle if line.strip() and not line.startswith("#")
        )


def english_word_share(text: str) -> tuple[float, int]:
    """(share of word tokens that are English function words, number of word tokens)."""
    words = _WORD.findall(text[:LANGUAGE_SAMPLE_CHARS].lower().replace("’", "'"))
    if not words:
        return 0.0, 0
    return sum(map(function_words().__contains__, words)) / len(words), len(words)


def _script_of(letters: list[str]) -> str:
    names = Counter(unicodedata.name(char, "UNKNOWN").split()[0] for char in letters)
    script = names.most_common(1)[0][0]
    return "CJK" if script == "CJK" else script.title()


def language_problem(text: str) -> str | None:
    """Why this text is not English, or None if it is (or is too short to tell).

    Two checks: most letters must be Latin script, and at least ENGLISH_THRESHOLD of the
    words must be English function words ("the", "of", "that", "said", ...).
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if not sample.isascii():
        others = _NON_LATIN_LETTER.findall(sample)
        if others and len(others) >= len(_LATIN.findall(sample)):
            return f"not English: mostly {_script_of(others)} script"
    elif not _LATIN.search(sample):
        return "not English: no words in the text"
    share, count = english_word_share(sample)
    if count == 0:
        return "not English: no words in the text"
    if count >= MIN_WORDS_TO_JUDGE and share < ENGLISH_THRESHOLD:
        return (
            f"not English: {share:.0%} of {count} words are common English words "
            f"(needs {ENGLISH_THRESHOLD:.0%})"
        )
    return None
