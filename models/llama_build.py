"""Build llama-cpp-python from source with portable CPU flags, and keep the wheel.

The default build enables native code paths (AMX among them) that crash on first decode on
some CPUs; the flags below build a portable AVX2 binary. pip's own wheel cache ignores
CMAKE_ARGS, so the built wheel is kept in our cache keyed by version and flags, and later
installs take it from there in seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Callable

from .errors import LlamaNotInstalled

LLAMA_CPP_VERSION = "0.3.16"
CMAKE_FLAGS = ("-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
               "-DGGML_BMI2=ON -DLLAVA_BUILD=OFF")
BUILD_HINT = "python -m askgres.models build-llama   (or: make serve / make test)"


def default_wheel_dir() -> Path:
    return Path.home() / ".cache" / "askgres" / "wheels"


def wheel_key(version: str = LLAMA_CPP_VERSION, flags: str = CMAKE_FLAGS) -> str:
    digest = hashlib.sha256(f"llama-cpp-python=={version}|{flags}".encode()).hexdigest()[:12]
    return f"{version}-{digest}"


def cached_wheel(wheel_dir: Path | None = None) -> Path | None:
    folder = Path(wheel_dir or default_wheel_dir()) / wheel_key()
    wheels = sorted(folder.glob("llama_cpp_python-*.whl")) if folder.is_dir() else []
    return wheels[0] if wheels else None


def installed_version() -> str | None:
    try:
        return metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:
        return None


def _pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True)


def build_llama(wheel_dir: Path | None = None, *, force: bool = False,
                log: Callable[[str], None] = print) -> Path:
    """Idempotent: builds the wheel once (minutes), installs it when not already installed."""
    folder = Path(wheel_dir or default_wheel_dir()) / wheel_key()
    wheel = None if force else cached_wheel(wheel_dir)
    if wheel is None:
        log(f"building llama-cpp-python {LLAMA_CPP_VERSION} from source with {CMAKE_FLAGS} (several minutes) ...")
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        env = dict(os.environ, CMAKE_ARGS=CMAKE_FLAGS,
                   CMAKE_BUILD_PARALLEL_LEVEL=os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2)))
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir",
                               "-w", str(partial), f"llama-cpp-python=={LLAMA_CPP_VERSION}"],
                              env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise LlamaNotInstalled("building llama-cpp-python failed", detail=proc.stderr[-3000:],
                                    hint="a C/C++ compiler and cmake are needed")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(partial, folder)
        wheel = cached_wheel(wheel_dir)
        assert wheel is not None
    if force or installed_version() != LLAMA_CPP_VERSION or not _installed_from(wheel):
        log(f"installing {wheel.name}")
        # --no-deps keeps the rest of the environment as it is; the runtime deps are pulled once.
        proc = _pip("install", "--force-reinstall", "--no-deps", str(wheel))
        if proc.returncode != 0:
            raise LlamaNotInstalled("installing the llama-cpp-python wheel failed", detail=proc.stderr[-3000:])
        proc = _pip("install", "diskcache>=5.6.1", "jinja2>=2.11.3", "typing-extensions>=4.5.0")
        if proc.returncode != 0:
            raise LlamaNotInstalled("installing llama-cpp-python's dependencies failed", detail=proc.stderr[-3000:])
        _marker().write_text(str(wheel))
    else:
        log(f"llama-cpp-python {LLAMA_CPP_VERSION} already installed from {wheel}")
    return wheel


def _marker() -> Path:
    # Written into the environment so a build from pip's own cache (without our flags) is replaced.
    return Path(sys.prefix) / ".askgres-llama-wheel"


def _installed_from(wheel: Path) -> bool:
    m = _marker()
    return m.is_file() and m.read_text() == str(wheel)
