"""The README's worked example says what `hzledger check` really prints."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hztest import REPO


def test_readme_worked_example(tmp_path: Path, cli) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ledger = re.search(r"### 一个小例子\n\n```beancount\n(.*?)```", readme, re.S)
    shown = re.search(r"```console\n\$ hzledger check main.beancount\n(.*?)```", readme, re.S)
    assert ledger and shown
    (tmp_path / "main.beancount").write_text(ledger.group(1), encoding="utf-8")
    result = cli("check", "main.beancount", cwd=tmp_path)
    assert result.returncode == 1
    row = re.compile(r"^\s+(\d+)\s+错误\s+(\S+) \[(\w+)\]", re.M)
    assert row.findall(result.stdout) == row.findall(shown.group(1))
    assert result.stdout.splitlines()[-1] == shown.group(1).splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_briefly(command: str, cwd: Path, env: dict[str, str]) -> None:
    """`fava LEDGER` runs until stopped: start it, see it answer, stop it."""
    port = _free_port()
    server = subprocess.Popen(
        ["sh", "-c", f"exec {command} --host 127.0.0.1 --port {port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "fava did not answer"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_readme_quick_start_in_a_fresh_clone_keeps_the_suite_green(tmp_path: Path) -> None:
    """Every quick-start command, run as written in a fresh clone, leaves `ledgers/` current.

    `make install` is the one command not run: the clone borrows this virtualenv instead (its
    `make install` would re-point the editable install at the clone). Then the generator-equality
    test runs inside the clone, as `make test` there would run it.
    """
    if subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True
    ).returncode:
        pytest.skip("the checkout is not a git repository (e.g. an unpacked sdist)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PYTHONIOENCODING"] = "utf-8"
    clone = tmp_path / "hzledger"
    cloned = subprocess.run(
        ["git", "clone", "-q", REPO.as_uri(), str(clone)], capture_output=True, text=True, env=env
    )
    assert cloned.returncode == 0, cloned.stderr
    (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)

    readme = (clone / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## 快速上手\n\n```sh\n(.*?)```", readme, re.S)
    assert block
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    commands = [c.replace("<组织>", "dongcheng") for c in commands if c]
    assert commands[0] == "make install" and len(commands) >= 3
    for command in commands[1:]:
        if command.startswith(".venv/bin/fava "):
            _serve_briefly(command, clone, env)
            continue
        ran = subprocess.run(
            ["sh", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )
        # `hzledger check` exits 1: ledgers/xicheng carries deliberate violations.
        assert ran.returncode in (0, 1), (command, ran.stdout[-2000:], ran.stderr[-2000:])

    # Beancount writes its pickle cache only when a load took over a second: make sure one is there.
    if not list((clone / "ledgers").rglob("*.picklecache")):
        (clone / "ledgers" / "dongcheng" / ".main.beancount.picklecache").write_bytes(b"\x80")
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=clone, env=env, capture_output=True, text=True
    )
    shown = [line for line in status.stdout.splitlines() if line != "?? .venv"]  # our symlink
    assert shown == [], "the quick start leaves nothing git would show"
    stale_check = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/demo/test_ledgers.py::test_committed_ledgers_are_exactly_what_the_generator_writes"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert stale_check.returncode == 0, stale_check.stdout[-3000:] + stale_check.stderr[-2000:]
    assert "1 passed" in stale_check.stdout
