"""A builder's live-preview server in tests: a free port, the server started and stopped,
and its pages once it answers."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(command: list[str], cwd: Path, env: dict[str, str],
            log: Path | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """`command -a 127.0.0.1:PORT` on a free port, and its address; its output goes to `log`
    (or nowhere), and it is stopped at the end."""
    port = free_port()
    with open(log or "/dev/null", "w") as output:
        server = subprocess.Popen([*command, "-a", f"127.0.0.1:{port}"], cwd=cwd, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch_when_ready(url: str, server: subprocess.Popen, timeout: float) -> str:
    """The page at `url`, once the server answers; fails if the server exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server exited ({server.args[:3]})"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")
