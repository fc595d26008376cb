"""The Jinja sandbox of texts and templates, with bounds on the arithmetic that could hang a run."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from docgen.i18n import _

MAX_EXPONENT = 100       # 9 ** (9 ** 9) would compute for hours
MAX_REPEAT = 10_000      # 'a' * 10 ** 8 would write a 100-million-character paragraph
_SAFE_KEPT = 4096        # attribute answers kept: a template's attributes, not a run's objects


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, refusing powers and repetitions large enough to hang a batch worker."""

    intercepted_binops = frozenset({"**", "*"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, kept per type and attribute name: it depends on nothing else (an
        underscore, or an attribute of a function, method, type, code, frame or generator
        object, found by isinstance), and a template asks the same few dozen each time it
        renders."""
        kind = type(obj)
        if getattr(obj, "__class__", kind) is not kind:  # isinstance would read __class__ too
            return bool(super().is_safe_attribute(obj, attr, value))
        key = (kind, attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = bool(super().is_safe_attribute(obj, attr, value))
            if len(self._safe) < _SAFE_KEPT:
                self._safe[key] = safe
        return safe

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(_("an exponent above {n} is refused").format(n=MAX_EXPONENT))
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and \
                        count * max(len(seq), 1) > MAX_REPEAT:
                    raise SecurityError(_("repeating text more than {n} characters long is refused")
                                        .format(n=MAX_REPEAT))
        return super().call_binop(context, operator, left, right)
