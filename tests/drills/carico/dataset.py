"""The drill's data: the --scale full region in PostgreSQL, built once, and what the load users visit.

Run in a child process of the drill (``python -m tests.drills.carico.dataset``): Django set up
on the drill's settings without Redis, so the seed runs its tasks in-process and the demo
passwords are hashed by production's hasher. Writes the targets JSON the locustfile reads.
"""

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.drills.carico.dataset")
    parser.add_argument("--bersagli", type=Path, required=True, help="file JSON da scrivere")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.drills.carico.impostazioni"
    for variabile in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(variabile, None)
    import django

    django.setup()
    from tests.bench.dataset import prepare_dataset

    from .bersagli import bersagli

    prepare_dataset()
    args.bersagli.write_text(json.dumps(bersagli(), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
