"""Entity normalisation: every span in ``doc.ents`` gets a canonical entity, or an honest None.

Runs after the model's NER and the gazetteer ruler. Per article (one Doc) it

1. trims spans to the name: no possessive "'s", no leading "the", no stray punctuation;
2. resolves each span through the gazetteer (ruler id, else the alias index): names,
   aliases, demonyms ("North Korean") and metonyms ("Pyongyang", "the Pentagon", with
   their sector) all land on the canonical entity;
3. keeps the gazetteer's Korea-coverage phrases ("the North", "the South", "the regime",
   "the States") only in an article about Korea, drops ruler matches written in a case the
   alias does not accept ("patriots", "the last bastion"), and resolves a bare "Korea" that
   the model found standing alone to South Korea (see STANDALONE_NAMES);
   time-zone abbreviations the model calls organisations ("GMT") get no entity;
4. resolves short forms of people against the full names seen in the same article
   ("Lavrov" → Sergey Lavrov, "Moon" → Moon Jae-in, "Choi" → Choi Jong-kun), including
   short forms the model missed or mislabelled (the small model calls "Lavrov" an ORG); a
   gazetteer surname ("Moon" for Moon Jae-in) beats a short form guessed from another
   name ("Moon Chung-in"). A lone surname with no full name in the article resolves to
   the gazetteer person whose ``surname`` it is ("Abe", "Putin"); a family name written
   first ("Park", "Moon") only after the person's title ("President Park") and when the
   article names nobody else with it ("Park Jie-won");
5. gives what the gazetteer does not know a fallback: a full name gets a stable
   ``person:<slug>``, a multi-word organisation (or an acronym) ``org:<slug>``. A lone
   unknown surname ("Kim"), a one-word organisation ("Navy", "State") and an unknown place
   keep their text with ``entity_id`` None: they name nobody in particular, and
   ``flashpoint entities --unresolved`` lists them.

Model noise (dates, numbers, money…) stays in ``doc.ents`` for date resolution, with every
extension None; :func:`is_mention` says which spans belong in the mentions table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from flashpoint.nlp import extensions
from flashpoint.nlp.gazetteer import (
    Gazetteer,
    clean_surface,
    gazetteer_for_config,
    keeps_the,
    slugify,
)

extensions.register_extensions()

# Labels that never name one of our entities: kept in doc.ents (dates matter to events),
# never written to the mentions table.
NOISE_LABELS = frozenset(
    {
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "EVENT",
    }
)
# What an entity the gazetteer does not know falls back to, by model label.
FALLBACK_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
KOREA_IDS = frozenset({"country:PRK", "country:KOR"})
# Labels under which the model puts a lone surname ("Lavrov" as ORG): a surname only one
# person in the gazetteer has resolves to them even without the full name in the article.
SURNAME_LABELS = frozenset({"PERSON", "ORG"})
POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019", "'S", "\u2019S"})
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii"})
# Names the gazetteer cannot list as aliases, since the ruler would then cut them out of
# longer names ("Bank of Korea", "Minjoo Party of Korea", "Korea Institute for Defense
# Analyses"), but that name an entity when the model found them standing alone as a place
# (see _standalone). Bare "Korea" is South Korea in South Korean usage (The Korea Herald:
# "In a country like Korea", "trips to Korea"); other outlets rarely write it alone.
STANDALONE_NAMES = {"Korea": "country:KOR"}
STANDALONE_LABELS = frozenset({"GPE", "LOC"})
# "North"/"South" glued to the name by a missing space after a quote (".”North Korea").
_KOREA_HALF = re.compile(r"\b(?:North|South|N\.|S\.)\s*$")
# Time-zone abbreviations the small model tags ORG ("9:57pm GMT"): times, not organisations.
NOT_NAMES = frozenset({"GMT", "UTC", "KST", "JST", "EST", "EDT", "PST", "PDT", "CET", "BST"})
CLOSING_BRACKETS = {")": "(", "]": "["}
# Titles the model sometimes takes into a PERSON span ("President Moon"): not part of the name.
TITLES = frozenset(
    {"president", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "gen", "gen.", "general"}
    | {"minister", "premier", "chairman", "leader", "sen", "sen.", "rep", "rep.", "adm", "adm."}
)


@dataclass(slots=True)
class Resolution:
    entity_id: str | None
    entity_name: str | None
    entity_type: str | None
    entity_country: str | None = None
    sector: str | None = None
    from_gazetteer: bool = False
    label: str | None = None  # a new label when the span's own was wrong ("Lavrov" ORG)
    korea_only: bool = False  # "the North", "the regime": only in an article about Korea
    wrong_case: bool = False  # a ruler match the alias's capitals rule out: "patriots"


@dataclass(slots=True)
class PersonMention:
    """A full name seen in the article, and the short forms that may refer back to it."""

    start: int  # token index of the mention
    resolution: Resolution
    explicit: bool = False  # the short form is the person's gazetteer surname, not a guess
    short_forms: set[str] = field(default_factory=set)


def person_name(text: str) -> str:
    """A PERSON span's text as a name: cleaned, without leading titles."""
    words = clean_surface(text).split()
    while len(words) > 1 and words[0].lower() in TITLES:
        words = words[1:]
    return " ".join(words)


def guess_surname(name: str) -> str | None:
    """The short form news uses for a person: Korean-style names ("Moon Jae-in", "Choi
    Jong-kun") put the family name first; others ("Fumio Kishida") last."""
    tokens = [t for t in name.replace(",", " ").split() if t.lower() not in NAME_SUFFIXES]
    if len(tokens) < 2:
        return None
    if len(tokens) <= 3 and any("-" in t for t in tokens[1:]):
        return tokens[0]
    return tokens[-1]


def trim_span(span: Span) -> Span | None:
    """The span without possessive, leading "the" and surrounding punctuation; None if empty."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ == "the"
    ):
        start += 1
    while start < end and (
        doc[end - 1].text in POSSESSIVES or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        opening = CLOSING_BRACKETS.get(doc[end - 1].text)
        if opening and any(token.text == opening for token in doc[start : end - 1]):
            break  # "USS Mustin (DDG-89)" keeps its closing bracket
        end -= 1
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, span_id=span.id)


def resolve_in_gazetteer(span: Span, gazetteer: Gazetteer) -> Resolution | None:
    """Resolve by the ruler's id when it matched, else by looking the text up."""
    if span.label_ in NOISE_LABELS:
        return None
    if span.id_ and gazetteer.wrong_case(span.text, span.id_):
        return Resolution(None, None, None, wrong_case=True)
    text = clean_surface(span.text)
    alias = gazetteer.alias_for(text, span.id_) if span.id_ else gazetteer.lookup(text)
    if alias is None and span.id_:
        alias = gazetteer.lookup(text)
    entity_id = alias.entity_id if alias else (span.id_ or None)
    if entity_id is None:
        entity_id = _standalone(span, text)
    entry = gazetteer.get(entity_id)
    if entry is None:
        return None
    return Resolution(
        entity_id=entry.entity_id,
        entity_name=entry.name,
        entity_type=entry.entity_type,
        entity_country=entry.country,
        sector=(alias.sector if alias else None) or entry.sector,
        from_gazetteer=True,
        korea_only=alias is not None and keeps_the(alias.text),
    )


def _is_korea_article(doc: Doc, resolutions: Iterable[Resolution | None]) -> bool:
    """Whether "the North", "the South", "the regime" can mean what Korea coverage means."""
    if any(r is not None and not r.korea_only and r.entity_id in KOREA_IDS for r in resolutions):
        return True
    return "Korea" in doc.text


def _standalone(span: Span, text: str) -> str | None:
    """The entity of a STANDALONE_NAMES name the model found as a place on its own: not the
    end of "North Korea" the ruler missed (".”North Korea"), not the start of a longer name
    ("The Korea Herald") nor the end of one ("Workers' Party of Korea")."""
    entity_id = STANDALONE_NAMES.get(text)
    if entity_id is None or span.label_ not in STANDALONE_LABELS or not _stands_alone(span):
        return None
    doc = span.doc
    if _KOREA_HALF.search(doc.text[max(0, span.start_char - 12) : span.start_char]):
        return None
    before = doc[max(0, span.start - 2) : span.start]
    if len(before) == 2 and before[1].lower_ in {"of", "for"} and before[0].is_title:
        return None
    return entity_id


def _stands_alone(span: Span) -> bool:
    """ "the South" is not the start of a longer name ("the South Gyeongsang governor")."""
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return following is None or not (following.is_alpha and following.is_title)


class EntityNormalizer:
    """The ``flashpoint_normalizer`` component (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        surnames: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for entry in gazetteer.by_type("person"):
            if entry.surname:
                surnames.setdefault(entry.surname, []).append(entry.entity_id)
                if entry.name.split()[-1] != entry.surname:
                    titles[entry.surname] = _title(entry.attrs.get("role"))
        # A lone surname with no full name in the article names the gazetteer person whose
        # ``surname`` it is: the gazetteer gives one only to the person who dominates
        # coverage ("Abe", "Putin", "Moon", "Park"), and guessed short forms never count.
        self.unique_surnames = {s: ids[0] for s, ids in surnames.items() if len(ids) == 1}
        # Family-name-first surnames are shared by millions: in Korea Herald text a lone
        # "Park", "Moon", "Lim" or "Shin" with no full name around was someone else (a
        # suspect "surnamed Park", the defence spokesman Moon Sang-gyun) six times in seven.
        # Such a surname resolves alone only after the person's title ("President Park",
        # "Foreign Minister Kang"), in an article that names nobody else with that name.
        self.family_first_titles = titles

    def __call__(self, doc: Doc) -> Doc:
        gazetteer = self.gazetteer
        spans = [s for s in (trim_span(span) for span in doc.ents) if s is not None]
        resolutions: list[Resolution | None] = [resolve_in_gazetteer(s, gazetteer) for s in spans]

        if any(r is not None and r.wrong_case for r in resolutions):
            kept = [
                (s, r) for s, r in zip(spans, resolutions, strict=True) if not (r and r.wrong_case)
            ]
            spans, resolutions = [s for s, _ in kept], [r for _, r in kept]
        if any(r is not None and r.korea_only for r in resolutions):
            korea = _is_korea_article(doc, resolutions)
            kept = [
                (s, r)
                for s, r in zip(spans, resolutions, strict=True)
                if not (r and r.korea_only and not (korea and _stands_alone(s)))
            ]
            spans, resolutions = [s for s, _ in kept], [r for _, r in kept]

        people = self._people(spans, resolutions)
        for i, span in enumerate(spans):
            resolution = resolutions[i]
            if span.label_ in NOISE_LABELS or (resolution and resolution.from_gazetteer):
                continue
            titled = span.label_ in SURNAME_LABELS
            name = person_name(span.text) if titled else clean_surface(span.text)
            person = _nearest(people, name, span.start)
            if person is None and titled and name and " " not in name:
                person = self._known_by_surname(span, name, spans, resolutions)
            if person is not None:
                resolutions[i] = Resolution(
                    person.entity_id,
                    person.entity_name,
                    "person",
                    person.entity_country,
                    person.sector,
                    person.from_gazetteer,
                    "PERSON",
                )
            elif resolution is None and span.text not in NOT_NAMES:
                resolutions[i] = _fallback(span)

        occupied = {i for span in spans for i in range(span.start, span.end)}
        added: list[tuple[Span, Resolution]] = []
        added += self._missed_short_forms(doc, occupied, people)

        final: list[tuple[Span, Resolution | None]] = []
        for span, resolution in zip(spans, resolutions, strict=True):
            if resolution is not None and resolution.label and resolution.label != span.label_:
                span = Span(doc, span.start, span.end, label=resolution.label, span_id=span.id)
            final.append((span, resolution))
        final.extend(added)
        final.sort(key=lambda pair: pair[0].start)
        doc.ents = [span for span, _ in final]
        for span, resolution in zip(doc.ents, (r for _, r in final), strict=True):
            if resolution is None:
                continue
            span._.entity_id = resolution.entity_id
            span._.entity_name = resolution.entity_name
            span._.entity_type = resolution.entity_type
            span._.entity_country = resolution.entity_country
            span._.sector = resolution.sector
        return doc

    # -- people ----------------------------------------------------------------------------

    def _people(
        self, spans: list[Span], resolutions: list[Resolution | None]
    ) -> dict[str, list[PersonMention]]:
        """Full names in the article, indexed by the short forms that refer back to them.

        A name the gazetteer does not know gets its stable ``person:<slug>`` id here, so a
        later "Choi" and the earlier "Choi Jong-kun" share it.
        """
        index: dict[str, list[PersonMention]] = {}
        for i, span in enumerate(spans):
            resolution = resolutions[i]
            short_forms: set[str] = set()
            explicit = False
            if resolution is not None and resolution.entity_type == "person":
                entry = self.gazetteer.get(resolution.entity_id)
                if entry is not None and entry.surname:
                    # the gazetteer's surname only: "Salman bin Abdulaziz Al Saud" is "Salman"
                    short_forms, explicit = {entry.surname}, True
                elif entry is not None:
                    short_forms = {guess_surname(entry.name) or ""}
                    short_forms |= {guess_surname(clean_surface(span.text)) or ""}
                    short_forms -= {""}
            elif resolution is None and span.label_ == "PERSON" and len(span) > 1:
                name = person_name(span.text)
                surname = guess_surname(name)
                if surname is None:
                    continue
                resolution = Resolution(f"person:{slugify(name)}", name, "person")
                resolutions[i] = resolution
                short_forms = {surname}
            else:
                continue
            for form in short_forms:
                if form and form != clean_surface(span.text):
                    mention = PersonMention(span.start, resolution, explicit=explicit)
                    index.setdefault(form, []).append(mention)
        return index

    def _known_by_surname(
        self, span: Span, text: str, spans: list[Span], resolutions: list[Resolution | None]
    ) -> Resolution | None:
        """The gazetteer person a lone surname names, when the article gives no full name."""
        entity_id = self.unique_surnames.get(text)
        entry = self.gazetteer.get(entity_id)
        if entry is None:
            return None
        if text in self.family_first_titles:
            title = self.family_first_titles[text]
            if not title or not _after_title(span[-1], title):
                return None
            own = {
                i
                for other, resolution in zip(spans, resolutions, strict=True)
                if resolution is not None and resolution.entity_id == entry.entity_id
                for i in range(other.start, other.end)
            }
            if _names_someone_else(span.doc, text, own):
                return None
        return Resolution(entry.entity_id, entry.name, "person", entry.country, entry.sector, True)

    def _missed_short_forms(
        self, doc: Doc, occupied: set[int], people: dict[str, list[PersonMention]]
    ) -> list[tuple[Span, Resolution]]:
        """Short forms the model did not tag at all, after the full name has been seen."""
        added = []
        for token in doc:
            if token.i in occupied or token.text not in people or not token.is_title:
                continue
            if token.i > 0 and doc[token.i - 1].lower_ in {"the", "a", "an"}:
                continue  # "the Moon"
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if following is not None and following.is_title and following.is_alpha:
                continue  # part of another name: "Park Chung-hee"
            if not any(m.start < token.i for m in people[token.text]):
                continue
            person = _nearest(people, token.text, token.i)
            if person is None:
                continue
            span = Span(doc, token.i, token.i + 1, label="PERSON")
            added.append((span, _as_person(person)))
            occupied.add(token.i)
        return added


def _as_person(resolution: Resolution) -> Resolution:
    return Resolution(
        resolution.entity_id,
        resolution.entity_name,
        "person",
        resolution.entity_country,
        resolution.sector,
        resolution.from_gazetteer,
        "PERSON",
    )


def _title(role: object) -> str:
    """The title a person's role gives them before their name: "President" of "President
    (impeached and removed in 2017)", "Defense Minister" of "Defense Minister; Chairman of
    the Joint Chiefs of Staff 2017-2018"."""
    if not isinstance(role, str):
        return ""
    first = role.split(";")[0]
    return " ".join(re.sub(r"\([^)]*\)", " ", first).split())


def _after_title(token: Token, title: str) -> bool:
    """Whether the text just before ``token`` ends with ``title`` ("President Park")."""
    before = token.doc.text[max(0, token.idx - len(title) - 2) : token.idx]
    return re.search(r"(?:^|\W)" + re.escape(title) + r"\s+$", before, re.IGNORECASE) is not None


def _names_someone_else(doc: Doc, family_name: str, own: set[int]) -> bool:
    """Whether the article writes ``family_name`` before a given name ("Park Jie-won",
    "Park Chung-hee") outside the tokens ``own`` of the person it would otherwise mean."""
    for token in doc:
        if token.text != family_name or token.i in own or token.i + 1 >= len(doc):
            continue
        following = doc[token.i + 1]
        if following.i not in own and following.is_title and following.is_alpha:
            return True
    return False


def _nearest(people: dict[str, list[PersonMention]], text: str, position: int) -> Resolution | None:
    """The person a short form refers to: the closest full name before it, else after it.
    A person whose gazetteer surname the form is beats one whose short form was guessed
    ("Moon" is Moon Jae-in, not Moon Chung-in, when the article names both)."""
    mentions = people.get(text)
    if not mentions:
        return None
    if any(m.explicit for m in mentions):
        mentions = [m for m in mentions if m.explicit]
    before = [m for m in mentions if m.start < position]
    if before:
        return max(before, key=lambda m: m.start).resolution
    return min(mentions, key=lambda m: m.start).resolution


def _fallback(span: Span) -> Resolution | None:
    """An entity the gazetteer does not know: keep it, with an id where one is stable."""
    entity_type = FALLBACK_TYPES.get(span.label_)
    name = clean_surface(span.text)
    if not name or not any(ch.isalpha() for ch in name):
        return None
    if entity_type == "person":
        name = person_name(span.text)
        if " " not in name:  # a lone "Kim" is nobody in particular
            return Resolution(None, name, "person")
        return Resolution(f"person:{slugify(name)}", name, "person")
    if entity_type == "organization":
        if len(span) == 1 and not name.isupper():  # "Defense", "State", "Command"
            return Resolution(None, name, "organization")
        return Resolution(f"org:{slugify(name)}", name, "organization")
    if entity_type == "place":
        return Resolution(None, name, "place")
    return Resolution(None, name, None)  # PRODUCT, NORP… the unresolved list shows them


def is_mention(span: Span) -> bool:
    """Whether a span goes into the mentions table: not model noise, not an unresolved
    lower-case phrase, and a NORP only when it resolved (a demonym); every other name is
    kept, resolved or not."""
    if span.label_ in NOISE_LABELS:
        return False
    if span._.entity_name is None:
        return False
    if span._.entity_id is None and not any(ch.isupper() for ch in span.text):
        return False  # "east coast", "navy": a common noun the model took for a name
    return not (span.label_ == "NORP" and span._.entity_id is None)


@Language.factory(
    "flashpoint_normalizer",
    assigns=[f"span._.{name}" for name in extensions.SPAN_EXTENSIONS],
    default_config={"gazetteer_dir": None, "user_file": None, "fingerprint": ""},
)
def make_normalizer(
    nlp: Language,
    name: str,
    gazetteer_dir: str | None,
    user_file: str | None,
    fingerprint: str,
) -> EntityNormalizer:
    return EntityNormalizer(gazetteer_for_config(gazetteer_dir, user_file, fingerprint))
