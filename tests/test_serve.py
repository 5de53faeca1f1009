"""``siklus serve`` runs a production WSGI server (gunicorn) that answers real HTTP requests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _siklus(*args: str, env: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_gunicorn_workers_that_answer(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'siklus.db'}", "SIKLUS_INSTANCE_PATH": str(tmp_path)}
    env.pop("SIKLUS_SECRET_KEY", None)
    upgrade = _siklus("db", "upgrade", env=env)
    assert upgrade.wait(timeout=120) == 0, upgrade.stdout.read() if upgrade.stdout else ""
    port = _free_port()
    server = _siklus("serve", "--port", str(port), "--workers", "2", "--threads", "2", env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    assert response.status == 200
                    assert response.headers["Server"].startswith("gunicorn")
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        # The key was generated once into the instance folder and announced.
        assert (tmp_path / "secret_key").exists()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert "2 worker(s)" in output
    assert "Booting worker" in output


def test_serve_help_names_the_development_server_switch() -> None:
    result = subprocess.run([sys.executable, "-c", "from web.cli import main; main()", "serve", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--dev" in result.stdout and "gunicorn" in result.stdout and "--workers" in result.stdout


def test_a_published_key_stops_the_server_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'siklus.db'}", "SIKLUS_INSTANCE_PATH": str(tmp_path),
           "SIKLUS_SECRET_KEY": "dev-only-change-me"}
    result = subprocess.run([sys.executable, "-c", "from web.cli import main; main()", "serve", "--port",
                             str(_free_port())], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "SIKLUS_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_a_worker_count_in_the_environment_that_is_not_a_count_is_refused_by_name(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'siklus.db'}", "SIKLUS_INSTANCE_PATH": str(tmp_path),
           "SIKLUS_WORKERS": "banyak"}
    result = subprocess.run([sys.executable, "-c", "from web.cli import main; main()", "serve", "--port",
                             str(_free_port())], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SIKLUS_WORKERS" in result.stderr and "'banyak'" in result.stderr and "Traceback" not in result.stderr
