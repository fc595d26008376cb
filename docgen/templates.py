"""Where templates are — the shipped one — and the quick check that a file is one."""

from __future__ import annotations

from pathlib import Path

from docgen.errors import Place, TemplateError
from docgen.i18n import _
from docgen.output import not_a_docx


def default_template() -> Path:
    """The shipped template: inside the installed package, or templates/ of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / "annual-summary.docx",
                      here.parent / "templates" / "annual-summary.docx"):
        if candidate.is_file():
            return candidate
    raise TemplateError(_("the default template annual-summary.docx is missing from this "
                          "installation; give one with --template"))


def check_template_file(path: Path) -> None:
    """Refuse a template path that is not a file or not a Word package, naming it.

    Cheap (no docxtpl): what a process that only plans a batch checks before starting.
    """
    if not path.is_file():
        raise TemplateError(_("no such template file"), Place(path))
    problem = not_a_docx(path)
    if problem:
        raise TemplateError(problem, Place(path))
