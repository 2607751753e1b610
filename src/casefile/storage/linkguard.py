"""Symbolic links a ``git pull`` can plant beside a case, and the ones casefile refuses to follow.

git stores and checks out symbolic links, so a commit from anyone who can push to the coalition's
repository can turn ``casefile.toml`` into a link to another case on the user's disk (another
coalition's, or the default case): every command would then read and write that case, and its
contents would land in this repository. So a file casefile finds by itself in a git work tree
(not one the user named) is used through a link only when the link stays inside that work tree.
A link outside any work tree was made by the user, and is followed as before.

Only stat calls: :func:`casefile.storage.locate.locate` runs this on every command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from casefile.errors import UntrustedLink
from casefile.i18n import N_, _


@dataclass(frozen=True, slots=True)
class EscapingLink:
    """A symbolic link inside a git work tree whose target (every link followed) lies outside it."""

    link: Path
    target: Path
    work_tree: Path


def git_work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder``: the nearest folder, ``folder`` or above, with a
    ``.git`` entry (a folder, or a file in worktrees and submodules); None outside any work tree."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def escaping_link(path: Path, *, within: Path | None = None) -> EscapingLink | None:
    """``path`` as an :class:`EscapingLink` if it is one, else None (not a link, a link staying in its
    work tree, or a link outside any work tree). With ``within``, only a link of that work tree counts."""
    if not os.path.islink(path):  # the common case: one lstat
        return None
    folder = Path(os.path.realpath(path.parent))  # the link's own folder, where git checked it out
    work_tree = git_work_tree(folder)
    if work_tree is None or (within is not None and work_tree != within):
        return None
    # realpath follows a chain of links, also through a linked folder inside the work tree.
    target = Path(os.path.realpath(path))
    if target.is_relative_to(work_tree):
        return None
    return EscapingLink(link=path, target=target, work_tree=work_tree)


def escaping_folder(path: Path, *, within: Path | None = None) -> EscapingLink | None:
    """The first folder on the way to ``path`` (outermost first) that is a link out of its git work
    tree, as an :class:`EscapingLink`; None if there is none. A ``git pull`` can plant a folder link
    as well as a file one (``letters`` -> ``~``): checking only the last part of the path misses it.
    With ``within``, only a link of that work tree counts."""
    for folder in reversed(path.absolute().parents):  # absolute() keeps "..", as the system reads it
        escaping = escaping_link(folder, within=within)
        if escaping is not None:
            return escaping
    return None


def case_work_tree(case: Path) -> Path | None:
    """The git work tree that holds the case file ``case`` where it really is: the repository whose
    ``git pull`` can plant links beside it (None: not in one, so nothing is planted). The default
    case has none: casefile keeps it in the user's data folder, which a home folder kept in git holds."""
    from casefile.storage.locate import default_case_path

    folder = Path(os.path.realpath(case)).parent
    if folder == Path(os.path.realpath(default_case_path().parent)):
        return None
    return git_work_tree(folder)


def foreign_link(path: Path) -> Path | None:
    """Where ``path`` points if it is a symbolic link (any link), for a file only casefile makes
    beside a case (its lock, its backups): casefile never makes those links, so one there came
    from elsewhere, e.g. a ``git pull``, and writing or reading through it reaches another file."""
    if not os.path.islink(path):
        return None
    return Path(os.path.realpath(path))


#: Said of a case file found here or above that links out of its git work tree.
_ESCAPING_CASE = N_(
    "{link} is a symbolic link to {target}, outside the git repository {work_tree}: a git pull "
    "can put such a link there, and casefile does not work on another case unasked. To use "
    "that case on purpose, give --file {target} or set CASEFILE_FILE={target}."
)
#: Said of a recipients file that links out of its git work tree.
_ESCAPING_RECIPIENTS = N_(
    "{link} is a symbolic link to {target}, outside the git repository {work_tree}: a git pull "
    "can put such a link there, and casefile does not take who can read the case from a file "
    "elsewhere. Replace the link with a copy of the file you mean. Nothing was written."
)


def refuse_escaping_case(path: Path) -> None:
    """Refuse a case file found by the search upwards that links out of its git work tree.

    Raises:
        UntrustedLink: naming the link, its target, and how to use that case on purpose.
    """
    _refuse_escaping(path, _ESCAPING_CASE)


def refuse_escaping_recipients(path: Path) -> None:
    """Refuse a recipients file that links out of its git work tree: who can read every new version
    of the case would be decided by a file that the repository's history does not show.

    Raises:
        UntrustedLink: naming the link and its target; nothing was written.
    """
    _refuse_escaping(path, _ESCAPING_RECIPIENTS)


def _refuse_escaping(path: Path, message: str) -> None:
    escaping = escaping_link(path)
    if escaping is not None:
        found = {"link": escaping.link, "target": escaping.target, "work_tree": escaping.work_tree}
        raise UntrustedLink(_(message).format(**found))


def refuse_planted_folder(path: Path, *, shown: Path | None = None) -> None:
    """Refuse to create ``path`` (a new case, an identity, a demo's files) through a folder link out
    of its git work tree (:func:`escaping_folder`), which a ``git pull`` can plant (``letters`` ->
    ``~``). The file to make has no repository of its own yet, so a link of any work tree counts.

    Raises:
        UntrustedLink: naming the link, its target and the real path of ``shown`` (else ``path``),
            to give on purpose; nothing was written.
    """
    escaping = escaping_folder(path)
    if escaping is not None:
        raise UntrustedLink(
            _(
                "{link} is a symbolic link to the folder {folder}, outside the git repository {work_tree}: a git "
                "pull can put such a link there, and casefile does not create files through it. To create them "
                "there on purpose, give the real path, {target}. Nothing was written."
            ).format(
                link=escaping.link,
                folder=escaping.target,
                work_tree=escaping.work_tree,
                target=Path(os.path.realpath(shown or path)),
            )
        )


def refuse_foreign_link(path: Path) -> None:
    """Refuse to read or write through a link where casefile keeps a file of its own (:func:`foreign_link`).

    Raises:
        UntrustedLink: naming the link and its target; nothing was written.
    """
    target = foreign_link(path)
    if target is not None:
        raise UntrustedLink(untrusted_own_file(path, target))


def untrusted_own_file(path: Path, target: Path) -> str:
    """What to say of a link found where casefile keeps a file of its own."""
    return _(
        "{link} is a symbolic link to {target}; casefile makes this file itself, never as a link (a git "
        "pull can put one there), so it neither reads nor writes through it. Remove the link. Nothing "
        "was written."
    ).format(link=path, target=target)
