"""BibTeX: arXiv's own entry form, stable keys, LaTeX escaping, and a real parser reads back what we wrote."""

from __future__ import annotations

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware
from hypothesis import example, given
from hypothesis import strategies as st

from export.kit import store_paper
from readroom import cli
from readroom.export import bibtex
from readroom.export.selection import CardFilter, PaperInfo


def parse(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    # pylatexenc reads \textasciicircum as U+02C6; LaTeX prints it as the ASCII caret we wrote.
    return {e.key: {f.key: f.value.replace("\u02c6", "^") for f in e.fields} | {"ENTRYTYPE": e.entry_type}
            for e in library.entries}


def test_arxiv_entry_is_what_arxiv_exports(resnet):
    text, count = bibtex.bibtex(CardFilter(paper="resnet"))
    assert count == 1
    assert text == (
        "@misc{he2015deep,\n"
        "      title={Deep Residual Learning for Image Recognition},\n"
        "      author={Kaiming He and Xiangyu Zhang and Shaoqing Ren and Jian Sun},\n"
        "      year={2015},\n"
        "      eprint={1512.03385},\n"
        "      archivePrefix={arXiv},\n"
        "      primaryClass={cs.CV},\n"
        "      url={https://arxiv.org/abs/1512.03385},\n"
        "}\n")
    entry = parse(text)["he2015deep"]
    assert entry["ENTRYTYPE"] == "misc" and entry["eprint"] == "1512.03385" and entry["archivePrefix"] == "arXiv"


def test_special_characters_round_trip_and_keys_are_ascii():
    title = "Costs & 100% of $x_1$ #1 {braces} ~tilde^ back\\slash: Łukasz Müller"
    paper = store_paper(title, ["Łukasz Kaiser", "Jürgen Schmidhuber"], 2017, arxiv_id="1706.03762",
                        primary_category="cs.CL")
    text, _ = bibtex.bibtex(CardFilter(paper=paper))
    [(key, entry)] = parse(text).items()
    assert key == "kaiser2017costs"
    assert entry["title"] == title
    assert entry["author"] == "Łukasz Kaiser and Jürgen Schmidhuber"


def test_colliding_keys_get_suffixes_in_order_of_adding_and_do_not_depend_on_the_filter():
    first = store_paper("Deep Learning of Things", ["Ann Smith"], 2020, arxiv_id="2001.00001", tags=("a",))
    second = store_paper("Deep Learning of Stuff", ["Bob Smith"], 2020, arxiv_id="2001.00002", tags=("b",))
    third = store_paper("Deep Thoughts", ["Cy Smith"], 2020, doi="10.1/xyz", url="https://example.org/p.pdf")
    text, count = bibtex.bibtex(CardFilter())
    assert count == 3
    assert list(parse(text)) == ["smith2020deep", "smith2020deepa", "smith2020deepb"]
    only_second, _ = bibtex.bibtex(CardFilter(tag="b"))
    assert list(parse(only_second)) == ["smith2020deepa"]
    entry = parse(bibtex.bibtex(CardFilter(paper=third))[0])["smith2020deepb"]
    assert entry["doi"] == "10.1/xyz" and entry["url"] == "https://doi.org/10.1/xyz" and "eprint" not in entry
    assert first != second


def test_suffixes_never_reuse_a_taken_key():
    def paper(pid, title):
        return PaperInfo(pid, title, ["A Smith"], 2020, None, None, None, None, None, None)

    keys = bibtex.citation_keys([paper("1", "A"), paper("2", "Deep"), paper("3", "Deep"), paper("4", "Deepa")])
    assert len(set(keys.values())) == 4


@given(st.text(alphabet=st.characters(codec="latin-1", categories=("L", "N", "P", "S", "Zs")), min_size=1))
@example("pages 1--10 and ``quoted'' ?`")  # TeX ligatures: must not print as a dash, quotes or "¿"
def test_escape_round_trips_through_a_bibtex_parser(title):
    title = " ".join(title.split())
    if not title:
        return
    text = f"@misc{{k,\n      title={{{bibtex.escape(title)}}},\n}}\n"
    assert parse(text)["k"]["title"] == title


def test_cli_bibtex_to_stdout_and_to_a_file(resnet, tmp_path, capsys):
    assert cli.main(["export", "--bibtex"]) == 0
    assert parse(capsys.readouterr().out)["he2015deep"]["primaryClass"] == "cs.CV"
    out = tmp_path / "refs.bib"
    assert cli.main(["export", "--bibtex", "--tag", "vision", "-o", str(out)]) == 0
    assert "Wrote 1 BibTeX entry" in capsys.readouterr().out
    assert list(parse(out.read_text())) == ["he2015deep"]
