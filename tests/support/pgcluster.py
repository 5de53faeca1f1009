"""A throwaway PostgreSQL cluster for the test suite, on a Unix socket in a temporary folder.

PostgreSQL refuses to run as root; when the tests run as root (as CI does) the cluster runs as the
unprivileged user ``nobody`` through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl live, if PostgreSQL's server binaries are installed."""
    if os.environ.get("SIKLUS_TEST_NO_POSTGRES"):
        return None
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for path in candidates:
        if Path(path, "initdb").exists() and Path(path, "pg_ctl").exists():
            return Path(path)
    found = shutil.which("pg_ctl")
    if found and Path(found).resolve().with_name("initdb").exists():
        return Path(found).resolve().parent
    return None


@dataclass
class Cluster:
    base: Path
    bindir: Path
    run_as: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@/postgres?host={self.base}"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.base}"

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def start(self) -> None:
        data = self.base / "data"
        subprocess.run(self._cmd("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                 "--no-sync", "--no-instructions"), check=True, capture_output=True)
        options = f"-k {self.base} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=60"
        subprocess.run(self._cmd("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.base / "log"), "-w", "start"),
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(self._cmd("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop"),
                       capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


def start_cluster() -> Cluster | None:
    bindir = find_bindir()
    if bindir is None:
        return None
    base = Path(tempfile.mkdtemp(prefix="siklus-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "nobody"
        os.chmod(base, 0o777)
    cluster = Cluster(base, bindir, run_as)
    cluster.start()
    return cluster
