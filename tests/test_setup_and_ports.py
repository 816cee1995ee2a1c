"""Setting up and starting: what the tests need from Debian (scripts/deps), ports in use,
`make demo PORT=…`, the demo's registry token, and a fetch with no registry running.

Every command runs for real in a process of its own, as someone types it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fetch.client import RegistryClient, RegistryNotRunning, RetryPolicy
from fetch.errors import RegistryUnavailable
from sunshine.config import ROOT

DEPS = ROOT / "scripts" / "deps"
INVOKE = [sys.executable, "-m", "invoke"]


def _free_port() -> int:
    """A port nothing listens on (bound for a moment, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something is listening on for the whole test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This environment without the project's settings, state and site in ``tmp_path``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SUNSHINE_", "REGISTRY_"))
    }
    # A registry port nothing listens on, so that no demo running here is used.
    env.update(
        SUNSHINE_VAR=str(tmp_path / "var"),
        SUNSHINE_OUTPUT=str(tmp_path / "output"),
        REGISTRY_URL=f"http://127.0.0.1:{_free_port()}/api/v1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _run(
    command: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


# -- a port in use: one line, exit 1, no traceback ---------------------------------


@pytest.mark.parametrize(
    "task, instead",
    [
        ("serve", "invoke serve --port {next}"),
        ("registry", "invoke registry --port {next}"),
        ("preview", "invoke preview --port {next}"),
        ("demo", "make demo PORT={next}"),
    ],
)
def test_a_port_in_use_is_one_line_naming_it(
    task: str, instead: str, busy_port: int, tmp_path: Path
) -> None:
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("<!doctype html>", "utf-8")
    started = time.monotonic()
    done = _run([*INVOKE, task, f"--port={busy_port}"], _env(tmp_path))
    assert done.returncode == 1, (done.stdout, done.stderr)
    # The demo reports it before fetching and building, not minutes later.
    assert time.monotonic() - started < 30
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"port {busy_port} is in use: stop what uses it or run "
        + instead.format(next=busy_port + 1)
        + {
            "serve": "",
            "registry": f" (and REGISTRY_URL=http://127.0.0.1:{busy_port + 1}/api/v1)",
            "preview": "",
            "demo": f" (invoke demo --port {busy_port + 1})",
        }[task]
    ]
    assert not (tmp_path / "var" / "store.sqlite3").exists()  # nothing was fetched


def test_the_demo_registrys_port_in_use_is_one_line_naming_it(
    busy_port: int, tmp_path: Path
) -> None:
    env = _env(tmp_path, REGISTRY_URL=f"http://127.0.0.1:{busy_port}/api/v1")
    done = _run([*INVOKE, "demo", f"--port={_free_port()}"], env)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"port {busy_port} (the demo registry's, from REGISTRY_URL) is in use")
    assert f"make demo REGISTRY_PORT={busy_port + 1}" in line


# -- make demo PORT=… ---------------------------------------------------------------


def test_make_demo_passes_the_ports_on() -> None:
    """`make -n` prints the commands a target would run, running none."""
    done = _run(["make", "-n", "demo", "PORT=8123", "REGISTRY_PORT=8766"], dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert (
        "REGISTRY_URL=http://127.0.0.1:8766/api/v1 .venv/bin/invoke demo --port 8123"
        in done.stdout.splitlines()
    )
    default = _run(["make", "-n", "demo"], {**os.environ, "PORT": "3000"})
    # A PORT some platform sets in the environment does not move the demo.
    assert ".venv/bin/invoke demo --port 8000" in default.stdout.splitlines()


def test_make_test_checks_the_debian_packages_before_the_tests() -> None:
    lines = _run(["make", "-n", "test"], dict(os.environ)).stdout.splitlines()
    assert "scripts/deps test" in lines
    assert lines.index("scripts/deps test") < lines.index(".venv/bin/python -m pytest")


def test_the_demo_prints_its_registry_and_token_and_serves_on_its_port(tmp_path: Path) -> None:
    port, registry_port = _free_port(), _free_port()
    registry = f"http://127.0.0.1:{registry_port}/api/v1"
    process = subprocess.Popen(
        [*INVOKE, "demo", "--cases=60", f"--port={port}"],
        cwd=ROOT, env=_env(tmp_path, REGISTRY_URL=registry, PYTHONFAULTHANDLER="1"), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    printed: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            printed.append(line)
            if line.startswith("Serving "):
                break
        assert printed and printed[-1].startswith("Serving "), "".join(printed)
        assert f"http://127.0.0.1:{port}/" in printed[-1]
        [said] = [line for line in printed if line.startswith("Demo registry:")]
        assert registry in said and "demo-token" in said
        # What the line says to try works: the token opens the registry.
        answer = requests.get(
            f"{registry}/cases?limit=1",
            headers={"Authorization": "Bearer demo-token"},
            timeout=10,
        )
        assert answer.status_code == 200 and len(answer.json()["items"]) == 1
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Where it hangs: on SIGABRT the interpreter prints every thread's stack.
            os.killpg(process.pid, signal.SIGABRT)
            rest = process.communicate(timeout=30)[0]
            with contextlib.suppress(ProcessLookupError):  # what else its group started
                os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError(f"Ctrl-C did not stop the demo within 30 s:\n{rest}") from None


def test_a_token_someone_set_is_not_printed(tmp_path: Path) -> None:
    from operations.demo import registry_line

    line = registry_line("http://127.0.0.1:8765/api/v1", "s3cret-token-of-mine")
    assert "s3cret" not in line and "REGISTRY_TOKEN" in line


# -- a fetch with no registry running -----------------------------------------------


def test_a_fetch_with_no_registry_running_stops_at_once_suggesting_the_demo(
    tmp_path: Path,
) -> None:
    url = f"http://127.0.0.1:{_free_port()}/api/v1"
    started = time.monotonic()
    done = _run([*INVOKE, "fetch", "--no-progress"], _env(tmp_path, REGISTRY_URL=url))
    took = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert took < 10, f"took {took:.1f} s"
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert url in line and "REGISTRY_URL" in line
    assert "`make demo`" in line and "`invoke registry`" in line


def test_a_refused_loopback_connection_is_not_retried() -> None:
    url = f"http://127.0.0.1:{_free_port()}/api/v1"
    client = RegistryClient(url, "demo-token")  # the default policy: 8 attempts, 300 s
    started = time.monotonic()
    with pytest.raises(RegistryNotRunning) as refused:
        client.get("cases")
    assert time.monotonic() - started < 5
    assert refused.value.attempts == 1 and refused.value.url == url
    assert isinstance(refused.value, RegistryUnavailable)  # exit code 2, as before


def _address_of_this_machine() -> str | None:
    """An address of this machine that is not loopback (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routed, never answered
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_a_refused_remote_connection_is_still_retried() -> None:
    """The contract counts connection errors as transient: away from loopback they are."""
    address = _address_of_this_machine()
    if address is None:
        pytest.skip("this machine has no address but loopback")
    with socket.socket() as sock:
        sock.bind((address, 0))
        port = sock.getsockname()[1]
    policy = RetryPolicy(attempts=3, total_seconds=20, initial_backoff=0.05, max_backoff=0.1)
    client = RegistryClient(f"https://{address}:{port}/api/v1", "t", retry=policy)
    with pytest.raises(RegistryUnavailable) as failed:
        client.get("cases")
    assert not isinstance(failed.value, RegistryNotRunning)
    assert failed.value.attempts == 3


# -- scripts/deps: what the tests need from Debian ---------------------------------


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[Path]:
    """A world-readable folder holding a copy of scripts/deps and bin/, a PATH with only
    a spy apt-get in it that writes each call (and DEBIAN_FRONTEND) to calls.txt.

    World-readable and -writable so that another user can run the script and the spy.
    """
    folder = Path(tempfile.mkdtemp(prefix="deps-"))
    try:
        (folder / "scripts").mkdir()
        shutil.copy(DEPS, folder / "scripts" / "deps")
        (folder / "bin").mkdir()
        spy = folder / "bin" / "apt-get"
        spy.write_text(f'#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> {folder}/calls.txt\n', "utf-8")
        for path in (folder, folder / "scripts", folder / "bin"):
            path.chmod(0o777)
        for path in (spy, folder / "scripts" / "deps"):
            path.chmod(0o755)
        yield folder
    finally:
        shutil.rmtree(folder)


def _deps(
    folder: Path, *, user: list[str] | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """scripts/deps test with PATH only ``folder/bin``, in an otherwise empty environment."""
    command = ["/bin/bash", str(folder / "scripts" / "deps"), "test"]
    return subprocess.run(
        [*(user or []), *command],
        env={"PATH": str(folder / "bin"), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def _expected_missing() -> list[str]:
    """What a PATH without tools lacks: all but what is looked for at a fixed path."""
    missing = [] if os.access("/usr/bin/chromium", os.X_OK) else ["chromium"]
    missing += [] if os.access("/usr/sbin/nginx", os.X_OK) else ["nginx"]
    missing += ["rsync", "default-jre-headless", "npm"]
    font = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    return [*missing, *([] if font.exists() else ["fonts-wqy-microhei"])]


def _calls(folder: Path) -> list[str]:
    calls = folder / "calls.txt"
    return calls.read_text("utf-8").splitlines() if calls.exists() else []


def test_deps_in_dry_run_prints_the_apt_get_line_and_installs_nothing(bare: Path) -> None:
    done = _deps(bare, SUNSHINE_DEPS_DRY_RUN="1")
    assert done.returncode == 1
    wanted = " ".join(_expected_missing())
    assert f"missing Debian packages: {wanted}" in done.stderr.splitlines()
    assert (
        f"  apt-get update && apt-get install -y --no-install-recommends {wanted}"
        in done.stderr.splitlines()
    )
    assert _calls(bare) == []


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become another user"
)
def test_deps_as_another_user_prints_the_apt_get_line_and_installs_nothing(bare: Path) -> None:
    # The environment's PATH is the bare one, so setpriv is named by its full path.
    nobody = [str(shutil.which("setpriv")), "--reuid=65534", "--regid=65534", "--clear-groups"]
    done = _deps(bare, user=nobody)
    assert done.returncode == 1, done.stderr
    wanted = " ".join(_expected_missing())
    assert done.stderr.splitlines() == [
        f"missing Debian packages: {wanted}. Install them as root (sudo), then run make again:",
        f"  apt-get update && apt-get install -y --no-install-recommends {wanted}",
    ]
    assert _calls(bare) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="installs only as root")
def test_deps_as_root_runs_apt_get_update_once_then_installs_what_is_missing(
    bare: Path,
) -> None:
    # The apt-get on this PATH is the spy: nothing is installed.
    done = _deps(bare)
    assert done.returncode == 0, done.stderr
    assert _calls(bare) == [
        "noninteractive update -qq",
        "noninteractive install -y -qq --no-install-recommends " + " ".join(_expected_missing()),
    ]


def test_deps_with_nothing_missing_does_nothing(bare: Path) -> None:
    for tool in ("chromium", "nginx", "rsync", "java", "npm"):
        (bare / "bin" / tool).write_text("#!/bin/sh\n", "utf-8")
        (bare / "bin" / tool).chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP)
    (bare / "font.ttc").write_bytes(b"")
    done = _deps(
        bare,
        SUNSHINE_CHROMIUM=str(bare / "bin" / "chromium"),
        SUNSHINE_CJK_FONT=str(bare / "font.ttc"),
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert _calls(bare) == []


def test_deps_names_a_chromium_setting_that_points_nowhere(bare: Path) -> None:
    done = _deps(bare, SUNSHINE_CHROMIUM="/nowhere/chromium")
    assert done.returncode == 1
    assert "SUNSHINE_CHROMIUM is /nowhere/chromium" in done.stderr
    assert _calls(bare) == []
