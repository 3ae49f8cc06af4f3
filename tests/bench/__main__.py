"""`python -m tests.bench [--n 30] [--only NOME] [--json PATH]`: see tests/bench/__init__.py."""

import argparse
import sys
from pathlib import Path

import django

from .dataset import configure_environment, prepare_dataset


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Tempi e numero di query delle pagine principali sul dataset --scale full.",
    )
    parser.add_argument("--n", type=int, default=30, help="esecuzioni misurate per scenario")
    parser.add_argument(
        "--only", action="append", metavar="NOME", help="solo questo scenario (ripetibile)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="scrive i risultati in JSON")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n deve essere almeno 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_environment()
    django.setup()
    # Models can be imported only once Django is set up.
    from .runner import BenchError, run

    prepare_dataset()
    try:
        return run(args.n, args.only, args.json)
    except BenchError as exc:
        print(f"ERRORE: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
