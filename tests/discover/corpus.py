"""Generated arXiv listings for Discover tests and benchmarks: papers on known topics, Atom feeds in the exact
shape the arXiv API sends (namespaces, ids, categories, dates as in ../shared/fixtures/arxiv-api), and a
loopback handler that serves a listing page by page with faults on demand."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from werkzeug import Request, Response

TOPICS = {
    "vision": ("image segmentation convolutional pixel detection camera object visual depth scene "
               "instance bounding video optical stereo"),
    "language": ("language token translation sentence corpus parsing dialogue lexical multilingual grammar "
                 "summarization entity prompt syntax"),
    "robotics": ("robot manipulation grasping locomotion actuator trajectory gripper legged quadruped "
                 "teleoperation kinematics torque arm"),
    "graphs": ("graph node edge molecule spectral vertex adjacency message passing subgraph "
               "community homophily citation link"),
    "audio": ("speech audio acoustic speaker spectrogram waveform phoneme music pitch asr "
              "vocoder noise microphone"),
}
TOPIC_CATEGORY = {"vision": "cs.CV", "language": "cs.CL", "robotics": "cs.RO", "graphs": "cs.LG", "audio": "cs.AI"}
GENERIC = ("model learning results propose method performance training data approach novel framework "
           "experiments show state art benchmark network efficient").split()
NAMES = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Yann LeCun", "Fei-Fei Li", "Geoffrey Hinton",
         "Daphne Koller", "Andrew Ng", "Yoshua Bengio", "Cynthia Dwork", "Judea Pearl", "Leslie Valiant")
NEWEST = datetime(2026, 4, 10, 18, 0, tzinfo=timezone.utc)


@dataclass
class GenPaper:
    arxiv_id: str
    version: int
    topic: str
    title: str
    abstract: str
    authors: list[str]
    published: datetime

    @property
    def category(self) -> str:
        return TOPIC_CATEGORY[self.topic]


def make_papers(n: int, *, seed: int = 7, first_number: int = 90000, newest: datetime = NEWEST,
                step_minutes: float = 10, topics: tuple[str, ...] = tuple(TOPICS)) -> list[GenPaper]:
    """n papers, newest first (ids descending as arXiv numbers them), topics in turn."""
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        topic = topics[i % len(topics)]
        words = TOPICS[topic].split()
        title = " ".join(rng.sample(words, 3) + rng.sample(GENERIC, 2)).title()
        abstract = " ".join(rng.choice(words) if rng.random() < 0.55 else rng.choice(GENERIC) for _ in range(45))
        number = first_number + n - i
        papers.append(GenPaper(f"2604.{number:05d}", 1, topic, title, abstract.capitalize() + ".",
                               rng.sample(NAMES, rng.randint(1, 4)),
                               newest - timedelta(minutes=step_minutes * i)))
    return papers


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_xml(p: GenPaper) -> str:
    cats = [p.category] + (["cs.LG"] if p.category != "cs.LG" else [])
    authors = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in p.authors)
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{p.arxiv_id}v{p.version}</id>\n"
        f"    <title>{escape(p.title)}</title>\n"
        f"    <updated>{_stamp(p.published)}</updated>\n"
        f'    <link href="https://arxiv.org/abs/{p.arxiv_id}v{p.version}" rel="alternate" type="text/html"/>\n'
        f'    <link href="https://arxiv.org/pdf/{p.arxiv_id}v{p.version}" rel="related" type="application/pdf" '
        'title="pdf"/>\n'
        f"    <summary>{escape(p.abstract)}</summary>\n"
        + "".join(f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>\n' for c in cats)
        + f"    <published>{_stamp(p.published)}</published>\n"
        f'    <arxiv:primary_category term="{p.category}"/>\n'
        + authors
        + "  </entry>\n"
    )


def feed_xml(entries: list[GenPaper], *, start: int, per_page: int, total: int, query: str = "") -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/api/generated</id>\n"
        f"  <title>arXiv Query: search_query={escape(query)}&amp;id_list=&amp;start={start}&amp;"
        f"max_results={per_page}</title>\n"
        f"  <updated>{_stamp(NEWEST)}</updated>\n"
        f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        + "".join(entry_xml(p) for p in entries)
        + "</feed>\n"
    )


@dataclass
class Listing:
    """A loopback arXiv listing: `papers` newest first; `faults` are answered instead of the next requests,
    one each: "500", "429", "429:SECONDS" (with Retry-After), "malformed", "empty"."""

    papers: list[GenPaper]
    faults: list[str] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)

    def api(self, request: Request) -> Response:
        args = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        self.calls.append(args)
        start, per_page = int(args.get("start", 0)), int(args.get("max_results", 10))
        if self.faults:
            fault = self.faults.pop(0)
            if fault == "500":
                return Response("Internal Server Error", status=500)
            if fault.startswith("429"):
                headers = {"Retry-After": fault.split(":", 1)[1]} if ":" in fault else {}
                return Response("Rate exceeded.", status=429, headers=headers)
            if fault == "malformed":
                return Response(feed_xml(self.papers[start:start + per_page], start=start, per_page=per_page,
                                         total=len(self.papers))[:-300], content_type="application/atom+xml")
            if fault == "empty":
                return Response(feed_xml([], start=start, per_page=per_page, total=len(self.papers)),
                                content_type="application/atom+xml")
        body = feed_xml(self.papers[start:start + per_page], start=start, per_page=per_page, total=len(self.papers),
                        query=args.get("search_query", ""))
        return Response(body, content_type="application/atom+xml; charset=utf-8")


def sanity_lite_page(papers: list[GenPaper]) -> str:
    """The front page of an arxiv-sanity-lite instance: the paper list as JSON in a script, as its
    templates/index.html renders it (`var papers = {{ papers | tojson }};`)."""
    import json

    rows = [{"weight": 0.0, "id": p.arxiv_id, "title": p.title, "time": p.published.strftime("%b %d %Y"),
             "authors": ", ".join(p.authors), "tags": f"{p.category}, cs.LG", "utags": [], "summary": p.abstract}
            for p in papers]
    return ("<!DOCTYPE HTML>\n<html>\n<head>\n<title>arxiv-sanity</title>\n<script>\n"
            f"var papers = {json.dumps(rows)};\nvar tags = [];\nvar gvars = {{\"rank\": \"time\"}};\n"
            "</script>\n</head>\n<body><div id=\"wrap\"></div></body>\n</html>\n")


# --------------------------------------------------------------------------------------------- seeding


def listed(p: GenPaper):
    from readroom.records.arxiv import ArxivEntry

    cats = [p.category] + (["cs.LG"] if p.category != "cs.LG" else [])
    return ArxivEntry(p.arxiv_id, p.version, p.title, list(p.authors), p.abstract, cats, p.category,
                       p.published, p.published)


def seed_index(papers: list[GenPaper], page: int = 500) -> None:
    """Store generated papers in the index directly (no network), as a sync would."""
    from readroom.discover import index

    for start in range(0, len(papers), page):
        index.store_page("test", [listed(p) for p in papers[start:start + page]], [], now=NEWEST, total=None)


def add_library_paper(p: GenPaper, *, tags: tuple[str, ...] = (), decision: str | None = None, pass_no: int = 1,
                      in_index_id: bool = True) -> str:
    """A library row for a generated paper (no PDF needed to rank), with tags and a reading state."""
    import uuid

    from readroom.storage import db
    from readroom.storage.models import Paper, PaperTag, Reading

    paper_id = str(uuid.uuid4())
    with db.session() as s:
        s.add(Paper(id=paper_id, source="arxiv", arxiv_id=p.arxiv_id if in_index_id else None, arxiv_version=1,
                    title=p.title, authors=list(p.authors), abstract=p.abstract, added_at=NEWEST))
        s.flush()
        for tag in tags:
            s.add(PaperTag(paper_id=paper_id, tag=tag))
        if decision or pass_no > 1:
            s.add(Reading(paper_id=paper_id, pass_no=pass_no, decision=decision or "reading", updated_at=NEWEST))
    return paper_id
