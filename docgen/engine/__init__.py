"""The rendering engines: "fast" (a template compiled once) and "docxtpl" (the plain reference)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from docgen.engine.compiled import CompiledTemplate

# docxtpl, python-docx and Jinja are imported when a document is first rendered, not with this
# package: a batch's planning process and the CLI's other commands start without them.

Engine = Literal["fast", "docxtpl"]
ENGINES: tuple[Engine, ...] = ("fast", "docxtpl")
DEFAULT_ENGINE: Engine = "fast"


class Rendered(NamedTuple):
    """A rendered document: the .docx, its members unzipped, and its document part's tree when the
    renderer parsed it (an lxml element; None otherwise), so that reading it takes no parse again."""

    docx: bytes
    members: Mapping[str, bytes]
    document: Any = None


_CACHE: OrderedDict[tuple[str, int, int], CompiledTemplate] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "CompiledTemplate",
    "Engine",
    "Rendered",
    "compile_template",
    "render_document",
    "render_package",
]


def __getattr__(name: str) -> Any:
    if name == "CompiledTemplate":
        from docgen.engine.compiled import CompiledTemplate
        return CompiledTemplate
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def compile_template(path: Path) -> CompiledTemplate:
    """The template at ``path`` prepared for rendering; prepared once per process and file version.

    :raises TemplateError: when ``path`` is not a readable .docx (as `render_docx` would).
    """
    from docgen.engine.compiled import CompiledTemplate

    try:
        info = path.stat()
        key = (str(path.resolve()), info.st_mtime_ns, info.st_size)
    except OSError:
        return CompiledTemplate(path)  # open_template reports the missing file
    with _CACHE_LOCK:
        compiled = _CACHE.get(key)
        if compiled is not None:
            _CACHE.move_to_end(key)
            return compiled
    compiled = CompiledTemplate(path)
    with _CACHE_LOCK:
        _CACHE[key] = compiled
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return compiled


def render_document(template: Path, context: Mapping[str, Any], engine: Engine = DEFAULT_ENGINE) \
        -> bytes:
    """The stamped .docx of ``template`` rendered with ``context`` — what docgen writes to disk.

    ``engine="docxtpl"`` is the plain path (a new DocxTemplate per document), the reference;
    ``"fast"`` gives a document with the same XML in every part, many times faster.
    """
    if engine == "docxtpl":
        from docgen.output import stamp
        from docgen.render import render_docx

        return stamp(render_docx(template, context))
    return compile_template(template).render_stamped(context)


def render_package(template: Path, context: Mapping[str, Any], engine: Engine = DEFAULT_ENGINE) \
        -> Rendered:
    """`render_document`, with the document's members unzipped and, from the fast engine, its
    document part's tree."""
    if engine == "docxtpl":
        from docgen.output import read_members

        docx = render_document(template, context, engine)
        return Rendered(docx, read_members(docx))
    return compile_template(template).render_package(context)
