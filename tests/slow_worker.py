"""A Celery worker whose evaluations take longer, for the reliability tests
that kill a worker mid-evaluation (R1) or run past the time limit (R5).

    python -m tests.slow_worker SECONDS worker -Q evaluation ...

Sleeps SECONDS before scoring each submission, then scores it as usual. The
pool's processes are forked from this one, so they inherit the slow scorer;
production code carries no hook for it.
"""

import sys
import time


def slow_down_scoring(seconds: float) -> None:
    from submissions.modes import prediction

    score = prediction.score_predictions

    def slow_score(**kwargs):
        time.sleep(seconds)
        return score(**kwargs)

    prediction.score_predictions = slow_score


def main(argv: list[str]) -> None:
    import django

    from league.celery import app

    seconds, *celery_argv = argv
    django.setup()
    slow_down_scoring(float(seconds))
    app.worker_main(celery_argv)


if __name__ == "__main__":
    main(sys.argv[1:])
