"""Helpers for the `hzledger serve` tests: two real organisations, a real users file, a real server.

(A module of its own, not conftest: several test folders have a conftest, and `import
conftest` would pick whichever pytest loaded last.)

`shiyan` is the spec's clean example (plus one document inside its folder);
`bad` is another organisation, with a different title, violations, no language
option, and a `document` entry that points into `shiyan`'s folder.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher

from hzledger.serve.users import User, UsersFile, save_users

# isort: split
from hztest import SPEC_EXAMPLE

HZLEDGER = Path(sys.executable).parent / "hzledger"

UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
CLEAN_TITLE = "示例市职工互助保障会"
BAD_TITLE = "违规市职工互助保障会"
LONG_QUERY = "各基金往来款项核对（按基金、按月份汇总，含内部往来转）"

# Cheap argon2 parameters: the server verifies whatever parameters a hash names.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

USERS = {
    "alice": ("alice-password", ["shiyan"]),  # by folder name
    "bob": ("bob-password", [BAD_TITLE]),  # by title
    "root": ("root-password", ["*"]),
    "carol": ("carol-password", ["某个不存在的组织"]),  # sees nothing
}

BAD_EXTRA = """
2025-03-01 open Assets:ZH:1101短期投资:GP股票 CNY
  kind: "stock"
2025-03-02 * "购买股票"
  prepared-by: "赵敏"
  approved-by: "钱伟"
  Assets:ZH:1101短期投资:GP股票  1000.00 CNY
  Assets:ZH:1002银行存款:J基本户  -1000.00 CNY

2025-03-03 * "收到利息并直接支付办公费（坐支）"
  Income:ZH:4601利息收入  -200.00 CNY
  Expenses:ZH:5201管理费用:B办公费  200.00 CNY

2025-03-04 document Assets:ZH:1002银行存款:J基本户 "../../shiyan/main.beancount"

2025-03-05 query "各基金往来款项核对（按基金、按月份汇总，含内部往来转）" "SELECT account, sum(position) GROUP BY account"
"""


def _copy_example(target: Path) -> Path:
    if not SPEC_EXAMPLE.exists():
        pytest.skip(f"spec example not found at {SPEC_EXAMPLE}")
    shutil.copytree(SPEC_EXAMPLE, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target / "main.beancount"


def make_orgs(base: Path) -> dict[str, Path]:
    """Two organisation folders under `base`; returns slug -> main file."""
    base.mkdir(parents=True, exist_ok=True)
    clean = _copy_example(base / "shiyan")
    doc = clean.parent / "documents" / "2025-01-10.bank-statement.pdf"
    doc.write_bytes(b"%PDF-1.4 shiyan bank statement\n")
    with (clean.parent / "funds" / "ZH.beancount").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n2025-01-10 document Assets:ZH:1002银行存款:J基本户 "../documents/2025-01-10.bank-statement.pdf"\n'
            # A named query: `.run` shares the ledger's query shell like any query.
            '\n2025-01-10 query "income-total" "SELECT count(*) AS n, sum(number) AS total '
            "WHERE account ~ '^Income'\"\n"
        )
    bad = _copy_example(base / "bad")
    text = bad.read_text(encoding="utf-8").replace(CLEAN_TITLE, BAD_TITLE)
    text = text.replace('2024-01-01 custom "fava-option" "language" "zh"\n', "")
    bad.write_text(text, encoding="utf-8")
    with (bad.parent / "funds" / "ZH.beancount").open("a", encoding="utf-8") as fh:
        fh.write(BAD_EXTRA)
    return {"shiyan": clean, "bad": bad}


def write_users(path: Path) -> Path:
    users = [
        User(name=name, password_hash=FAST_HASHER.hash(pw), scopes=scopes)
        for name, (pw, scopes) in USERS.items()
    ]
    save_users(path, UsersFile(users=users))
    return path


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file below root: proof that nothing was written."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body as text, `\\uXXXX` escapes undone (Fava embeds JSON), so titles are searchable."""
        raw = self.body.decode("utf-8", "replace")
        return UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)


@dataclass
class Server:
    """A running `hzledger serve` subprocess."""

    proc: subprocess.Popen[str]
    host: str
    port: int
    access_log: Path
    stderr: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        source: str | None = None,
    ) -> Response:
        """`source`: the client's own loopback address (127.0.0.x), to act as another client."""
        conn = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(source, 0) if source else None
        )
        hdrs = dict(headers or {})
        if auth is not None:
            hdrs["Authorization"] = auth
        elif user is not None:
            hdrs["Authorization"] = basic(
                user, password if password is not None else USERS[user][0]
            )
        if body is not None:
            hdrs.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, quote(path, safe="/?=&%:+"), body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path: str, user: str | None = None, **kw: object) -> Response:
        return self.request("GET", path, user=user, **kw)  # type: ignore[arg-type]

    def stderr_with(self, needle: str, timeout: float = 15) -> list[str]:
        """The server's stderr lines containing `needle`, waiting for at least one."""
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in list(self.stderr) if needle in line]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8").splitlines()

    def log_lines_with(self, needle: str, count: int = 1, timeout: float = 15) -> list[str]:
        """The access log once `count` lines contain `needle`: a request is logged when the
        server closes its response, which can come just after the client read the last byte."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.log_lines()
            if sum(needle in line for line in lines) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)


def start_server(
    args: list[str], access_log: Path, cwd: Path, env: dict[str, str] | None = None
) -> Server:
    proc = subprocess.Popen(
        [str(HZLEDGER), "serve", *args, "--port", "0", "--access-log", str(access_log)],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    lines: list[str] = []
    ready = threading.Event()
    found: dict[str, int] = {}

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "http://" in line and "port" not in found:
                found["port"] = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 90
    while not ready.wait(0.2):
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("server did not start:\n" + "".join(lines))
    if "port" not in found:
        proc.wait(timeout=10)
        raise AssertionError(f"server exited {proc.returncode}:\n" + "".join(lines))
    return Server(proc, "127.0.0.1", found["port"], access_log, lines)


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=15)


def compliance_path(slug: str) -> str:
    return f"/{slug}/extension/HzCompliance/"
