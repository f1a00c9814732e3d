"""Prometheus metrics, one registry per app (no module-level state)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily

from messenger.server.storage.records import StoredMessage


class _HotCounters:
    """Counters bumped once or twice per message: plain integers, read when scraped (a
    ``Counter.inc`` takes a lock each time)."""

    def __init__(self) -> None:
        self.frames: dict[str, int] = {}  # frame type → received
        self.stored: dict[str, int] = {}  # conv_type → messages stored

    def collect(self) -> Iterator[CounterMetricFamily]:
        frames = CounterMetricFamily(
            "messenger_websocket_frames", "WebSocket frames received", labels=["type"]
        )
        for kind, n in sorted(self.frames.items()):
            frames.add_metric([kind.lower()], n)
        stored = CounterMetricFamily(
            "messenger_messages_stored", "Messages stored", labels=["conv_type"]
        )
        for kind, n in sorted(self.stored.items()):
            stored.add_metric([kind], n)
        yield stored
        yield frames


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._hot = _HotCounters()
        r.register(self._hot)  # messenger_messages_stored_total, messenger_websocket_frames_total
        self.connections = Gauge(
            "messenger_websocket_connections", "Open device WebSockets", registry=r
        )
        self.requests = Counter(
            "messenger_http_requests_total", "HTTP requests", ["endpoint", "status"], registry=r
        )
        self.request_seconds = Histogram(
            "messenger_http_request_seconds",
            "HTTP request latency",
            ["endpoint"],
            registry=r,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
        )
        self.write_batch = Histogram(
            "messenger_write_batch_jobs",
            "Write jobs per commit",
            registry=r,
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
        )
        self.write_seconds = Histogram(
            "messenger_write_batch_seconds",
            "Time to run and commit a write batch",
            registry=r,
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
        )

        self.callbacks = Counter(
            "messenger_callbacks_total",
            "Callbacks to the operator's service, by outcome",
            ["event", "outcome"],
            registry=r,
        )

    def callback_outcome(self, event: str, outcome: str) -> None:
        self.callbacks.labels(event, outcome).inc()

    def count_frame(self, kind: str) -> None:
        """Count a received WebSocket frame (this is on the hot path)."""
        frames = self._hot.frames
        frames[kind] = frames.get(kind, 0) + 1

    def observe_batch(self, jobs: int, seconds: float) -> None:
        self.write_batch.observe(jobs)
        self.write_seconds.observe(seconds)

    def message_stored(self, stored: StoredMessage) -> None:
        counts = self._hot.stored
        counts[stored.kind] = counts.get(stored.kind, 0) + 1

    def render(self) -> bytes:
        return generate_latest(self.registry)
