"""Load the demo league: ``--scale small`` for trying it out, ``large`` for benchmarks.

Each app that has a ``demo`` module seeds its own objects, upstream first
(league → teams → submissions → judging), so this command imports nothing
downstream. Every seeder is idempotent: running the command twice changes nothing.
"""

import importlib
import random
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand
from django.db import transaction

APPS_IN_ORDER = ("league", "teams", "submissions", "judging")


@dataclass
class DemoContext:
    scale: str
    rng: random.Random
    say: callable
    shared: dict = field(default_factory=dict)


class Command(BaseCommand):
    help = "Load a demo league (idempotent, deterministic with --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: str, seed: int, **options):
        ctx = DemoContext(scale=scale, rng=random.Random(seed), say=self.stdout.write)
        for app in APPS_IN_ORDER:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(ctx)
        accounts = ctx.shared.get("accounts", [])
        if accounts:
            self.stdout.write(self.style.SUCCESS("Demo accounts (e-mail / password):"))
            for role, email, password in accounts:
                self.stdout.write(f"  {role:<12} {email:<32} {password}")
