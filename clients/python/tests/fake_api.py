"""A small in-memory fake of the message routes, as an `httpx.MockTransport` handler: enough of
the API's rules (idempotency per chat, versions and If-Match, soft deletes, newest-first pages
with cursors) for the LangChain history's tests. The integration tests hold it to the real
service: they run the same scenarios there."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx

_MESSAGES = re.compile(r"/v1/chats/([^/]+)/messages")
_MESSAGE = re.compile(r"/v1/chats/([^/]+)/messages/([^/]+)")


@dataclass
class StoredMessage:
    chat_id: str
    message_id: str
    user_id: str
    is_bot: bool
    text: str
    metadata: dict[str, Any] | None
    version: int = 1
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"chatId": self.chat_id, "messageId": self.message_id, "userId": self.user_id,
                "isBot": self.is_bot, "text": self.text, "metadata": self.metadata, "version": self.version,
                "parentVersion": None if self.version == 1 else self.version - 1, "deleted": self.deleted,
                "createdAt": "2026-11-28T09:15:02.123Z", "editedAt": None}


@dataclass
class FakeApi:
    messages: dict[str, list[StoredMessage]] = field(default_factory=dict)
    """Per chat, oldest first."""
    keys: dict[tuple[str, str], tuple[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    before_append: Callable[[httpx.Request], None] | None = None
    """Runs before each append is applied: another writer's turn."""
    lose_responses: int = 0
    """This many appends are applied and then answered with a dropped connection."""
    _next_id: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def chat(self, chat_id: str) -> list[StoredMessage]:
        return self.messages.setdefault(chat_id, [])

    def store(self, chat_id: str, body: dict[str, Any], key: str | None = None) -> tuple[StoredMessage, bool]:
        if key is not None and (chat_id, key) in self.keys:
            message_id, first_body = self.keys[(chat_id, key)]
            if first_body != body:
                raise _Refusal(422, "idempotency_key_reused")
            return next(m for m in self.chat(chat_id) if m.message_id == message_id), True
        self._next_id += 1
        message = StoredMessage(chat_id, f"m{self._next_id:06d}", body["userId"], body["isBot"], body["text"],
                                body.get("metadata"))
        self.chat(chat_id).append(message)
        if key is not None:
            self.keys[(chat_id, key)] = (message.message_id, body)
        return message, False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        try:
            return self._route(request)
        except _Refusal as refusal:
            return httpx.Response(refusal.status, json={"error": {"code": refusal.code, "message": refusal.code,
                                                                  "requestId": "req-1"}})

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if match := _MESSAGE.fullmatch(path):
            chat_id, message_id = unquote(match.group(1)), unquote(match.group(2))
            found = [m for m in self.chat(chat_id) if m.message_id == message_id]
            if not found:
                raise _Refusal(404, "message_not_found")
            message = found[0]
            if request.method == "GET":
                if message.deleted and request.url.params.get("includeDeleted") != "true":
                    raise _Refusal(404, "message_not_found")
                return _with_etag(message)
            if request.method == "DELETE":
                if message.deleted:
                    raise _Refusal(409, "message_deleted")
                if request.headers.get("If-Match") != f'"{message.version}"':
                    raise _Refusal(412, "precondition_failed")
                message.version += 1
                message.deleted = True
                return _with_etag(message)
        if match := _MESSAGES.fullmatch(path):
            chat_id = unquote(match.group(1))
            if request.method == "POST":
                if self.before_append is not None:
                    self.before_append(request)
                body = json.loads(request.content)
                stored, replayed = self.store(chat_id, body, request.headers.get("Idempotency-Key"))
                if self.lose_responses > 0:
                    self.lose_responses -= 1
                    raise httpx.ReadError("connection reset", request=request)
                response = _with_etag(stored, 201)
                if replayed:
                    response.headers["Idempotent-Replayed"] = "true"
                return response
            if request.method == "GET":
                return self._page(request, chat_id)
        raise _Refusal(404, "route_not_found")

    def _page(self, request: httpx.Request, chat_id: str) -> httpx.Response:
        limit = int(request.url.params.get("limit", "50"))
        start = int(request.url.params.get("cursor", "0"))
        include_deleted = request.url.params.get("includeDeleted") == "true"
        newest_first = list(reversed(self.chat(chat_id)))
        # Like the service, a page counts what it read: hidden deleted ones make it short.
        window = newest_first[start:start + limit]
        items = [m.to_json() for m in window if include_deleted or not m.deleted]
        more = start + limit < len(newest_first)
        return httpx.Response(200, json={"items": items, "nextCursor": str(start + limit) if more else None})


class _Refusal(Exception):
    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def _with_etag(message: StoredMessage, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=message.to_json(), headers={"ETag": f'"{message.version}"'})
