"""A Celery worker whose evaluator misbehaves for some files, for the tests
of crashing and memory-hungry evaluations (R3).

    python -m tests.faulty_worker worker -Q evaluation ...

A prediction file with a row id ``fault-abort`` makes the evaluating process
abort (SIGABRT), ``fault-segfault`` makes it read address 0 (SIGSEGV), and
``fault-memory`` makes it allocate until it runs out of memory; any other
file is scored as usual (see ``faulty_csv``). The pool's processes are forked from this one, so they
inherit the faulty scorer; production code carries no hook for it.
"""

import ctypes
import os
import sys


def exhaust_memory() -> None:
    hoard = []
    for _ in range(4096):  # 256 GiB at most: far past any cap, bounded all the same
        hoard.append(bytearray(64 * 1024 * 1024))
    raise AssertionError("no memory cap: allocated 256 GiB")


FAULTS = {
    "abort": os.abort,
    "segfault": lambda: ctypes.string_at(0),
    "memory": exhaust_memory,
}


def faulty_csv(fault: str) -> bytes:
    from tests.factories import predictions_csv

    return predictions_csv() + f"fault-{fault},a\n".encode()


def install_faults() -> None:
    from submissions.modes import prediction

    score = prediction.score_predictions

    def faulty_score(**kwargs):
        prediction_file = kwargs["prediction_file"]
        content = prediction_file.read()
        prediction_file.seek(0)
        for name, fault in FAULTS.items():
            if f"fault-{name},".encode() in content:
                fault()
        return score(**kwargs)

    prediction.score_predictions = faulty_score


def main(argv: list[str]) -> None:
    import django

    from league.celery import app

    django.setup()
    install_faults()
    app.worker_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
