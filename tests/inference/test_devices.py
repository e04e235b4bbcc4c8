"""CPU devices: what ``import hierax`` asks JAX for, and how users override it.

Each case starts a fresh interpreter, since JAX fixes its devices when it starts.
"""

import os
import subprocess
import sys

import pytest

from hierax.inference.devices import DEFAULT_CHAINS, MAX_AUTOMATIC_DEVICES

REPORT = "import hierax, jax; print(jax.local_device_count('cpu'))"


def devices_after_import(code: str = REPORT, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("XLA_FLAGS",)}
    environment.pop("HIERAX_CPU_DEVICES", None)
    environment["JAX_PLATFORMS"] = "cpu"
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )


def test_import_asks_for_one_device_per_default_chain():
    expected = max(DEFAULT_CHAINS, min(os.cpu_count() or 1, MAX_AUTOMATIC_DEVICES))
    result = devices_after_import()
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == expected


@pytest.mark.parametrize(
    ("env", "code", "expected"),
    [
        ({"HIERAX_CPU_DEVICES": "3"}, REPORT, 3),
        ({"HIERAX_CPU_DEVICES": "1"}, REPORT, 1),
        ({"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}, REPORT, 2),
        # JAX already computing before hierax is imported: left as it is.
        ({}, "import jax; jax.numpy.ones(1); " + REPORT, 1),
    ],
)
def test_users_choice_is_kept(env, code, expected):
    result = devices_after_import(code, **env)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == expected


def test_bad_setting_names_the_variable():
    result = devices_after_import(HIERAX_CPU_DEVICES="many")
    assert result.returncode != 0
    assert "HIERAX_CPU_DEVICES='many'" in result.stderr
    assert "positive integer" in result.stderr
