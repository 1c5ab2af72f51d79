"""Entity normalisation: every span in ``doc.ents`` gets a canonical entity, or an honest None.

Runs after the model's NER and the gazetteer ruler. Per article (one Doc) it

1. trims spans to the name: no possessive "'s", no leading "the", no stray punctuation;
2. resolves each span through the gazetteer (ruler id, else the alias index): names,
   aliases, demonyms ("North Korean") and metonyms ("Pyongyang", "the Pentagon", with
   their sector) all land on the canonical entity;
3. keeps the gazetteer's Korea-coverage phrases ("the North", "the South", "the regime",
   "the States") only in an article about Korea;
4. resolves short forms of people against the full names seen in the same article
   ("Lavrov" → Sergey Lavrov, "Moon" → Moon Jae-in, "Choi" → Choi Jong-kun), including
   short forms the model missed or mislabelled (the small model calls "Lavrov" an ORG);
   a lone surname with no full name in the article resolves only to a gazetteer person
   whose name ends with it ("Abe", "Putin"), never to a family-name-first one ("Song");
5. gives what the gazetteer does not know a fallback: a full name gets a stable
   ``person:<slug>``, a multi-word organisation (or an acronym) ``org:<slug>``. A lone
   unknown surname ("Kim"), a one-word organisation ("Navy", "State") and an unknown place
   keep their text with ``entity_id`` None: they name nobody in particular, and
   ``flashpoint entities --unresolved`` lists them.

Model noise (dates, numbers, money…) stays in ``doc.ents`` for date resolution, with every
extension None; :func:`is_mention` says which spans belong in the mentions table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

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


@dataclass(slots=True)
class PersonMention:
    """A full name seen in the article, and the short forms that may refer back to it."""

    start: int  # token index of the mention
    resolution: Resolution
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
    text = clean_surface(span.text)
    alias = gazetteer.alias_for(text, span.id_) if span.id_ else gazetteer.lookup(text)
    if alias is None and span.id_:
        alias = gazetteer.lookup(text)
    entity_id = alias.entity_id if alias else (span.id_ or None)
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


def _stands_alone(span: Span) -> bool:
    """ "the South" is not the start of a longer name ("the South Gyeongsang governor")."""
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return following is None or not (following.is_alpha and following.is_title)


class EntityNormalizer:
    """The ``flashpoint_normalizer`` component (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        surnames: dict[str, list[str]] = {}
        for entry in gazetteer.by_type("person"):
            if entry.surname and entry.name.split()[-1] == entry.surname:
                surnames.setdefault(entry.surname, []).append(entry.entity_id)
        # A lone surname with no full name in the article names a known person only when
        # the name puts it last ("Abe", "Putin", "Scaparrotti"). Family-name-first names
        # share a few surnames between millions: in Korea Herald text a bare "Song", "Lim"
        # or "Park" was someone else more often than the gazetteer's Song, Lim or Park.
        self.unique_surnames = {s: ids[0] for s, ids in surnames.items() if len(ids) == 1}

    def __call__(self, doc: Doc) -> Doc:
        gazetteer = self.gazetteer
        spans = [s for s in (trim_span(span) for span in doc.ents) if s is not None]
        resolutions: list[Resolution | None] = [resolve_in_gazetteer(s, gazetteer) for s in spans]

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
            person = _nearest(people, clean_surface(span.text), span.start)
            if person is None and span.label_ in SURNAME_LABELS and len(span) == 1:
                person = self._known_by_surname(clean_surface(span.text))
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
            elif resolution is None:
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
            if resolution is not None and resolution.entity_type == "person":
                entry = self.gazetteer.get(resolution.entity_id)
                if entry is not None:
                    surname = entry.surname or guess_surname(entry.name)
                    short_forms = {surname} if surname else set()
                    short_forms |= {guess_surname(clean_surface(span.text)) or ""} - {""}
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
                    index.setdefault(form, []).append(PersonMention(span.start, resolution))
        return index

    def _known_by_surname(self, text: str) -> Resolution | None:
        entity_id = self.unique_surnames.get(text)
        entry = self.gazetteer.get(entity_id)
        if entry is None:
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
            earlier = [m for m in people[token.text] if m.start < token.i]
            if not earlier:
                continue
            person = max(earlier, key=lambda m: m.start).resolution
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


def _nearest(people: dict[str, list[PersonMention]], text: str, position: int) -> Resolution | None:
    """The person a short form refers to: the closest full name before it, else after it."""
    mentions = people.get(text)
    if not mentions:
        return None
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
