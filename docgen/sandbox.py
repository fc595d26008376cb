"""The Jinja sandbox of texts and templates, with bounds on the arithmetic that could hang a run."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from docgen.i18n import _

MAX_EXPONENT = 100       # 9 ** (9 ** 9) would compute for hours
MAX_REPEAT = 10_000      # 'a' * 10 ** 8 would write a 100-million-character paragraph


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, refusing powers and repetitions large enough to hang a batch worker."""

    intercepted_binops = frozenset({"**", "*"})

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
