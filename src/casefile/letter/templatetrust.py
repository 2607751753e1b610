"""Which letter templates a command may use: the built-in ones, the ones the user named, and a
``templates/`` folder beside the case only once the user has trusted it.

A templates folder can arrive with a ``git pull`` from another organisation, and a template
decides what the letter says. So the folder beside a case is used only after
``casefile template trust DIR``, which records, in the user's config folder (never in the case
folder), the folder's resolved path and the SHA-256 of its templates (names and contents). A
later change to any template — another ``git pull`` — lapses the trust until the user reviews
and trusts the folder again. ``--templates DIR`` and ``--template PATH`` are trusted for the
command that names them. Whatever is used renders in Jinja2's sandbox (:mod:`casefile.letter.render`).

Only regular ``*.j2`` files directly in a folder are templates; a symbolic link there is refused,
so a template cannot quote a file from elsewhere. What was hashed is exactly what is rendered:
the texts are read once, here, and handed to the renderer.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from casefile.errors import TemplateError
from casefile.i18n import _, system_error

TEMPLATE_FOLDER = "templates"
TRUST_FILE = "trusted-templates.json"
SUFFIX = ".j2"
MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_TEMPLATES = 100


@dataclass(frozen=True, slots=True)
class UserTemplates:
    """Templates a command may render, by name (they override the built-in ones of that name),
    the one to start from (``--template``), and why a folder beside the case was passed over."""

    texts: Mapping[str, str] = field(default_factory=dict)
    start: str | None = None
    ignored: str | None = None


def trust_file() -> Path:
    """Where trusted folders are recorded: the user's config folder, outside every case."""
    from platformdirs import user_config_path

    return user_config_path("casefile", appauthor=False) / TRUST_FILE


def _read_template(path: Path, *, follow: bool) -> str:
    from casefile.storage.limits import read_limited, utf8_text

    if not follow and path.is_symlink():
        raise TemplateError(
            _("{path} is a symbolic link: casefile reads only regular files in a templates folder.").format(path=path)
        )
    return utf8_text(read_limited(path, limit=MAX_TEMPLATE_BYTES, error=TemplateError), path, error=TemplateError)


def read_folder(folder: Path) -> dict[str, str]:
    """The ``*.j2`` templates directly in ``folder``, by file name."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(SUFFIX))
    except NotADirectoryError:
        raise TemplateError(_("{folder} is not a folder of templates.").format(folder=folder)) from None
    except OSError as error:
        raise TemplateError(
            _("cannot read the templates in {folder}: {value}.").format(folder=folder, value=system_error(error))
        ) from None
    if len(names) > MAX_TEMPLATES:
        raise TemplateError(
            _("{folder} holds {count} templates; casefile reads at most {max_templates}.").format(
                folder=folder, count=len(names), max_templates=MAX_TEMPLATES
            )
        )
    return {name: _read_template(folder / name, follow=False) for name in names}


def digest(texts: Mapping[str, str]) -> str:
    """The SHA-256 of a folder's templates: every name and text, in name order."""
    hasher = hashlib.sha256()
    for name in sorted(texts):
        for part in (name, texts[name]):
            data = part.encode("utf-8")
            hasher.update(len(data).to_bytes(8, "big"))
            hasher.update(data)
    return f"sha256:{hasher.hexdigest()}"


def _records() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(trust_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: nothing is trusted
    folders = data.get("folders") if isinstance(data, dict) else None
    if not isinstance(folders, dict):
        return {}
    return {key: value for key, value in folders.items() if isinstance(value, dict)}


def _save(records: Mapping[str, Mapping[str, str]]) -> None:
    from casefile.storage.files import make_folders, write_atomic

    path = trust_file()
    make_folders(path.parent)
    text = json.dumps({"folders": records}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(path, text, backup=False)


def _key(folder: Path) -> str:
    return str(folder.resolve())


@dataclass(frozen=True, slots=True)
class Trusted:
    """A folder the user trusted: where it is, its templates and their digest."""

    folder: Path
    names: tuple[str, ...]
    digest: str


def trust(folder: Path, *, today: datetime.date) -> Trusted:
    """Record that the templates now in ``folder`` may be used for cases beside it."""
    texts = read_folder(folder)
    if not texts:
        if (folder / TEMPLATE_FOLDER).is_dir():
            raise TemplateError(
                _("{folder} holds no templates (*{suffix}) (did you mean {inner}?).").format(
                    folder=folder, suffix=SUFFIX, inner=folder / TEMPLATE_FOLDER
                )
            )
        raise TemplateError(_("{folder} holds no templates (*{suffix}).").format(folder=folder, suffix=SUFFIX))
    records = _records()
    records[_key(folder)] = {"digest": digest(texts), "trusted": today.isoformat()}
    _save(records)
    return Trusted(folder=folder.resolve(), names=tuple(texts), digest=digest(texts))


def untrust(folder: Path) -> bool:
    """Forget that ``folder`` was trusted; whether it was."""
    records = _records()
    if records.pop(_key(folder), None) is None:
        return False
    _save(records)
    return True


def _beside_case(case_dir: Path) -> tuple[dict[str, str], str | None]:
    """The trusted templates beside a case, or why they are passed over."""
    folder = case_dir / TEMPLATE_FOLDER
    try:
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            return {}, None
    except OSError:
        return {}, None
    shown = folder.resolve()
    record = _records().get(_key(folder))
    try:
        texts = read_folder(folder)
    except TemplateError as error:
        return {}, _("the templates in {folder} were not used: {error}").format(folder=shown, error=error)
    if not texts:
        return {}, None
    how = _("Review them, then run `casefile template trust {folder}` (or pass --templates {folder} once).").format(
        folder=shown
    )
    if record is None:
        return {}, _(
            "the templates in {folder} were not used: they are not trusted (a templates folder can arrive "
            "with the case, e.g. by git pull). {how}"
        ).format(folder=shown, how=how)
    if record.get("digest") != digest(texts):
        since = record.get("trusted", "?")
        return {}, _(
            "the templates in {folder} were not used: they changed since you trusted them on {date}. {how}"
        ).format(folder=shown, date=since, how=how)
    return texts, None


def choose(
    *, template: Path | None = None, templates: Path | None = None, case_dir: Path | None = None
) -> UserTemplates:
    """The templates a command renders with.

    ``template`` (``--template PATH``) and ``templates`` (``--templates DIR``) are the user's own
    choice for this command; the folder beside the case counts only when trusted and unchanged.
    Names found first win: PATH, then the other templates in its folder, then DIR, then the case's.
    """
    texts: dict[str, str] = {}
    ignored = None
    if case_dir is not None:
        texts, ignored = _beside_case(case_dir)
    if templates is not None:
        texts = {**texts, **read_folder(templates)}
    start = None
    if template is not None:
        if not template.is_file():
            raise TemplateError(
                _("no template at {template}. Write one with `casefile template export DIR`.").format(template=template)
            )
        siblings = read_folder(template.parent)
        siblings[template.name] = _read_template(template, follow=True)
        texts = {**texts, **siblings}
        start = template.name
    return UserTemplates(texts=texts, start=start, ignored=ignored)
