"""The `vitrine` command (also `python -m directory`): `main` parses and runs one command.

- `main`: the parser, and the commands that manage the data (migrate, backup, seed, import,
  export), the slots and the people (staff accounts, applicants' data);
- `jobs`: the scheduled jobs cron or the app's worker runs (outbox, offers, reminders, questions
  to listings' contacts, the company register, external sources, retention);
- `common`: the migrated engine every command starts from.
"""

from directory.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
