"""`make eval`: entity canonicalisation and event extraction against the gold labels.

Prints precision/recall per entity type and precision/recall/F1 per event type, actor and
date accuracy; with --baseline, exits 1 when an event type's F1 drops more than 0.05 below
the recorded baseline.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from flashpoint.eval import entities as entity_eval
from flashpoint.eval import events as event_eval


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flashpoint.eval", description=__doc__)
    parser.add_argument("--shared", type=Path, default=event_eval.DEFAULT_SHARED_DIR)
    parser.add_argument("--model", default=None, help="spaCy model name or path")
    parser.add_argument("--baseline", type=Path, help="fail when an F1 drops below it by > 0.05")
    parser.add_argument("--write-baseline", type=Path, help="record this run as the baseline")
    parser.add_argument("--errors", type=int, default=0, help="list the first N event errors")
    args = parser.parse_args(list(argv) if argv is not None else None)

    from flashpoint.nlp.pipeline import load_pipeline

    nlp = load_pipeline(args.model)
    shared = args.shared if (args.shared / "corpora").is_dir() else None
    if shared is None:
        print(f"note: {args.shared} is absent: scoring the demo-corpus gold only\n")
    entity_report = entity_eval.evaluate_entities(entity_eval.DEFAULT_GOLD, nlp, shared)
    print("== Entities: canonicalisation against tests/data/gold_mentions.jsonl")
    print(entity_report.table())
    print()
    event_report = event_eval.evaluate_events(event_eval.DEFAULT_GOLD, nlp, shared)
    print("== Events: extraction against tests/data/gold_events_*.jsonl")
    print(event_report.table(errors=args.errors))
    if args.write_baseline:
        event_eval.write_baseline(event_report, args.write_baseline)
        print(f"baseline written to {args.write_baseline}")
    if args.baseline:
        if not args.baseline.is_file():
            print(f"no baseline at {args.baseline}: nothing to compare", file=sys.stderr)
            return 0
        problems = event_eval.regressions(event_report, args.baseline)
        for problem in problems:
            print(f"REGRESSION {problem}", file=sys.stderr)
        if problems:
            return 1
        print(f"no F1 and no date accuracy more than 0.05 below the baseline in {args.baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
