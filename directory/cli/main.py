"""The `vitrine` command: its parser, and the commands that manage the data, slots and people."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date, time
from pathlib import Path

from directory import (
    accounts,
    backup,
    db,
    listings,
    privacy,
    seed,
    showcase,
)
from directory.cli import jobs
from directory.cli.common import migrated_engine
from directory.i18n import translate
from directory.listings import exports, imports
from directory.models import StaffRole
from directory.validation import FormErrors, Invalid


def cmd_migrate(args: argparse.Namespace) -> int:
    engine = db.make_engine()
    if db.is_sqlite(engine) and backup.sqlite_path(engine).exists():
        print(f"Backed up to {backup.backup(engine)} before migrating.")
    db.migrate(engine)
    print("Schema up to date.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        target = backup.backup(db.make_engine(), Path(args.output) if args.output else None)
    except backup.BackupRefused as refused:
        print(refused, file=sys.stderr)
        return 1
    print(f"Backed up to {target}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        backup.restore(db.make_engine(), Path(args.file))
    except backup.BackupRefused as refused:
        print(refused, file=sys.stderr)
        return 1
    print(f"Restored {args.file}.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    if listings.count_partners(engine) and not args.force:
        print("The directory already has partners; nothing seeded (use --force to add the demo data anyway).")
        return 0
    seed.seed_demo(engine)
    print(f"Seeded the demo data: {listings.count_partners(engine)} partners, "
          f"{len(showcase.slots_with_counts(engine))} showcase slots.")
    return 0


def cmd_import_partners(args: argparse.Namespace) -> int:
    try:
        preview = imports.read_partner_csv(Path(args.csv).read_bytes(), migrated_engine())
    except imports.ImportRefused as refused:
        print(translate(refused.message.text, "en", **refused.message.params), file=sys.stderr)
        return 1
    print(f"{len(preview.rows)} rows read ({preview.encoding}, separator '{preview.delimiter}').")
    for row in preview.invalid_rows:
        for column, message in row.errors.items():
            print(f"  line {row.line} ({row.name}): {column}: {translate(message.text, 'en', **message.params)}")
    for row in preview.rows:
        if row.looks_like:
            print(f"  line {row.line} ({row.name}): possible duplicate of “{row.looks_like}”, imported all the same")
    if preview.ignored_columns:
        print(f"Ignored columns: {', '.join(preview.ignored_columns)}")
    if args.dry_run:
        print("Dry run: nothing written.")
        return 0 if not preview.invalid_rows else 1
    try:
        written = imports.apply_import(migrated_engine(), preview, skip_invalid=args.skip_invalid)
    except imports.ImportRefused as refused:
        print(translate(refused.message.text, "en", **refused.message.params), file=sys.stderr)
        return 1
    print(f"Imported {written} partners.")
    return 0


def cmd_export_partners(args: argparse.Namespace) -> int:
    frame = listings.load_published(migrated_engine())
    data = exports.partners_geojson(frame) if args.format == "geojson" else exports.partners_csv(frame)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.output).write_bytes(data)
        print(f"Exported {len(frame)} partners to {args.output}.")
    return 0


def _report_form_errors(invalid: FormErrors) -> int:
    for field, message in invalid.errors.items():
        print(f"{field}: {translate(message.text, 'en', **message.params)}", file=sys.stderr)
    return 1


def cmd_create_slot(args: argparse.Namespace) -> int:
    try:
        times = showcase.SlotTimes(args.date, args.start, args.end, args.deadline_days)
        slot_id = showcase.create_slot(migrated_engine(), times, capacity=args.capacity, theme=args.theme)
    except FormErrors as invalid:
        return _report_form_errors(invalid)
    print(f"Created slot {slot_id}.")
    return 0


def cmd_create_slots(args: argparse.Namespace) -> int:
    try:
        days = showcase.series_days(args.first, args.last, weekday=WEEKDAYS.index(args.weekday),
                                    skip=frozenset(args.skip))
        count = showcase.create_slot_series(migrated_engine(), days, args.start, args.end,
                                            capacity=args.capacity, theme=args.theme,
                                            deadline_days=args.deadline_days)
    except Invalid as invalid:
        return _report_form_errors(FormErrors({"dates": invalid.message}))
    except FormErrors as invalid:
        return _report_form_errors(invalid)
    print(f"Created {count} slots.")
    return 0


def cmd_export_applicant(args: argparse.Namespace) -> int:
    sys.stdout.buffer.write(privacy.applicant_data(migrated_engine(), args.email))
    return 0


def cmd_erase_applicant(args: argparse.Namespace) -> int:
    erased = privacy.erase_applicant(migrated_engine(), args.email, staff="cli")
    print(f"Erased {erased} application(s) of {args.email}.")
    return 0


def cmd_create_staff(args: argparse.Namespace) -> int:
    if args.sso_only:
        password = None
    elif args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("The two passwords differ; nothing created.", file=sys.stderr)
            return 1
    try:
        staff_id = accounts.create_staff(migrated_engine(), email=args.email, name=args.name, password=password,
                                         role=StaffRole.ADMIN if args.admin else StaffRole.STAFF)
    except FormErrors as invalid:
        return _report_form_errors(invalid)
    print(f"Created {'admin' if args.admin else 'staff'} account {staff_id} for {args.email}.")
    return 0


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from error


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a time (HH:MM): {text}") from error


def _slot_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", type=_clock, required=True, help="start time, Europe/Paris (HH:MM)")
    parser.add_argument("--end", type=_clock, required=True, help="end time, Europe/Paris (HH:MM)")
    parser.add_argument("--capacity", type=int, default=3, help="how many startups present (default 3)")
    parser.add_argument("--theme", default="", help="optional theme shown to the public")
    parser.add_argument("--deadline-days", type=int, default=showcase.DEFAULT_DEADLINE_DAYS,
                        help="applications close this many days before the slot "
                             f"(default {showcase.DEFAULT_DEADLINE_DAYS})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vitrine",
        description="Manage Vitrine's database. The database is DATABASE_URL, "
                    "or data/vitrine.db (SQLite) when it is not set.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema",
                                  description="Apply every pending Alembic migration; a SQLite "
                                              "database is backed up first.")
    migrate.set_defaults(run=cmd_migrate)

    backup_cmd = commands.add_parser(
        "backup", help="back up the SQLite database (consistent while the app runs)",
        description="Copy the SQLite database with SQLite's backup API into data/backups/ (or "
                    "--output). For PostgreSQL, use pg_dump.")
    backup_cmd.add_argument("--output", "-o", help="file to write")
    backup_cmd.set_defaults(run=cmd_backup)

    restore_cmd = commands.add_parser(
        "restore", help="replace the SQLite database with a backup",
        description="Check a backup file and copy it over the database. Stop the app first.")
    restore_cmd.add_argument("file", help="a file written by `vitrine backup`")
    restore_cmd.set_defaults(run=cmd_restore)

    seed_cmd = commands.add_parser("seed", help="load the demo data (real organisations + demo startups)",
                                   description="Load data/partners.csv into an empty directory.")
    seed_cmd.add_argument("--force", action="store_true", help="seed even if partners already exist")
    seed_cmd.set_defaults(run=cmd_seed)

    import_cmd = commands.add_parser(
        "import-partners", help="import partners from a CSV file, with a row-by-row report",
        description="Read a CSV (UTF-8 or Windows-1252, ';' or ',' separated) with at least the "
                    "columns name and kind. Every row is checked; with any faulty row nothing is "
                    "written, unless --skip-invalid is given.")
    import_cmd.add_argument("csv", help="path of the CSV file")
    import_cmd.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    import_cmd.add_argument("--skip-invalid", action="store_true",
                            help="write the valid rows and leave out the faulty ones")
    import_cmd.set_defaults(run=cmd_import_partners)

    export_cmd = commands.add_parser(
        "export-partners", help="export the published partners as CSV or GeoJSON",
        description="Write the published partners (spreadsheet-safe CSV, or GeoJSON).")
    export_cmd.add_argument("--format", choices=["csv", "geojson"], default="csv")
    export_cmd.add_argument("--output", "-o", default="-", help="file to write ('-' for standard output)")
    export_cmd.set_defaults(run=cmd_export_partners)

    slot_cmd = commands.add_parser("create-slot", help="open one showcase slot",
                                   description="Create one slot in the atelier's showcase space.")
    slot_cmd.add_argument("--date", type=_day, required=True, help="day of the slot (YYYY-MM-DD)")
    _slot_arguments(slot_cmd)
    slot_cmd.set_defaults(run=cmd_create_slot)

    series_cmd = commands.add_parser(
        "create-slots", help="open a weekly series of showcase slots",
        description="Create a slot on a given weekday every week between two dates, e.g. every "
                    "Wednesday 14:00-17:00, skipping holidays. All or nothing.")
    series_cmd.add_argument("--from", dest="first", type=_day, required=True, help="first day (YYYY-MM-DD)")
    series_cmd.add_argument("--to", dest="last", type=_day, required=True, help="last day (YYYY-MM-DD)")
    series_cmd.add_argument("--weekday", choices=WEEKDAYS, required=True)
    series_cmd.add_argument("--skip", type=_day, nargs="*", default=[], help="dates to leave out")
    _slot_arguments(series_cmd)
    series_cmd.set_defaults(run=cmd_create_slots)

    staff_cmd = commands.add_parser(
        "create-staff", help="create a staff (or admin) account",
        description="Create an account for the atelier's team. There is no default account and no "
                    "default password: the password is asked twice, or read from standard input.")
    staff_cmd.add_argument("--email", required=True)
    staff_cmd.add_argument("--name", required=True)
    staff_cmd.add_argument("--admin", action="store_true", help="may manage other accounts")
    how = staff_cmd.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    how.add_argument("--sso-only", action="store_true",
                     help="no password: the person signs in through the identity provider (st.login)")
    staff_cmd.set_defaults(run=cmd_create_staff)

    export_person = commands.add_parser("export-applicant", help="print everything stored about an applicant (JSON)",
                                        description="Answer a GDPR access request: all applications, "
                                                    "messages and history of an email address.")
    export_person.add_argument("email")
    export_person.set_defaults(run=cmd_export_applicant)

    erase_person = commands.add_parser("erase-applicant", help="erase an applicant's data",
                                       description="Answer a GDPR erasure request: delete every application "
                                                   "and message of an email address.")
    erase_person.add_argument("email")
    erase_person.set_defaults(run=cmd_erase_applicant)

    jobs.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except db.DatabaseUnavailable as error:
        print(f"The database is unavailable: {error}", file=sys.stderr)
        return 2
