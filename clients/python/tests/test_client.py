"""The client on a scripted transport: requests as sent, retries and their delays, idempotency
keys, errors and their redaction, paging. No network."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import respx

from chat_history import (
    INVALID_RESPONSE,
    NO_RESPONSE,
    ChatHistoryClient,
    ChatHistoryError,
    ConflictError,
    RetryPolicy,
)

from .conftest import SECRET, ClientFactory, Scripted, Sleeps


def message_json(version: int = 1, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"chatId": "chat-1", "messageId": "m1", "userId": "alice", "isBot": False,
                            "text": "hi", "metadata": None, "version": version,
                            "parentVersion": None if version == 1 else version - 1, "deleted": False,
                            "createdAt": "2026-11-28T09:15:02.123Z", "editedAt": None}
    body.update(fields)
    return body


def message_response(status: int = 200, version: int = 1, **fields: Any) -> httpx.Response:
    return httpx.Response(status, json=message_json(version, **fields), headers={"ETag": f'"{version}"'})


def error_response(status: int, code: str, **extra: Any) -> httpx.Response:
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra.pop("retry_after"))
    return httpx.Response(status, json={"error": {"code": code, "message": f"about {code}",
                                                  "requestId": "req-9", **extra}}, headers=headers)


# ---------------------------------------------------------------------- requests as sent


async def test_append_shouldSendTheMessageWithKeyAndAuthorization(make_client: ClientFactory) -> None:
    script = Scripted([message_response(201)])
    client = make_client(script, idempotency_keys=lambda: "generated-1")

    appended = await client.append("chat-1", user_id="alice", is_bot=False, text="hi",
                                   metadata={"platformUpdateId": 4711})

    sent = script.requests[0]
    assert sent.method == "POST"
    assert str(sent.url) == "http://api.test/v1/chats/chat-1/messages"
    assert sent.headers["Authorization"] == f"Bearer {SECRET}"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Idempotency-Key"] == "generated-1"
    assert json.loads(sent.content) == {"userId": "alice", "isBot": False, "text": "hi",
                                        "metadata": {"platformUpdateId": 4711}}
    assert appended.idempotency_key == "generated-1"
    assert appended.replayed is False
    assert appended.message.created_at == datetime(2026, 11, 28, 9, 15, 2, 123000, tzinfo=timezone.utc)


async def test_append_shouldUseAFreshKeyPerAppend_andTheCallersKeyWhenGiven(make_client: ClientFactory) -> None:
    replayed = message_response(201)
    replayed.headers["Idempotent-Replayed"] = "true"
    script = Scripted([message_response(201), message_response(201), replayed])
    client = make_client(script)

    first = await client.append("chat-1", user_id="alice", is_bot=False, text="a")
    second = await client.append("chat-1", user_id="alice", is_bot=False, text="b")
    mine = await client.append("chat-1", user_id="alice", is_bot=False, text="c", idempotency_key="update-7")

    keys = [r.headers["Idempotency-Key"] for r in script.requests]
    assert keys[0] != keys[1]
    assert keys[2] == "update-7"
    assert [first.idempotency_key, second.idempotency_key] == keys[:2]
    assert mine.replayed is True


async def test_append_shouldRepeatItsKeyOnEveryRetry(make_client: ClientFactory, sleeps: Sleeps) -> None:
    lost = httpx.ReadError("connection reset")
    script = Scripted([error_response(503, "service_unavailable"), lost, message_response(201)])
    client = make_client(script)

    await client.append("chat-1", user_id="alice", is_bot=False, text="once")

    assert len({r.headers["Idempotency-Key"] for r in script.requests}) == 1
    assert len({r.content for r in script.requests}) == 1
    assert len(sleeps.delays) == 2


async def test_listMessages_shouldSendItsQuery_andReadThePage(make_client: ClientFactory) -> None:
    script = Scripted([httpx.Response(200, json={"items": [message_json()], "nextCursor": "c2"})])
    client = make_client(script)

    page = await client.list_messages("chat-1", limit=3, cursor="c 1/+", include_deleted=True,
                                      consistency="eventual")

    assert script.requests[0].url.params == httpx.QueryParams(
        {"limit": "3", "cursor": "c 1/+", "includeDeleted": "true", "consistency": "eventual"})
    assert [m.message_id for m in page.items] == ["m1"]
    assert page.next_cursor == "c2"
    assert page.has_more


async def test_defaults_shouldStayOffTheWire(make_client: ClientFactory) -> None:
    script = Scripted([httpx.Response(200, json={"items": [], "nextCursor": None})])

    await make_client(script).list_messages("chat-1")

    assert str(script.requests[0].url) == "http://api.test/v1/chats/chat-1/messages"


async def test_ids_shouldBeOnePathSegmentEach(make_client: ClientFactory) -> None:
    script = Scripted([message_response(), message_response()])
    client = make_client(script)

    await client.get_message("a/b", "..", include_deleted=True)
    await client.get_message(".", "m1")

    assert script.requests[0].url.raw_path == b"/v1/chats/a%2Fb/messages/%2E%2E?includeDeleted=true"
    assert script.requests[1].url.raw_path == b"/v1/chats/%2E/messages/m1"
    with pytest.raises(ValueError):
        await client.get_message("", "m1")


async def test_editAndDelete_shouldSendTheVersionAsIfMatch(make_client: ClientFactory) -> None:
    script = Scripted([message_response(version=4), message_response(version=5),
                       message_response(version=6, deleted=True)])
    client = make_client(script)

    edited = await client.edit("chat-1", "m1", 3, text="new")
    cleared = await client.edit("chat-1", "m1", 4, metadata=None)
    deleted = await client.delete("chat-1", "m1", 5)

    assert [r.method for r in script.requests] == ["PATCH", "PATCH", "DELETE"]
    assert [r.headers["If-Match"] for r in script.requests] == ['"3"', '"4"', '"5"']
    assert json.loads(script.requests[0].content) == {"text": "new"}
    assert json.loads(script.requests[1].content) == {"metadata": None}
    assert script.requests[2].content == b""
    assert edited.version == 4 and edited.parent_version == 3
    assert cleared.version == 5
    assert deleted.deleted
    with pytest.raises(ValueError):
        await client.edit("chat-1", "m1", 1)


async def test_settings_shouldTakeTheirVersionFromTheETag(make_client: ClientFactory) -> None:
    script = Scripted([
        httpx.Response(200, json={}, headers={"ETag": '"0"'}),
        httpx.Response(200, json={"language": "de"}, headers={"ETag": '"1"'}),
        httpx.Response(200, json={"language": "fr"}, headers={"ETag": '"2"'}),
        httpx.Response(200, json={"language": "fr"}),
    ])
    client = make_client(script)

    never = await client.get_settings("alice")
    created = await client.put_settings("alice", {"language": "de"}, 0)
    overwritten = await client.overwrite_settings("alice", {"language": "fr"})
    with pytest.raises(ChatHistoryError) as no_version:
        await client.get_settings("alice")

    assert (never.value, never.version) == ({}, 0)
    assert (created.value, created.version) == ({"language": "de"}, 1)
    assert overwritten.version == 2
    assert [r.headers.get("If-Match") for r in script.requests] == [None, '"0"', "*", None]
    assert str(script.requests[1].url) == "http://api.test/v1/users/alice/settings"
    assert no_version.value.code == INVALID_RESPONSE


async def test_jobs_shouldBeSubmittedAndRead(make_client: ClientFactory) -> None:
    job = {"jobId": "j1", "type": "archive", "userId": "alice", "chatId": "chat-1", "status": "queued",
           "attempts": 0, "counts": {}, "error": None, "resultUrl": None, "resultUrlExpiresAt": None,
           "createdAt": "2026-11-28T09:15:02Z", "updatedAt": "2026-11-28T09:15:02.123456789Z",
           "nextAttemptAt": None}
    done = dict(job, status="succeeded", counts={"messagesArchived": 3})
    script = Scripted([httpx.Response(202, json=job), httpx.Response(200, json=done)])
    client = make_client(script)

    submitted = await client.submit_job("alice", "archive", chat_id="chat-1")
    read = await client.get_job("j1")

    assert json.loads(script.requests[0].content) == {"type": "archive", "chatId": "chat-1"}
    assert str(script.requests[1].url) == "http://api.test/v1/jobs/j1"
    assert not submitted.is_finished
    assert read.is_finished and read.is_succeeded
    assert read.counts == {"messagesArchived": 3}
    assert read.updated_at is not None and read.updated_at.microsecond == 123456


async def test_respx_shouldSeeTheSameRequests() -> None:
    """The client on its default transport, mocked by respx rather than injected."""
    with respx.mock(base_url="http://api.test") as mock:
        route = mock.get("/v1/jobs/j1").respond(404, json={"error": {"code": "job_not_found", "message": "no"}})
        async with ChatHistoryClient("http://api.test", SECRET) as client:
            with pytest.raises(ChatHistoryError) as missing:
                await client.get_job("j1")
    assert route.call_count == 1
    assert (missing.value.status, missing.value.code) == (404, "job_not_found")


# ---------------------------------------------------------------------- retries


async def test_retries_shouldBackOffWithFullJitter_andGiveUpAfterMaxAttempts(
        make_client: ClientFactory, sleeps: Sleeps) -> None:
    script = Scripted([error_response(502, "bad_gateway")] * 4)
    client = make_client(script, jitter=lambda: 0.5)

    with pytest.raises(ChatHistoryError) as failure:
        await client.get_message("chat-1", "m1")

    assert len(script.requests) == 4
    assert sleeps.delays == [0.05, 0.1, 0.2]
    assert failure.value.status == 502


async def test_backoff_shouldBeCappedAtMaxDelay(make_client: ClientFactory, sleeps: Sleeps) -> None:
    script = Scripted([httpx.ConnectError("refused")] * 7 + [message_response()])
    client = make_client(script, retry_policy=RetryPolicy(max_attempts=8, base_delay=1.0, max_delay=5.0))

    await client.get_message("chat-1", "m1")

    assert sleeps.delays == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]


async def test_retryAfter_shouldBeHonoured_upToItsCap(make_client: ClientFactory, sleeps: Sleeps) -> None:
    script = Scripted([error_response(429, "rate_limited", retry_after=2),
                       error_response(503, "service_unavailable", retry_after=60),
                       httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}),
                       message_response()])
    client = make_client(script)

    await client.get_message("chat-1", "m1")

    # The HTTP-date is not understood: the third wait is the usual backoff (0.4 s at jitter 1).
    assert sleeps.delays == [2.0, 5.0, 0.4]


@pytest.mark.parametrize("status", [400, 401, 404, 409, 422, 500])
async def test_errorsThatRepeatTheSame_shouldNotBeRetried(make_client: ClientFactory, status: int) -> None:
    script = Scripted([error_response(status, "whatever")])

    with pytest.raises(ChatHistoryError) as failure:
        await make_client(script).get_message("chat-1", "m1")

    assert len(script.requests) == 1
    assert failure.value.status == status


async def test_jobSubmission_shouldBeRetriedOnlyWhenNothingCanHaveBeenDone(
        make_client: ClientFactory) -> None:
    job: dict[str, Any] = {"jobId": "j1", "type": "recount", "userId": "alice", "chatId": None, "status": "queued",
           "attempts": 0, "counts": {}, "error": None, "resultUrl": None, "resultUrlExpiresAt": None,
           "createdAt": "2026-11-28T09:15:02Z", "updatedAt": "2026-11-28T09:15:02Z", "nextAttemptAt": None}
    retried = Scripted([error_response(429, "job_quota_exceeded", retry_after=1),
                        error_response(503, "service_unavailable"), httpx.ConnectError("refused"),
                        httpx.Response(202, json=job)])
    await make_client(retried).submit_job("alice", "recount")
    assert len(retried.requests) == 4

    for answer in (error_response(502, "bad_gateway"), error_response(504, "timeout"),
                   httpx.ReadError("reset"), httpx.ReadTimeout("slow")):
        once = Scripted([answer])
        with pytest.raises(ChatHistoryError):
            await make_client(once).submit_job("alice", "recount")
        assert len(once.requests) == 1, answer


async def test_aLostResponse_shouldBeRetriedForReads_andEndAsNoResponse(make_client: ClientFactory) -> None:
    script = Scripted([httpx.ReadTimeout("slow")] * 4)

    with pytest.raises(ChatHistoryError) as failure:
        await make_client(script).get_message("chat-1", "m1")

    assert len(script.requests) == 4
    assert (failure.value.status, failure.value.code) == (0, NO_RESPONSE)
    assert "ReadTimeout" in str(failure.value)


async def test_oneAttempt_shouldTurnRetriesOff(make_client: ClientFactory) -> None:
    script = Scripted([error_response(503, "service_unavailable")])

    with pytest.raises(ChatHistoryError):
        await make_client(script, retry_policy=RetryPolicy(max_attempts=1)).get_message("chat-1", "m1")

    assert len(script.requests) == 1
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


# ---------------------------------------------------------------------- errors


async def test_412_shouldBeAConflict_withTheCurrentVersionFromBodyOrETag(make_client: ClientFactory) -> None:
    script = Scripted([error_response(412, "precondition_failed", currentVersion=7),
                       httpx.Response(412, json={"error": {"code": "precondition_failed"}},
                                      headers={"ETag": '"8"'})])
    client = make_client(script)

    with pytest.raises(ConflictError) as from_body:
        await client.delete("chat-1", "m1", 1)
    with pytest.raises(ConflictError) as from_etag:
        await client.edit("chat-1", "m1", 1, text="x")

    assert from_body.value.current_version == 7
    assert from_body.value.status == 412
    assert from_body.value.request_id == "req-9"
    assert from_etag.value.current_version == 8


async def test_errorFormats_shouldAllBeRead(make_client: ClientFactory) -> None:
    script = Scripted([
        httpx.Response(403, json={"message": "Forbidden"}, headers={"apigw-requestid": "gw-1"}),
        httpx.Response(403, text="<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>",
                       headers={"x-amz-request-id": "s3-1"}),
        httpx.Response(404, text="x" * 500),
    ])
    client = make_client(script)
    failures = []
    for _ in range(3):
        with pytest.raises(ChatHistoryError) as failure:
            await client.get_settings("alice")
        failures.append(failure.value)

    assert [(f.status, f.code, f.message, f.request_id) for f in failures[:2]] == [
        (403, "unauthorized", "Forbidden", "gw-1"), (403, "SignatureDoesNotMatch", "no", "s3-1")]
    assert failures[2].code is None
    assert failures[2].message == "x" * 200 + "..."


async def test_anETagThatDisagreesWithTheBody_shouldBeAnInvalidResponse(make_client: ClientFactory) -> None:
    bad = httpx.Response(200, json=message_json(version=2), headers={"ETag": '"3"'})
    unreadable = httpx.Response(200, text="not json")

    for answer in (bad, unreadable):
        with pytest.raises(ChatHistoryError) as failure:
            await make_client(Scripted([answer])).get_message("chat-1", "m1")
        assert failure.value.code == INVALID_RESPONSE


async def test_errors_shouldNeverContainTheKey(make_client: ClientFactory) -> None:
    echo = f"you sent Authorization: Bearer {SECRET}"
    script = Scripted([
        httpx.Response(400, json={"error": {"code": "bad", "message": echo, "requestId": SECRET}}),
        httpx.Response(502, text=echo),
        httpx.ConnectError(echo),
    ])
    client = make_client(script, retry_policy=RetryPolicy(max_attempts=1))
    texts = [repr(client), str(client)]
    for _ in range(3):
        with pytest.raises(ChatHistoryError) as failure:
            await client.get_message("chat-1", "m1")
        texts += [str(failure.value), repr(failure.value), str(failure.value.args)]
        assert failure.value.message is not None and "[redacted]" in failure.value.message

    assert all(SECRET not in text for text in texts)


# ---------------------------------------------------------------------- paging


async def test_history_shouldFetchLazily_followCursors_andStartAgainEachIteration(
        make_client: ClientFactory) -> None:
    pages = [
        {"items": [message_json(messageId="m3"), message_json(messageId="m2")], "nextCursor": "c1"},
        {"items": [], "nextCursor": "c2"},  # a page of deleted messages only: not the end
        {"items": [message_json(messageId="m1")], "nextCursor": None},
    ]
    script = Scripted([httpx.Response(200, json=p) for p in pages * 2])
    client = make_client(script)

    history = client.history("chat-1", page_size=2)
    assert script.requests == []
    iterator = history.__aiter__()
    first = await iterator.__anext__()
    assert len(script.requests) == 1
    rest = [m.message_id async for m in iterator]
    again = await history.to_list()

    assert [first.message_id, *rest] == ["m3", "m2", "m1"]
    assert [m.message_id for m in again] == ["m3", "m2", "m1"]
    assert [r.url.params.get("cursor") for r in script.requests] == [None, "c1", "c2", None, "c1", "c2"]
    assert {r.url.params["limit"] for r in script.requests} == {"2"}


async def test_versions_shouldPageNewestFirst(make_client: ClientFactory) -> None:
    version = {"messageId": "m1", "version": 2, "parentVersion": 1, "userId": "alice", "isBot": False,
               "text": "b", "metadata": None, "deleted": False, "versionCreatedAt": "2026-11-28T09:16:40.001Z"}
    script = Scripted([httpx.Response(200, json={"items": [version], "nextCursor": "v"}),
                       httpx.Response(200, json={"items": [dict(version, version=1, parentVersion=None,
                                                                text="a")], "nextCursor": None})])

    versions = await make_client(script).versions("chat-1", "m1").to_list()

    assert [(v.version, v.text) for v in versions] == [(2, "b"), (1, "a")]
    assert script.requests[0].url.path == "/v1/chats/chat-1/messages/m1/versions"
