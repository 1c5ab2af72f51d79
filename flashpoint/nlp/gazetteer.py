"""Gazetteers: the canonical entities, their aliases, and the ruler patterns built from them.

The data lives in ``data/gazetteers/*.jsonl`` (one entity per line, see docs/gazetteers.md);
this module reads it, checks it, and answers two questions: "which entity does this text
name?" (:meth:`Gazetteer.lookup`) and "which token patterns find those names?"
(:meth:`Gazetteer.patterns`). A user file (``--gazetteer`` / ``$FLASHPOINT_GAZETTEER``) in
the same shapes plus a ``"type"`` field adds entries or replaces them by id.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flashpoint.config import GAZETTEER_DIR
from flashpoint.jsonl import jsonl_objects

# File name -> entity type of its lines. Order matters: on an alias shared by two entities
# of equal rank, the earlier file wins (a country before an organisation before a place).
GAZETTEER_FILES: dict[str, str] = {
    "countries.jsonl": "country",
    "blocs.jsonl": "organization",
    "organizations.jsonl": "organization",
    "people.jsonl": "person",
    "weapons.jsonl": "weapon",
    "places.jsonl": "place",
}
TIMEZONES_FILE = "timezones.csv"
ENTITY_TYPES: tuple[str, ...] = ("country", "person", "organization", "weapon", "place")
USER_TYPE_ALIASES = {"org": "organization", "bloc": "organization", "people": "person"}

# How strongly an alias names its entity: an entity's own name beats another's alias.
ALIAS_RANK = {"name": 0, "alias": 1, "demonym": 2, "metonym": 3}
SECTORS = frozenset({"government", "military", "intelligence"})
# spaCy-style labels the ruler gives its matches (the mentions table keeps them).
PLACE_GPE_KINDS = frozenset({"city", "capital", "province", "state", "prefecture", "county"})

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2019": "'", "\u2018": "'"})
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212-]")
_SEPARATORS = re.compile(r"[\s\u2010\u2011\u2012\u2013\u2212-]+")
_POSSESSIVE = re.compile(r"(?:['\u2019\u02bc]s?)$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


class GazetteerError(ValueError):
    """A gazetteer file that cannot be used as it is: names the file, line and reason."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One canonical entity. ``country`` is a country entity id ("country:RUS") or None."""

    entity_id: str
    name: str
    entity_type: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    sector: str | None = None
    klass: str | None = None  # weapon class: "ICBM", "SLBM", "missile defense"...
    kind: str | None = None
    surname: str | None = None
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[tuple[str, str | None], ...] = ()  # (alias, sector)
    metonym_of: str | None = None
    iso3: str | None = None
    tz: str | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Alias:
    """A surface form and what it resolves to."""

    text: str
    entity_id: str  # what a mention of this text resolves to (a metonym: the country)
    kind: str  # name | alias | demonym | metonym
    sector: str | None = None
    source_id: str | None = None  # the entry that carries the alias, when it is not entity_id

    @property
    def case_sensitive(self) -> bool:
        return is_case_sensitive(self.text)


def is_case_sensitive(alias: str) -> bool:
    """Whether an alias must match as capitalised: short forms ("US", "ROK", "Bal": "us" is
    a pronoun), all-caps acronyms ("THAAD", "DPRK") and phrases that keep their "the"
    ("the North": "in the north of the country" is not North Korea)."""
    if keeps_the(alias):
        return True
    letters = [ch for ch in alias if ch.isalpha()]
    if not letters:
        return False
    return len(letters) <= 3 or (not any(ch.islower() for ch in letters) and len(letters) <= 6)


def keeps_the(alias: str) -> bool:
    """An alias written with its "the" ("the North", "the regime") is only that phrase."""
    return alias.startswith("the ") and len(alias) > 4


def needs_capital(alias: str) -> bool:
    """A one-word alias written with a capital ("Patriot", "Bastion", "Pacific") names its
    entity only when written with one: "a patriot", "the last bastion" and "a pacific
    disposition" are ordinary words. All capitals ("PATRIOT", a headline) still match, and
    so do designations in any case ("hwasong14"): no English word has digits or hyphens."""
    word = alias.strip()
    return word.isalpha() and word[0].isupper() and not is_case_sensitive(word)


def case_matches(alias: str, surface: str) -> bool:
    """Whether ``surface`` is written in a case that ``alias`` accepts (see the two rules
    above: short and all-caps aliases exactly, one capitalised word not all in lower case)."""
    if is_case_sensitive(alias):
        return _same_case(clean_surface(alias), surface)
    if needs_capital(alias):
        return not clean_surface(surface).islower()
    return True


def clean_surface(text: str) -> str:
    """A mention's text as a name: straight quotes, no possessive, no leading "the"."""
    text = " ".join(text.translate(_QUOTES).split())
    text = text.strip(" \"',;:()[]")  # a final "." stays: "U.S." is a name
    text = _POSSESSIVE.sub("", text).rstrip()
    text = _LEADING_THE.sub("", text)
    return text


def alias_key(text: str) -> str:
    """The lookup key of a surface form: case-folded, hyphens and spaces ignored.

    "Hwasong-14", "Hwasong 14" and "hwasong14" share a key; "U.S." keeps its dots so it
    stays apart from "us".
    """
    text = clean_surface(text)
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    return _SEPARATORS.sub("", text).casefold()


def slugify(text: str) -> str:
    """A stable id part for an entity the gazetteer does not know: "Choi Jong-kun" -> "choi-jong-kun"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def country_id(value: Any) -> str | None:
    """Accept "country:RUS", "RUS" or "rus" and return the entity id form."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if ":" in value:
        return value
    if re.fullmatch(r"[A-Za-z]{3}", value):
        return f"country:{value.upper()}"
    return value


def _strings(value: Any, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GazetteerError(f"{where}: {name!r} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _metonyms(value: Any, where: str) -> tuple[tuple[str, str | None], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GazetteerError(f"{where}: 'metonyms' must be a list")
    out: list[tuple[str, str | None]] = []
    for item in value:
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, dict) and isinstance(item.get("alias"), str):
            sector = item.get("sector")
            out.append((item["alias"], sector if isinstance(sector, str) else None))
        else:
            raise GazetteerError(f"{where}: a metonym must be a string or {{alias, sector}}")
    return tuple(out)


_KNOWN_KEYS = {
    "id",
    "name",
    "type",
    "aliases",
    "country",
    "operator",
    "sector",
    "class",
    "kind",
    "surname",
    "demonyms",
    "metonyms",
    "metonym_of",
    "iso3",
    "tz",
}


def entry_from_record(record: Mapping[str, Any], entity_type: str, where: str) -> Entry:
    """Build an Entry from one JSON line; ``where`` ("people.jsonl:12") goes into errors."""
    entity_id = record.get("id")
    name = record.get("name")
    if not isinstance(entity_id, str) or ":" not in entity_id:
        raise GazetteerError(f"{where}: 'id' must be a string like 'country:PRK'")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where}: 'name' is missing or empty")
    operator = record.get("operator")
    if isinstance(operator, list):
        operator = operator[0] if operator else None
    country = country_id(record.get("country") or operator)
    metonym_of = country_id(record.get("metonym_of"))
    if entity_type == "country":
        country = entity_id
    country = country or metonym_of
    kind = record.get("kind")
    sector = record.get("sector")
    if not isinstance(sector, str):
        # An organisation that speaks for its state (KCNA, the Workers' Party: metonym_of)
        # is the government's voice; a military or intelligence body is its own sector.
        sector = kind if kind in SECTORS else ("government" if metonym_of else None)
    return Entry(
        entity_id=entity_id.strip(),
        name=name.strip(),
        entity_type=entity_type,
        aliases=_strings(record.get("aliases"), where, "aliases"),
        country=country,
        sector=sector if isinstance(sector, str) else None,
        klass=record.get("class") if isinstance(record.get("class"), str) else None,
        kind=kind if isinstance(kind, str) else None,
        surname=record.get("surname") if isinstance(record.get("surname"), str) else None,
        demonyms=_strings(record.get("demonyms"), where, "demonyms"),
        metonyms=_metonyms(record.get("metonyms"), where),
        metonym_of=metonym_of,
        iso3=record.get("iso3") if isinstance(record.get("iso3"), str) else None,
        tz=record.get("tz") if isinstance(record.get("tz"), str) else None,
        attrs={k: v for k, v in record.items() if k not in _KNOWN_KEYS},
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _separator_variants(alias: str) -> list[str]:
    """Spellings of one alias that differ only at hyphens: "Hwasong-14", "Hwasong 14",
    "Hwasong14"; "Moon Jae-in", "Moon Jae in". A space next to a digit counts as a hyphen."""
    parts = re.split(
        r"(\s*[\u2010\u2011\u2012\u2013-]\s*|(?<=[A-Za-z])\s+(?=\d)|(?<=\d)\s+(?=[A-Za-z]))", alias
    )
    words, seps = parts[0::2], parts[1::2]
    if not seps:
        return [alias]
    options: list[list[str]] = []
    for index in range(len(seps)):
        left, right = words[index], words[index + 1]
        digit_join = (left[-1:].isdigit() or right[:1].isdigit()) and bool(left and right)
        if digit_join and len(left) == 1 and left.isalpha():
            # "A-10", "E-3": news writes "A10" but never "A 10", and "A 10-year-old" is not
            # an aircraft
            options.append(["-", ""])
        else:
            options.append(["-", " ", ""] if digit_join else ["-", " "])
    variants = []
    for combo in itertools.product(*options):
        text = words[0] + "".join(sep + word for sep, word in zip(combo, words[1:], strict=True))
        variants.append(text)
    return list(dict.fromkeys([alias, *variants]))


@lru_cache(maxsize=1)
def _default_tokenizer() -> Callable[[str], list[str]]:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda text: [token.text for token in tokenizer(text)]


class Gazetteer:
    """The canonical entities and an index of every surface form that names them."""

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        timezones: Mapping[str, str] | None = None,
        checksums: Mapping[str, str] | None = None,
        directory: Path | None = None,
        user_file: Path | None = None,
        user_ids: Iterable[str] = (),
    ) -> None:
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            self.entries[entry.entity_id] = entry  # later entries (the user file) win
        self.user_ids = frozenset(user_ids)
        self.timezones: dict[str, str] = dict(timezones or {})
        self._checksums = dict(checksums or {})
        self.directory = directory
        self.user_file = user_file
        self.conflicts: list[str] = []  # aliases claimed by two entities at the same rank
        self._index: dict[str, list[Alias]] = {}
        self._build_index()

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(
        cls, directory: Path | str = GAZETTEER_DIR, user_file: Path | str | None = None
    ) -> Gazetteer:
        """Read the gazetteer files in ``directory`` and, last, the user's file.

        A missing file is skipped (the set can grow file by file); a malformed line raises
        :class:`GazetteerError` naming the file and line.
        """
        directory = Path(directory)
        if not directory.is_dir():
            raise GazetteerError(f"gazetteer directory {directory} does not exist")
        entries: list[Entry] = []
        checksums: dict[str, str] = {}
        seen: dict[str, str] = {}
        for file_name, entity_type in GAZETTEER_FILES.items():
            path = directory / file_name
            if not path.is_file():
                continue
            checksums[file_name] = _sha256(path)
            for where, record in jsonl_objects(path, GazetteerError):
                entry = entry_from_record(record, entity_type, where)
                if entry.entity_id in seen:
                    raise GazetteerError(
                        f"{where}: duplicate id {entry.entity_id!r} (first in {seen[entry.entity_id]})"
                    )
                seen[entry.entity_id] = where
                entries.append(entry)
        timezones: dict[str, str] = {}
        tz_path = directory / TIMEZONES_FILE
        if tz_path.is_file():
            checksums[TIMEZONES_FILE] = _sha256(tz_path)
            timezones = _read_timezones(tz_path)
        user_path = Path(user_file) if user_file else None
        user_entries: list[Entry] = []
        if user_path is not None:
            if not user_path.is_file():
                raise GazetteerError(f"user gazetteer {user_path} does not exist")
            checksums[f"user:{user_path.name}"] = _sha256(user_path)
            user_entries = _read_user_file(user_path)
        return cls(
            [*entries, *user_entries],
            timezones=timezones,
            checksums=checksums,
            directory=directory,
            user_file=user_path,
            user_ids=[e.entity_id for e in user_entries],
        )

    # -- index -----------------------------------------------------------------------------

    def _aliases_of(self, entry: Entry) -> Iterator[Alias]:
        target = entry.entity_id
        yield Alias(entry.name, target, "name")
        for text in entry.aliases:
            yield Alias(text, target, "alias")
        for text in entry.demonyms:
            yield Alias(text, target, "demonym")
        for text, sector in entry.metonyms:
            yield Alias(text, target, "metonym", sector)

    def _build_index(self) -> None:
        # The user's entries rank first: they are there to correct the shipped data.
        order = {
            entity_id: -1 if entity_id in self.user_ids else position
            for position, entity_id in enumerate(self.entries)
        }
        candidates: dict[str, list[Alias]] = {}
        for entry in self.entries.values():
            for alias in self._aliases_of(entry):
                if not alias.text.strip():
                    continue
                key = alias_key(alias.text)
                if not key:
                    continue
                bucket = candidates.setdefault(key, [])
                if not any(a.entity_id == alias.entity_id and a.text == alias.text for a in bucket):
                    bucket.append(alias)

        def rank(alias: Alias) -> tuple[int, int]:
            source = alias.source_id or alias.entity_id
            return (ALIAS_RANK[alias.kind], order.get(source, len(order)))

        for key, bucket in candidates.items():
            bucket.sort(key=rank)
            best = bucket[0]
            rivals = [
                a
                for a in bucket[1:]
                if a.entity_id != best.entity_id and ALIAS_RANK[a.kind] == ALIAS_RANK[best.kind]
            ]
            if rivals:
                self.conflicts.append(
                    f"{best.text!r}: {best.entity_id} (kept) vs "
                    + ", ".join(sorted({a.entity_id for a in rivals}))
                )
            self._index[key] = bucket

    # -- queries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entries

    def get(self, entity_id: str | None) -> Entry | None:
        return self.entries.get(entity_id) if entity_id else None

    def by_type(self, entity_type: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.entity_type == entity_type]

    def lookup(self, text: str) -> Alias | None:
        """The best alias for a surface form, or None. Short all-caps aliases match only in
        capitals ("US" but not "us"); everything else matches in any case."""
        bucket = self._index.get(alias_key(text))
        if not bucket:
            return None
        surface = clean_surface(text)
        for alias in bucket:
            if case_matches(alias.text, surface):
                return alias
        return None

    def alias_for(self, text: str, entity_id: str) -> Alias | None:
        """The alias of one given entity that this text is (the ruler already chose it)."""
        bucket = self._index.get(alias_key(text)) or []
        surface = clean_surface(text)
        for alias in bucket:
            if alias.entity_id == entity_id and case_matches(alias.text, surface):
                return alias
        return None

    def wrong_case(self, text: str, entity_id: str) -> bool:
        """Whether a ruler match for ``entity_id`` is written in a case none of the entity's
        spellings accept: "patriots", "the last bastion". The ruler matches phrases in any
        case (its PhraseMatcher keys on lower case); this is where capitals count."""
        surface = clean_surface(text)
        forms = [surface, surface[:-1]] if surface.endswith("s") else [surface]  # plurals
        found = False
        for form in forms:
            for alias in self._index.get(alias_key(form), ()):
                if alias.entity_id == entity_id:
                    found = True
                    if case_matches(alias.text, form):
                        return False
        return found

    def timezone(self, entity_id: str | None) -> str | None:
        """The IANA time zone of a place or a country (timezones.csv), if known."""
        entry = self.get(entity_id)
        if entry is None:
            return None
        if entry.tz:
            return entry.tz
        iso3 = entry.iso3 or (entry.country or "").partition(":")[2]
        return self.timezones.get(iso3.upper()) if iso3 else None

    def checksums(self) -> dict[str, str]:
        """sha256 of every file read, for the corpus manifest (reprocess when they change)."""
        return dict(self._checksums)

    @property
    def fingerprint(self) -> str:
        """One hash of the whole gazetteer: the cache key of a pipeline built on it."""
        if self._checksums:
            payload = json.dumps(self._checksums, sort_keys=True)
        else:
            payload = json.dumps(
                [
                    (e.entity_id, e.name, e.aliases, e.demonyms, e.metonyms)
                    for e in self.entries.values()
                ],
                sort_keys=True,
            )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    # -- ruler patterns --------------------------------------------------------------------

    def patterns(self, tokenize: Callable[[str], list[str]] | None = None) -> list[dict[str, Any]]:
        """Token patterns for spaCy's span/entity ruler, one per spelling of each alias.

        Patterns are built from the tokens spaCy makes of each alias, so they match the
        way running text is split ("Jae-in" is three tokens, "Hwasong-14" one).
        Possessives are separate tokens, so they never enter a span; an alias that keeps
        its "the" ("the North") matches with it, and the normaliser trims it off the span.
        The pattern ``id`` is the entity id the match resolves to.
        """
        tokenize = tokenize or _default_tokenizer()
        patterns: list[dict[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        for bucket in self._index.values():
            for alias in bucket:
                label = self.label_for(alias)
                text = alias.text.translate(_APOSTROPHES).strip()
                variants = _separator_variants(text)
                if label == "WEAPON":  # "two Rodongs", "Patriot missiles"
                    variants += [
                        v + "s" for v in variants if v[-1:].isalpha() and v[-1] not in "sS"
                    ]
                for variant in variants:
                    tokens = [t for t in tokenize(variant) if not t.isspace()]
                    if not tokens:
                        continue
                    pattern = [_token_pattern(t, alias.case_sensitive) for t in tokens]
                    if keeps_the(text):
                        pattern[0] = {"LOWER": "the"}
                    signature = tuple(json.dumps(p, sort_keys=True) for p in pattern)
                    if signature in seen:  # the best-ranked alias of a spelling wins
                        continue
                    seen.add(signature)
                    patterns.append({"label": label, "pattern": pattern, "id": alias.entity_id})
        return patterns

    def label_for(self, alias: Alias) -> str:
        """The spaCy-style label a ruler match gets (GPE, NORP, PERSON, ORG, WEAPON, LOC)."""
        entry = self.entries.get(alias.entity_id)
        entity_type = entry.entity_type if entry else "organization"
        if entity_type == "country":
            return "NORP" if alias.kind == "demonym" else "GPE"
        if entity_type == "place":
            return "GPE" if entry and entry.kind in PLACE_GPE_KINDS else "LOC"
        return {"person": "PERSON", "organization": "ORG", "weapon": "WEAPON"}[entity_type]


def _token_pattern(token: str, case_sensitive: bool) -> dict[str, Any]:
    """One token of a pattern; an apostrophe also matches its typographic form (’)."""
    attr = "ORTH" if case_sensitive else "LOWER"
    value = token if case_sensitive else token.lower()
    if "'" in value:
        return {attr: {"IN": [value, value.replace("'", "\u2019")]}}
    return {attr: value}


def _same_case(alias: str, surface: str) -> bool:
    strip = re.compile(r"[\s.\u2010\u2011\u2013-]")
    return strip.sub("", alias.translate(_APOSTROPHES)) == strip.sub(
        "", surface.translate(_APOSTROPHES)
    )


def _read_timezones(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"country_iso3", "tz"} <= set(reader.fieldnames):
            raise GazetteerError(f"{path.name}: expected columns country_iso3,tz")
        for row in reader:
            iso3, tz = (row.get("country_iso3") or "").strip(), (row.get("tz") or "").strip()
            if iso3 and tz:
                out[iso3.upper()] = tz
    return out


def _read_user_file(path: Path) -> list[Entry]:
    entries = []
    for where, record in jsonl_objects(path, GazetteerError):
        declared = record.get("type")
        if not isinstance(declared, str):
            raise GazetteerError(
                f"{where}: a user entry needs a 'type' ({', '.join(ENTITY_TYPES)})"
            )
        entity_type = USER_TYPE_ALIASES.get(declared.strip().lower(), declared.strip().lower())
        if entity_type not in ENTITY_TYPES:
            raise GazetteerError(
                f"{where}: unknown type {declared!r} (one of {', '.join(ENTITY_TYPES)})"
            )
        entries.append(entry_from_record(record, entity_type, where))
    return entries


# Pipelines name their gazetteer in their config (directory, user file, fingerprint); the
# factories find the very object here, or read the files again (a fresh process).
_REGISTRY: dict[str, Gazetteer] = {}


def register_gazetteer(gazetteer: Gazetteer) -> str:
    """Remember a gazetteer for the pipeline factories; returns its fingerprint."""
    _REGISTRY[gazetteer.fingerprint] = gazetteer
    return gazetteer.fingerprint


def gazetteer_for_config(
    directory: str | None, user_file: str | None, fingerprint: str = ""
) -> Gazetteer:
    if fingerprint and fingerprint in _REGISTRY:
        return _REGISTRY[fingerprint]
    gazetteer = Gazetteer.load(directory or GAZETTEER_DIR, user_file)
    _REGISTRY[gazetteer.fingerprint] = gazetteer
    return gazetteer
