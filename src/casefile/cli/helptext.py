"""``--help`` for people: commands grouped in panels, and one example at the end of each command's help.

Drawn as plain text with box characters, not with rich: ``casefile --help`` must start as fast as
any other command (rich alone would double its time).
"""

from __future__ import annotations

import sys
from typing import Any

from casefile.cli.messages import N_

#: The panels of ``casefile --help``, in order, with their commands in order. A command not named
#: here is listed under "More commands", so a new command is never hidden.
PANELS: dict[str, tuple[str, ...]] = {
    N_("Case"): ("init", "edit-case", "where", "config", "demo", "keygen", "recipients", "encrypt", "decrypt"),
    N_("Records"): (
        *("add-event", "add-demand", "add-signatory", "add-concern", "respond"),
        *("list", "show", "edit", "remove", "timeline", "translate"),
    ),
    N_("Letter"): ("check", "draft-complaint", "template", "set-letter-date", "sign-off", "diff-since"),
    N_("Evidence"): ("attach", "verify", "set-source", "scrub"),
    N_("Tracking"): ("status", "draft-reminder", "record-reminder", "record-filing", "record-stage"),
    N_("Collaboration"): ("git-setup", "conflicts", "resolve", "merge-driver", "git-textconv"),
    N_("Data in and out"): ("export", "import"),
}
OTHERS = N_("More commands")

#: One example per command, shown at the end of its help (sub-commands by their full name).
EXAMPLES: dict[str, str] = {
    "init": 'casefile init --title "Surveillance of health advocates" --country Mexico --ogp-joined 2011',
    "edit-case": 'casefile edit-case --contact-name "María Pérez" --contact-organisation Fundar',
    "where": "casefile where",
    "config": "casefile config language es",
    "config language": "casefile config language es",
    "demo": "casefile demo casefile-demo",
    "add-event": 'casefile add-event --date 2017-02-11 --title "Citizen Lab reports spyware" '
    "--source https://citizenlab.org/2017/02/bittersweet/ --tag surveillance",
    "add-demand": 'casefile add-demand --date 2017-02-16 --to "the Tripartite Technical Secretariat" '
    '--subject "Investigate the surveillance" --by articulo-19',
    "add-signatory": 'casefile add-signatory --name "Fundar, Centro de Análisis e Investigación" --short-name Fundar',
    "add-concern": 'casefile add-concern --title "Illegal surveillance of health advocates" '
    "--category fundamental-freedoms",
    "respond": 'casefile respond 2017-02-16 --date 2017-06-01 --status refused --summary "Declined."',
    "list": "casefile list events --tag surveillance --from 2017-02",
    "show": "casefile show 2017-02-11 --json",
    "edit": 'casefile edit 2017-02-11 --title "Citizen Lab reports spyware attacks"',
    "remove": "casefile remove 2017-02-11-citizen-lab --yes",
    "timeline": "casefile timeline --as-of 2017-05-23",
    "check": "casefile check --as-of 2017-05-23",
    "draft-complaint": "casefile draft-complaint --language es --output carta.md",
    "template": "casefile template export my-templates",
    "template export": "casefile template export my-templates",
    "set-letter-date": "casefile set-letter-date 2018-07-16",
    "sign-off": "casefile sign-off fundar --date 2018-07-10",
    "diff-since": "casefile diff-since fundar",
    "attach": "casefile attach 2017-02-11 report.pdf",
    "verify": "casefile verify",
    "set-source": "casefile set-source 2017-02-11 https://citizenlab.org/2017/02/bittersweet/ "
    "--archived-url https://web.archive.org/web/2017/https://citizenlab.org/2017/02/bittersweet/",
    "scrub": "casefile scrub 2017-02-journalists --field private_notes",
    "status": "casefile status",
    "draft-reminder": "casefile draft-reminder 2017-02-16 --language es > recordatorio.md",
    "record-reminder": "casefile record-reminder 2017-02-16 --date 2017-04-01 --channel email",
    "record-filing": "casefile record-filing --date 2018-07-16",
    "record-stage": "casefile record-stage eligible --date 2018-08-24",
    "git-setup": "casefile git-setup",
    "conflicts": "casefile conflicts",
    "resolve": "casefile resolve 2017-06-19 --field title --take theirs",
    "merge-driver": "casefile merge-driver %O %A %B %P",
    "git-textconv": "casefile git-textconv casefile.toml",
    "export": "casefile export --format html --output letter.html",
    "import": "casefile import events.csv --items events --dry-run",
    # Commands other helpers add: their examples wait here, so their help ends like the rest.
    "keygen": "casefile keygen --passphrase",
    "recipients": "casefile recipients list",
    "recipients list": "casefile recipients list",
    "recipients add": "casefile recipients add --recipients-file team-keys.txt",
    "recipients remove": "casefile recipients remove age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
    "recipients accept": "casefile recipients accept",
    "encrypt": "casefile encrypt --recipients-file team-keys.txt",
    "decrypt": "casefile decrypt --output plain-copy.toml",
    "translate": 'casefile translate 2017-02-11 --language es --title "Citizen Lab denuncia ataques"',
    "template trust": "casefile template trust templates",
    "template untrust": "casefile template untrust templates",
}


def add_example(name: str, command: Any) -> None:
    """End the command's help with its example (``\\b`` keeps click from re-wrapping it)."""
    example = EXAMPLES.get(name)
    if example and not command.epilog:
        from casefile.cli.messages import _

        command.epilog = f"\b\n{_('Example:')}\n  {example}"
    for sub_name, sub in getattr(command, "commands", {}).items():
        add_example(f"{name} {sub_name}", sub)


def _box_characters() -> tuple[str, str, str, str, str, str]:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if encoding in ("utf8", "utf16", "utf32"):
        return "╭", "╮", "╰", "╯", "─", "│"
    return "+", "+", "+", "+", "-", "|"


def write_panels(formatter: Any, commands: list[tuple[str, Any]]) -> None:
    """Write the commands into the formatter, one box per panel."""
    by_name = dict(commands)
    panels: dict[str, list[str]] = {
        title: [name for name in names if name in by_name] for title, names in PANELS.items()
    }
    placed = {name for names in panels.values() for name in names}
    panels[OTHERS] = [name for name, _ in commands if name not in placed]
    width = max(formatter.width - formatter.current_indent, 40)
    name_width = max(len(name) for name, _ in commands)
    top_left, top_right, bottom_left, bottom_right, line, side = _box_characters()
    from casefile.cli.messages import _

    formatter.write_paragraph()
    for title, names in panels.items():
        if not names:
            continue
        shown = _(title)
        formatter.write(f"{top_left}{line} {shown} {line * (width - len(shown) - 5)}{top_right}\n")
        room = width - name_width - 6
        for name in names:
            text = by_name[name].get_short_help_str(room)
            formatter.write(f"{side} {name:<{name_width}}  {text:<{room}} {side}\n")
        formatter.write(f"{bottom_left}{line * (width - 2)}{bottom_right}\n")
