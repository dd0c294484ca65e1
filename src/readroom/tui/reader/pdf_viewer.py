"""Open a paper's PDF in the user's own viewer, at a page: `[reader] pdf_command` in config.toml.

The command is a template split with shlex and run without a shell, so a file name can never inject a
command. `{path}` and `{page}` are replaced after splitting; without `{path}` the path is appended.
"""

from __future__ import annotations

import shlex
import subprocess

from readroom import config, paths
from readroom.errors import BadInput, NotFound


def pdf_command() -> str:
    return config.load().reader.pdf_command


def viewer_argv(template: str, path: str, page: int) -> list[str]:
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise BadInput(f"Cannot read [reader] pdf_command '{template}': {exc}.") from None
    argv = [w.replace("{path}", path).replace("{page}", str(page)) for w in words]
    if not any("{path}" in w for w in words):
        argv.append(path)
    return argv


def open_pdf(path: str | None, page: int) -> list[str]:
    """Start the viewer, detached, output discarded; returns the command line it ran."""
    if not path:
        raise NotFound("This paper has no stored PDF to open.")
    argv = viewer_argv(pdf_command(), path, max(1, page))
    try:
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except FileNotFoundError:
        raise NotFound(f"PDF viewer '{argv[0]}' not found. Set [reader] pdf_command in {paths.config_path()}, "
                       "e.g. pdf_command = \"zathura --page={page} {path}\".") from None
    except OSError as exc:
        raise BadInput(f"Could not start the PDF viewer '{argv[0]}': {exc.strerror or exc}.") from None
    return argv
