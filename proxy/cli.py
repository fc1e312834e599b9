"""The `askgres` command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import signal
import sys

from .auth import md5_secret, scram_secret
from .config import load_config, settings_table
from .errors import PgError


def _serve_overrides(args: argparse.Namespace) -> dict:
    server, duck = {}, {}
    if args.host is not None:
        server["host"] = args.host
    if args.port is not None:
        server["port"] = args.port
    if args.demo:
        server["demo"] = True
    if args.database is not None:
        duck["database"] = args.database
    if args.read_only:
        duck["read_only"] = True
    if args.data is not None:
        duck["data_dir"] = args.data
    return {k: v for k, v in (("server", server), ("duckdb", duck)) if v}


async def _serve(args: argparse.Namespace) -> int:
    from .demo import load_demo
    from .server import Server

    config = load_config(args.config, overrides=_serve_overrides(args))
    server = Server(config)
    if config.server.demo and not config.duckdb.read_only:
        if load_demo(server.engine):
            print("askgres: loaded the demo dataset (customers, products, orders, order_items)", flush=True)
    host, port = await server.start()
    auth_note = ("no users configured: any user name connects without a password (loopback only)"
                 if not config.auth.users else f"{len(config.auth.users)} user(s), {config.auth.method}")
    print(f"askgres: listening on {host}:{port} ({auth_note})", flush=True)
    print(f"askgres: connect with: psql -h {host} -p {port} -U askgres askgres", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    serving = asyncio.create_task(server.serve_forever())
    await stop.wait()
    serving.cancel()
    await server.stop()
    return 0


def _passwd(args: argparse.Namespace) -> int:
    password = args.password if args.password is not None else getpass.getpass("password: ")
    print(md5_secret(args.user, password) if args.md5 else scram_secret(password))
    return 0


def _config_doc(args: argparse.Namespace) -> int:
    if args.markdown:
        print("| setting | environment | default | meaning |\n| --- | --- | --- | --- |")
    for key, default, description in settings_table():
        env = "ASKGRES_" + key.replace(".", "_").upper() if key.count(".") == 1 else "(file only)"
        if args.markdown:
            print(f"| `{key}` | `{env}` | `{default or 'none'}` | {description.replace('|', '/')} |")
        else:
            print(f"{key} (env {env}, default {default or 'none'}): {description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="askgres", description="A PostgreSQL-compatible server over DuckDB and Spark, "
                                     "with plain-language questions answered by a local model.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve a database over the PostgreSQL protocol")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 5433; 0 picks a free one)")
    serve.add_argument("--database", metavar="FILE.duckdb", help="DuckDB database file to serve (default: in memory)")
    serve.add_argument("--read-only", action="store_true", help="open the database read-only")
    serve.add_argument("--data", metavar="DIR", help="directory of Parquet/CSV files served as tables")
    serve.add_argument("--config", metavar="FILE", help="TOML configuration file (see `askgres config`)")
    serve.add_argument("--demo", action="store_true", help="load the demo dataset into an empty database")
    serve.set_defaults(func=lambda a: asyncio.run(_serve(a)))

    passwd = sub.add_parser("passwd", help="print a hashed password for the [auth] users list")
    passwd.add_argument("user", help="user name (md5 secrets include it)")
    passwd.add_argument("--password", help="the password (default: prompt)")
    passwd.add_argument("--md5", action="store_true", help="make an md5 secret instead of SCRAM-SHA-256")
    passwd.set_defaults(func=_passwd)

    config = sub.add_parser("config", help="list every setting with its environment variable and default")
    config.add_argument("--markdown", action="store_true", help="print a Markdown table (the README's)")
    config.set_defaults(func=_config_doc)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except PgError as e:
        print(f"askgres: {e.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
