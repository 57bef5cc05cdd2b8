"""100 failed sign-ins at once: the process's memory and how long the last answer takes.

    python bench/sign_in.py

Each password check is argon2id at 64 MiB. Printed, each in a fresh process: the checks bounded as
the app runs them (VITRINE_PASSWORD_CHECKS, 2 by default), and as a baseline the same burst with
every check allowed at once (the bound set to 100). Peak memory is the process's maximum resident
size (ru_maxrss) above what it held before the burst.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ATTEMPTS = 100


def burst() -> None:
    """In this process: 100 failed sign-ins at once; prints peak memory growth and times."""
    sys.path.insert(0, str(ROOT))
    import logging

    from directory import accounts, db
    from directory.accounts import SignInBusy, SignInRefused

    logging.disable(logging.WARNING)
    engine = db.make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    db.migrate(engine)
    accounts.create_staff(engine, email="camille@atelier.example.org", name="Camille",
                          password="un mot de passe solide")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    answers: dict[str, int] = {}

    def attempt(number: int) -> None:
        try:
            accounts.authenticate(engine, f"guess{number}@example.org", "wrong password",
                                  client_address=f"198.51.100.{number}", pause=lambda _s: None)
        except SignInRefused:
            answers["refused"] = answers.get("refused", 0) + 1
        except SignInBusy:
            answers["busy"] = answers.get("busy", 0) + 1
        except db.DatabaseUnavailable:  # the database's writers starved by the hashing
            answers["failed"] = answers.get("failed", 0) + 1

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        list(pool.map(attempt, range(ATTEMPTS)))
    elapsed = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{os.environ['VITRINE_PASSWORD_CHECKS']:>3} checks at once: peak memory +{grown:.0f} MB, all {ATTEMPTS} "
          f"answered in {elapsed:.1f} s ({answers.get('refused', 0)} refused, {answers.get('busy', 0)} told to retry, "
          f"{answers.get('failed', 0)} failed: database locked)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--burst":
        burst()
    else:
        print(f"{ATTEMPTS} failed sign-ins at once, argon2id at 64 MiB each:")
        for slots in ("2", str(ATTEMPTS)):
            subprocess.run([sys.executable, __file__, "--burst"], check=True,
                           env={**os.environ, "VITRINE_PASSWORD_CHECKS": slots})
