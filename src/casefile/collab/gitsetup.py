"""Make git merge a case file with casefile's merge driver (``casefile git-setup``).

Three things, each done only if missing, so running it again changes nothing:

- ``.gitattributes`` at the top of the repository names the case file with ``merge=casefile``
  (this file is committed, so every clone shares it);
- the repository's git config defines the ``casefile`` driver (git config is not committed, so
  each clone runs ``casefile git-setup`` once);
- ``.gitignore`` lists the backup, lock and temporary files casefile keeps beside the case file
  (and, beside an encrypted case, its plain name).
"""

from __future__ import annotations

import posixpath
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from casefile.errors import GitError, UntrustedLink
from casefile.i18n import _
from casefile.storage.files import COMMENTS_INFIX, COMMENTS_SUFFIX

DRIVER = "casefile"
DRIVER_NAME = "casefile merge driver"
#: The diff driver that shows an encrypted case decrypted.
TEXTCONV = "casefile-age"


def driver_command(python: str | None = None) -> str:
    """The command git runs to merge: this Python's casefile, so no PATH is needed."""
    return f"{shlex.quote(python or sys.executable)} -m casefile merge-driver %O %A %B %P"


def git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run git in ``cwd`` and capture what it says.

    Raises:
        GitError: git is not installed.
    """
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError(_("git is not installed (or not on PATH); install git, then run this again.")) from None


def repository_root(folder: Path) -> Path:
    """The top folder of the git repository holding ``folder``.

    Raises:
        GitError: ``folder`` is not in a git repository (or git is missing).
    """
    if not folder.is_dir():
        raise GitError(_("{folder} does not exist.").format(folder=folder))
    result = git(["rev-parse", "--show-toplevel"], folder)
    if result.returncode != 0 or not result.stdout.strip():
        raise GitError(
            _(
                "{folder} is not inside a git repository. Run `git init` there (or clone the coalition's "
                "repository), then `casefile git-setup` again."
            ).format(folder=folder)
        )
    return Path(result.stdout.strip()).resolve()


_GLOB = re.compile(r"([\\*?\[])")


def _pattern(path: str) -> str:
    """A gitignore/gitattributes pattern matching exactly ``path``."""
    return _GLOB.sub(r"\\\1", path)


def textconv_command(python: str | None = None) -> str:
    """The command git runs to show an encrypted case in ``git diff`` (decrypted for key holders)."""
    return f"{shlex.quote(python or sys.executable)} -m casefile git-textconv"


def attribute_line(relative: str, attributes: str = f"merge={DRIVER}") -> str:
    """The ``.gitattributes`` line for the case file at ``relative`` (a path from the top)."""
    pattern = _pattern(relative)
    if re.search(r'[\s"]', pattern):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{pattern} {attributes}"


def ignore_lines(relative: str) -> list[str]:
    """``.gitignore`` patterns for the files casefile keeps beside the case file at ``relative``."""
    folder, name = posixpath.split(relative)
    prefix = "/" + (_pattern(folder) + "/" if folder else "")
    stem = _pattern(name)
    return [
        f"{prefix}{stem}.bak",
        f"{prefix}{stem}.lock",
        f"{prefix}{stem}{COMMENTS_INFIX}*{COMMENTS_SUFFIX}",  # copies kept with hand comments
        f"{prefix}{stem}.with-comments.bak",  # the one copy older versions kept
        f"{prefix}{stem}.*.tmp",  # a backup being made
        f"{prefix}.{stem}.*.tmp",  # a write in progress
    ]


def _normal(line: str) -> str:
    return " ".join(line.split())


def append_missing(path: Path, lines: list[str], *, header: str = "") -> list[str]:
    """Add the lines ``path`` lacks at its end (after ``header``, if any is added); returns them."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {_normal(line) for line in text.splitlines()}
    missing = [line for line in lines if _normal(line) not in present]
    if not missing:
        return []
    chunk = "\n" if text and not text.endswith("\n") else ""
    if header and header not in present:
        chunk += f"{header}\n"
    chunk += "".join(f"{line}\n" for line in missing)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(chunk)
    return missing


def refuse_linked(path: Path) -> None:
    """Refuse to add lines to ``path`` through a symbolic link: a git pull can check one out, to
    any file of the user's, and git itself does not read these files through a link.

    Raises:
        UntrustedLink: naming the link and its target; nothing has been written.
    """
    import os

    if os.path.islink(path):
        raise UntrustedLink(
            _(
                "{path} is a symbolic link to {target}: git does not read this file through a link, and "
                "casefile does not write through one (a git pull can put one there). Replace the link with "
                "a file of its own. Nothing was written."
            ).format(path=path, target=os.path.realpath(path))
        )


@dataclass(frozen=True, slots=True)
class SetupReport:
    """What ``git-setup`` found and did."""

    root: Path
    relative: str
    done: tuple[str, ...]


def set_up(case_path: Path, *, python: str | None = None) -> SetupReport:
    """Register the merge driver for the case file at ``case_path`` in its git repository.

    Raises:
        GitError: git is missing, the file is not in a repository, or git config failed.
    """
    folder = case_path.parent.resolve()
    root = repository_root(folder)
    relative = (folder / case_path.name).relative_to(root).as_posix()
    done: list[str] = []
    attributes = root / ".gitattributes"
    for shared in (attributes, root / ".gitignore"):
        refuse_linked(shared)
    lines = [attribute_line(relative)]
    settings = [(f"merge.{DRIVER}.name", DRIVER_NAME), (f"merge.{DRIVER}.driver", driver_command(python))]
    if relative.endswith(".age"):
        # An encrypted case: `git diff` decrypts it for key holders (never cached: cachetextconv
        # would keep the text in git's notes), and its recipients file merges as a union of lines.
        lines = [
            attribute_line(relative, f"merge={DRIVER} diff={TEXTCONV}"),
            attribute_line(f"{relative}.recipients", "merge=union"),
        ]
        settings.append((f"diff.{TEXTCONV}.textconv", textconv_command(python)))
    for line in append_missing(attributes, lines):
        done.append(_("added `{line}` to {path}").format(line=line, path=attributes))
    for key, value in settings:
        current = git(["config", "--local", "--get", key], root)
        if current.returncode == 0 and current.stdout.rstrip("\n") == value:
            continue
        result = git(["config", "--local", key, value], root)
        if result.returncode != 0:
            raise GitError(
                _("`git config {key}` failed in {root}: {text}").format(key=key, root=root, text=result.stderr.strip())
            )
        done.append(_("set git config {key} = {value}").format(key=key, value=value))
    ignore = root / ".gitignore"
    added = append_missing(
        ignore, ignore_lines(relative), header=f"# casefile: backup, lock and temporary files of {relative}"
    )
    if relative.endswith(".age"):
        # Its plain text under the plain name (a `decrypt --output` or an editor's copy beside it)
        # is never committed by a `git add -A`.
        plain = "/" + _pattern(relative.removesuffix(".age"))
        added += append_missing(ignore, [plain], header=f"# casefile: the plain text of {relative}, never committed")
    if added:
        done.append(_("added {lines} to {path}").format(lines=", ".join(added), path=ignore))
    return SetupReport(root=root, relative=relative, done=tuple(done))
