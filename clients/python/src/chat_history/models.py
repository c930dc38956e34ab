"""What the API returns, as typed, immutable records. Unknown response fields are ignored, so
the client keeps working when the API adds some."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")

JsonObject = dict[str, Any]
"""A JSON object as `json` reads it."""

ReadConsistency = Literal["strong", "eventual"]
"""`eventual` halves the read cost of a page and may miss writes from about the last second."""

JobType = Literal["archive", "export", "erase", "recount"]


@dataclass(frozen=True)
class Message:
    """The current version of a chat message. `version` is the response's `ETag`: pass it to
    `edit` or `delete` as the expected version."""

    chat_id: str
    message_id: str
    user_id: str
    is_bot: bool
    text: str
    metadata: JsonObject | None
    """The bot's own JSON object, or `None` when the message has none."""
    version: int
    parent_version: int | None
    """The version this one replaced; `None` for the first."""
    deleted: bool
    created_at: datetime
    edited_at: datetime | None
    """When it was last edited or deleted; `None` if never."""

    @classmethod
    def from_json(cls, data: JsonObject) -> Message:
        return cls(
            chat_id=_str(data, "chatId"),
            message_id=_str(data, "messageId"),
            user_id=_str(data, "userId"),
            is_bot=_bool(data, "isBot"),
            text=_str(data, "text"),
            metadata=_object_or_none(data, "metadata"),
            version=_int(data, "version"),
            parent_version=_int_or_none(data, "parentVersion"),
            deleted=bool(data.get("deleted", False)),
            created_at=_time(data, "createdAt"),
            edited_at=_time_or_none(data, "editedAt"),
        )


@dataclass(frozen=True)
class MessageVersion:
    """One version of a message: what it said from `version_created_at` until the next one."""

    message_id: str
    version: int
    parent_version: int | None
    user_id: str
    is_bot: bool
    text: str
    metadata: JsonObject | None
    deleted: bool
    version_created_at: datetime

    @classmethod
    def from_json(cls, data: JsonObject) -> MessageVersion:
        return cls(
            message_id=_str(data, "messageId"),
            version=_int(data, "version"),
            parent_version=_int_or_none(data, "parentVersion"),
            user_id=_str(data, "userId"),
            is_bot=_bool(data, "isBot"),
            text=_str(data, "text"),
            metadata=_object_or_none(data, "metadata"),
            deleted=bool(data.get("deleted", False)),
            version_created_at=_time(data, "versionCreatedAt"),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing. Pass `next_cursor` back as the cursor for the next page; it is
    `None` on the last one. A page can hold fewer items than asked for, even none, while more
    follow: only the cursor says whether it is the last."""

    items: tuple[T, ...]
    next_cursor: str | None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


@dataclass(frozen=True)
class Appended:
    """The answer to an append. `replayed` is true when the service had already stored a
    message under this idempotency key and returned it instead of storing a second one
    (`Idempotent-Replayed: true`); `idempotency_key` is the key it was sent with."""

    message: Message
    replayed: bool
    idempotency_key: str


@dataclass(frozen=True)
class Settings:
    """A user's settings object and its version (the `ETag`); version 0: never written."""

    value: JsonObject
    version: int


@dataclass(frozen=True)
class Job:
    """A background job for one user. `status` is `queued`, `running`, `succeeded`, `failed`
    or `expired`, kept as a string so a status added later still parses."""

    job_id: str
    type: str
    user_id: str
    chat_id: str | None
    status: str
    attempts: int
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    result_url: str | None = None
    """An export's download link once it has succeeded, valid until `result_url_expires_at`."""
    result_url_expires_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    next_attempt_at: datetime | None = None

    @property
    def is_finished(self) -> bool:
        """True once the job will not change any more: neither `queued` nor `running`."""
        return self.status not in ("queued", "running")

    @property
    def is_succeeded(self) -> bool:
        return self.status == "succeeded"

    @classmethod
    def from_json(cls, data: JsonObject) -> Job:
        counts = data.get("counts") or {}
        if not isinstance(counts, dict):
            raise ValueError("counts is not an object")
        return cls(
            job_id=_str(data, "jobId"),
            type=_str(data, "type"),
            user_id=_str(data, "userId"),
            chat_id=_str_or_none(data, "chatId"),
            status=_str(data, "status"),
            attempts=int(data.get("attempts") or 0),
            counts={str(k): int(v) for k, v in counts.items()},
            error=_str_or_none(data, "error"),
            result_url=_str_or_none(data, "resultUrl"),
            result_url_expires_at=_time_or_none(data, "resultUrlExpiresAt"),
            created_at=_time_or_none(data, "createdAt"),
            updated_at=_time_or_none(data, "updatedAt"),
            next_attempt_at=_time_or_none(data, "nextAttemptAt"),
        )


# ------------------------------------------------------------------ reading fields strictly

def _str(data: JsonObject, name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise ValueError(f"{name} is not a string")
    return value


def _str_or_none(data: JsonObject, name: str) -> str | None:
    return None if data.get(name) is None else _str(data, name)


def _bool(data: JsonObject, name: str) -> bool:
    value = data.get(name)
    if not isinstance(value, bool):
        raise ValueError(f"{name} is not a boolean")
    return value


def _int(data: JsonObject, name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} is not an integer")
    return value


def _int_or_none(data: JsonObject, name: str) -> int | None:
    return None if data.get(name) is None else _int(data, name)


def _object_or_none(data: JsonObject, name: str) -> JsonObject | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"{name} is not an object")
    return copy.deepcopy(value)


# Java's Instant prints 0, 3, 6 or 9 fraction digits and "Z"; Python 3.10's fromisoformat takes
# neither 9 digits nor "Z", so the fraction is cut to microseconds and the zone spelt out.
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?")


def parse_timestamp(value: str) -> datetime:
    match = _TIMESTAMP.fullmatch(value.strip())
    if match is None:
        raise ValueError("not an ISO-8601 timestamp")
    base, fraction, zone = match.groups()
    text = base
    if fraction:
        text += "." + fraction[:6].ljust(6, "0")
    text += "+00:00" if zone in (None, "Z") else zone
    return datetime.fromisoformat(text)


def _time(data: JsonObject, name: str) -> datetime:
    return parse_timestamp(_str(data, name))


def _time_or_none(data: JsonObject, name: str) -> datetime | None:
    return None if data.get(name) is None else _time(data, name)
