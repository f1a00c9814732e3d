"""Synthetic chat history for the search benchmark: a third Chinese, Zipf-distributed words
(a few very common, most rare), some links and file names; written in bulk straight into the
client's cache or the server's database (their own schema, triggers and index), not through the
API."""

from __future__ import annotations

import itertools
import random
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import msgspec

from messenger.core.store.search_index import REBUILD
from messenger.server.storage.sqlite.migrations.v0003_search_index import SQL as SERVER_INDEX
from messenger.server.storage.sqlite.script import run_script

_COMMON_EN = [
    "the",
    "meeting",
    "is",
    "at",
    "noon",
    "tomorrow",
    "please",
    "send",
    "me",
    "report",
    "thanks",
    "ok",
    "see",
    "you",
    "later",
    "can",
    "we",
    "talk",
    "about",
    "project",
    "budget",
    "deadline",
    "review",
    "design",
    "code",
    "release",
    "bug",
    "fix",
    "test",
    "lunch",
    "coffee",
    "call",
    "today",
    "yesterday",
    "week",
    "month",
    "plan",
    "idea",
    "team",
    "client",
    "server",
    "update",
    "photo",
    "video",
    "file",
    "document",
]
_COMMON_ZH = [
    "我们",
    "你好",
    "明天",
    "今天",
    "开会",
    "项目",
    "报告",
    "时间",
    "问题",
    "工作",
    "老师",
    "同学",
    "周末",
    "吃饭",
    "电话",
    "地址",
    "文件",
    "照片",
    "视频",
    "会议",
    "客户",
    "预算",
    "设计",
    "测试",
    "发布",
    "修复",
    "下午",
    "上午",
    "晚上",
    "谢谢",
    "好的",
    "没问题",
    "可以",
    "已经",
    "知道",
    "觉得",
    "因为",
    "所以",
    "但是",
    "如果",
    "还是",
    "一起",
    "朋友",
    "公司",
    "北京",
    "上海",
    "深圳",
    "天气",
    "旅行",
    "计划",
    "孩子",
    "学校",
]
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "ta",
    "su",
    "vi",
    "no",
    "pe",
    "za",
    "qu",
    "har",
    "ben",
    "dor",
    "lin",
    "mar",
    "tes",
    "fol",
    "gri",
    "wun",
]
_CHARS = "的一是不了人在有这上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多"


def _rare_words(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(n)]


@dataclass(frozen=True, slots=True)
class Corpus:
    conversations: int
    messages: int
    seed: int = 7

    def texts(self) -> Iterator[tuple[int, str, str]]:
        """(conversation index, kind, body JSON) in time order."""
        rng = random.Random(self.seed)
        rare = _rare_words(rng, 20_000)
        weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(rare))))
        encode = msgspec.json.encode
        for i in range(self.messages):
            # one busy chat holds a tenth of everything (the "hit 50,000 messages back")
            conv = 0 if rng.random() < 0.1 else rng.randrange(self.conversations)
            roll = rng.random()
            if roll < 0.01:
                name = f"{rng.choice(rare)}_{rng.choice(_COMMON_EN)}.pdf"
                body = {"media_id": "0" * 64, "name": name, "size": 1000}
                yield conv, "file", encode(body).decode()
                continue
            if i % 3 == 0:
                words = rng.choices(_COMMON_ZH, k=rng.randint(2, 6))
                words += ["".join(rng.choices(_CHARS, k=rng.randint(1, 4)))]
                text = "".join(words) + (
                    "，" + rng.choice(_COMMON_ZH) if rng.random() < 0.5 else ""
                )
            else:
                words = rng.choices(_COMMON_EN, k=rng.randint(2, 8))
                words += rng.choices(rare, cum_weights=weights, k=rng.randint(1, 3))
                rng.shuffle(words)
                text = " ".join(words)
            if roll > 0.97:
                text += f" https://example.com/{rng.choice(rare)}"
            yield conv, "text", encode({"text": text}).decode()


START_MS = 1_600_000_000_000
STEP_MS = 30_000  # one message every 30 s: 1,000,000 of them span about a year


def fill_client_cache(conn: sqlite3.Connection, corpus: Corpus, me: str) -> None:
    """Write the corpus into a client store's ``messages`` and ``conversations`` tables: C2C
    chats with peers ``p0000``…, half of the messages mine; then index it as a migration does
    (in one statement: the triggers, row by row, take several times longer)."""
    conn.execute("DROP TRIGGER messages_fts_insert")
    seqs = [0] * corpus.conversations
    last_time = [0] * corpus.conversations
    rows = []
    conn.execute("BEGIN")
    for n, (conv, kind, body) in enumerate(corpus.texts()):
        seqs[conv] += 1
        time_ms = START_MS + n * STEP_MS
        last_time[conv] = time_ms
        peer = f"p{conv:04d}"
        mine = n % 2 == 0
        rows.append(
            (
                f"C2C{peer}",
                uuid.UUID(int=n).hex,
                seqs[conv],
                f"c{n}",
                "c2c",
                peer if mine else me,
                me if mine else peer,
                time_ms,
                kind,
                body.encode(),
                int(mine),
            )
        )
        if len(rows) == 20_000:
            _insert_client(conn, rows)
            rows.clear()
    _insert_client(conn, rows)
    conn.executemany(
        "INSERT INTO conversations (conversation_id, conv_type, target, last_seq, activity_time, "
        "read_seq) VALUES (?, 'c2c', ?, ?, ?, ?)",
        [(f"C2Cp{c:04d}", f"p{c:04d}", seqs[c], last_time[c], seqs[c]) for c in range(len(seqs))],
    )
    conn.execute("COMMIT")
    conn.executescript(f"BEGIN; {REBUILD} COMMIT;")


def _insert_client(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO messages (conversation_id, message_id, seq, client_msg_id, conv_type, target, "
        "sender, time, kind, body, state, is_self) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?)",
        rows,
    )


def fill_server(conn: sqlite3.Connection, corpus: Corpus, users: int) -> list[str]:
    """Write the corpus into a server database: groups of 20 of ``users`` users (``u0000``…),
    messages by their members; then index it as the schema step does (in one statement).
    Returns the users."""
    conn.execute("DROP TRIGGER message_index_insert")
    rng = random.Random(corpus.seed + 1)
    names = [f"u{i:04d}" for i in range(users)]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO users (user_id, nickname, created) VALUES (?, ?, 0)",
        [(u, u) for u in names],
    )
    members: list[list[str]] = []
    for c in range(corpus.conversations):
        conv_id = c + 1
        group_id = f"g{c:04d}"
        conn.execute(
            "INSERT INTO conversations (id, kind, key) VALUES (?, 'group', ?)", (conv_id, group_id)
        )
        conn.execute(
            "INSERT INTO groups (conv_id, group_id, name, type, owner, create_time, max_members, "
            "member_count) VALUES (?, ?, ?, 'Work', ?, 0, 200, 20)",
            (conv_id, group_id, group_id, names[0]),
        )
        chosen = rng.sample(names, 20)
        members.append(chosen)
        conn.executemany(
            "INSERT INTO participants (conv_id, user_id, conversation_id, kind) "
            "VALUES (?, ?, ?, 'group')",
            [(conv_id, u, "GROUP" + group_id) for u in chosen],
        )
    seqs = [0] * corpus.conversations
    rows = []
    for row in server_rows(corpus, members, rng, seqs):
        rows.append(row)
        if len(rows) == 20_000:
            _insert_server(conn, rows)
            rows.clear()
    _insert_server(conn, rows)
    conn.executemany(
        "UPDATE conversations SET last_seq = ?, version = ? WHERE id = ?",
        [(seqs[c], corpus.messages, c + 1) for c in range(corpus.conversations)],
    )
    conn.execute("UPDATE meta SET value = ? WHERE key = 'version'", (corpus.messages + 1,))
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    run_script(conn, SERVER_INDEX)  # the triggers again, and every message indexed
    conn.execute("COMMIT")
    return names


SERVER_COLUMNS = "conv_id, seq, message_id, sender, client_msg_id, time, kind, body, version"
"""The columns of the server's ``messages`` table that ``server_rows`` fills, in order."""


def server_rows(
    corpus: Corpus, members: list[list[str]], rng: random.Random, seqs: list[int]
) -> Iterator[tuple[object, ...]]:
    """The corpus as rows of the server's ``messages`` table (``SERVER_COLUMNS``): conversation
    ``c`` has the ID ``c + 1`` and each message is by one of ``members[c]``; ``seqs[c]`` counts
    conversation ``c``'s messages (its last seq once the rows are read)."""
    for n, (conv, kind, body) in enumerate(corpus.texts()):
        seqs[conv] += 1
        message_id, sender, time_ms = (
            uuid.UUID(int=n).hex,
            rng.choice(members[conv]),
            START_MS + n * STEP_MS,
        )
        yield conv + 1, seqs[conv], message_id, sender, f"c{n}", time_ms, kind, body, n + 1


def _insert_server(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    marks = ", ".join("?" * 9)
    conn.executemany(f"INSERT INTO messages ({SERVER_COLUMNS}) VALUES ({marks})", rows)


def queries(corpus: Corpus) -> list[tuple[str, str]]:
    """What the benchmark searches for: (what it is, the query)."""
    rare = _rare_words(random.Random(corpus.seed), 20_000)
    return [
        ("English, common word", "meeting"),
        ("English, prefix of 3 letters", "rev"),
        ("English, two common words", "budget review"),
        ("English, rare word", rare[5000]),
        ("English, medium word", rare[20]),
        ("Chinese, common word", "开会"),
        ("Chinese, two words", "项目 报告"),
        ("Chinese, rare phrase", "旅行计划北京"),
        ("Chinese, one character", "的"),
        ("file name", "pdf"),
    ]
