"""One small task runner: long work off the GUI thread with progress, cancel and a result signal.

A task is `fn(progress) -> result`; it runs on a QThreadPool worker thread and must open its
own sessions through the services (a Session never crosses threads). `progress(done, total)`
returns False once the officer pressed cancel. Results and errors come back on the GUI thread
through Qt signals. `SyncRunner` runs the same tasks inline, for tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from migdesk.i18n import _

Progress = Callable[[int, int], bool]
Task = Callable[[Progress], Any]


class Handle(QObject):
    """One running task: its signals and its cancel switch."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._cancel.is_set()

    def run(self, fn: Task) -> None:
        try:
            result = fn(self.report)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, handle: Handle, fn: Task) -> None:
        super().__init__()
        self.handle, self.fn = handle, fn

    def run(self) -> None:
        self.handle.run(self.fn)


class TaskRunner(QObject):
    """Runs tasks on a thread pool; `started` lets the window show a progress dialog."""

    started = Signal(object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._live: set[Handle] = set()

    def submit(self, title: str, fn: Task, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Handle:
        handle = Handle(title)
        self._live.add(handle)
        if on_done:
            handle.succeeded.connect(on_done)
        if on_error:
            handle.failed.connect(on_error)
        handle.finished.connect(lambda: self._live.discard(handle))
        self.started.emit(handle)
        self._start(handle, fn)
        return handle

    def background(self, title: str, fn: Task,
                   on_error: Callable[[BaseException], None] | None = None) -> Handle:
        """A task the officer need not wait for: no progress dialog (`started` is not sent)."""
        handle = Handle(title)
        self._live.add(handle)
        if on_error:
            handle.failed.connect(on_error)
        handle.finished.connect(lambda: self._live.discard(handle))
        self._start(handle, fn)
        return handle

    def _start(self, handle: Handle, fn: Task) -> None:
        self.pool.start(_Runnable(handle, fn))

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


class SyncRunner(TaskRunner):
    """Runs each task at once on the calling thread (tests)."""

    def _start(self, handle: Handle, fn: Task) -> None:
        handle.run(fn)


def show_progress(parent: QWidget, handle: Handle) -> QProgressDialog:
    """A window-modal progress dialog whose Cancel stops the task (window and pages alike)."""
    dlg = QProgressDialog(handle.title, _("Cancel"), 0, 0, parent)
    dlg.setWindowTitle(handle.title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(400)
    dlg.canceled.connect(handle.cancel)

    def progressed(done: int, total: int) -> None:
        dlg.setMaximum(max(total, 0))
        dlg.setValue(min(done, total) if total else 0)

    handle.progressed.connect(progressed)
    handle.finished.connect(dlg.reset)
    handle.finished.connect(dlg.deleteLater)
    return dlg
