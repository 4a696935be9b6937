"""Start, stop and inspect a local Neo4j Community server for development and CI.

The server is the real Neo4j DBMS resolved from Maven Central (``graph/data/neo4j-pom.xml``)
and launched directly with ``java`` - no Docker, no tarball, no root.  Everything lives in one
home directory ``H``::

    H/classpath.txt       the resolved classpath (cached; delete it to resolve again)
    H/conf/neo4j.conf     loopback-only Bolt, HTTP off, small page cache, usage reports off
    H/data/               the databases (kept across restarts)
    H/logs/console.log    the server's stdout and stderr
    H/run/neo4j.pid       the pid of the server this module started

The server is stopped by that pid (SIGTERM, then SIGKILL), never by process name.  Only the
standard library and the ``neo4j`` driver are used, so this runs before anything else is set up::

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
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from graph.errors import BackendUnavailable

__all__ = ["POM", "main", "start", "status", "stop"]

log = logging.getLogger("govgraph.neo4j")

POM = Path(__file__).parent / "data" / "neo4j-pom.xml"
"""The Maven project whose one dependency is ``org.neo4j:neo4j`` 5.26.x."""

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USER = "neo4j"

# What Neo4j's own launcher passes and a direct ``java`` launch must repeat: Java 17 module
# opens for Neo4j's native IO and Netty, and UTF-8 whatever the machine's locale says.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
)

# Processes started by this Python process, so that ``stop`` can reap them (a dead child that
# is never waited for stays a zombie, and a zombie still answers ``kill(pid, 0)``).
_children: dict[int, subprocess.Popen[bytes]] = {}


# -- paths and files -------------------------------------------------------------------------
def _pid_file(home: Path) -> Path:
    return home / "run" / "neo4j.pid"


def _conf_file(home: Path) -> Path:
    return home / "conf" / "neo4j.conf"


def _console_log(home: Path) -> Path:
    return home / "logs" / "console.log"


def _tail(path: Path, lines: int = 40, start: int = 0) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _logs_tail(home: Path, marks: dict[Path, int] | None = None) -> str:
    """The end of the console log and of Neo4j's own log (where startup errors go)."""
    parts = []
    for path in (_console_log(home), home / "logs" / "neo4j.log"):
        start = (marks or {}).get(path, 0)
        whole = _tail(path, 100_000, start)
        # The root cause of a Java stack trace is its last "Caused by:" line.
        causes = [x for x in whole.splitlines() if " ERROR " in x or x.startswith("Caused by:")]
        if causes:
            parts.append("\n".join(dict.fromkeys([causes[0], causes[-1]])))
        text = _tail(path, start=start).strip()
        if text:
            parts.append(f"--- end of {path}:\n{text}")
    return "\n".join(parts) or f"(nothing in {home / 'logs'})"


def _log_marks(home: Path) -> dict[Path, int]:
    """Current sizes of the logs, so that a failure shows only what this start wrote."""
    marks = {}
    for path in (_console_log(home), home / "logs" / "neo4j.log"):
        with contextlib.suppress(OSError):
            marks[path] = path.stat().st_size
    return marks


def _uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        hint = "install a JDK 17 (e.g. apt-get install openjdk-17-jre-headless)"
        if name == "mvn":
            hint = "install Maven 3.8+ (e.g. apt-get install maven)"
        raise BackendUnavailable(f"`{name}` is not on PATH: {hint}", tool=name)
    return found


# -- classpath -------------------------------------------------------------------------------
def classpath(home: Path) -> str:
    """The server's classpath, resolved with Maven once and cached in ``home/classpath.txt``.

    Maven is first asked offline (enough when ``~/.m2`` already holds the jars), then online.
    """
    cached = home / "classpath.txt"
    if cached.exists():
        cp = cached.read_text(encoding="utf-8").strip()
        if cp and all(Path(jar).exists() for jar in cp.split(os.pathsep)):
            return cp
    mvn = _tool("mvn")
    work = home / "maven"
    work.mkdir(parents=True, exist_ok=True)
    pom = work / "pom.xml"
    shutil.copyfile(POM, pom)
    out = work / "classpath.txt"
    errors = ""
    for mode in (["-o"], []):
        log.info("resolving org.neo4j:neo4j with Maven%s", " (offline)" if mode else "")
        proc = subprocess.run(
            [mvn, "-B", "-q", *mode, "-f", str(pom), "dependency:build-classpath",
             f"-Dmdep.outputFile={out}"],
            cwd=work, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
        )
        if proc.returncode == 0 and out.exists() and out.read_text(encoding="utf-8").strip():
            cp = out.read_text(encoding="utf-8").strip()
            cached.write_text(cp + "\n", encoding="utf-8")
            return cp
        errors = (proc.stdout + proc.stderr)[-3000:]
    raise BackendUnavailable(f"Maven could not resolve org.neo4j:neo4j:\n{errors}", pom=str(POM))


# -- configuration ---------------------------------------------------------------------------
def _write_conf(home: Path, port: int, auth: bool, pagecache: str) -> None:
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "server.memory.pagecache.size": pagecache,
        "dbms.usage_report.enabled": "false",
        "dbms.security.auth_enabled": "true" if auth else "false",
        # Development servers need no week of transaction logs.
        "db.tx_log.rotation.retention_policy": "2 files",
        # Bolt otherwise waits 5 s + 5 s for connections that are already gone on every stop;
        # (internal settings of the pinned 5.26: an unknown key would fail strict validation).
        "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
        "internal.server.bolt.connection_shutdown_wait_time": "1s",
    }
    conf = _conf_file(home)
    conf.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Written by graph/local_neo4j.py on every start; edits are overwritten."]
    lines += [f"{k}={v}" for k, v in settings.items()]
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _configured_port(home: Path) -> int | None:
    try:
        text = _conf_file(home).read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("server.bolt.listen_address="):
            return int(line.rsplit(":", 1)[1])
    return None


def _java_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(home)
    env["NEO4J_CONF"] = str(home / "conf")
    return env


def _set_initial_password(home: Path, java: str, cp: str, password: str) -> None:
    """Give user ``neo4j`` its first password (effective only before the first start)."""
    if (home / "data" / "dbms" / "auth.ini").exists():
        return
    proc = subprocess.run(
        [java, "-cp", cp, *JVM_FLAGS, f"-Dneo4j.home={home}", ADMIN_TOOL,
         "dbms", "set-initial-password", password],
        cwd=home, env=_java_env(home), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise BackendUnavailable(
            f"neo4j-admin dbms set-initial-password failed:\n{(proc.stdout + proc.stderr)[-2000:]}"
        )


# -- processes -------------------------------------------------------------------------------
def _read_pid(home: Path) -> int | None:
    try:
        return int(_pid_file(home).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _is_ours(pid: int, home: Path) -> bool:
    """True when ``pid`` is alive and is the Neo4j server of ``home`` (not a reused pid)."""
    child = _children.get(pid)
    if child is not None:  # ours for sure; /proc may still show the pre-exec fork
        return child.poll() is None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    if state in ("Z", "X"):
        return False
    wanted = f"--home-dir={home}".encode()
    return ENTRY_POINT.encode() in cmdline and wanted in cmdline


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

    auth = (USER, password) if password else None
    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout,
                                  max_connection_lifetime=30) as driver:
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
    logfile = _console_log(home)
    logfile.parent.mkdir(parents=True, exist_ok=True)
    _pid_file(home).parent.mkdir(parents=True, exist_ok=True)
    cmd = [java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS, "-cp", cp, ENTRY_POINT,
           f"--home-dir={home}", f"--config-dir={home / 'conf'}"]
    with logfile.open("ab") as out:
        proc = subprocess.Popen(
            cmd, cwd=home, env=_java_env(home), stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,  # own process group
        )
    _children[proc.pid] = proc
    _pid_file(home).write_text(f"{proc.pid}\n", encoding="utf-8")
    return proc.pid


def _startup_failed(home: Path, marks: dict[Path, int]) -> bool:
    """Neo4j logged that it gave up (its JVM can linger for a while after that)."""
    return "Failed to start Neo4j" in _tail(home / "logs" / "neo4j.log", 200,
                                            marks.get(home / "logs" / "neo4j.log", 0))


def _wait_until_answering(home: Path, pid: int, uri: str, password: str | None,
                          timeout: float, marks: dict[Path, int]) -> None:
    """Poll Bolt until it answers; stop the server and raise if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_ours(pid, home) or _startup_failed(home, marks):
            _terminate(pid, home)
            raise BackendUnavailable(
                f"Neo4j failed to start (pid {pid});\n{_logs_tail(home, marks)}", home=str(home))
        try:
            if _answering(uri, password):
                return
        except BackendUnavailable:
            _terminate(pid, home)
            raise
        time.sleep(0.5)
    _terminate(pid, home)
    raise BackendUnavailable(
        f"Neo4j did not answer on {uri} within {timeout:.0f} s;\n{_logs_tail(home, marks)}",
        home=str(home))


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
    _pid_file(home).unlink(missing_ok=True)


# -- public API ------------------------------------------------------------------------------
def status(home: Path) -> dict[str, object]:
    """Whether the server of ``home`` runs and answers Bolt.

    Keys: ``running``, ``pid``, ``uri``, ``answering``, ``home``.
    """
    home = Path(home).resolve()
    pid = _read_pid(home)
    running = pid is not None and _is_ours(pid, home)
    port = _configured_port(home)
    uri = _uri(port) if port is not None else None
    answering = False
    if running and uri is not None:
        try:
            answering = _answering(uri, None)
        except BackendUnavailable:
            answering = True  # it answered, and asked for a password
    return {"running": running, "pid": pid if running else None, "uri": uri,
            "answering": answering, "home": str(home)}


def start(
    home: Path,
    *,
    port: int = 7687,
    password: str | None = None,
    heap: str = "512m",
    pagecache: str = "256m",
    timeout: float = 180,
) -> dict[str, object]:
    """Start the Neo4j server of ``home`` on loopback ``port`` and wait until Bolt answers.

    With ``password`` auth is on for user ``neo4j`` (the password is set on the first start;
    Neo4j wants at least 8 characters); without, auth is off.  When the server of ``home`` is
    already running and answering, its info is returned and nothing is started.

    Returns ``{"uri", "pid", "home"}``; raises :class:`~graph.errors.BackendUnavailable` when
    Java or Maven is missing, the port is taken, or the server dies or stays silent.
    """
    home = Path(home).resolve()
    pid = _read_pid(home)
    if pid is not None and _is_ours(pid, home):
        known = _configured_port(home) or port
        if not _answering(_uri(known), password):  # still starting
            _wait_until_answering(home, pid, _uri(known), password, timeout, {})
        return {"uri": _uri(known), "pid": pid, "home": str(home)}
    if not _port_free(port):
        raise BackendUnavailable(f"port {port} on 127.0.0.1 is busy; pick another --port",
                                 port=port)
    java = _tool("java")
    home.mkdir(parents=True, exist_ok=True)
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(exist_ok=True)
    cp = classpath(home)
    _write_conf(home, port, auth=password is not None, pagecache=pagecache)
    if password is not None:
        _set_initial_password(home, java, cp, password)
    began = time.monotonic()
    marks = _log_marks(home)
    pid = _launch(home, java, cp, heap)
    _wait_until_answering(home, pid, _uri(port), password, timeout, marks)
    log.info("Neo4j answered on %s after %.1f s (pid %d)", _uri(port),
             time.monotonic() - began, pid)
    return {"uri": _uri(port), "pid": pid, "home": str(home)}


def stop(home: Path) -> bool:
    """Stop the server that :func:`start` started in ``home``; False if none was running."""
    home = Path(home).resolve()
    pid = _read_pid(home)
    if pid is None or not _is_ours(pid, home):
        _pid_file(home).unlink(missing_ok=True)
        return False
    _terminate(pid, home)
    return True


# -- command line ----------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m graph.local_neo4j",
                                description="Run a local Neo4j Community server for govgraph.")
    p.add_argument("command", choices=("start", "stop", "status"))
    p.add_argument("--home", type=Path, required=True, help="server home (conf, data, logs)")
    p.add_argument("--port", type=int, default=7687, help="Bolt port on 127.0.0.1")
    p.add_argument("--password", default=None,
                   help="password of user neo4j (auth is off without one)")
    p.add_argument("--heap", default="512m", help="JVM heap, e.g. 512m or 2g")
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
            info = start(args.home, port=args.port, password=args.password, heap=args.heap,
                         pagecache=args.pagecache, timeout=args.timeout)
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
