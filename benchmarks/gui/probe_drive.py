"""The measuring side of ``benchmarks.gui.probe``, imported once Qt has started (as the app's
own modules are): it runs the app (``run``; the app resumes the saved account, paints the list
from its store and connects) and reports one JSON line per figure on stdout:

- ``launch``: monotonic time when the conversation list first painted with rows (the parent
  took the time just before it spawned this process; ``CLOCK_MONOTONIC`` is system-wide);
- with ``"full": true`` also: conversation switches (open → the whole window repainted; the
  GUI thread's own CPU for each too), RSS
  after 50 conversations were opened, frame times while scrolling the long chat up, CPU while
  idle, and a burst of messages from a peer into the open chat (the parent sends it after
  ``burst-ready``; this side reports when the last one was painted and the longest stall of the
  event loop meanwhile, in time and in the GUI thread's own CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import faulthandler
import gc
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from messenger.app.main import end_process, run

if TYPE_CHECKING:  # (imported when needed: the launch figures measure the app's imports only)
    from messenger.ui.main_window import MainWindow


def instance_of(widget: object, module: str, name: str) -> bool:
    """``isinstance(widget, module.name)``, without importing the module: a widget of a class
    whose module the app has not imported yet cannot be one."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(widget, getattr(loaded, name))


def emit(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def dump_tasks() -> None:
    """Every task's chain of awaits and every thread's stack, on stderr."""
    faulthandler.dump_traceback(all_threads=True)
    for task in asyncio.all_tasks():
        print(f"task {task.get_name()}:", file=sys.stderr)
        awaited: Any = task.get_coro()
        while awaited is not None:
            frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None)
            if frame is None:
                print(f"    awaiting {awaited!r}"[:200], file=sys.stderr)
                break
            code = frame.f_code
            print(f"    {code.co_filename}:{frame.f_lineno} {code.co_name}", file=sys.stderr)
            awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the process
    return usage.ru_utime + usage.ru_stime


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "max": ordered[-1],
    }


class PaintWatch(QObject):
    """Watches every event of the app until ``painted`` is set (by a subclass's filter)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.painted: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.cpu = 0.0  # the process's CPU seconds (all threads) when it painted
        app.installEventFilter(self)

    def seen(self) -> None:
        """The awaited paint is under way: the time is taken once it is done and the loop
        turns again."""
        self.app.removeEventFilter(self)
        asyncio.get_running_loop().call_soon(self._done)

    def _done(self) -> None:
        if not self.painted.done():
            self.cpu = cpu_seconds()
            self.painted.set_result(time.monotonic())


class FirstListPaint(PaintWatch):
    """Until the conversation list paints with rows in it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            view = watched.parent()
            listed = instance_of(
                view, "messenger.ui.conversation_list_view", "ConversationListView"
            )
            if listed and view.model().rowCount() > 0:
                self.seen()
        return False


def main_window() -> MainWindow:
    from messenger.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.session is not None:
            return widget
    raise RuntimeError("no signed-in main window")


async def until(test: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


class FirstPaint(PaintWatch):
    """Until a widget of class ``name`` of ``module`` paints."""

    def __init__(self, app: QApplication, module: str, name: str) -> None:
        super().__init__(app)
        self.kind = (module, name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and instance_of(watched, *self.kind):
            self.seen()
        return False


async def drive(
    plan: dict[str, Any], args: argparse.Namespace, launched: Callable[[], None]
) -> None:
    """Runs the app; ``launched`` is called once its first window has painted."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    first = plan.get("first", False)
    watcher: FirstListPaint | FirstPaint = (
        FirstPaint(app, "messenger.ui.sign_in_dialog", "SignInDialog")
        if first
        else FirstListPaint(app)
    )
    app_task = asyncio.ensure_future(run(args, Path(plan["data_dir"])))
    try:
        async with asyncio.timeout(120):
            painted = await watcher.painted
        launched()
        if first:
            emit("signin", painted=painted, cpu=watcher.cpu)
        else:
            window = main_window()
            assert window.session is not None
            emit(
                "launch",
                painted=painted,
                cpu=watcher.cpu,
                rows=window.session.conversations.model.rowCount(),
            )
            if plan.get("full"):
                await measure(window, plan)
            await asyncio.sleep(0.5)  # the launch's own work settles, as before a person quits
    finally:
        if not app_task.done():
            emit("quit", asked=time.monotonic())
            quit_app()
        stuck = asyncio.get_running_loop().call_later(20, dump_tasks)  # a slow quit: show why
        await app_task
        stuck.cancel()
        end_process(0)  # as the app ends: from inside the loop, with nothing left to wait for


def quit_app() -> None:
    """As Ctrl+Q does: the main window's quit, or closing the sign-in window."""
    windows = sys.modules.get("messenger.ui.main_window")
    for widget in QApplication.topLevelWidgets():
        if (
            windows is not None
            and isinstance(widget, windows.MainWindow)
            and widget.session is not None
        ):
            widget.quit_requested.emit()
            return
    for widget in QApplication.topLevelWidgets():
        if (
            instance_of(widget, "messenger.ui.sign_in_dialog", "SignInDialog")
            and widget.isVisible()
        ):
            widget.reject()
            return


async def measure(window: MainWindow, plan: dict[str, Any]) -> None:
    session = window.session
    assert session is not None
    await until(lambda: session.connection_state == "connected", 60, "never connected")
    await asyncio.sleep(1.0)  # let the launch's catch-up and receipts settle

    # -- switching conversations, and the memory after 50 of them --------------------------------
    switches: list[float] = []
    switch_cpu: list[float] = []  # the GUI thread's own CPU (not the store's, not others')
    opened = plan["others"][: plan["open_count"]]
    profiler = _profiler()
    for conversation_id in opened:
        started, cpu = time.perf_counter(), time.thread_time()
        if profiler is not None:
            profiler.enable()
        await session.chat.open(conversation_id)
        window.repaint()
        if profiler is not None:
            profiler.disable()
        switches.append((time.perf_counter() - started) * 1000)
        switch_cpu.append((time.thread_time() - cpu) * 1000)
        await asyncio.sleep(0.05)  # a person's pace: deferred work (read marks) happens here
    if profiler is not None:
        profiler.dump_stats(os.environ["MESSENGER_PROBE_PROFILE"] + ".switch")
    gc.collect()
    emit(
        "switch",
        ms=summary(switches),
        cpu_ms=summary(switch_cpu),
        runs_ms=[round(ms, 1) for ms in switches],
        opened=len(opened),
        rss_mib=rss_mib(),
    )

    # -- scrolling the long chat up, a wheel notch per frame -------------------------------------
    started = time.perf_counter()
    await session.chat.open(plan["big_chat"])
    window.repaint()
    open_big = (time.perf_counter() - started) * 1000
    pane = window.chat_pane
    assert pane is not None
    view = pane.view
    bar = view.verticalScrollBar()
    model = session.chat.messages
    frames: list[float] = []
    newest = model.newest_seq
    largest = model.rowCount()
    while len(frames) < plan["scroll_frames"] and (model.has_older or bar.value() > 0):
        begin = time.perf_counter()
        bar.setValue(bar.value() - 120)
        view.viewport().repaint()
        frames.append((time.perf_counter() - begin) * 1000)
        # what the event loop does before the next frame (pages from the store) counts too
        begin = time.perf_counter()
        await asyncio.sleep(0)
        frames[-1] += (time.perf_counter() - begin) * 1000
        largest = max(largest, model.rowCount())
    emit(
        "scroll",
        ms=summary(frames),
        open_ms=open_big,
        from_seq=newest,
        to_seq=model.oldest_seq,
        largest_window=largest,
        rss_mib=rss_mib(),
    )

    # -- idle ---------------------------------------------------------------------------------------
    await session.chat.jump_to_latest()
    await asyncio.sleep(2)
    cpu, wall = cpu_seconds(), time.monotonic()
    await asyncio.sleep(plan["idle_seconds"])
    used, elapsed = cpu_seconds() - cpu, time.monotonic() - wall
    emit("idle", cpu_percent=100 * used / elapsed, seconds=elapsed, rss_mib=rss_mib())

    # -- a burst of messages into the open chat ----------------------------------------------------
    await session.chat.open(plan["burst_chat"])
    window.repaint()
    last_text = plan["burst_last_text"]
    gaps: list[float] = []
    gap_cpu: list[float] = []  # the GUI thread's own CPU in each gap (a busy machine adds none)
    previous, previous_cpu = time.perf_counter(), time.thread_time()

    def tick() -> None:
        nonlocal previous, previous_cpu
        now, cpu = time.perf_counter(), time.thread_time()
        gaps.append((now - previous) * 1000)
        gap_cpu.append((cpu - previous_cpu) * 1000)
        previous, previous_cpu = now, cpu

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    profiler = _profiler()
    if profiler is not None:
        profiler.enable()
    emit("burst-ready")

    def shown() -> bool:  # in the view's rows (not only made ahead of being shown)
        count = model.rowCount()
        return bool(count) and model.row(count - 1).message.body.get("text") == last_text

    await until(shown, 300, "the burst never arrived")
    window.repaint()
    done = time.monotonic()
    timer.stop()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ["MESSENGER_PROBE_PROFILE"] + ".burst")
    emit(
        "burst",
        painted=done,
        longest_stall_ms=max(gaps, default=0.0),
        longest_stall_cpu_ms=max(gap_cpu, default=0.0),
        stalls_over_100ms=sum(1 for g in gaps if g > 100),
        rows=model.rowCount(),
        rss_mib=rss_mib(),
    )


def _profiler() -> cProfile.Profile | None:
    """With MESSENGER_PROBE_PROFILE=path: a profile of the switches and of the burst
    (path.switch, path.burst; read with ``python -m pstats``)."""
    return cProfile.Profile() if os.environ.get("MESSENGER_PROBE_PROFILE") else None
