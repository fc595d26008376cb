"""The rendering engines: "fast" (a template compiled once) and "docxtpl" (the plain reference)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from docgen.context import build_context
from docgen.engine.compiled import CompiledTemplate
from docgen.loading import DataFile
from docgen.output import guard_existing, stamp, write_atomic
from docgen.render import render_docx

Engine = Literal["fast", "docxtpl"]
ENGINES: tuple[Engine, ...] = ("fast", "docxtpl")
DEFAULT_ENGINE: Engine = "fast"

_CACHE: OrderedDict[tuple[str, int, int], CompiledTemplate] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "CompiledTemplate",
    "Engine",
    "compile_template",
    "docxtpl_renderer",
    "fast_renderer",
    "render_document",
    "renderer_factory",
]


def compile_template(path: Path) -> CompiledTemplate:
    """The template at ``path`` prepared for rendering; prepared once per process and file version.

    :raises TemplateError: when ``path`` is not a readable .docx (as `render_docx` would).
    """
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
        return stamp(render_docx(template, context))
    return compile_template(template).render_stamped(context)


def fast_renderer(template: Path, force: bool) -> Callable[[DataFile, Path], Path]:
    """A batch worker's renderer on the fast engine: the template compiled once per worker.

    It does what ``docgen.api.render_loaded(data, template, target, force=force)`` does — keep an
    edited draft, build the context, write atomically — for ``docgen.batch.batch(renderer=...)``.
    """
    compiled = compile_template(template)

    def render(data: DataFile, target: Path) -> Path:
        guard_existing(target, force=force)
        write_atomic(target, compiled.render_stamped(build_context(data)))
        return target
    return render


def docxtpl_renderer(template: Path, force: bool) -> Callable[[DataFile, Path], Path]:
    """`fast_renderer` on the plain path: a new DocxTemplate for every document."""
    def render(data: DataFile, target: Path) -> Path:
        guard_existing(target, force=force)
        write_atomic(target, render_document(template, build_context(data), "docxtpl"))
        return target
    return render


def renderer_factory(engine: Engine) -> Callable[[Path, bool], Callable[[DataFile, Path], Path]]:
    """The batch renderer factory of ``engine`` (module-level, so spawned workers can import it)."""
    return fast_renderer if engine == "fast" else docxtpl_renderer
