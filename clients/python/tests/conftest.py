"""The client's tests talk to a real node: RRAMLAB_URL, RRAMLAB_TOKEN (operator) and
RRAMLAB_VIEWER_TOKEN name it (app's PythonClientTest starts one and sets them)."""
import os
import uuid

import pytest

from rramlab_client import Lab


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: these tests need a running node (PythonClientTest starts one)", returncode=4)
    return value


@pytest.fixture(scope="session")
def url() -> str:
    return _env("RRAMLAB_URL")


@pytest.fixture(scope="session")
def lab(url: str) -> Lab:
    return Lab(url, _env("RRAMLAB_TOKEN"))


@pytest.fixture(scope="session")
def viewer(url: str) -> Lab:
    return Lab(url, _env("RRAMLAB_VIEWER_TOKEN"))


@pytest.fixture
def name():
    """A fresh id per test, so tests share one node without meeting."""
    return lambda prefix: f"{prefix}-{uuid.uuid4().hex[:8]}"
