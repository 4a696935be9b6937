"""The home directory of the local Neo4j: its classpath, configuration, logs and pid file.

The server side of :mod:`graph.local_neo4j` (which starts and stops processes): resolving
``org.neo4j:neo4j`` with Maven, writing ``neo4j.conf``, setting the first password with
Neo4j's admin tool, and reading the logs back when a start fails.  Standard library only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
from pathlib import Path

from graph.errors import BackendUnavailable

__all__ = [
    "ADMIN_TOOL",
    "ENTRY_POINT",
    "JVM_FLAGS",
    "POM",
    "USER",
    "classpath",
    "conf_file",
    "configured_port",
    "console_log",
    "java_env",
    "log_marks",
    "logs_tail",
    "pid_file",
    "read_pid",
    "set_initial_password",
    "tail",
    "tool",
    "uri",
    "write_conf",
]

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
    # An OutOfMemoryError fails the query that hit it and Neo4j goes on (its own default):
    # a user's Cypher that builds a huge list inside one expression must not end the server.
    "-XX:-ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


# -- paths and files -------------------------------------------------------------------------
def pid_file(home: Path) -> Path:
    return home / "run" / "neo4j.pid"


def conf_file(home: Path) -> Path:
    return home / "conf" / "neo4j.conf"


def console_log(home: Path) -> Path:
    return home / "logs" / "console.log"


def tail(path: Path, lines: int = 40, start: int = 0) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(start)
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def logs_tail(home: Path, marks: dict[Path, int] | None = None) -> str:
    """The end of the console log and of Neo4j's own log (where startup errors go)."""
    parts = []
    for path in (console_log(home), home / "logs" / "neo4j.log"):
        start = (marks or {}).get(path, 0)
        whole = tail(path, 100_000, start)
        # The root cause of a Java stack trace is its last "Caused by:" line.
        causes = [x for x in whole.splitlines() if " ERROR " in x or x.startswith("Caused by:")]
        if causes:
            parts.append("\n".join(dict.fromkeys([causes[0], causes[-1]])))
        text = tail(path, start=start).strip()
        if text:
            parts.append(f"--- end of {path}:\n{text}")
    return "\n".join(parts) or f"(nothing in {home / 'logs'})"


def log_marks(home: Path) -> dict[Path, int]:
    """Current sizes of the logs, so that a failure shows only what this start wrote."""
    marks = {}
    for path in (console_log(home), home / "logs" / "neo4j.log"):
        with contextlib.suppress(OSError):
            marks[path] = path.stat().st_size
    return marks


def uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def tool(name: str) -> str:
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
    mvn = tool("mvn")
    work = home / "maven"
    work.mkdir(parents=True, exist_ok=True)
    pom = work / "pom.xml"
    shutil.copyfile(POM, pom)
    out = work / "classpath.txt"
    errors = ""
    for mode in (["-o"], []):
        log.info("resolving org.neo4j:neo4j with Maven%s", " (offline)" if mode else "")
        proc = subprocess.run(
            [
                mvn,
                "-B",
                "-q",
                *mode,
                "-f",
                str(pom),
                "dependency:build-classpath",
                f"-Dmdep.outputFile={out}",
            ],
            cwd=work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0 and out.exists() and out.read_text(encoding="utf-8").strip():
            cp = out.read_text(encoding="utf-8").strip()
            cached.write_text(cp + "\n", encoding="utf-8")
            return cp
        errors = (proc.stdout + proc.stderr)[-3000:]
    raise BackendUnavailable(f"Maven could not resolve org.neo4j:neo4j:\n{errors}", pom=str(POM))


# -- configuration ---------------------------------------------------------------------------
def memory_share(size: str, share: float) -> str:
    """``share`` of a Neo4j memory size (``512m``, ``2g``), in whole megabytes.

    >>> memory_share("512m", 0.25), memory_share("2g", 0.5), memory_share("1024k", 1)
    ('128m', '1024m', '1m')
    """
    units = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}
    text = size.strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "m")
    return f"{max(1, int(float(number) * units[unit] * share))}m"


def write_conf(
    home: Path,
    port: int,
    auth: bool,
    pagecache: str,
    *,
    heap: str = "1g",
    tx_memory: str | None = None,
    tx_memory_total: str | None = None,
    tx_timeout: str = "300s",
) -> None:
    """``conf/neo4j.conf``: loopback only, and limits that keep one query from taking the
    server down (the API runs users' Cypher): each transaction may use ``tx_memory`` of heap
    (default a quarter of ``heap``), all of them ``tx_memory_total`` (default half), and no
    transaction runs past ``tx_timeout`` unless it asks for another timeout itself."""
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
        # LOAD CSV would otherwise read any file the server can (the API runs user Cypher).
        "dbms.security.allow_csv_import_from_file_urls": "false",
        # Development servers need no week of transaction logs.
        "db.tx_log.rotation.retention_policy": "2 files",
        # Bolt otherwise waits 5 s + 5 s for connections that are already gone on every stop;
        # (internal settings of the pinned 5.26: an unknown key would fail strict validation).
        "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
        "internal.server.bolt.connection_shutdown_wait_time": "1s",
        # A query that would fill the heap fails with a memory error instead of killing the JVM.
        # Half the heap per transaction: a large document's write (its one transaction) fits.
        "db.memory.transaction.max": tx_memory or memory_share(heap, 0.5),
        "dbms.memory.transaction.total.max": tx_memory_total or memory_share(heap, 0.75),
        "db.transaction.timeout": tx_timeout,
    }
    conf = conf_file(home)
    conf.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Written by graph/local_neo4j.py on every start; edits are overwritten."]
    lines += [f"{k}={v}" for k, v in settings.items()]
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")


def configured_port(home: Path) -> int | None:
    try:
        text = conf_file(home).read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("server.bolt.listen_address="):
            return int(line.rsplit(":", 1)[1])
    return None


def java_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(home)
    env["NEO4J_CONF"] = str(home / "conf")
    return env


def set_initial_password(home: Path, java: str, cp: str, password: str) -> None:
    """Give user ``neo4j`` its first password (effective only before the first start)."""
    if (home / "data" / "dbms" / "auth.ini").exists():
        return
    proc = subprocess.run(
        [
            java,
            "-cp",
            cp,
            *JVM_FLAGS,
            f"-Dneo4j.home={home}",
            ADMIN_TOOL,
            "dbms",
            "set-initial-password",
            password,
        ],
        cwd=home,
        env=java_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BackendUnavailable(
            f"neo4j-admin dbms set-initial-password failed:\n{(proc.stdout + proc.stderr)[-2000:]}"
        )


def read_pid(home: Path) -> int | None:
    try:
        return int(pid_file(home).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
