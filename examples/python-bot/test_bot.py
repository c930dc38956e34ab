"""The bot against a running service (CHAT_HISTORY_URL, CHAT_HISTORY_KEY), run as a user would
run it: a few turns, then, in a second run, one more that carries on the same conversation."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bot import SCRIPT
from chat_history import ChatHistoryClient
from chat_history.langchain import ChatHistoryMessageHistory

HERE = Path(__file__).parent


@pytest.fixture
def service() -> tuple[str, str]:
    url, key = os.environ.get("CHAT_HISTORY_URL"), os.environ.get("CHAT_HISTORY_KEY")
    if not url or not key:
        if os.environ.get("CHAT_HISTORY_REQUIRE_SERVICE") == "1":
            pytest.fail("CHAT_HISTORY_URL and CHAT_HISTORY_KEY must be set")
        pytest.skip("set CHAT_HISTORY_URL and CHAT_HISTORY_KEY to run against a service")
    return url, key


def run_bot(chat_id: str, *lines: str) -> list[str]:
    """The bot's output lines; it runs with this interpreter and this test's import path."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, str(HERE / "bot.py"), "--chat-id", chat_id, *lines], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


def test_theBot_shouldRememberItsTurnsInTheService_acrossRuns(service: tuple[str, str]) -> None:
    chat = f"bot-{uuid.uuid4().hex[:10]}"

    first = run_bot(chat, "Hi, I am Alice.", "I like tea.", "What do you remember?")
    second = run_bot(chat, "Still there?")

    assert first == [f"[0 messages remembered in {chat}]",
                     "you: Hi, I am Alice.", f"bot: {SCRIPT[0]}",
                     "you: I like tea.", f"bot: {SCRIPT[1]}",
                     "you: What do you remember?", f"bot: {SCRIPT[2]}"]
    # The second run picks the script's fourth line because it remembers three turns.
    assert second == [f"[6 messages remembered in {chat}]", "you: Still there?", f"bot: {SCRIPT[3]}"]
    asyncio.run(check_the_chat(service, chat))


async def check_the_chat(service: tuple[str, str], chat: str) -> None:
    async with ChatHistoryClient(*service) as client:
        stored = (await client.history(chat).to_list())[::-1]
        remembered = await ChatHistoryMessageHistory(session_id=chat, client=client).aget_messages()

    assert [(m.user_id, m.is_bot) for m in stored] == [("user", False), ("assistant", True)] * 4
    assert [m.metadata["memory"]["pos"] for m in stored if m.metadata] == list(range(8))
    assert [m.content for m in remembered] == [
        "Hi, I am Alice.", SCRIPT[0], "I like tea.", SCRIPT[1], "What do you remember?", SCRIPT[2],
        "Still there?", SCRIPT[3]]
    assert [m.type for m in remembered] == ["human", "ai"] * 4
