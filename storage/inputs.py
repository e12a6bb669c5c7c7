"""Inputs kept in object storage, so that the catalog can be rebuilt from storage alone.

Agency lists, registers and declared totals come from outside; no record carries them. Their
files are kept as sent, write-once beside the papers in the originals bucket:

- `inputs/files/<sha256>`: the bytes of an imported file, stored once (`ObjectStore.put_input_file`);
- `inputs/events/<UTC time>-<kind>-<id>.json`: one object per import or declaration, so that
  `storage.registers.reload_inputs` can replay them in the order they happened.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, model_validator

from storage.objects import ObjectStore
from storage.records import nfc

InputKind = Literal["agencies", "register", "declaration"]


class InputEvent(BaseModel):
    kind: InputKind
    at: datetime
    sha256: str | None = None  # agencies, register: the file's bytes
    name: str | None = None  # agencies, register: the file's name as given
    agency: str | None = None  # register: the --agency given; declaration: the agency
    total: int | None = None  # declaration

    @model_validator(mode="before")
    @classmethod
    def _normalise_strings(cls, data: Any) -> Any:
        return nfc(data)


def record_event(store: ObjectStore, event: InputEvent) -> str:
    # The time first, so that listing the keys gives the order of events.
    moment = event.at.astimezone(timezone.utc)
    name = f"{moment:%Y%m%dT%H%M%S%fZ}-{event.kind}-{uuid.uuid4().hex[:8]}.json"
    return store.put_input_event(name, event.model_dump_json(exclude_none=True))


def events(store: ObjectStore) -> Iterator[InputEvent]:
    """Every import and declaration, oldest first."""
    for json_text in store.input_events():
        yield InputEvent.model_validate_json(json_text)
