"""Start, stop and inspect a local Neo4j Community server for development and CI.

The server is the real Neo4j DBMS resolved from Maven Central (``graph/data/neo4j-pom.xml``)
and launched directly with ``java`` - no Docker, no tarball, no root.  Everything lives in one
home directory ``H``::

    H/classpath.txt       the resolved classpath (cached; delete it to resolve again)
    H/conf/neo4j.conf     loopback-only Bolt, HTTP off, small page cache, usage reports off
    H/data/               the databases (kept across restarts)
    H/logs/console.log    the server's stdout and stderr (Neo4j's own logs sit beside it)
    H/run/neo4j.pid       the pid of the server this module started

The home's files (Maven, ``neo4j.conf``, logs) are the business of :mod:`graph.local_neo4j_home`;
this module runs the processes.  The server is stopped by that pid (SIGTERM, then SIGKILL),
never by process name.  Only the standard library and the ``neo4j`` driver are used, so this
runs before anything else is set up::

    python -m graph.local_neo4j start --home /tmp/neo4j --port 7687
    python -m graph.local_neo4j status --home /tmp/neo4j
    python -m graph.local_neo4j stop --home /tmp/neo4j
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from graph import local_neo4j_home as h
from graph.errors import BackendUnavailable

__all__ = ["main", "start", "status", "stop"]

log = logging.getLogger("govgraph.neo4j")

# Processes started by this Python process, so that ``stop`` can reap them (a dead child that
# is never waited for stays a zombie, and a zombie still answers ``kill(pid, 0)``).
_children: dict[int, subprocess.Popen[bytes]] = {}


# -- processes -------------------------------------------------------------------------------
def _process(pid: int) -> tuple[str, str] | None:
    """State and command line of a live process (``/proc``, else ``ps`` on macOS and BSD)."""
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            args = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return None
        return state, args
    if sys.platform.startswith("linux"):
        return None
    out = subprocess.run(
        ["ps", "-o", "stat=,command=", "-p", str(pid)], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not out:
        return None
    state, _, args = out.partition(" ")
    return state, args


def _is_ours(pid: int, home: Path) -> bool:
    """True when ``pid`` is alive and is the Neo4j server of ``home`` (not a reused pid)."""
    child = _children.get(pid)
    if child is not None:  # ours for sure; the command line may still be the pre-exec fork's
        return child.poll() is None
    found = _process(pid)
    if found is None or found[0][:1] in ("Z", "X"):
        return False
    return h.ENTRY_POINT in found[1] and f"--home-dir={home} " in found[1] + " "


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answering(uri: str, password: str | None, timeout: float = 3.0) -> bool:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    auth = (h.USER, password) if password else None
    try:
        with GraphDatabase.driver(
            uri, auth=auth, connection_timeout=timeout, max_connection_lifetime=30
        ) as driver:
            driver.verify_connectivity()
    except AuthError as e:
        raise BackendUnavailable(
            f"Neo4j at {uri} refused the password; a home keeps the password it was first "
            "started with (delete its data/ directory to start over)"
        ) from e
    except (DriverError, Neo4jError, OSError):
        return False
    return True


def _launch(home: Path, java: str, cp: str, heap: str) -> int:
    logfile = h.console_log(home)
    logfile.parent.mkdir(parents=True, exist_ok=True)
    h.pid_file(home).parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *h.JVM_FLAGS,
        "-cp",
        cp,
        h.ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
    ]
    with logfile.open("ab") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=home,
            env=h.java_env(home),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group
        )
    _children[proc.pid] = proc
    h.pid_file(home).write_text(f"{proc.pid}\n", encoding="utf-8")
    return proc.pid


def _startup_failed(home: Path, marks: dict[Path, int]) -> bool:
    """Neo4j logged that it gave up (its JVM can linger for a while after that)."""
    return "Failed to start Neo4j" in h.tail(
        home / "logs" / "neo4j.log", 200, marks.get(home / "logs" / "neo4j.log", 0)
    )


def _wait_until_answering(
    home: Path, pid: int, uri: str, password: str | None, timeout: float, marks: dict[Path, int]
) -> None:
    """Poll Bolt until it answers; stop the server and raise if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_ours(pid, home) or _startup_failed(home, marks):
            _terminate(pid, home)
            raise BackendUnavailable(
                f"Neo4j failed to start (pid {pid});\n{h.logs_tail(home, marks)}", home=str(home)
            )
        try:
            if _answering(uri, password):
                return
        except BackendUnavailable:
            _terminate(pid, home)
            raise
        time.sleep(0.5)
    _terminate(pid, home)
    raise BackendUnavailable(
        f"Neo4j did not answer on {uri} within {timeout:.0f} s;\n{h.logs_tail(home, marks)}",
        home=str(home),
    )


def _terminate(pid: int, home: Path, grace: float = 60.0) -> None:
    """SIGTERM ``pid``, wait up to ``grace`` seconds, then SIGKILL it."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _is_ours(pid, home):
                break
            time.sleep(0.2)
        else:
            continue
        break
    child = _children.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)
    h.pid_file(home).unlink(missing_ok=True)


# -- public API ------------------------------------------------------------------------------
def status(home: Path) -> dict[str, object]:
    """Whether the server of ``home`` runs and answers Bolt.

    Keys: ``running``, ``pid``, ``uri``, ``answering``, ``home``.
    """
    home = Path(home).resolve()
    pid = h.read_pid(home)
    running = pid is not None and _is_ours(pid, home)
    port = h.configured_port(home)
    uri = h.uri(port) if port is not None else None
    answering = False
    if running and uri is not None:
        try:
            answering = _answering(uri, None)
        except BackendUnavailable:
            answering = True  # it answered, and asked for a password
    return {
        "running": running,
        "pid": pid if running else None,
        "uri": uri,
        "answering": answering,
        "home": str(home),
    }


def start(
    home: Path,
    *,
    port: int = 7687,
    password: str | None = None,
    heap: str = "1g",
    pagecache: str = "256m",
    timeout: float = 180,
    tx_memory: str | None = None,
    tx_memory_total: str | None = None,
    tx_timeout: str = "300s",
) -> dict[str, object]:
    """Start the Neo4j server of ``home`` on loopback ``port`` and wait until Bolt answers.

    With ``password`` auth is on for user ``neo4j`` (the password is set on the first start;
    Neo4j wants at least 8 characters); without, auth is off.  When the server of ``home`` is
    already running and answering, its info is returned and nothing is started.

    Returns ``{"uri", "pid", "home"}``; raises :class:`~graph.errors.BackendUnavailable` when
    Java or Maven is missing, the port is taken, or the server dies or stays silent.
    """
    home = Path(home).resolve()
    password = password or None  # an empty password means no auth, as in Settings
    pid = h.read_pid(home)
    if pid is not None and _is_ours(pid, home):
        known = h.configured_port(home) or port
        if not _answering(h.uri(known), password):  # still starting
            _wait_until_answering(home, pid, h.uri(known), password, timeout, h.log_marks(home))
        return {"uri": h.uri(known), "pid": pid, "home": str(home)}
    if not _port_free(port):
        raise BackendUnavailable(
            f"port {port} on 127.0.0.1 is busy; pick another --port", port=port
        )
    java = h.tool("java")
    home.mkdir(parents=True, exist_ok=True)
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(exist_ok=True)
    cp = h.classpath(home)
    h.write_conf(
        home,
        port,
        auth=password is not None,
        pagecache=pagecache,
        heap=heap,
        tx_memory=tx_memory,
        tx_memory_total=tx_memory_total,
        tx_timeout=tx_timeout,
    )
    if password is not None:
        h.set_initial_password(home, java, cp, password)
    began = time.monotonic()
    marks = h.log_marks(home)
    pid = _launch(home, java, cp, heap)
    _wait_until_answering(home, pid, h.uri(port), password, timeout, marks)
    log.info(
        "Neo4j answered on %s after %.1f s (pid %d)", h.uri(port), time.monotonic() - began, pid
    )
    return {"uri": h.uri(port), "pid": pid, "home": str(home)}


def stop(home: Path) -> bool:
    """Stop the server that :func:`start` started in ``home``; False if none was running."""
    home = Path(home).resolve()
    pid = h.read_pid(home)
    if pid is None or not _is_ours(pid, home):
        h.pid_file(home).unlink(missing_ok=True)
        return False
    _terminate(pid, home)
    return True


# -- command line ----------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m graph.local_neo4j",
        description="Run a local Neo4j Community server for govgraph.",
    )
    p.add_argument("command", choices=("start", "stop", "status"))
    p.add_argument("--home", type=Path, required=True, help="server home (conf, data, logs)")
    p.add_argument("--port", type=int, default=7687, help="Bolt port on 127.0.0.1")
    p.add_argument(
        "--password", default=None, help="password of user neo4j (auth is off without one)"
    )
    p.add_argument("--heap", default="1g", help="JVM heap, e.g. 512m or 2g")
    p.add_argument("--pagecache", default="256m", help="page cache size")
    p.add_argument("--timeout", type=float, default=180, help="seconds to wait for Bolt")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints a JSON object and returns the exit status.

    ``status`` exits 3 when the server is not running (as LSB init scripts do).
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "start":
            info = start(
                args.home,
                port=args.port,
                password=args.password,
                heap=args.heap,
                pagecache=args.pagecache,
                timeout=args.timeout,
            )
        elif args.command == "stop":
            info = {"stopped": stop(args.home), "home": str(Path(args.home).resolve())}
        else:
            info = status(args.home)
    except BackendUnavailable as e:
        print(f"error: {e.message}", file=sys.stderr)
        return 1
    print(json.dumps(info))
    if args.command == "status" and not info["running"]:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
