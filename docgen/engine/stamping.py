"""docgen's content stamp (docgen.output.stamp) applied to a package's members, without a zip round trip."""

from __future__ import annotations

from docgen import output
from docgen.output import CUSTOM_PART, HASH_PROPERTY, content_hash


def declare(members: dict[str, bytes]) -> dict[str, str]:
    """Declare the custom properties part in ``members`` (as `stamp` does); return its properties."""
    output._declare_custom_part(members)
    return output._custom_properties(members.get(CUSTOM_PART))


def custom_part(properties: dict[str, str], members: dict[str, bytes]) -> bytes:
    """The custom properties part that `stamp` writes for ``members`` (declared by `declare`)."""
    return output._custom_xml({**properties, HASH_PROPERTY: content_hash(members)})


def stamp_members(members: dict[str, bytes]) -> None:
    """What ``docgen.output.stamp`` does to the members of the package it reads."""
    members[CUSTOM_PART] = custom_part(declare(members), members)
