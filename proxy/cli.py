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
    server.warm_questions()
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


def _ask(args: argparse.Namespace) -> int:
    from .cli_tools import ask

    overrides = {"duckdb": {"database": args.database, "read_only": True}} if args.database else {}
    return ask(load_config(args.config, overrides=overrides), args.question, sql_only=args.sql)


def _eval(args: argparse.Namespace) -> int:
    from .cli_tools import eval_spider

    return eval_spider(load_config(args.config), args.dataset, limit=args.limit or None, seed=args.seed,
                       baseline=not args.no_baseline, out_jsonl=args.out)


def _synth(args: argparse.Namespace) -> int:
    from .cli_tools import synth_command

    return synth_command(load_config(args.config), args.spec, out=args.out, database=args.database,
                         seed=args.seed, mode=args.mode)


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
    serve.set_defaults(func=lambda a: _run_server(_serve(a)))

    passwd = sub.add_parser("passwd", help="print a hashed password for the [auth] users list")
    passwd.add_argument("user", help="user name (md5 secrets include it)")
    passwd.add_argument("--password", help="the password (default: prompt)")
    passwd.add_argument("--md5", action="store_true", help="make an md5 secret instead of SCRAM-SHA-256")
    passwd.set_defaults(func=_passwd)

    ask = sub.add_parser("ask", help="answer a question in plain language from the shell")
    ask.add_argument("question", help="the question, e.g. 'how many orders per country?'")
    ask.add_argument("--database", metavar="FILE.duckdb", help="DuckDB database file (opened read-only)")
    ask.add_argument("--sql", action="store_true", help="print the SQL without running it")
    ask.add_argument("--config", metavar="FILE", help="TOML configuration file")
    ask.set_defaults(func=_ask)

    ev = sub.add_parser("eval", help="measure question answering on a Spider-format dataset")
    ev.add_argument("dataset", help="dataset folder (dev.json, tables.json, database/<db>/<db>.sqlite)")
    ev.add_argument("--limit", type=int, default=150, help="questions sampled (0: all)")
    ev.add_argument("--seed", type=int, default=0, help="sample seed")
    ev.add_argument("--no-baseline", action="store_true", help="skip the zero-shot baseline")
    ev.add_argument("--out", metavar="FILE.jsonl", help="write one JSON line per question")
    ev.add_argument("--config", metavar="FILE", help="TOML configuration file")
    ev.set_defaults(func=_eval)

    sy = sub.add_parser("synth", help="generate synthetic data from a spec into Parquet or a DuckDB file")
    sy.add_argument("spec", help="spec file (YAML or JSON)")
    sy.add_argument("--out", metavar="DIR", help="write one Parquet file per table into DIR")
    sy.add_argument("--database", metavar="FILE.duckdb", help="load the tables into this DuckDB file")
    sy.add_argument("--mode", choices=("create", "replace", "append"), default="create",
                    help="what to do when a table exists (with --database)")
    sy.add_argument("--seed", type=int, help="seed (default: the spec's)")
    sy.add_argument("--config", metavar="FILE", help="TOML configuration file")
    sy.set_defaults(func=_synth)

    config = sub.add_parser("config", help="list every setting with its environment variable and default")
    config.add_argument("--markdown", action="store_true", help="print a Markdown table (the README's)")
    config.set_defaults(func=_config_doc)
    return parser


def _run_server(coro) -> None:
    """Run the server on uvloop when it is installed (libuv's loop: less Python per network
    event and per worker-thread wake-up), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coro)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except Exception as e:  # noqa: BLE001 - errors with a SQLSTATE are the user's, printed plainly
        if not isinstance(getattr(e, "sqlstate", None), str):
            raise
        detail = getattr(e, "detail", None)
        print(f"askgres: {getattr(e, 'message', e)}" + (f"\n{detail}" if detail else ""), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
