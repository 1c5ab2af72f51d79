"""Write tests/data/event_filter_cases.jsonl: written sentences with the parse the trained
model gives them, for tests/unit/nlp/test_event_filter.py (which then needs no model).

    PYTHONPATH=. python tests/unit/nlp/make_event_filter_cases.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parsed import parse_of

from flashpoint.nlp.pipeline import load_pipeline

OUT = Path(__file__).resolve().parents[2] / "data" / "event_filter_cases.jsonl"
# Written for these tests; not from any corpus.
SENTENCES = {
    "reported_launch": "North Korea fired two ballistic missiles into the sea on Tuesday.",
    "hypothetical_launch": "Analysts said North Korea could fire another missile soon.",
    "background_sanctions": "The sanctions may hamper any effort to restart talks with Pyongyang.",
    "planned_test_on_a_day": "North Korea plans to conduct a nuclear test on Jan. 6.",
    "planned_test_on_a_dated_day": "North Korea plans to conduct a nuclear test on Jan. 6, 2018.",
    "planned_talks_soon": "The two Koreas agreed to hold talks on April 5.",
    "planned_talks_on_a_weekday": "The two Koreas agreed to hold talks on Thursday.",
    "planned_drills": "Pyongyang has condemned its planned annual drills with the United States.",
    "upcoming_drills": "Seoul and Washington will begin their upcoming drills on Monday.",
    "drills_ahead": "North Korea fired a missile on Sunday ahead of the allies' annual drills.",
    "habitual_drill": "A regularly scheduled drill by the two allies began on Monday.",
    "drills_carried_out": "The two navies carried out the planned exercises on Tuesday.",
    "suggested_launch": "Officials suggested North Korea fired a ballistic missile.",
}


def main() -> None:
    nlp = load_pipeline(event_filter=False)
    with OUT.open("w", encoding="utf-8") as handle:
        for name, text in SENTENCES.items():
            row = {"id": name, "text": text, "parse": parse_of(nlp(text))}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
