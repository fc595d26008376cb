"""A page of a document as a PNG picture, rendered from its PDF with pypdfium2."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from docgen.errors import ConversionError, OutputError, Place
from docgen.i18n import _
from docgen.pdf import convert_to_pdf

DEFAULT_DPI = 100


def default_output(source: Path, page: int) -> Path:
    """Where a preview goes unless told: beside the source, ``<name>-p<page>.png``."""
    return source.with_name(f"{source.stem}-p{page}.png")


def render_page(pdf: Path, page: int, output: Path, dpi: int = DEFAULT_DPI) -> Path:
    """Render page ``page`` (1-based) of ``pdf`` to the PNG ``output`` (written atomically)."""
    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        raise ConversionError(_("cannot read the PDF: {reason}").format(reason=exc), Place(pdf)) from None
    try:
        count = len(document)
        if not 1 <= page <= count:
            raise ConversionError(_("there is no page {page}: the document has {count} pages").format(
                page=page, count=count), Place(pdf))
        bitmap = document[page - 1].render(scale=dpi / 72)
        image = bitmap.to_pil()
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        try:
            image.save(partial, format="PNG")
            partial.replace(output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise OutputError(_("cannot write the picture (is it open in another program?): {reason}")
                              .format(reason=exc.strerror or exc), Place(output)) from None
    finally:
        document.close()
    return output


def preview(source: Path, page: int = 1, output: Path | None = None, dpi: int = DEFAULT_DPI) -> Path:
    """Render one page of a .pdf or .docx (through LibreOffice) as a PNG and return its path.

    ``output`` defaults to ``<source name>-p<page>.png`` beside ``source``. A .docx is converted
    in a temporary folder; no PDF is left behind.
    """
    source = Path(source)
    target = output if output is not None else default_output(source, page)
    if source.suffix.lower() == ".pdf":
        return render_page(source, page, target, dpi)
    with tempfile.TemporaryDirectory(prefix="docgen-preview-", ignore_cleanup_errors=True) as scratch:
        (pdf,) = convert_to_pdf([source], Path(scratch))
        return render_page(pdf, page, target, dpi)
