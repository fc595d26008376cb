"""The JSON Schema of a pydantic model as docgen's schema files hold it (draft 2020-12, titled)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def model_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    """``model``'s JSON Schema, declared as draft 2020-12, under ``title``."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    """``schema`` as its file holds it: UTF-8 JSON, two-space indents, a final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
