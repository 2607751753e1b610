"""The Jinja2 sandbox every letter template renders in.

Jinja2's immutable sandbox already refuses what lets a template out: attributes that start with
``_`` (``__class__``, ``__globals__``, ``_TemplateReference__context``), function internals,
``str.format`` reaching into attributes, changing the objects it is given, ranges of more than
100,000 items. This adds a bound on ``*`` and ``**``, so a template cannot ask for a
ten-gigabyte string or a number of a billion digits, and turns what a template's own mistake
raises (a wrong argument, a division by zero) into :class:`casefile.errors.TemplateError`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from casefile.errors import TemplateError
from casefile.i18n import _

#: The longest string or list ``*`` may make, and the largest power ``**`` may raise to.
MAX_REPEAT = 1_000_000
MAX_EXPONENT = 1_000


@functools.cache
def sandbox_class() -> type:
    """The sandboxed environment class (made on first use: Jinja2 is imported only when needed)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LetterSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"a power above {MAX_EXPONENT} is not allowed in a letter template")
            if operator == "*":
                for sequence, count in ((left, right), (right, left)):
                    repeated = isinstance(sequence, str | list | tuple) and isinstance(count, int)
                    if repeated and len(sequence) * count > MAX_REPEAT:
                        raise SecurityError(f"a text or list of more than {MAX_REPEAT} items is not allowed")
            return super().call_binop(context, operator, left, right)

    return LetterSandbox


#: What a template's mistakes raise inside Jinja2 or casefile's helpers (not casefile's own errors).
_TEMPLATE_MISTAKES = (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, RecursionError, MemoryError)


@contextmanager
def template_mistakes(what: str) -> Iterator[None]:
    """Report a template's mistake as one line, never a traceback."""
    try:
        yield
    except _TEMPLATE_MISTAKES as error:
        message = _("{what} failed: {error}").format(what=_(what), error=f"{type(error).__name__}: {error}")
        raise TemplateError(message.replace("\n", " ")) from None
