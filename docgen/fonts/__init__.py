"""Fonts of a PDF preview: the fonts a .docx asks for, and which of them this machine stands in for."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from docgen.i18n import _

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_FONT_ATTRIBUTES = ("ascii", "hAnsi", "eastAsia")

# Other names the official fonts are known by (their English and PostScript family names), so a
# font installed under one of them counts as present.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "仿宋_GB2312": ("FangSong_GB2312",),
    "楷体_GB2312": ("KaiTi_GB2312",),
    "黑体": ("SimHei",),
    "宋体": ("SimSun",),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "FZXBSJW--GB1-0"),
    "仿宋": ("FangSong",),
    "楷体": ("KaiTi",),
}


@dataclass(frozen=True)
class Substitution:
    """A font a document asks for that is not installed, and the font used in its place."""

    requested: str
    used: str | None  # None where the stand-in is not known (no fontconfig)

    def warning(self) -> str:
        """The warning for the user: the PDF shows another font, so it is a preview."""
        if self.used:
            return _("the font {font} is not installed: the PDF shows {used} in its place and is a "
                     "preview of the layout").format(font=self.requested, used=self.used)
        return _("the font {font} is not installed: the PDF shows another font in its place and is "
                 "a preview of the layout").format(font=self.requested)


def fontconfig_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for a child process that applies docgen's font substitutions (fontconfig)."""
    env = dict(os.environ if base is None else base)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def _xml_parts(package: zipfile.ZipFile) -> dict[str, etree._Element]:
    parts: dict[str, etree._Element] = {}
    for name in package.namelist():
        if name == "word/styles.xml" or name == "word/document.xml" or (
                name.startswith(("word/header", "word/footer")) and name.endswith(".xml")):
            parts[name] = etree.fromstring(package.read(name))
    return parts


def _fonts_of(rpr_fonts: etree._Element | None) -> dict[str, str]:
    if rpr_fonts is None:
        return {}
    return {a: v for a in _FONT_ATTRIBUTES if (v := rpr_fonts.get(f"{{{_W}}}{a}"))}


def document_fonts(docx: Path) -> list[str]:
    """The fonts the text of ``docx`` is set in, in order of first use (theme fonts left out).

    Each style a paragraph, run or table uses counts with its ``w:basedOn`` chain and the
    document defaults (attribute by attribute, as Word resolves them); fonts set on runs count too.
    """
    with zipfile.ZipFile(docx) as package:
        parts = _xml_parts(package)
    styles = parts.pop("word/styles.xml", None)
    own: dict[str, dict[str, str]] = {}
    based_on: dict[str, str] = {}
    defaults: dict[str, str] = {}
    used: list[str] = []
    if styles is not None:
        defaults = _fonts_of(styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", _NS))
        for style in styles.findall("w:style", _NS):
            style_id = style.get(f"{{{_W}}}styleId", "")
            own[style_id] = _fonts_of(style.find("w:rPr/w:rFonts", _NS))
            parent = style.find("w:basedOn", _NS)
            if parent is not None:
                based_on[style_id] = parent.get(f"{{{_W}}}val", "")
            if style.get(f"{{{_W}}}default") in ("1", "true") and \
                    style.get(f"{{{_W}}}type") == "paragraph":
                used.append(style_id)
    direct: list[str] = []
    for root in parts.values():
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used.extend(e.get(f"{{{_W}}}val", "") for e in root.iter(f"{{{_W}}}{tag}"))
        for fonts in root.iter(f"{{{_W}}}rFonts"):
            direct.extend(_fonts_of(fonts).values())

    found: list[str] = []
    for style_id in used:
        resolved: dict[str, str] = {}
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen:
            seen.add(current)
            for attribute, font in own.get(current, {}).items():
                resolved.setdefault(attribute, font)
            current = based_on.get(current)
        for attribute, font in defaults.items():
            resolved.setdefault(attribute, font)
        found.extend(resolved[a] for a in _FONT_ATTRIBUTES if a in resolved)
    found.extend(direct)
    return list(dict.fromkeys(found))


def _names(font: str) -> set[str]:
    return {_key(n) for n in (font, *ALIASES.get(font, ()))}


def _key(name: str) -> str:
    return name.replace(" ", "").casefold()


def _fontconfig_substitute(font: str) -> str | None:
    """The family fontconfig gives for ``font`` under docgen's substitutions; None without fc-match."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        result = subprocess.run([fc_match, "-f", "%{family}", font], capture_output=True,
                                env=fontconfig_environment(), timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace").strip() or None


def _windows_font_names() -> set[str] | None:
    if sys.platform != "win32":
        return None
    import winreg

    names: set[str] = set()
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(hive, r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts")
        except OSError:
            continue
        with key:
            index = 0
            while True:
                try:
                    value_name = winreg.EnumValue(key, index)[0]
                except OSError:
                    break
                index += 1
                # "SimSun & NSimSun (TrueType)" -> SimSun, NSimSun
                for part in value_name.split(" (")[0].split("&"):
                    names.add(_key(part))
    return names


def substitutions(fonts: Iterable[str]) -> list[Substitution]:
    """Which of ``fonts`` this machine lacks, each with the font LibreOffice will use instead.

    With fontconfig (Linux, BSD) through ``fc-match`` and docgen's fonts.conf; on Windows from
    the installed fonts in the registry. Elsewhere nothing is reported.
    """
    installed = _windows_font_names()
    found: list[Substitution] = []
    for font in fonts:
        if installed is not None:
            if not _names(font) & installed:
                found.append(Substitution(font, None))
            continue
        matched = _fontconfig_substitute(font)
        if matched is None:
            continue
        families = [f.strip() for f in matched.split(",")]
        if not _names(font) & {_key(f) for f in families}:
            found.append(Substitution(font, families[0]))
    return found


def substituted_fonts(docx_paths: Iterable[Path]) -> list[Substitution]:
    """The fonts the documents use that are stood in for in a PDF made on this machine."""
    fonts: list[str] = []
    for path in docx_paths:
        fonts.extend(document_fonts(Path(path)))
    return substitutions(dict.fromkeys(fonts))
