"""Commands about the case itself: init, edit-case, where."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from casefile.case.model import FilerCategory, Language
from casefile.cli._shared import FileOption, JsonOption, commit, location, print_json, say, wants_json
from casefile.cli.keys import RecipientsFileOption
from casefile.cli.messages import N_, _

LanguageOption = Annotated[
    Language | None, typer.Option("--language", help="Language of the letter.", show_default=False)
]
OgpJoinedOption = Annotated[
    int | None,
    typer.Option("--ogp-joined", help="Year the country joined OGP.", min=2011, max=2100, show_default=False),
]


def init(
    title: Annotated[str, typer.Option("--title", help="A short title for the case.")],
    country: Annotated[str, typer.Option("--country", help="The government the concern is about.")],
    language: LanguageOption = None,
    ogp_joined: OgpJoinedOption = None,
    default: Annotated[
        bool, typer.Option("--default", help="Create the per-user default case instead of ./casefile.toml.")
    ] = False,
    encrypt_to: Annotated[
        list[str] | None,
        typer.Option(
            "--encrypt-to",
            help="Encrypt the case (casefile.toml.age) to this age or SSH public key (repeatable).",
            show_default=False,
        ),
    ] = None,
    recipients_file: RecipientsFileOption = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            help="Where to create the case (default: $CASEFILE_FILE, else casefile.toml in the current folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a new case file (owner-only, mode 0600). Refuses to overwrite one.

    Without --file it is casefile.toml in the current folder (as `git init` makes a repository
    here); --default makes the per-user default case instead.
    """
    from casefile.case.model import Case
    from casefile.case.operations import edit_case
    from casefile.storage.store import create

    path, named = new_case_path(file, default=default)
    from casefile.storage.linkguard import refuse_planted_folder

    refuse_planted_folder(path)
    from casefile.cli.keys import chosen_recipients
    from casefile.storage.encrypting import new_case_file

    # Refuses a case that exists in either form; writes the recipients file of an encrypted one.
    path = new_case_file(path, chosen_recipients(encrypt_to, recipients_file), named=named)
    case = edit_case(Case(title="-", country="-"), {"title": title, "country": country})
    if language is not None:
        case = edit_case(case, {"language": language})
    if ogp_joined is not None:
        case = edit_case(case, {"ogp_joined": ogp_joined})
    create(path, case)
    say(_("Created {path}. Next: casefile add-event --date YYYY-MM-DD --title TITLE").format(path=path))


def new_case_path(file: Path | None, *, default: bool) -> tuple[Path, bool]:
    """Where ``init`` writes: --file, else the default case with --default, else $CASEFILE_FILE,
    else casefile.toml in the current folder (absolute, so the message says where it is); and
    whether the user named that file (the current folder's is casefile's choice)."""
    import os

    from casefile.cli._shared import GLOBAL
    from casefile.storage.locate import ENV_VAR, FILE_NAME, default_case_path

    file = file if file is not None else GLOBAL.file
    if file is not None:
        if default:
            raise typer.BadParameter(_("give --file or --default, not both."))
        return file, True
    if default:
        return default_case_path(), True
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]), True
    return Path(os.getcwd()) / FILE_NAME, False


def edit_case(
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="The government the concern is about.", show_default=False)
    ] = None,
    language: LanguageOption = None,
    ogp_joined: OgpJoinedOption = None,
    action_plan: Annotated[
        str | None,
        typer.Option(
            "--action-plan",
            help=(
                "The action plan concerned, as a sentence names it: with its article "
                '("the Third National Action Plan 2016–2018").'
            ),
            show_default=False,
        ),
    ] = None,
    contact_name: Annotated[
        str | None, typer.Option("--contact-name", help="Public contact person for the letter.", show_default=False)
    ] = None,
    contact_organisation: Annotated[str | None, typer.Option("--contact-organisation", show_default=False)] = None,
    contact_email: Annotated[str | None, typer.Option("--contact-email", show_default=False)] = None,
    request: Annotated[
        str | None,
        typer.Option("--request", help="What the coalition asks the Steering Committee for.", show_default=False),
    ] = None,
    addressee: Annotated[
        list[str] | None,
        typer.Option("--addressee", help="Who the letter is addressed to (repeatable).", show_default=False),
    ] = None,
    addressees_verified: Annotated[
        str | None,
        typer.Option("--addressees-verified", help="When the addressee names were last checked.", show_default=False),
    ] = None,
    filer_category: Annotated[
        FilerCategory | None,
        typer.Option("--filer-category", help="The coalition's eligible-filer category.", show_default=False),
    ] = None,
    file: FileOption = None,
) -> None:
    """Change the case's own fields: title, country, language, contact, request, addressees."""
    from casefile.case.operations import edit_case as apply
    from casefile.cli._shared import date_or_none

    given = {
        "title": title,
        "country": country,
        "language": language,
        "ogp_joined": ogp_joined,
        "action_plan": action_plan,
        "contact_name": contact_name,
        "contact_organisation": contact_organisation,
        "contact_email": contact_email,
        "request": request,
        "addressees": tuple(addressee) if addressee is not None else None,
        "addressees_verified": date_or_none(addressees_verified),
        "filer_category": filer_category,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    if not changes:
        raise typer.BadParameter(_("give at least one field to change, e.g. --title. See --help."))
    commit(location(file).path, lambda case: (apply(case, changes), None))
    say(_("Case updated."))


def where(json: JsonOption = False, file: FileOption = None) -> None:
    """Print the case file in use and which rule chose it."""
    found = location(file)
    if wants_json(json):
        print_json({"path": str(found.path), "rule": found.rule, "exists": found.path.is_file()})
        return
    from casefile.terminal import shown

    typer.echo(shown(str(found.path)))
    say(f"({rule_shown(found.rule)})")


#: How the store says which rule chose the case file (English, as `where --json` keeps it),
#: and the same in the user's language.
_RULES = (
    (r"given with --file", N_("given with --file")),
    (r"from the (?P<variable>\S+) environment variable", N_("from the {variable} environment variable")),
    (r"found (?P<name>.+?) in (?P<folder>.+)", N_("found {name} in {folder}")),
    (
        r"the default case: no --file, no \$CASEFILE_FILE, no casefile.toml here or above",
        N_("the default case: no --file, no $CASEFILE_FILE, no casefile.toml here or above"),
    ),
)


def rule_shown(rule: str) -> str:
    """The store's rule in the user's language (as it is, if it is not one of the known ones)."""
    import re

    for pattern, sentence in _RULES:
        match = re.fullmatch(pattern, rule, re.S)
        if match:
            return _(sentence).format(**match.groupdict())
    return rule


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("init")(init)
    app.command("edit-case")(edit_case)
    app.command("where")(where)
