"""Fixtures for the ingest tests: a reader that splits articles from rejects, and texts
written for these tests (English, German, Korean, Russian)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flashpoint.ingest.readers import read_source
from flashpoint.schema import RawArticle, Reject

ReadAll = Callable[..., tuple[list[RawArticle], list[Reject]]]

ENGLISH_BODY = (
    "North Korea fired a ballistic missile into the sea off its east coast early on Sunday, "
    "the South Korean military said, the first launch since the new government took office "
    "in Seoul earlier this month.\n\n"
    "The missile flew about 700 kilometers and reached an altitude of more than 2,000 "
    "kilometers before it came down in waters between the peninsula and Japan, according to "
    "officials who spoke to reporters on condition that they not be named.\n\n"
    "Japan said the missile had landed outside its exclusive economic zone and that there were "
    "no reports of damage to ships or aircraft in the area. The government in Tokyo lodged a "
    "protest through diplomatic channels in Beijing.\n\n"
    "The launch came as the United States and its allies were weighing how to respond to a "
    "string of weapons tests this year, and it was condemned by officials in Washington, Seoul "
    "and Tokyo within hours."
)

GERMAN_BODY = (
    "Nordkorea hat am Dienstag erneut eine ballistische Rakete abgefeuert, die nach Angaben "
    "des japanischen Verteidigungsministeriums ins Meer gestürzt ist. Die Regierung in Tokio "
    "verurteilte den Start scharf und kündigte an, den Sicherheitsrat der Vereinten Nationen "
    "einzuschalten. Experten gehen davon aus, dass Pjöngjang mit dem Test seine Fähigkeiten "
    "demonstrieren will."
)

KOREAN_BODY = (
    "북한이 화요일 또 다시 탄도미사일을 발사했으며 일본 방위성에 따르면 미사일은 바다에 "
    "떨어졌다. 일본 정부는 발사를 강하게 규탄하고 유엔 안전보장이사회에 회부하겠다고 밝혔다."
)

RUSSIAN_BODY = (
    "Северная Корея во вторник вновь запустила баллистическую ракету, которая, по данным "
    "министерства обороны Японии, упала в море. Правительство в Токио решительно осудило "
    "запуск и заявило, что обратится в Совет Безопасности ООН."
)


@pytest.fixture
def read_all() -> ReadAll:
    """read_source(...) split into (articles, rejects)."""

    def run(source: Any, **options: Any) -> tuple[list[RawArticle], list[Reject]]:
        articles: list[RawArticle] = []
        rejects: list[Reject] = []
        for item in read_source(str(source), **options):
            (rejects if isinstance(item, Reject) else articles).append(item)  # type: ignore[arg-type]
        return articles, rejects

    return run


@pytest.fixture
def english_body() -> str:
    return ENGLISH_BODY


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write("name.ext", text_or_bytes) → path under tmp_path."""

    def run(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return run


@pytest.fixture
def foreign_bodies() -> dict[str, str]:
    return {"German": GERMAN_BODY, "Korean": KOREAN_BODY, "Russian": RUSSIAN_BODY}
