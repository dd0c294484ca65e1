"""split_references on generated reference lists: whatever the style (numbered, hanging indent, author-year set flush
left, ragged or justified, with or without space between entries, one or two columns), one entry per reference."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from readroom.pdf.layout import Row
from readroom.pdf.references import split_references

_SURNAMES = ["Dhariwal", "Neelakantan", "Nichol", "van den Oord", "Le Cun", "Savaré", "O'Neil", "Smith-Jones",
             "Zhang", "Ho", "Kingma", "de Vries", "Müller", "Vaswani", "Brown"]
_WORDS = ["diffusion", "models", "beat", "GANs", "on", "image", "synthesis", "learning", "deep", "residual",
          "attention", "is", "all", "you", "need", "scaling", "laws", "for", "neural", "language"]
_VENUES = ["In Advances in Neural Information Processing Systems", "In Proceedings of the 38th ICML",
           "Journal of Machine Learning Research", "arXiv preprint arXiv:2105.05233", "Nature"]
CHAR = 4.6  # points per character of the made-up font
LINE = 11.0


@st.composite
def entries(draw) -> list[str]:
    out = []
    for _ in range(draw(st.integers(1, 14))):
        names = [f"{draw(st.sampled_from(_SURNAMES))}, {draw(st.sampled_from('ABCDEGJKLMPRST'))}."
                 for _ in range(draw(st.integers(1, 5)))]
        authors = names[0] if len(names) == 1 else "; ".join(names[:-1]) + "; and " + names[-1]
        title = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=12))).capitalize()
        venue = draw(st.sampled_from(_VENUES))
        tail = draw(st.sampled_from(["", f", {draw(st.integers(1, 40))}({draw(st.integers(1, 12))}): 45–67"]))
        out.append(f"{authors} {draw(st.integers(1990, 2024))}. {title}. {venue}{tail}.")
    return out


def _rows(texts: list[str], style: str, columns: int, width_chars: int, gap: float) -> list[Row]:
    """Set the entries as a reference list would be: wrapped at `width_chars`, down one or two columns a page."""
    rows: list[Row] = []
    col_width = width_chars * CHAR
    indent = 12.0 if style == "hanging" else 0.0
    x_edge, y, page, col, per_column = 72.0, 80.0, 1, 0, 30
    for n, text in enumerate(texts, 1):
        words = (f"[{n}] {text}" if style == "numbered" else text).split()
        lines: list[str] = []
        for word in words:
            avail = width_chars - (0 if not lines else indent / CHAR)
            if lines and len(lines[-1]) + 1 + len(word) <= avail:
                lines[-1] += " " + word
            else:
                lines.append(word)
        y += gap
        for k, line in enumerate(lines):
            if y > 80 + per_column * LINE:
                col += 1
                if col == columns:
                    col, page = 0, page + 1
                y = 80.0
            x0 = x_edge + col * (col_width + 20) + (indent if k else 0.0)
            last = k == len(lines) - 1
            x1 = x_edge + col * (col_width + 20) + col_width if style == "justified" and not last \
                else x0 + len(line) * CHAR
            rows.append(Row(line, page, len(rows), x0, y, x1, y + 9.0, 9.0, False))
            y += LINE
    return rows


@settings(max_examples=150, deadline=None)
@given(texts=entries(), style=st.sampled_from(["numbered", "hanging", "ragged", "justified"]),
       columns=st.integers(1, 2), width_chars=st.integers(45, 90), gap=st.sampled_from([0.0, 0.0, 4.0]))
def test_one_entry_per_reference(texts, style, columns, width_chars, gap):
    rows = _rows(texts, style, columns, width_chars, gap)
    got = split_references(rows)
    printed = [f"[{n}] {t}" if style == "numbered" else t for n, t in enumerate(texts, 1)]
    assert got == printed


def test_an_author_year_list_set_flush_left_is_split_by_entry_not_by_line():
    texts = ["Dhariwal, P.; and Nichol, A. 2021. Diffusion models beat GANs on image synthesis. In Advances in "
             "Neural Information Processing Systems, 34: 8780–8794.",
             "Ho, J.; Jain, A.; and Abbeel, P. 2020. Denoising diffusion probabilistic models. In Advances in Neural "
             "Information Processing Systems.",
             "van den Oord, A.; Vinyals, O.; and Kavukcuoglu, K. 2017. Neural discrete representation learning. "
             "arXiv preprint arXiv:1711.00937."]
    assert split_references(_rows(texts, "ragged", 2, 55, 0.0)) == texts


def test_a_list_numbered_1_2_3_without_heading_is_the_last_such_run_that_names_years():
    from readroom.pdf.references import find_references

    lines = ["We make three contributions:", "1. a bound on the step,", "2. a schedule from it,",
             "3. experiments on translation.", "Warmup keeps the step small.",
             "1. Nielsen, M. A. & Chuang, I. L. Quantum computation and quantum information", "(2010).",
             "2. Ladd, T. D. et al. Quantum computers. Nature 464, 45–53 (2010).",
             "3. Blatt, R. & Wineland, D. Entangled states of trapped atomic ions. Nature 453, 1008–1015 (2008)."]
    rows = [Row(text, 1, i, 72.0, 72.0 + 12 * i, 500.0, 81.0 + 12 * i, 9.0 if i < 5 else 7.5, False)
            for i, text in enumerate(lines)]
    refs = find_references(rows, [])
    assert [r.raw for r in refs] == [
        "1. Nielsen, M. A. & Chuang, I. L. Quantum computation and quantum information (2010).",
        "2. Ladd, T. D. et al. Quantum computers. Nature 464, 45–53 (2010).",
        "3. Blatt, R. & Wineland, D. Entangled states of trapped atomic ions. Nature 453, 1008–1015 (2008)."]


def test_a_list_ends_where_its_rows_stop_reading_like_references():
    """JSS sets the authors' addresses after the list, and its imprint at the page foot in a smaller size."""
    from readroom.pdf.references import find_references

    def row(text: str, y: float, size: float = 9.0, x0: float = 72.0) -> Row:
        return Row(text, 3, int(y), x0, y, 500.0, y + size, size, False, first_in_block=True)

    entries = [row("Kingma DP, Ba J (2015). “Adam: A Method for Stochastic Optimization.” In International", 100),
               row("Conference on Learning Representations.", 112, x0=94.0),
               row("Smith LN (2017). “Cyclical Learning Rates for Training Neural Networks.” In IEEE Winter", 124),
               row("Conference on Applications of Computer Vision, pp. 464–472.", 136, x0=94.0)]
    affiliation = [row("Affiliation:", 160), row("Ada Lovelace", 172), row("London, UK", 184),
                   row("E-mail: ada@engine.example", 196)]
    imprint = [row("Journal of Statistical Software", 700, 8.0), row("MMMMMM YYYY, Volume VV, Issue II", 710, 8.0)]
    heading = SimpleNamespace(row=row("References", 80, 12.0), title="References", level=1)
    for tail in (affiliation + imprint, imprint, [row("E-mail: ada@engine.example", 148)]):
        refs = find_references([heading.row, *entries, *tail], [heading])
        assert [r.raw.split(" (")[0] for r in refs] == ["Kingma DP, Ba J", "Smith LN"]
