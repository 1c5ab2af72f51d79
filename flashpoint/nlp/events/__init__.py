"""Event extraction: who launched, deployed, met or sanctioned, where, when.

The stages, one module each (see docs/architecture.md):

- :mod:`.records` -- the records every stage passes on (``EventRecord``, ``Trigger``,
  ``TriggerSpec``, ``Lexicon``, ``ArticleState``)
- :mod:`.syntax` -- dependency-tree helpers (subjects, objects, clause heads, tense)
- :mod:`.entities` -- which entity a token belongs to and the country it stands for
- :mod:`.triggers` -- the trigger lexicon and the words that name an event
- :mod:`.roles` -- agents, co-parties, targets, places and weapons of a trigger
- :mod:`.modality` -- asserted / negated / planned / possible / claimed
- :mod:`.dating` -- which date an event takes
- :mod:`.merging` -- one event per real event per sentence; actors settled per article
- :mod:`.extract` -- ``extract_events``: the steps in order over one Doc
- :mod:`.component` -- ``flashpoint_events``, the spaCy component that runs it
"""

from flashpoint.nlp.events.component import EVENTS, EventExtractor, article_of, set_article
from flashpoint.nlp.events.entities import EntityIndex
from flashpoint.nlp.events.extract import extract_events
from flashpoint.nlp.events.records import ArticleState, EventRecord, Lexicon, Trigger, TriggerSpec
from flashpoint.nlp.events.roles import trigger_roles
from flashpoint.nlp.events.triggers import find_triggers, load_lexicon

__all__ = [
    "EVENTS",
    "ArticleState",
    "EntityIndex",
    "EventExtractor",
    "EventRecord",
    "Lexicon",
    "Trigger",
    "TriggerSpec",
    "article_of",
    "extract_events",
    "find_triggers",
    "load_lexicon",
    "set_article",
    "trigger_roles",
]
