"""Who an article is: a stable id, a content hash, and its near-copies.

``article_id`` must not change when the same input is ingested again, so it is derived
from what the input says about itself — its own id (with its source), else its canonical
URL, else its text — never from ingest order or time.

Near-duplicates (the same wire story run by several outlets with a new headline, a trimmed
lead or a few words changed) are found with MinHash over word 5-shingles and LSH banding,
and every candidate is verified by the exact Jaccard similarity of the shingle sets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt
import pandas as pd

from flashpoint.schema import SIGNATURE_BANDS, RawArticle

# --- hashing text --------------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")
_WORD_RUN = re.compile(r"[^\W_]+")  # the words normalise_for_hash keeps


def normalise_for_hash(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, punctuation and spacing ignored.

    "her friend.The team" and "Her friend. The  team" hash the same; a changed word does not.
    """
    # Every run of punctuation (curly or straight quotes, dashes, apostrophes) becomes one
    # space, so "Pyongyang’s" and "Pyongyang s" (a crawl that lost its apostrophes) agree.
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


# --- URLs ----------------------------------------------------------------------------------

TRACKING_PARAMS = frozenset(
    [
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "cmpid",
        "ocid",
        "ref",
        "ref_src",
        "smid",
        "cid",
        "src",
        "spm",
        "share",
        "partner",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "_ga",
        "_gl",
        "utm_term",
    ]
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "ga_", "hmb_", "__twitter")


def canonical_url(url: str | None) -> str | None:
    """The URL as an identity: scheme and host lower-cased, default port, fragment,
    tracking parameters and trailing slash dropped, remaining parameters sorted.

    Returns None for something that is not an http(s) URL.
    """
    if not url:
        return None
    url = url.strip()
    if "://" not in url and re.match(r"[\w-]+(\.[\w-]+)+/", url):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if port and not (scheme == "http" and port == 80) and not (scheme == "https" and port == 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "")
    if path.endswith("/"):
        path = path.rstrip("/")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def url_key(url: str | None) -> str | None:
    """The canonical URL without scheme and "www.": http and https, with or without www,
    name one article."""
    canonical = canonical_url(url)
    if canonical is None:
        return None
    rest = canonical.split("://", 1)[1]
    return rest[4:] if rest.startswith("www.") else rest


# --- article ids ---------------------------------------------------------------------------

_GENERIC_LABELS = frozenset(
    [
        "www",
        "com",
        "co",
        "org",
        "net",
        "gov",
        "edu",
        "int",
        "ac",
        "kr",
        "jp",
        "cn",
        "ru",
        "uk",
        "us",
        "au",
        "in",
        "de",
        "fr",
        "eu",
        "news",
        "edition",
        "amp",
        "m",
        "mobile",
        "invalid",
        "example",
    ]
)
_NAME_STOPWORDS = frozenset({"the", "a", "an", "of", "and", "news", "online", "daily"})


def source_prefix(source: str | None, url: str | None = None) -> str:
    """A short readable slug for ids: "reuters", "korea-herald", "cnn"."""
    name = (source or "").strip()
    if not name and url:
        name = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", name):  # a domain: its distinctive label
        labels = [label for label in name.split(".") if label not in _GENERIC_LABELS]
        words = [labels[-1]] if labels else []
    else:
        words = [word for word in re.findall(r"[a-z0-9]+", name) if word not in _NAME_STOPWORDS]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 16:
            break
        slug = candidate
    return slug or (words[0][:16] if words else "article")


def make_article_id(raw: RawArticle, content_hash: str) -> str:
    """Stable id: from the input's own id (with its source), else the canonical URL,
    else the content hash. A readable prefix, then 16 hex characters."""
    if raw.external_id and str(raw.external_id).strip():
        source_key = " ".join((raw.source or "").casefold().split())
        key = f"id\x1f{source_key}\x1f{str(raw.external_id).strip()}"
    elif (url := url_key(raw.url)) is not None:
        key = f"url\x1f{url}"
    else:
        key = f"text\x1f{content_hash}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{source_prefix(raw.source, raw.url)}-{digest}"


# --- near-duplicates -----------------------------------------------------------------------

U64 = npt.NDArray[np.uint64]
TextLoader = Callable[[list[str]], dict[str, str]]
SIGNATURE_VERSION = 1  # of the band-key hashing below
_CHUNK = 4096  # shingles hashed at once: bounds memory for very long texts


def _mix64(values: U64) -> U64:
    """splitmix64 finaliser: spreads the bits of combined token hashes."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


class NearDuplicateIndex:
    """Find an earlier article that is a near-copy of a new one.

    MinHash (``num_perm`` multiply-shift hash functions) over word ``shingle``-grams, LSH
    with ``bands`` bands; a candidate counts only if the exact Jaccard similarity of the
    two shingle sets is at least ``threshold``. With 30 bands of 4 rows, a pair at
    Jaccard 0.7 becomes a candidate with probability > 0.999, a pair at 0.2 with 0.05.

    Why 0.7: in the Korea Herald corpus, revised versions of one story (a spelling changed
    throughout, a paragraph added) score 0.60–0.77, while different outlets' reports of one
    event in the news-cluster corpus never score above 0.27.

    Articles already in a corpus enter with :meth:`load_signatures`: their band keys (the
    corpus's ``signatures`` table, written by :meth:`band_keys`) go into sorted arrays, and
    the text of a stored article is read (through the loader given) only when it is a
    candidate, to verify the similarity. So opening the index of a 100k-article corpus
    reads 30 integers per article, not its text.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.7,
        num_perm: int = 120,
        bands: int = 30,
        shingle: int = 5,
        seed: int = 20170306,
    ) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.threshold = threshold
        self.shingle = shingle
        self.bands = bands
        self.rows = num_perm // bands
        self.num_perm = num_perm
        self.seed = seed
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(
            1
        )
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._positions = rng.integers(1, 2**63, size=shingle, dtype=np.uint64) | np.uint64(1)
        # Stored articles (load_signatures): ids, and per band the keys sorted with the
        # position each came from; their shingles once read for a comparison.
        self._stored_ids: list[str] = []
        self._stored_sorted: list[tuple[U64, npt.NDArray[np.int64]]] = []
        self._stored_shingles: dict[int, U64] = {}
        self._load_texts: TextLoader | None = None
        # Articles added in this run: positions after the stored ones.
        self._ids: list[str] = []
        # Shingle hashes per article; made distinct (sorted, unique) only when an article
        # is first compared, since most never are.
        self._shingles: list[U64] = []
        self._distinct: list[bool] = []
        self._buckets: list[dict[int, list[int]]] = [{} for _ in range(bands)]
        self._token_hashes: dict[str, int] = {}
        self._last: tuple[str, U64, U64 | None] | None = None

    def __len__(self) -> int:
        return len(self._stored_ids) + len(self._ids)

    def params(self) -> dict[str, int]:
        """What the band keys depend on: stored keys made with other settings are stale."""
        return {
            "num_perm": self.num_perm,
            "bands": self.bands,
            "shingle": self.shingle,
            "seed": self.seed,
            "version": SIGNATURE_VERSION,
        }

    def load_signatures(
        self, article_ids: Sequence[str], band_keys: U64, load_texts: TextLoader
    ) -> None:
        """Enter stored articles by their band keys (``band_keys[i]`` the ``bands`` keys
        of ``article_ids[i]``), before any :meth:`add`. ``load_texts(ids)`` returns the
        texts of stored articles, read only for candidates."""
        if len(self):
            raise RuntimeError("load_signatures must come before add")
        keys = np.asarray(band_keys, dtype=np.uint64).reshape(len(article_ids), self.bands)
        self._stored_ids = [str(article_id) for article_id in article_ids]
        self._stored_sorted = []
        for band in range(self.bands):
            column = keys[:, band]
            order = np.argsort(column, kind="stable")
            self._stored_sorted.append((column[order], order.astype(np.int64)))
        self._load_texts = load_texts

    def add(self, article_id: str, text: str) -> None:
        shingles, signature = self._sketch(text)
        index = len(self._stored_ids) + len(self._ids)
        self._ids.append(article_id)
        self._shingles.append(shingles)
        self._distinct.append(False)
        if signature is None:
            return
        for band, key in enumerate(self._band_keys(signature).tolist()):
            self._buckets[band].setdefault(key, []).append(index)

    def band_keys(self, text: str) -> U64 | None:
        """The ``bands`` LSH keys of the text (what the signatures table stores), or None
        for a text with no words."""
        _, signature = self._sketch(text)
        return None if signature is None else self._band_keys(signature)

    def find(self, text: str) -> str | None:
        """The article_id of the closest earlier near-copy (earliest on ties), or None."""
        matches = self.matches(text)
        return matches[0][0] if matches else None

    def matches(self, text: str) -> list[tuple[str, float]]:
        """All earlier near-copies with their Jaccard similarity, closest first."""
        shingles, signature = self._sketch(text)
        if signature is None:
            return []
        keys = self._band_keys(signature)
        candidates: set[int] = set()
        for band, key in enumerate(keys.tolist()):
            candidates.update(self._buckets[band].get(key, ()))
        stored: set[int] = set()
        for band, (sorted_keys, order) in enumerate(self._stored_sorted):
            low = int(np.searchsorted(sorted_keys, keys[band], side="left"))
            high = int(np.searchsorted(sorted_keys, keys[band], side="right"))
            if high > low:
                stored.update(order[low:high].tolist())
        if not candidates and not stored:
            return []
        shingles = np.unique(shingles)
        self._read_stored(stored)
        found = []
        for index in sorted(stored):
            similarity = jaccard(shingles, self._stored_shingles[index])
            if similarity >= self.threshold:
                found.append((index, similarity))
        offset = len(self._stored_ids)
        for index in sorted(candidates):
            local = index - offset
            if not self._distinct[local]:
                self._shingles[local] = np.unique(self._shingles[local])
                self._distinct[local] = True
            similarity = jaccard(shingles, self._shingles[local])
            if similarity >= self.threshold:
                found.append((index, similarity))
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        return [(self._id_at(index), similarity) for index, similarity in found]

    def _id_at(self, index: int) -> str:
        offset = len(self._stored_ids)
        return self._stored_ids[index] if index < offset else self._ids[index - offset]

    def _read_stored(self, positions: set[int]) -> None:
        missing = sorted(p for p in positions if p not in self._stored_shingles)
        if not missing:
            return
        if self._load_texts is None:
            raise RuntimeError("stored signatures without a text loader")
        texts = self._load_texts([self._stored_ids[p] for p in missing])
        for position in missing:
            text = texts.get(self._stored_ids[position])
            shingles = self.shingles(text) if text is not None else np.zeros(0, dtype=np.uint64)
            self._stored_shingles[position] = shingles

    def shingles(self, text: str) -> U64:
        """The sorted, distinct 64-bit hashes of the text's word shingles."""
        return np.unique(self._sketch(text)[0])

    def _band_keys(self, signature: U64) -> U64:
        """One 64-bit key per band: the band's ``rows`` MinHash values hashed together."""
        matrix = signature.reshape(self.bands, self.rows)
        keys = np.full(self.bands, np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for row in range(self.rows):
                keys = _mix64(keys ^ matrix[:, row]) + np.uint64(row + 1)
        return keys

    def _token_ids(self, words: list[str]) -> U64:
        cache = self._token_hashes
        for word in set(words).difference(cache):  # a stable hash per new word, once
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            cache[word] = int.from_bytes(digest, "little")
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))

    def _sketch(self, text: str) -> tuple[U64, U64 | None]:
        if self._last is not None and self._last[0] == text:
            return self._last[1], self._last[2]
        words = _WORD_RUN.findall(unicodedata.normalize("NFKC", text).casefold())
        tokens = self._token_ids(words)
        if len(tokens) == 0:
            empty = np.zeros(0, dtype=np.uint64)
            self._last = (text, empty, None)
            return empty, None
        width = min(self.shingle, len(tokens))
        count = len(tokens) - width + 1
        combined = np.zeros(count, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for offset in range(width):
                combined += tokens[offset : offset + count] * self._positions[offset]
            shingles = _mix64(combined)  # repeats do not change a minimum
            signature = np.full(len(self._a), np.iinfo(np.uint64).max, dtype=np.uint64)
            for start in range(0, len(shingles), _CHUNK):
                block = shingles[start : start + _CHUNK, None]
                hashed = (block * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
                np.minimum(signature, hashed.min(axis=0), out=signature)
        self._last = (text, shingles, signature)
        return shingles, signature


def signatures_frame(rows: Sequence[tuple[str, U64]]) -> pd.DataFrame:
    """The signatures table (SIGNATURE_COLUMNS) of (article_id, band keys) rows."""
    keys = (
        np.vstack([np.asarray(k, dtype=np.uint64) for _, k in rows])
        if rows
        else np.zeros((0, SIGNATURE_BANDS), dtype=np.uint64)
    )
    frame = pd.DataFrame({"article_id": pd.Series([r[0] for r in rows], dtype="object")})
    for band in range(SIGNATURE_BANDS):
        frame[f"band_{band:02d}"] = keys[:, band]
    return frame


def jaccard(left: U64, right: U64) -> float:
    """Jaccard similarity of two sorted arrays of distinct values."""
    if len(left) == 0 or len(right) == 0:
        return 0.0
    common = len(np.intersect1d(left, right, assume_unique=True))
    return common / (len(left) + len(right) - common)
