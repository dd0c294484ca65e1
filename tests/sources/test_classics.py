"""The shipped classics catalogue and the name lookup over it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readroom.errors import ReadroomError
from readroom.sources.classics import TOPICS, Classic, find_classic, load_classics, normalize_name

SEEDS = {
    "alexnet": None,
    "zfnet": "1311.2901",
    "vgg": "1409.1556",
    "googlenet": "1409.4842",
    "resnet": "1512.03385",
    "rcnn": "1311.2524",
    "fast-rcnn": "1504.08083",
    "faster-rcnn": "1506.01497",
    "yolo": "1506.02640",
    "gan": "1406.2661",
    "visual-semantic-alignments": "1412.2306",
    "spatial-transformer": "1506.02025",
}

CLASSICS = load_classics()


def by_key(key: str) -> Classic:
    return next(c for c in CLASSICS if c.key == key)


# ------------------------------------------------------------------ the shipped catalogue


def test_catalogue_loads_with_enough_entries():
    assert len(CLASSICS) >= 32
    assert all(isinstance(c, Classic) for c in CLASSICS)


def test_load_is_cached_but_returns_a_fresh_list():
    first, second = load_classics(), load_classics()
    assert first == second
    assert first is not second
    assert all(a is b for a, b in zip(first, second, strict=False))


def test_seed_papers_present_with_their_ids():
    seeds = {c.key: c for c in CLASSICS if c.seed}
    assert set(seeds) == set(SEEDS)
    for key, arxiv in SEEDS.items():
        assert seeds[key].arxiv == arxiv, key


@pytest.mark.parametrize("key", ["alexnet", "lstm"])
def test_papers_without_arxiv_have_a_pdf_url(key):
    classic = by_key(key)
    assert classic.arxiv is None
    assert classic.pdf_url and classic.pdf_url.startswith("https://")


def test_alexnet_points_at_the_neurips_pdf():
    assert by_key("alexnet").pdf_url == (
        "https://proceedings.neurips.cc/paper_files/paper/2012/file/c399862d3b9d6b76c8436e924a68c45b-Paper.pdf"
    )


def test_keys_unique_and_well_formed():
    keys = [c.key for c in CLASSICS]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert re.fullmatch(r"[a-z0-9-]+", key), key


def test_aliases_do_not_collide_with_other_entries():
    owner: dict[str, str] = {}
    for c in CLASSICS:
        for name in c.names:
            norm = normalize_name(name)
            assert owner.get(norm, c.key) == c.key, f"{name!r} of {c.key} clashes with {owner[norm]}"
            owner[norm] = c.key


def test_every_entry_has_arxiv_or_pdf_url_in_the_right_form():
    for c in CLASSICS:
        assert c.arxiv or c.pdf_url, c.key
        if c.arxiv is not None:
            assert re.fullmatch(r"\d{4}\.\d{4,5}", c.arxiv), c.key
            yymm = int(c.arxiv[:4])
            assert 1 <= yymm % 100 <= 12, c.key
            assert len(c.arxiv.split(".")[1]) == (5 if yymm >= 1501 else 4), c.key
            assert 2000 + yymm // 100 == c.year, f"{c.key}: arXiv {c.arxiv} but year {c.year}"
        if c.pdf_url is not None:
            assert c.pdf_url.startswith("https://") and c.pdf_url.endswith(".pdf"), c.key


def test_fields_are_filled_in():
    for c in CLASSICS:
        assert c.title.strip() and c.title == c.title.strip(), c.key
        assert c.authors and all(a.strip() for a in c.authors), c.key
        assert not any("et al" in a.lower() for a in c.authors), c.key
        assert 1950 <= c.year <= 2030, c.key


def test_why_is_one_short_line():
    for c in CLASSICS:
        assert c.why and "\n" not in c.why and len(c.why) <= 140, c.key


def test_topics_are_from_the_allowed_set():
    assert TOPICS == {
        "vision", "detection", "generative", "nlp", "sequence", "optimization", "regularization",
        "reinforcement", "representation", "scaling", "multimodal", "training",
    }
    for c in CLASSICS:
        assert c.topic in TOPICS, c.key


# ------------------------------------------------------------------ find_classic


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("resnet", "resnet"),
        ("ResNet", "resnet"),
        ("resnets", "resnet"),
        ("Fast R-CNN", "fast-rcnn"),
        ("fast-rcnn", "fast-rcnn"),
        ("fastrcnn", "fast-rcnn"),
        ("FAST_RCNN", "fast-rcnn"),
        ("R-CNN", "rcnn"),
        ("Faster R-CNN", "faster-rcnn"),
        ("U-Net", "unet"),
        ("GPT-3", "gpt-3"),
        ("stn", "spatial-transformer"),
        ("Spatial Transformer Networks", "spatial-transformer"),
        ("  vgg16  ", "vgg"),
        ("Inception", "googlenet"),
        ("Batch_Norm", "batch-norm"),
    ],
)
def test_find_classic_by_key_alias_and_variants(name, key):
    found = find_classic(name)
    assert found is not None, name
    assert found.key == key


@pytest.mark.parametrize("name", ["", "   ", "-", "not-a-paper", "resnet50x", "1512.03385"])
def test_find_classic_unknown_is_none(name):
    assert find_classic(name) is None


def test_find_classic_in_a_given_list():
    subset = [by_key("yolo")]
    assert find_classic("YOLO v1", subset) is subset[0]
    assert find_classic("resnet", subset) is None


_SEPARATOR = st.sampled_from(["", "", "-", "_", " "])


@st.composite
def key_variant(draw) -> tuple[Classic, str]:
    classic = draw(st.sampled_from(CLASSICS))
    out = draw(st.lists(_SEPARATOR, max_size=2).map("".join))
    for char in classic.key:
        if char == "-":
            out += draw(st.lists(_SEPARATOR, max_size=3).map("".join))
            continue
        out += char.upper() if draw(st.booleans()) else char
        out += draw(_SEPARATOR) if draw(st.booleans()) else ""
    return classic, out


@settings(max_examples=300)
@given(key_variant())
def test_find_classic_ignores_case_and_separators(case):
    classic, variant = case
    assert find_classic(variant) == classic, variant


# ------------------------------------------------------------------ a broken catalogue

GOOD = """
[[paper]]
key = "good"
title = "A Good Paper"
authors = ["A. Author"]
year = 2015
arxiv = "1512.03385"
topic = "vision"
why = "Fine."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "classics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_custom_catalogue_loads(tmp_path):
    [classic] = load_classics(write(tmp_path, GOOD))
    assert classic.key == "good"
    assert classic.seed is False
    assert classic.aliases == ()
    assert classic.pdf_url is None


def test_custom_path_bypasses_the_cache(tmp_path):
    assert len(load_classics(write(tmp_path, GOOD))) == 1
    assert len(load_classics()) == len(CLASSICS)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('key = "bad"\ntitle = "Bad"\nyear = 2015\narxiv = "1512.03385"\ntopic = "vision"\nwhy = "x"\n', "authors"),
        ('key = "bad"\ntitle = "Bad"\nauthors = ["B"]\nyear = 2015\ntopic = "vision"\nwhy = "x"\n', "arxiv or pdf_url"),
        ('key = "good"\ntitle = "Bad"\nauthors = ["B"]\nyear = 2015\narxiv = "1512.03385"\ntopic = "vision"\nwhy = "x"\n',
         "duplicate key"),
        ('key = "bad"\ntitle = "Bad"\nauthors = ["B"]\nyear = 2015\narxiv = "1512.03385"\ntopic = "vision"\nwhy = "x"\n'
         'aliases = ["GOOD"]\n', "clashes"),
        ('key = "bad"\ntitle = "Bad"\nauthors = ["B"]\nyear = 2015\narxiv = "1512.03385"\ntopic = "cooking"\nwhy = "x"\n',
         "topic"),
        ('key = "bad"\ntitle = "Bad"\nauthors = ["B"]\nyear = 2015\narxiv = "1512.3385"\ntopic = "vision"\nwhy = "x"\n',
         "arxiv"),
        ('key = "bad"\ntitle = "Bad"\nauthors = ["B"]\nyear = 2015\npdf_url = "http://x.org/a.pdf"\ntopic = "vision"\n'
         'why = "x"\n', "pdf_url"),
    ],
)
def test_a_broken_entry_is_named(tmp_path, bad, message):
    path = write(tmp_path, GOOD + "\n[[paper]]\n" + bad)
    with pytest.raises(ReadroomError) as err:
        load_classics(path)
    text = str(err.value)
    assert "entry 2" in text
    key = "good" if "duplicate" in message else "bad"
    assert f"('{key}')" in text
    assert message in text


def test_an_entry_without_a_key_is_named_by_number(tmp_path):
    path = write(tmp_path, GOOD + '\n[[paper]]\ntitle = "Keyless"\n')
    with pytest.raises(ReadroomError, match=r"entry 2: missing required fields key, authors"):
        load_classics(path)


def test_invalid_toml_and_missing_file_raise(tmp_path):
    with pytest.raises(ReadroomError, match="not valid TOML"):
        load_classics(write(tmp_path, "[[paper]\nkey = "))
    with pytest.raises(ReadroomError, match="missing"):
        load_classics(tmp_path / "nowhere.toml")
