"""Regenerate tests/data/event_cases.jsonl: run the model-parsed event tests, store each
sentence we wrote there with its parse and the events extracted from it.

    PYTHONPATH=. python tests/unit/nlp/make_event_cases.py

Run it deliberately (after a rule change that is meant to move expectations, or to take a
new model's parses); test_event_cases.py then checks every stored case. Only sentences that
appear in the test sources are stored (nothing from ../shared), once each.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from parsed import parse_of, pinned_events, summary  # noqa: E402

import flashpoint.nlp.events as events_package  # noqa: E402

SOURCES = ("test_events.py", "test_event_dating.py", "test_event_checks.py")
OUT = HERE.parents[1] / "data" / "event_cases.jsonl"


def main() -> int:
    sources = "".join((HERE / name).read_text(encoding="utf-8") for name in SOURCES)
    recorded: dict[tuple[str, str], dict[str, Any]] = {}
    extract = events_package.extract_events

    def recording(doc: Any, context: Any, **options: Any) -> Any:
        found = extract(doc, context, **options)
        name = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0].split("::")[-1]
        article = {
            "published": context.published.isoformat() if context.published else None,
            "published_precision": context.published_precision,
            "dateline": context.dateline,
            "title": context.title,
        }
        key = (doc.text, json.dumps(article, sort_keys=True))
        if doc.text[:25] in sources and key not in recorded:
            recorded[key] = {
                "id": f"{name}#{sum(1 for c in recorded.values() if c['id'].startswith(name + '#'))}",
                "text": doc.text,
                "article": article,
                "parse": parse_of(doc),
                "expected": [summary(record) for record in found],
            }
        return found

    events_package.extract_events = recording  # the test modules import it from here
    code = pytest.main(["-q", "-p", "no:cacheprovider", *(str(HERE / s) for s in SOURCES)])
    if code != 0:
        print("the event tests fail: fix them before storing cases", file=sys.stderr)
        return int(code)
    from test_event_cases import context_of

    kept = []
    for case in recorded.values():
        if pinned_events(case["parse"], context_of(case)) == case["expected"]:
            kept.append(case)
    OUT.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in kept), "utf-8")
    print(f"{len(kept)} cases stored in {OUT} ({len(recorded) - len(kept)} not reproducible)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
