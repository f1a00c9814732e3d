"""Prometheus metrics, one registry per app (no module-level state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from messenger.server.storage.records import StoredMessage


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages = Counter(
            "messenger_messages_stored_total", "Messages stored", ["conv_type"], registry=r
        )
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
        self.ws_frames = Counter(
            "messenger_websocket_frames_total", "WebSocket frames received", ["type"], registry=r
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

        self._frame_counters: dict[str, Counter] = {}
        self._message_counters: dict[str, Counter] = {}

    def count_frame(self, kind: str) -> None:
        """Count a received WebSocket frame (children cached: this is on the hot path)."""
        child = self._frame_counters.get(kind)
        if child is None:
            child = self._frame_counters[kind] = self.ws_frames.labels(kind.lower())
        child.inc()

    def observe_batch(self, jobs: int, seconds: float) -> None:
        self.write_batch.observe(jobs)
        self.write_seconds.observe(seconds)

    def message_stored(self, stored: StoredMessage) -> None:
        child = self._message_counters.get(stored.kind)
        if child is None:
            child = self._message_counters[stored.kind] = self.messages.labels(stored.kind)
        child.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
