"""The LangChain history on the in-memory fake of the API: the storage convention exactly as
the Java adapters share it, positions and their idempotency keys, races, clear. No network."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    message_to_dict,
)

from chat_history import ChatHistoryClient, ChatHistoryError
from chat_history.langchain import ChatHistoryMessageHistory

from .conftest import SECRET, Sleeps
from .fake_api import FakeApi


def every_kind() -> list[BaseMessage]:
    """One of each message type langchain-core has, some with the extras a plain text would lose."""
    return [
        SystemMessage(content="You are terse."),
        HumanMessage(content="What is the weather in Oslo?"),
        AIMessage(content="", tool_calls=[{"name": "weather", "args": {"city": "Oslo"}, "id": "call-1",
                                           "type": "tool_call"}]),
        ToolMessage(content="-3 C, snow", tool_call_id="call-1", name="weather"),
        FunctionMessage(content="{\"ok\": true}", name="legacy_fn"),
        AIMessage(content="Cold: -3 C and snow."),
        ChatMessage(role="critic", content="Could be friendlier."),
        HumanMessage(content=[{"type": "text", "text": "thanks ✓"}]),
        HumanMessage(content="named", name="alice", id="h-1"),
    ]


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def client(api: FakeApi, sleeps: Sleeps) -> ChatHistoryClient:
    return ChatHistoryClient("http://api.test", SECRET, transport=api.transport(), sleep=sleeps)


def history_of(client: ChatHistoryClient, session_id: str = "conv-1", **options: Any) -> ChatHistoryMessageHistory:
    return ChatHistoryMessageHistory(session_id=session_id, client=client, **options)


def dicts(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    return [message_to_dict(m) for m in messages]


async def test_everyMessageType_shouldReadBackEqual(client: ChatHistoryClient) -> None:
    history = history_of(client)

    await history.aadd_messages(every_kind())

    assert dicts(await history.aget_messages()) == dicts(every_kind())


async def test_eachMessage_shouldBeOneAppend_storedByTheSharedConvention(
        api: FakeApi, client: ChatHistoryClient) -> None:
    history = history_of(client, user_id="alice", bot_id="bot-7")

    await history.aadd_messages(every_kind())

    stored = api.chat("conv-1")
    appends = [r for r in api.requests if r.method == "POST"]
    assert [r.headers["Idempotency-Key"] for r in appends] == [f"memory-{i}" for i in range(9)]
    assert [(m.user_id, m.is_bot) for m in stored] == [
        ("bot-7", True), ("alice", False), ("bot-7", True), ("bot-7", True), ("bot-7", True),
        ("bot-7", True), ("bot-7", True), ("alice", False), ("alice", False)]
    memories = [m.metadata["memory"] for m in stored if m.metadata]
    assert [(x["pos"], x["role"], x["format"]) for x in memories] == [
        (0, "system", "text"), (1, "user", "text"), (2, "assistant", "json"), (3, "tool", "json"),
        (4, "tool", "json"), (5, "assistant", "text"), (6, "other", "json"), (7, "user", "json"),
        (8, "user", "json")]
    assert all(x["v"] == 1 and x["kind"] == "langchain" and len(x) == 5 for x in memories)
    assert stored[0].text == "You are terse."
    assert json.loads(stored[2].text) == message_to_dict(every_kind()[2])


async def test_aModelAnswer_withAnIdOrMetadata_shouldBeKeptAsJson(api: FakeApi, client: ChatHistoryClient) -> None:
    answer = AIMessage(content="Hi", id="lc_run-1", response_metadata={"model_name": "fake"})

    await history_of(client).aadd_messages([answer])

    assert api.chat("conv-1")[0].metadata == {
        "memory": {"v": 1, "pos": 0, "role": "assistant", "format": "json", "kind": "langchain"}}
    assert dicts(await history_of(client).aget_messages()) == dicts([answer])


async def test_positions_shouldContinueAfterDeletedAndSkipForeignMessages(
        api: FakeApi, client: ChatHistoryClient) -> None:
    history = history_of(client)
    await history.aadd_messages([HumanMessage(content="one"), AIMessage(content="two")])
    await history.aclear()
    # Another API user writes into the same chat, newest of all: not part of the memory.
    api.store("conv-1", {"userId": "ops", "isBot": True, "text": "maintenance notice"})

    await history.aadd_messages([HumanMessage(content="three")])

    assert [m.metadata["memory"]["pos"] for m in api.chat("conv-1") if m.metadata] == [0, 1, 2]
    assert dicts(await history.aget_messages()) == dicts([HumanMessage(content="three")])


async def test_nextPosition_shouldBeOneReadOfOneMessage_whenTheNewestIsRemembered(
        api: FakeApi, client: ChatHistoryClient) -> None:
    history = history_of(client)
    await history.aadd_messages([HumanMessage(content=f"m{i}") for i in range(5)])
    api.requests.clear()

    await history.aadd_messages([HumanMessage(content="next")])

    reads = [r for r in api.requests if r.method == "GET"]
    assert [(r.url.params["limit"], r.url.params["includeDeleted"]) for r in reads] == [("1", "true")]


async def test_messages_shouldBeInPositionOrder_acrossPages_skippingOthersAndDeleted(
        api: FakeApi, client: ChatHistoryClient) -> None:
    history = history_of(client)
    for i in range(120):
        if i % 40 == 0:
            api.store("conv-1", {"userId": "ops", "isBot": True, "text": f"foreign {i}"})
        await history.aadd_messages([HumanMessage(content=f"m{i}")])
    victim = api.chat("conv-1")[10]
    await client.delete("conv-1", victim.message_id, victim.version)

    texts = [m.content for m in await history.aget_messages()]

    assert len(texts) == 119
    assert texts == [f"m{i}" for i in range(120) if f"m{i}" != victim.text]


async def test_aWindowWrittenByTheJavaAdapters_shouldBeIgnored(api: FakeApi, client: ChatHistoryClient) -> None:
    api.store("conv-1", {"userId": "user", "isBot": False, "text": "from java", "metadata": {"memory": {
        "v": 1, "pos": 0, "role": "user", "format": "text", "kind": "langchain4j"}}})
    api.store("conv-1", {"userId": "assistant", "isBot": True, "text": "{\"text\":\"hi\"}", "metadata": {"memory": {
        "v": 1, "pos": 1, "role": "assistant", "format": "json", "kind": "langchain4j",
        "window": {"ids": [], "from": 1}}}})

    read = await history_of(client).aget_messages()

    assert dicts(read) == dicts([HumanMessage(content="from java"), AIMessage(content="{\"text\":\"hi\"}")])


async def test_aRetriedAppend_whoseResponseWasLost_shouldBeStoredOnce(
        api: FakeApi, client: ChatHistoryClient) -> None:
    api.lose_responses = 1

    await history_of(client).aadd_messages([HumanMessage(content="only once")])

    assert [m.text for m in api.chat("conv-1")] == ["only once"]
    assert len([r for r in api.requests if r.method == "POST"]) == 2


async def test_aPositionTakenByAnotherWriter_shouldBeLookedUpAgainOnce(
        api: FakeApi, client: ChatHistoryClient) -> None:
    other = {"userId": "user", "isBot": False, "text": "the other writer's",
             "metadata": {"memory": {"v": 1, "pos": 0, "role": "user", "format": "text", "kind": "langchain"}}}

    def race(request: httpx.Request) -> None:
        api.before_append = None
        api.store("conv-1", other, key="memory-0")

    api.before_append = race

    await history_of(client).aadd_messages([HumanMessage(content="mine"), AIMessage(content="reply")])

    assert [(m.text, m.metadata["memory"]["pos"]) for m in api.chat("conv-1") if m.metadata] == [
        ("the other writer's", 0), ("mine", 1), ("reply", 2)]


async def test_aPositionTakenTwice_shouldRaise(api: FakeApi, client: ChatHistoryClient) -> None:
    def race(request: httpx.Request) -> None:
        taken = len(api.chat("conv-1"))
        api.store("conv-1", {"userId": "user", "isBot": False, "text": f"other {taken}", "metadata": {
            "memory": {"v": 1, "pos": taken, "role": "user", "format": "text", "kind": "langchain"}}},
            key=f"memory-{taken}")

    api.before_append = race

    with pytest.raises(ChatHistoryError) as failure:
        await history_of(client).aadd_messages([HumanMessage(content="mine")])

    assert failure.value.code == "idempotency_key_reused"
    assert "mine" not in [m.text for m in api.chat("conv-1")]


async def test_clear_shouldSoftDeleteOnlyTheMemory(api: FakeApi, client: ChatHistoryClient) -> None:
    history = history_of(client)
    await history.aadd_messages([HumanMessage(content="a"), AIMessage(content="b")])
    api.store("conv-1", {"userId": "ops", "isBot": True, "text": "foreign"})

    await history.aclear()

    assert [(m.text, m.deleted) for m in api.chat("conv-1")] == [("a", True), ("b", True), ("foreign", False)]
    assert [r.headers["If-Match"] for r in api.requests if r.method == "DELETE"] == ['"1"', '"1"']
    assert await history.aget_messages() == []


def test_syncMethods_shouldWorkOutsideAnyLoop(client: ChatHistoryClient) -> None:
    history = history_of(client)
    try:
        history.add_messages([HumanMessage(content="hi")])
        history.add_user_message("and again")
        assert dicts(history.messages) == dicts([HumanMessage(content="hi"), HumanMessage(content="and again")])
        history.clear()
        assert history.messages == []
    finally:
        history.close()


async def test_syncMethods_shouldWorkInsideARunningLoop(client: ChatHistoryClient) -> None:
    history = history_of(client)
    try:
        history.add_messages([AIMessage(content="from inside a loop")])
        assert [m.content for m in history.messages] == ["from inside a loop"]
        # And the async path on this loop alongside.
        assert [m.content for m in await history.aget_messages()] == ["from inside a loop"]
    finally:
        await history.aclose()


@pytest.mark.parametrize("session_id", ["", ".", "..", "a/b", "x" * 129, "héllo", "a b"])
def test_aSessionIdThatIsNoChatId_shouldBeRefused(client: ChatHistoryClient, session_id: str) -> None:
    with pytest.raises(ValueError, match="session_id"):
        history_of(client, session_id=session_id)


def test_construction_shouldTakeEitherAClientOrUrlAndKey(client: ChatHistoryClient) -> None:
    with pytest.raises(ValueError):
        ChatHistoryMessageHistory(session_id="s", base_url="http://api.test", api_key=SECRET, client=client)
    with pytest.raises(ValueError):
        ChatHistoryMessageHistory(session_id="s", base_url="http://api.test")
    own = ChatHistoryMessageHistory(session_id="s..1:x", base_url="http://api.test", api_key=SECRET)
    assert SECRET not in repr(own)
    with pytest.raises(ValueError, match="user_id"):
        ChatHistoryMessageHistory(session_id="s", client=client, user_id="a/b")
    asyncio.run(own.aclose())
