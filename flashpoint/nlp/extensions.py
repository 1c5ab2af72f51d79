"""The custom attributes Flashpoint puts on entity spans (``span._.entity_id`` …).

Registered when this module is imported (flashpoint.nlp.pipeline imports it), so a worker
process of ``nlp.pipe(n_process=N)`` has them too. Values are plain strings or None: they
travel between processes inside ``doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Span

SPAN_EXTENSIONS: tuple[str, ...] = (
    "entity_id",  # "country:PRK", "person:sergey-lavrov"; None when nothing useful resolved
    "entity_name",  # display name: "North Korea", "Sergey Lavrov"
    "entity_type",  # country | person | organization | weapon | place | None
    "entity_country",  # the country a person, weapon, metonym or place belongs to
    "sector",  # "government", "military"… for metonyms ("the Pentagon") and organisations
)


def register_extensions() -> None:
    """Idempotent: only adds the attributes that are not there yet."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()
