# pytest fixtures for testing against bigcommerce-mock-storefront, installed in the project with
# npm (its README says how); run pytest from the project's root.
import json
import os
import queue
import signal
import subprocess
import threading

import pytest
import requests

# The package's bin itself, not `npx bigcommerce-mock`: a launcher would be the process that
# terminate() stops, and the mock would outlive the run. BC_MOCK_BIN may name another bin; a
# .js file is run with node.
BIN = os.environ.get("BC_MOCK_BIN", os.path.join("node_modules", ".bin", "bigcommerce-mock"))
COMMAND = ["node", BIN] if BIN.endswith((".js", ".cjs", ".mjs")) else [BIN]


class MockStorefront:
    """A running mock: its URL and pid from the ready line, and its control API."""

    def __init__(self, ready, control):
        self.url = ready["url"]
        self.pid = ready["pid"]
        self.store_hash = ready["store_hash"]
        self._control = control

    def control(self, method, path, **kwargs):
        """Call the control API (/__mock/...): the JSON answer; an error status raises."""
        response = self._control.request(method, self.url + path, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()


def _read_stdout(stdout, ready_line):
    # The first line is the ready line; the banner and log lines after it are read and dropped,
    # so that the mock never blocks on a full pipe.
    ready_line.put(stdout.readline())
    for _ in stdout:
        pass


def _ready(process, ready_line):
    try:
        line = ready_line.get(timeout=30)
    except queue.Empty:
        raise RuntimeError("the mock printed no ready line within 30 s") from None
    if not line:
        raise RuntimeError(f"the mock exited ({process.wait()}) before it was ready: see its stderr")
    return json.loads(line)


@pytest.fixture(scope="session")
def mock():
    """One mock for the whole run, on a free port."""
    try:
        process = subprocess.Popen(
            [*COMMAND, "--port", "0", "--ready-json", "--log-level", "warn"],
            # A pipe the mock reads: should pytest die, it closes and the mock exits.
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            encoding="utf-8",
        )
    except FileNotFoundError as error:
        raise RuntimeError(f"no {BIN}: install bigcommerce-mock-storefront with npm, or set BC_MOCK_BIN") from error
    with process:  # on leaving: closes the pipes and waits, so nothing is left open
        ready_line = queue.Queue()
        reader = threading.Thread(target=_read_stdout, args=(process.stdout, ready_line), daemon=True)
        reader.start()
        pid = None
        try:
            ready = _ready(process, ready_line)
            pid = ready["pid"]
            with requests.Session() as control:
                yield MockStorefront(ready, control)
        finally:
            if process.poll() is None:
                # The ready line's pid is the mock itself, whatever started it.
                os.kill(pid or process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            reader.join(timeout=10)


@pytest.fixture(autouse=True)
def fixture_state(mock):
    """Every test starts from the fixtures: no sessions, no faults, the clock as started."""
    mock.control("POST", "/__mock/reset")


@pytest.fixture
def shopper():
    """A browser of its own for each test: a requests.Session, whose cookies are its storefront session."""
    with requests.Session() as session:
        yield session
