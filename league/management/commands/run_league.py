"""Run the web server and a Celery worker (with beat) together: `make run`.

Ctrl-C (or SIGTERM) stops both; if either exits, the other is stopped too.
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Start the web server and a real Celery worker with beat; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, addrport: str, concurrency: int, **options):
        python = sys.executable
        processes = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "league",
                    "worker",
                    "-B",
                    "-Q",
                    "default,evaluation",
                    "-c",
                    str(concurrency),
                    "-l",
                    "warning",
                ]
            ),
            subprocess.Popen(  # noqa: S603
                [python, "manage.py", "runserver", addrport, "--noreload"]
            ),
        ]
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the web server and the worker…")
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 20
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stdout.write("Stopped.")
