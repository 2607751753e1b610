"""A Babel extractor for casefile's command line: ``_()`` calls, and the help people read.

Besides the usual ``_("...")`` calls, it collects the docstrings of the commands (functions with
typer options or arguments) and every ``help="..."`` text, which typer shows in ``--help``.
``babel.cfg`` names it; ``pybabel extract -F babel.cfg`` runs it (see README, Development).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from babel.messages.extract import extract_python


def _is_command(node: ast.FunctionDef) -> bool:
    arguments = [*node.args.args, *node.args.kwonlyargs]
    return any(
        argument.annotation is not None
        and any(word in ast.unparse(argument.annotation) for word in ("Option", "Argument"))
        for argument in arguments
    )


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, function, message, comments) as Babel's extractors do."""
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    text = source.decode(options.get("encoding", "utf-8")) if isinstance(source, bytes) else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef) and _is_command(node):
            docstring = ast.get_docstring(node)
            if docstring:
                yield node.lineno, "", docstring, ["The help of a command (its first sentence is its summary)."]
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if (
                    keyword.arg == "help"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    yield keyword.value.lineno, "", keyword.value.value, ["The help of an option or argument."]
