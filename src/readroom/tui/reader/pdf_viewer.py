"""Open a paper's PDF in the user's own viewer, at a page: `[reader] pdf_command` in config.toml.

The command is a template split with shlex and run without a shell, so a file name can never inject a
command. `{path}` and `{page}` are replaced after splitting; without `{path}` the path is appended.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import cast

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


def open_pdf(path: str | None, page: int) -> subprocess.Popen:
    """Start the viewer, in a session of its own, output discarded; returns its process, for the reading timer
    (time in the viewer counts while it runs) and to tell when it failed."""
    if not path:
        raise NotFound("No PDF stored for this paper: fetch it with `readroom add --pdf ID`.")
    argv = viewer_argv(pdf_command(), path, max(1, page))
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    except FileNotFoundError:
        raise NotFound(f"No PDF viewer opened: '{argv[0]}' not found; {_set_it()}.") from None
    except OSError as exc:
        raise BadInput(f"No PDF viewer opened: '{argv[0]}' failed to start ({exc.strerror or exc}); "
                       f"{_set_it()}.") from None


def failure(process: subprocess.Popen) -> str | None:
    """One line when the viewer has already exited with an error (say xdg-open with no PDF application)."""
    code = process.poll()
    if not code:
        return None
    name = cast(list[str], process.args)[0]  # open_pdf's argv
    return f"No PDF viewer opened: '{name}' exited with code {code}; {_set_it()}."


def _set_it() -> str:
    return f'set [reader] pdf_command in {paths.config_path()}, e.g. "zathura --page={{page}} {{path}}"'
