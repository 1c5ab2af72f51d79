"""`make eval`: entity canonicalisation and event extraction against the gold labels.

Events are scored on two gold sets, printed apart: **dev** (rules may be written against
its errors) and the sealed **test** set (labelled from the guide before the system ran on
its articles; never tuned on). With ../shared present, corpus-wide measures follow: the
share of asserted events with no date and story agreement with the news-cluster labels.
With --baseline, exits 1 when an F1 (any modality or strict), the date accuracy or the
strict actor accuracy of either set drops more than 0.05 below the recorded baseline.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from flashpoint.eval import corpus as corpus_eval
from flashpoint.eval import entities as entity_eval
from flashpoint.eval import events as event_eval


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flashpoint.eval", description=__doc__)
    parser.add_argument("--shared", type=Path, default=event_eval.DEFAULT_SHARED_DIR)
    parser.add_argument("--model", default=None, help="spaCy model name or path")
    parser.add_argument("--baseline", type=Path, help="fail when a score drops below it by > 0.05")
    parser.add_argument("--write-baseline", type=Path, help="record this run as the baseline")
    parser.add_argument("--errors", type=int, default=0, help="list the first N dev errors")
    parser.add_argument(
        "--corpus-dir", type=Path, help="build the full real corpus here (default: a cache)"
    )
    parser.add_argument(
        "--no-corpus", action="store_true", help="skip the corpus-wide measures (minutes)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes for the corpus build")
    parser.add_argument(
        "--split", choices=("dev", "test", "both"), default="both", help="which gold to score"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)

    from flashpoint.nlp.pipeline import load_pipeline

    nlp = load_pipeline(args.model)
    shared = args.shared if (args.shared / "corpora").is_dir() else None
    if shared is None:
        print(f"note: {args.shared} is absent: scoring the demo-corpus gold only\n")
    entity_report = entity_eval.evaluate_entities(entity_eval.DEFAULT_GOLD, nlp, shared)
    print("== Entities: canonicalisation against tests/data/gold_mentions.jsonl")
    print(entity_report.table())
    reports = []
    for split, gold, errors in (
        ("dev", event_eval.DEV_GOLD, args.errors),
        ("test", event_eval.TEST_GOLD, 0),  # sealed: its errors are never listed
    ):
        if args.split not in (split, "both"):
            continue
        report = event_eval.evaluate_events(gold, nlp, shared, split=split)
        if not report.articles:
            print(f"\n== Events, {split}: no gold articles scored (needs {args.shared})")
            continue
        names = ", ".join(path.name for path in gold)
        print(f"\n== Events, {split} set: {names}")
        print(report.table(errors=errors))
        reports.append(report)
    if shared is not None and not args.no_corpus:
        print()
        print(corpus_eval.corpus_report(shared, args.corpus_dir, workers=args.workers))
    if args.write_baseline:
        for report in reports:
            event_eval.write_baseline(report, args.write_baseline)
        print(f"baseline written to {args.write_baseline}")
    if args.baseline:
        if not args.baseline.is_file():
            print(f"no baseline at {args.baseline}: nothing to compare", file=sys.stderr)
            return 0
        problems = [p for r in reports for p in event_eval.regressions(r, args.baseline)]
        for problem in problems:
            print(f"REGRESSION {problem}", file=sys.stderr)
        if problems:
            return 1
        print(
            f"no F1, date or actor accuracy more than 0.05 below the baseline in {args.baseline}"
            f" ({', '.join(r.split for r in reports)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
