"""Prometheus metrics for one bot process, fed by the core's observer hook and the adapters.

Each ``Metrics`` has its own CollectorRegistry (never the process-global default), so a test or a
process can hold several without their names clashing.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.core.models import Answer
from bot.core.observe import Observer

__all__ = ["Metrics", "CONTENT_TYPE_LATEST", "outcome_of"]

# seconds; an answer is matched in milliseconds, a slow store or a busy engine pool adds up to seconds
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def outcome_of(answer: Answer) -> str:
    """answered (a cited quote), declined (the course does not cover it), held (the answer would
    give today's trivia away), or chatter (greetings, empty or vague messages)."""
    if answer.answered:
        return "answered"
    if answer.is_gap:
        return "declined"
    if answer.reason == "trivia_open":
        return "held"
    return "chatter"


class Metrics(Observer):
    def __init__(self, platform: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.questions = Counter(
            "classbot_questions", "Questions handled, by outcome (answered, declined, held, chatter, error)",
            ["platform", "outcome"], registry=r,
        )
        self.latency = Histogram(
            "classbot_answer_latency_seconds", "Time from a question to its answer, bookkeeping included",
            ["platform"], buckets=LATENCY_BUCKETS, registry=r,
        )
        self.trivia_posts = Counter("classbot_trivia_posts", "Trivia rounds posted", ["platform"], registry=r)
        self.trivia_answers = Counter(
            "classbot_trivia_answers", "Trivia answers recorded", ["platform", "correct"], registry=r
        )
        self.store_errors = Counter(
            "classbot_store_errors", "Store calls that failed, by store method", ["operation"], registry=r
        )
        self.disconnects = Counter(
            "classbot_gateway_disconnects", "Times the connection to the platform was lost", ["platform"], registry=r
        )
        self.reconnects = Counter(
            "classbot_gateway_reconnects", "Times the connection to the platform came back (resumed or re-identified)",
            ["platform"], registry=r,
        )
        self.connected = Gauge(
            "classbot_platform_connected", "1 while connected to the platform, else 0", ["platform"], registry=r
        )
        self.platform = platform
        for outcome in ("answered", "declined", "held", "chatter", "error"):  # shown as 0 from the start
            self.questions.labels(platform, outcome)
        self.latency.labels(platform)
        self.trivia_posts.labels(platform)
        for correct in ("true", "false"):
            self.trivia_answers.labels(platform, correct)
        self.disconnects.labels(platform)
        self.reconnects.labels(platform)
        self.connected.labels(platform).set(0)

    # ---- the core's hook (bot.core.observe.Observer) --------------------------------------------
    def question_answered(self, platform: str, answer: Answer, seconds: float) -> None:
        self.questions.labels(platform, outcome_of(answer)).inc()
        self.latency.labels(platform).observe(seconds)

    def question_failed(self, platform: str, seconds: float) -> None:
        self.questions.labels(platform, "error").inc()

    def trivia_posted(self) -> None:
        self.trivia_posts.labels(self.platform).inc()

    def trivia_answered(self, correct: bool) -> None:
        self.trivia_answers.labels(self.platform, "true" if correct else "false").inc()

    # ---- the adapters and the store watcher ---------------------------------------------------
    def store_failed(self, operation: str) -> None:
        self.store_errors.labels(operation).inc()

    def platform_up(self, *, again: bool) -> None:
        if again:
            self.reconnects.labels(self.platform).inc()
        self.connected.labels(self.platform).set(1)

    def platform_down(self) -> None:
        self.disconnects.labels(self.platform).inc()
        self.connected.labels(self.platform).set(0)

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric in this registry."""
        return generate_latest(self.registry)
