"""Run a generator in a second process, so that its CPU work overlaps the caller's.

A bulk import checks its rows in Python and stores them in SQLite. Both are CPU work, and
a Python process runs one thread at a time (threads would take turns, not share the two
cores). So the checking runs in a forked child process: it inherits everything the caller
has loaded (the plugin registry, the calendar) and sends each item it yields through a
pipe, while the caller stores the items before. A pipe write waits once the pipe is full
(1 MiB), so the child is never more than that ahead: memory stays flat, and a caller that
fails or stops closes the pipe, which ends the child.

Where ``fork`` is not available (Windows) or not safe (macOS, a process with threads), the
generator runs in the caller's process instead, item by item, with the same results.

Bulk work of this kind also pauses Python's cycle collector (:func:`collector_paused`).
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from gongkai.core.errors import GongkaiError

T = TypeVar("T")
_ITEM, _ERROR, _DONE = "item", "error", "done"
PIPE_BYTES = 1 << 20


def available() -> bool:
    """Whether :func:`background` runs its generator in a child process here: on Linux, in a
    process with one thread (forking a process with other threads can leave the child
    waiting on a lock that one of them held, as a web server's might)."""
    return (sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


@contextmanager
def background(produce: Callable[..., Iterator[T]], *args: Any, process: bool = True) -> Iterator[Iterator[T]]:
    """The items of ``produce(*args)``, computed in a child process (``process=False``, or
    :func:`available` false: in this one). An exception the generator raises is raised here,
    after the items before it; leaving the block early stops the child."""
    if not (process and available()):
        yield produce(*args)
        return
    import fcntl  # Linux only, as fork here

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    try:  # Linux: room for a whole item or more, so the child goes on while the caller is busy
        fcntl.fcntl(receiver.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:
        pass  # the system's limit (fs.pipe-max-size) is lower: the default size works, a little slower
    child = context.Process(target=_produce, args=(receiver, sender, produce, args), daemon=True)
    child.start()
    sender.close()  # the child's end: without this copy, EOF would never come if the child died
    try:
        yield _received(receiver, child)
    finally:
        receiver.close()
        if child.is_alive():  # left early, or the child is just exiting: it holds nothing to save
            child.kill()
        child.join()


def _received(receiver: Any, child: Any) -> Iterator[Any]:
    while True:
        try:
            kind, value = receiver.recv()
        except EOFError:
            child.join()
            raise GongkaiError(
                f"后台进程意外退出（退出码 {child.exitcode}），操作已中止；此前已保存的内容完整保留。") from None
        if kind == _DONE:
            return
        if kind == _ERROR:
            raise value
        yield value


def _produce(receiver: Any, sender: Any, produce: Callable[..., Iterator[Any]], args: tuple[Any, ...]) -> None:
    """The child: send each item, then ``done`` or the exception that ended the generator."""
    # The caller's end, inherited through fork: closed, so that the pipe has no reader once
    # the caller is gone (even killed), and the next send ends this process
    receiver.close()
    for signum in STOPS:  # Ctrl-C and SIGTERM are the caller's; leaving its block stops us
        signal.signal(signum, signal.SIG_IGN)
    try:
        try:
            for item in produce(*args):
                sender.send((_ITEM, item))
        except Exception as exc:
            sender.send((_ERROR, exc if _picklable(exc) else RuntimeError(traceback.format_exc())))
        else:
            sender.send((_DONE, None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the caller stopped reading: it failed or was stopped, and says why itself


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


STOPS = (signal.SIGINT, signal.SIGTERM)  # Ctrl-C, and `kill` or a service manager stopping us


@contextmanager
def stoppable() -> Iterator[None]:
    """SIGTERM raised as KeyboardInterrupt in the block, as Ctrl-C is: an import stopped either
    way stops between its transactions and says what it stored (with :func:`deferred_interrupt`
    around each). Outside the main thread the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM held back until the block ends, then delivered as they would
    have been (KeyboardInterrupt for Ctrl-C, and for SIGTERM inside :func:`stoppable`).

    A bulk write's transaction runs SQLite triggers that call Python functions (the search
    index's bigrams); a KeyboardInterrupt raised inside one reaches the caller as SQLite's
    "user-defined function raised exception", not as an interruption. Held back, Ctrl-C stops
    the import between transactions, so what it reports as stored is exact. Outside the main
    thread (where signals cannot be handled) the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, _frame: pressed.append(signum)) for signum in STOPS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    for signum in dict.fromkeys(pressed):
        signal.raise_signal(signum)  # now, as it would have been (KeyboardInterrupt, or the end)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block. A bulk move makes hundreds of thousands
    of rows (tuples and lists, none in a reference cycle), and every collection the allocations
    set off would walk all of them again: a third of a check's time. Memory is still freed
    as each object is dropped."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def in_batches(rows: Iterator[tuple[int, dict[str, Any]]], mapping: dict[str, str], parse: Callable[[dict[str, Any]], Any],
               store: Callable[[list[tuple[int, Any]]], tuple[list[int], list[tuple[int, str]]]], size: int, *,
               what: str, progress: Callable[[int, int], None] | None = None, count: int = 0) -> Any:
    """An import's rows (:func:`gongkai.core.records.importing.read_rows` after its headers), each
    mapped to its fields and ``parse``d (a GongkaiError refuses the row, with its line), the good
    ones ``store``d ``size`` at a time, each batch one transaction that ``store`` commits (it
    returns the new ids and the rows it refused). ``progress(rows_read, rows_expected)`` after
    each batch. Ctrl-C or SIGTERM stops between two batches, never inside one, with a
    GongkaiError saying exactly what is stored (``what``: the records, e.g. 文件)."""
    from gongkai.core.records.importing import ImportReport

    report = ImportReport()
    batch: list[tuple[int, Any]] = []
    read = line = 0
    done = {"line": 1, "refused": 0}  # how far the stored batches reach, and their refused rows

    def flush() -> None:
        with deferred_interrupt():  # Ctrl-C or SIGTERM: after this batch's transaction, never inside it
            stored, errors = store(batch)
            report.imported.extend(stored)
            report.errors.extend(errors)
            done.update(line=line, refused=len(report.errors))
        batch.clear()
        if progress is not None:
            progress(read, max(read, count - 1))

    try:
        with stoppable():
            for line, raw in rows:
                read += 1
                try:
                    batch.append((line, parse({field: raw.get(column) for column, field in mapping.items()})))
                except GongkaiError as exc:
                    report.errors.append((line, str(exc)))
                if len(batch) >= size:
                    flush()
            if batch or not read:
                flush()
    except KeyboardInterrupt:
        if hasattr(rows, "close"):
            rows.close()
        raise GongkaiError(interrupted(len(report.imported), done["line"], done["refused"], what)) from None
    report.errors.sort()
    return report


def interrupted(stored: int, line: int, refused: int, what: str) -> str:
    """What an interrupted import stored, in words: exactly the committed batches."""
    if line < 2:
        return "导入已中断：已保存 0 件，文件中的行均未导入。可用同一命令重新导入。"
    refused_words = f"，其中 {refused:,} 行有误未导入" if refused else ""
    return (f"导入已中断：已保存{what} {stored:,} 件，文件第 2 至 {line} 行已处理完毕{refused_words}；"
            f"第 {line + 1} 行起均未导入。可用同一命令重新导入整个文件：已保存的行作为重复登记列出，不会再次登记。")
