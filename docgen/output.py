"""Writing outputs safely: names that stay in their folder, atomic writes, and never an editor's work lost."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal, NamedTuple

from lxml import etree

from docgen.engine.zipcopy import ZipCopy
from docgen.errors import EditedOutputError, OutputError, Place
from docgen.i18n import _

# The stamp: SHA-256 over every member's name, size and own SHA-256, so that the members a
# template gives every document unchanged are hashed once, not once a document (styles.xml alone
# is 350 kB). Documents stamped before it carry the hash of the members' bytes themselves.
HASH_PROPERTY = "docgen-members-sha256"
LEGACY_HASH_PROPERTY = "docgen-sha256"
Digests = Mapping[str, tuple[bytes, bytes]]  # member name -> (its data, the data's SHA-256)
_PIECE = 1 << 16  # what a zipped member is hashed by: it need not be unzipped whole
CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
MAX_NAME_BYTES = 240  # file systems allow 255 bytes a name; Chinese takes 3 bytes a character
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


class Written(NamedTuple):
    """A document written, and the warnings its check found in it, each as
    ``place: [category] message`` (the draft went out; an editor may want to look there)."""

    path: Path
    warnings: tuple[str, ...] = ()


def safe_file_name(stem: str, suffix: str = ".docx") -> str:
    """``stem + suffix`` if it is a plain file name on Windows and POSIX alike, else `OutputError`."""
    bad = sorted(set(_WINDOWS_FORBIDDEN.findall(stem)))
    if bad or stem.strip() in ("", ".", "..") or stem.endswith((".", " ")) or \
            stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        shown = " ".join(repr(c) for c in bad) or repr(stem)
        raise OutputError(_("the name '{stem}' cannot be an output file name (it contains {bad}); "
                            "correct the town name or give -o").format(stem=stem, bad=shown))
    if len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        raise OutputError(_("the name '{stem}…' is too long for a file name; shorten the town name "
                            "or give -o").format(stem=stem[:20]))
    return stem + suffix


def document_name(town: str, year: int) -> str:
    """The default file name of a township's summary: 沽东镇2024年工作总结.docx."""
    return safe_file_name(f"{town}{year}年工作总结")


def resolve_output(output: Path | None, default_dir: Path, town: str, year: int) -> Path:
    """Where to write: ``output`` as given when it names a .docx; the default name in ``output``
    when it is a folder, or names none yet and has no suffix (``-o 初稿``); else in ``default_dir``.

    The default name is checked to be a plain file name that stays inside its folder.

    :raises OutputError: for an ``output`` with another suffix (``out.txt``: Word would not open it).
    """
    if output is not None and output.suffix.lower() == ".docx" and not output.is_dir():
        return output  # the town's name need not make a file name then
    return resolve_named(output, default_dir, document_name(town, year))


def resolve_named(output: Path | None, default_dir: Path, name: str,
                  suffixes: tuple[str, ...] = ()) -> Path:
    """`resolve_output` for a file ``name`` of any kind: ``output`` must end in its suffix, or
    in one of ``suffixes``."""
    if output is None:
        output = default_dir
    elif output.is_dir() or not output.suffix:
        pass
    elif output.suffix.lower() in (Path(name).suffix, *suffixes):
        return output
    else:
        raise OutputError(_("the output must be a {suffix} file or a folder, not '{name}'")
                          .format(suffix=Path(name).suffix, name=output.name), Place(output))
    return _inside(output, name)[0]


def default_output(folder: Path, town: str, year: int, real_folder: Path | None = None) \
        -> tuple[Path, Path]:
    """The default output in ``folder`` and its real path (symlinks resolved), checked to stay
    inside the folder; ``real_folder`` is ``folder.resolve()`` when the caller has it already.
    """
    return _inside(folder, document_name(town, year), real_folder)


def _inside(folder: Path, name: str, real_folder: Path | None = None) -> tuple[Path, Path]:
    """``folder / name`` and its real path, refused if it leaves the folder (a link out of it)."""
    target = folder / name
    real = target.resolve()
    if real.parent != (real_folder if real_folder is not None else folder.resolve()):
        raise OutputError(_("the output name '{name}' would leave the folder {folder}")
                          .format(name=name, folder=folder))
    return target, real


def not_a_docx(path: Path) -> str | None:
    """Why ``path`` is not a Word package (a message for the user), or None when it is one."""
    try:
        with zipfile.ZipFile(path) as package:
            package.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return _("not a Word .docx file (save it from Word or WPS as .docx)")
    return None


def content_hash(members: Mapping[str, bytes], known: Digests | None = None) -> str:
    """The hash of a package's content: every member but the custom properties, in name order.

    ``known`` gives digests already computed: a member whose data is that very object is not
    hashed again (a compiled template's unchanged members).
    """
    def own(name: str, data: bytes) -> bytes:
        hit = known.get(name) if known is not None else None
        return hit[1] if hit is not None and hit[0] is data else hashlib.sha256(data).digest()
    return _hash((name, len(data), own(name, data)) for name, data in _in_order(members))


def digests(members: Mapping[str, bytes]) -> dict[str, tuple[bytes, bytes]]:
    """Each member with its SHA-256, for `content_hash`'s ``known``."""
    return {name: (data, hashlib.sha256(data).digest()) for name, data in members.items()}


def _zipped_hash(package: zipfile.ZipFile) -> str:
    """`content_hash` of the members of ``package``, each read and hashed a piece at a time."""
    def own(info: zipfile.ZipInfo) -> bytes:
        digest = hashlib.sha256()
        with package.open(info) as stream:
            while piece := stream.read(_PIECE):
                digest.update(piece)
        return digest.digest()
    infos = sorted((i for i in package.infolist() if i.filename != CUSTOM_PART), key=lambda i: i.filename)
    return _hash((info.filename, info.file_size, own(info)) for info in infos)


def _legacy_hash(members: Mapping[str, bytes]) -> str:
    """The stamp of documents written before `HASH_PROPERTY`: the members' bytes hashed in turn."""
    return _hash((name, len(data), data) for name, data in _in_order(members))


def _in_order(members: Mapping[str, bytes]) -> Iterator[tuple[str, bytes]]:
    """The members the stamp covers, all but the custom properties, in name order."""
    return ((name, members[name]) for name in sorted(members) if name != CUSTOM_PART)


def _hash(parts: Iterable[tuple[str, int, bytes]]) -> str:
    """SHA-256 over each member the stamp covers, given in name order: its name, its size and a part
    of it (its bytes, or their digest)."""
    digest = hashlib.sha256()
    for name, size, part in parts:
        digest.update(name.encode() + b"\0" + str(size).encode() + b"\0" + part)
    return digest.hexdigest()


def read_members(data: bytes | Path) -> dict[str, bytes]:
    """All members of a zip package, by name."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(source) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


class ZipMembers(Mapping[str, bytes]):
    """The members of an open zip file, each unzipped when asked for."""

    def __init__(self, package: zipfile.ZipFile) -> None:
        self.package = package

    def __getitem__(self, name: str) -> bytes:
        return self.package.read(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.package.namelist())

    def __len__(self) -> int:
        return len(self.package.namelist())


def stamp(docx: bytes) -> bytes:
    """Add docgen's content hash to the document's custom properties, so edits can be noticed."""
    members = read_members(docx)
    stamp_members(members)
    return write_members(members)


def stamp_zipped(package: bytes) -> bytes:
    """`stamp` for a package that declares its custom properties part already (the summary workbook
    XlsxWriter writes): each member is unzipped in turn to be hashed, and every member but that part
    is copied compressed — for a large package a fraction of the time and memory of unzipping it
    whole and zipping it again. Any other package is stamped by `stamp`, to the same content.
    """
    try:
        copy = ZipCopy(package)
    except ValueError:  # not as zipfile writes it
        return stamp(package)
    with zipfile.ZipFile(io.BytesIO(package)) as opened:
        try:
            declared = {name: opened.read(name) for name in ("[Content_Types].xml", "_rels/.rels")}
        except KeyError:
            return stamp(package)
        before = dict(declared)
        _declare_custom_part(declared)
        if declared != before or CUSTOM_PART not in opened.NameToInfo or \
                len(opened.NameToInfo) != len(opened.infolist()):  # a name twice: the last counts
            return stamp(package)
        custom = _stamped(_custom_properties(opened.read(CUSTOM_PART)), _zipped_hash(opened))
    return copy.write({CUSTOM_PART: custom})


def stamp_members(members: dict[str, bytes], known: Digests | None = None) -> None:
    """`stamp` on a package's members in memory, without a zip round trip."""
    members[CUSTOM_PART] = custom_part(declare_custom_part(members), members, known)


def declare_custom_part(members: dict[str, bytes]) -> dict[str, str]:
    """Declare the custom properties part in ``members``; return the properties it already has.

    A template's members are declared once; `custom_part` then stamps each rendered document.
    """
    _declare_custom_part(members)
    return _custom_properties(members.get(CUSTOM_PART))


def custom_part(properties: dict[str, str], members: Mapping[str, bytes],
                known: Digests | None = None) -> bytes:
    """The custom properties part: ``properties`` with the content hash of ``members``."""
    return _stamped(properties, content_hash(members, known))


def _stamped(properties: dict[str, str], content: str) -> bytes:
    """The custom properties part: ``properties`` (a legacy stamp left out) and ``content``, the
    content hash."""
    kept = {name: value for name, value in properties.items() if name != LEGACY_HASH_PROPERTY}
    return _custom_xml({**kept, HASH_PROPERTY: content})


def write_members(members: dict[str, bytes]) -> bytes:
    """A zip package of ``members``, [Content_Types].xml first as the format wants."""
    buffer = io.BytesIO()
    order = sorted(members, key=lambda n: n != "[Content_Types].xml")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name in order:
            package.writestr(name, members[name])
    return buffer.getvalue()


def _declare_custom_part(members: dict[str, bytes]) -> None:
    types = etree.fromstring(members["[Content_Types].xml"])
    part = "/" + CUSTOM_PART
    if not any(o.get("PartName") == part for o in types.iter(f"{{{_CT_NS}}}Override")):
        etree.SubElement(types, f"{{{_CT_NS}}}Override", PartName=part, ContentType=_CUSTOM_TYPE)
        members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True,
                                                        encoding="UTF-8", standalone=True)
    rels = etree.fromstring(members["_rels/.rels"])
    if not any(r.get("Type") == _CUSTOM_REL for r in rels):
        ids = {r.get("Id") for r in rels}
        new_id = next(f"rId{i}" for i in range(1, len(ids) + 2) if f"rId{i}" not in ids)
        etree.SubElement(rels, f"{{{_PKG_REL_NS}}}Relationship", Id=new_id, Type=_CUSTOM_REL,
                         Target=CUSTOM_PART)
        members["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)


def _custom_properties(xml: bytes | None) -> dict[str, str]:
    if not xml:
        return {}
    root = etree.fromstring(xml)
    return {str(p.get("name", "")): "".join(str(t) for t in p.itertext()) for p in root}


def _custom_xml(properties: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties",
                         nsmap={None: _CUSTOM_NS, "vt": _VT_NS})  # type: ignore[dict-item]
    for pid, (name, value) in enumerate(properties.items(), start=2):
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property", fmtid=_FMTID, pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def provenance(path: Path) -> Literal["unedited", "edited", "foreign"]:
    """Whether ``path`` is docgen's output as written, docgen's output since edited, or not docgen's."""
    try:
        members = read_members(path)
    except (zipfile.BadZipFile, OSError):
        return "foreign"
    try:
        properties = _custom_properties(members.get(CUSTOM_PART))
    except etree.XMLSyntaxError:
        return "foreign"
    if properties.get(HASH_PROPERTY):
        return "unedited" if properties[HASH_PROPERTY] == content_hash(members) else "edited"
    if properties.get(LEGACY_HASH_PROPERTY):
        return "unedited" if properties[LEGACY_HASH_PROPERTY] == _legacy_hash(members) else "edited"
    return "foreign"


def custom_property(path: Path, name: str) -> str | None:
    """The custom property ``name`` of the package at ``path``; None if it has none, or cannot be
    read."""
    try:
        with zipfile.ZipFile(path) as package:
            return _custom_properties(package.read(CUSTOM_PART)).get(name)
    except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError):
        return None


def guard_existing(path: Path, *, force: bool) -> None:
    """Refuse to replace ``path`` unless it is docgen's own, unedited output (or ``force``)."""
    if force or not path.exists():
        return
    if path.is_dir():
        raise OutputError(_("the output is a folder"), Place(path))
    state = provenance(path)
    if state == "foreign":
        raise EditedOutputError(_("the file exists and was not written by docgen; it is kept "
                                  "(use --force to replace it)"), Place(path))
    if state == "edited":
        raise EditedOutputError(_("the file was changed since docgen wrote it (edited?); it is "
                                  "kept (use --force to replace it, or -o to write elsewhere)"),
                                Place(path))


def _file_mode(path: Path) -> int:
    """The mode a file written at ``path`` should have: the old file's, else what umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _discard(temp: Path) -> None:
    """Delete a temporary file, made read-only like the file it was to replace (Windows refuses to
    delete a read-only file)."""
    with contextlib.suppress(OSError):
        temp.chmod(stat.S_IREAD | stat.S_IWRITE)
    temp.unlink(missing_ok=True)


def _read_only(path: Path) -> bool:
    """Whether the file at ``path`` exists with no write permission for its owner."""
    try:
        return not path.stat().st_mode & stat.S_IWUSR
    except OSError:
        return False


def refuse_overwriting_inputs(target: Path, *inputs: Path) -> None:
    """Refuse to write the output over one of the run's own inputs, whatever --force says."""
    for source in inputs:
        try:
            same = target.exists() and target.samefile(source)
        except OSError:
            same = False
        if same:
            raise OutputError(_("the output would replace {source}, an input of this run; give "
                                "another -o").format(source=source), Place(target))


_WRITING_IN: set[Path] = set()  # the folders write_atomic has written in, in this process


def _temp_prefix(pid: int | None = None) -> str:
    """The start of the name of a temporary file this process (or process ``pid``) writes: its
    pid, so that each process knows its own files."""
    return f".~docgen-{os.getpid() if pid is None else pid}-"


def abandon_writes() -> None:
    """Remove the temporary files this process is writing: for a process being stopped at once
    (a batch worker that the pool terminates), which leaves no half-written file behind."""
    for folder in list(_WRITING_IN):
        for temp in folder.glob(_temp_prefix() + "*"):
            temp.unlink(missing_ok=True)


def remove_abandoned(folders: Iterable[Path], pids: Iterable[int]) -> None:
    """Remove the temporary files that processes ``pids``, which have ended, left in ``folders``:
    a batch worker killed in the middle of a write (by the OOM killer, say, or on Windows, where
    `abandon_writes` cannot run) leaves its temporary file beside the document."""
    prefixes = [_temp_prefix(pid) for pid in pids]
    for folder in set(folders):
        for prefix in prefixes:
            for temp in folder.glob(prefix + "*"):
                temp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _WRITING_IN.add(path.parent)  # before the file is made: abandon_writes finds it at once
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(),
                                             suffix=path.suffix)
    except OSError as exc:
        raise OutputError(_("cannot write here: {reason}").format(reason=exc.strerror),
                          Place(path.parent)) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temp.chmod(_file_mode(path))  # mkstemp makes it private; a draft is for colleagues too
        os.replace(temp, path)  # noqa: PTH105 - the atomic rename, spelled as such
    except OSError as exc:
        _discard(temp)
        if _read_only(path):  # Windows refuses to replace a read-only file
            raise OutputError(_("cannot replace the file: it is read-only (clear \"Read-only\" in its "
                                "Properties to let docgen replace it): {reason}")
                              .format(reason=exc.strerror), Place(path)) from None
        raise OutputError(_("cannot write the file (is it open in Word, Excel or WPS?): {reason}")
                          .format(reason=exc.strerror), Place(path)) from None
    except BaseException:
        _discard(temp)
        raise
