"""Caches and key-value stores (Django's cache, Redis, memcached): personal data put there
outlives the request and escapes the database's retention and erasure."""

from __future__ import annotations

from pdlint.knowledge.spec import SinkKind, Spec, StoreSink

SPEC = Spec(
    name="caches",
    stores=(
        StoreSink(SinkKind.STORAGE, "cache",
                  methods=frozenset({"set", "set_many", "add", "hset", "hmset", "setex",
                                     "set_value", "lpush", "rpush", "sadd"}),
                  receiver_words=("cache", "redis")),
    ),
)
