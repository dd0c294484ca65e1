"""Start-up of the command line with 1,000 papers in the library (target: `--help` and `list` < 0.3 s).

    python benchmarks/bench_cli.py [--papers 1000]
"""

from __future__ import annotations

import argparse

from _common import fresh_home, seed_library, time_command


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=1000)
    args = parser.parse_args()
    fresh_home()
    seed_library(args.papers)
    from readroom import library

    some_id = library.list_papers()[args.papers // 2].id
    for argv in (["--help"], ["--version"], ["list"], ["list", "--json"], ["list", "-s", "corpus", "--sort", "title"],
                 ["show", some_id[:8]], ["show", some_id[:8], "--json"], ["classics"]):
        median, best = time_command(argv)
        print(f"readroom {' '.join(argv):40} median {median * 1000:6.0f} ms   best {best * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
