"""Fixtures for export tests: a classic paper in the library, and fresh Anki collections."""

from __future__ import annotations

import pytest

from export.ankiview import AnkiCollection
from export.kit import store_paper


@pytest.fixture
def resnet() -> str:
    return store_paper("Deep Residual Learning for Image Recognition",
                       ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"], 2015, arxiv_id="1512.03385",
                       classic_key="resnet", primary_category="cs.CV", tags=("vision",))


@pytest.fixture
def anki(tmp_path):
    made = []

    def fresh(name: str = "anki") -> AnkiCollection:
        col = AnkiCollection(tmp_path / name)
        made.append(col)
        return col

    yield fresh
    for col in made:
        col.close()
