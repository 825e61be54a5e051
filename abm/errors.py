"""One format for every validation error of the model's inputs (scenario files, sweep designs,
measures, allocation settings, parameters): one line, ``WHERE: KEY: problem``, with the nearest
valid name for a misspelt key."""

from __future__ import annotations

import difflib
from typing import get_args, get_origin

from pydantic import BaseModel, ValidationError


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the (nested) model that ``loc`` points into (through ``dict[str, Model]`` tables too)."""
    parts = list(loc[:-1])
    while parts:
        f = model.model_fields.get(str(parts.pop(0)))
        ann = getattr(f, "annotation", None) if f else None
        args = get_args(ann) if get_origin(ann) is dict else ()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        elif len(args) == 2 and isinstance(args[1], type) and issubclass(args[1], BaseModel) and parts:
            model = args[1]
            parts.pop(0)  # the table's key, e.g. a municipality code
        else:
            return []
    return list(model.model_fields)


def first_error(e: ValidationError, model: type[BaseModel], names_hint: str | None = None) -> str:
    """The first error of ``e`` (raised by ``model``) as 'key: problem'; an unknown key names the
    nearest known one ('unknown key; did you mean ...?'), else lists the known ones (or says
    ``names_hint`` where the list would be too long)."""
    err = e.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        fields = _fields_at(model, err["loc"])
        near = difflib.get_close_matches(str(err["loc"][-1]), list(fields), n=1)
        msg = "unknown key" + (f"; did you mean '{near[0]}'?" if near else f"; {names_hint or 'allowed: ' + ', '.join(fields)}")
    if not loc or msg.startswith(loc):
        return msg
    return f"{loc}: {msg}"
