"""Cloze text: Anki's syntax, lossless parsing, one card per number, math kept intact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readroom import cloze
from readroom.cloze import Deletion


def test_numbers_and_rendering():
    text = "A {{c1::ResNet}} adds {{c2::the input::what?}} to {{c1::F(x)}}."
    assert cloze.card_numbers(text) == [1, 2]
    assert cloze.render_front(text, 1) == "A [...] adds the input to [...]."
    assert cloze.render_front(text, 2) == "A ResNet adds [what?] to F(x)."
    assert cloze.render_back(text, 2) == "A ResNet adds [the input] to F(x)."
    assert cloze.plain(text) == "A ResNet adds the input to F(x)."


def test_math_with_closing_braces_stays_inside_the_deletion():
    text = r"Scaled attention: {{c1::$\mathrm{softmax}(QK^T/\sqrt{d_{k}})$}} and $x^{2}$ {{c2::$a::b$}}"
    segments = cloze.parse(text)
    assert segments[1] == Deletion(1, r"$\mathrm{softmax}(QK^T/\sqrt{d_{k}})$")
    assert segments[3] == Deletion(2, "$a::b$")  # '::' inside math is not a hint separator
    assert r"$x^{2}$" in cloze.render_front(text, 1)
    assert cloze.render_back(text, 1).count(r"\sqrt{d_{k}}") == 1


def test_text_without_deletions_or_broken_ones_is_plain():
    for text in ["no cloze", "{{c1::never closed", "{{c0::zero}}", "{{c::x}}", "{c1::x}"]:
        assert cloze.card_numbers(text) == []
        assert cloze.serialize(cloze.parse(text)) == text


def test_add_deletion_takes_the_next_number():
    text = "Adam uses {{c1::moments}} and bias correction"
    start = text.index("bias")
    assert cloze.add_deletion(text, start, start + 4) == "Adam uses {{c1::moments}} and {{c2::bias}} correction"


_plain = st.text(alphabet=st.characters(blacklist_characters="{}:$\\"), min_size=1, max_size=12)
_math = st.builds(lambda a, b: f"${a}^{{{b}}}$", _plain, _plain)
_answer = st.one_of(_plain, _math, st.just(""))
_deletion = st.builds(Deletion, st.integers(1, 30), _answer, st.one_of(st.none(), _plain, st.just("")))


@given(st.lists(st.one_of(_plain, _deletion), max_size=8))
def test_segments_round_trip(segments):
    # Adjacent plain strings merge on parsing, so compare after merging them.
    merged: list = []
    for s in segments:
        if isinstance(s, str) and merged and isinstance(merged[-1], str):
            merged[-1] += s
        else:
            merged.append(s)
    assert cloze.parse(cloze.serialize(merged)) == merged


@given(st.text(alphabet="{}c1:2$\\ab ", max_size=40))
def test_any_text_round_trips(text):
    assert cloze.serialize(cloze.parse(text)) == text
