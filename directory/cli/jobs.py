"""The scheduled jobs of the `vitrine` command: what cron (or the app's worker) runs, each safe to
run from several machines at once."""

from __future__ import annotations

import argparse
import sys

from directory import housekeeping, notify, privacy, settings, sources
from directory.cli.common import migrated_engine
from directory.i18n import translate
from directory.listings import freshness, register
from directory.showcase import attendance, offers


def cmd_purge_expired(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    erased = privacy.purge_expired(engine)
    pruned = housekeeping.prune(engine)
    print(f"Erased {erased} application(s) past their retention period; pruned {pruned.rate_limits} rate-limit "
          f"count(s), {pruned.sessions} ended session(s) or unused sign-in code(s), {pruned.messages} old message(s).")
    return 0


def cmd_expire_offers(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    expired = offers.expire_offers(engine)
    stranded = offers.tell_stranded(engine)
    sent = notify.deliver_outbox(engine)
    print(f"Expired {expired} offer(s) past their time; told {stranded} waitlisted startup(s) that none of their "
          f"slots is still possible; sent {sent} message(s).")
    return 0


def cmd_send_reminders(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    queued = attendance.send_reminders(engine)
    sent = notify.deliver_outbox(engine)
    print(f"Queued {queued} reminder(s); sent {sent} message(s).")
    return 0


def cmd_ask_confirmations(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    questions = freshness.ask_confirmations(engine)
    sent = notify.deliver_outbox(engine)
    print(f"Asked {questions.asked} contact(s) whether their listing is still right; reminded {questions.reminded}; "
          f"sent {sent} message(s).")
    return 0


def cmd_check_register(args: argparse.Namespace) -> int:
    if settings.sirene_url() is None:
        print("VITRINE_SIRENE_URL is not set: the company register cannot be reached.", file=sys.stderr)
        return 1
    result = register.check_register(migrated_engine())
    print(f"Checked {result.checked} listing(s) with a company number; {len(result.closed)} closed in the register"
          + "".join(f"\n  {name}" for name in result.closed)
          + (f"\n{result.failed} look-up(s) failed: the register did not answer." if result.failed else ""))
    return 0 if not result.failed else 3


def cmd_sync_source(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    if args.due:
        runs = sources.sync_due_sources(engine)
        names = {source.id: source.name for source in sources.all_sources(engine)}
        for run in runs:
            print(f"{names.get(run.source_id, run.source_id)}: {sources.summary(run, 'en')}")
        print(f"{len(runs)} source(s) were due.")
        return 0 if all(run.ok for run in runs) else 1
    source = sources.source_named(engine, args.name or "")
    if source is None:
        known = ", ".join(source.name for source in sources.all_sources(engine)) or "none yet"
        print(f"No source is named {args.name!r} (sources: {known}).", file=sys.stderr)
        return 1
    try:
        run = sources.sync_source(engine, source.id, actor="cli")
    except sources.SourceBusy as busy:
        print(translate(busy.message.text, "en"), file=sys.stderr)
        return 1
    print("\n".join(sources.text_report(run, "en")))
    return 0 if run.ok else 1


def cmd_send_notifications(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    sent = notify.deliver_outbox(engine)
    print(f"Sent {sent} message(s); {len(notify.pending(engine))} still waiting in the outbox.")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    purge_cmd = commands.add_parser(
        "purge-expired", help="erase what is past its retention period (run daily)",
        description="Erase the applications whose last event (their showcase, or last change) is "
                    "more than a year old, with their messages (the audit log keeps a pseudonym); prune "
                    "rate-limit counts, ended sessions, unused sign-in codes and messages sent over 30 days ago.")
    purge_cmd.set_defaults(run=cmd_purge_expired)

    send_cmd = commands.add_parser(
        "send-notifications", help="send the messages waiting in the outbox",
        description="Try to send every due message over SMTP (VITRINE_SMTP_* settings); failed "
                    "ones stay queued and are retried later. Run it from cron.")
    send_cmd.set_defaults(run=cmd_send_notifications)

    expire_cmd = commands.add_parser(
        "expire-offers", help="pass unanswered offers of freed places to the next in line",
        description="Every offer past its time (48 hours, or the slot's application deadline) goes "
                    "back to the waiting list and its place to the next waitlisted startup, who is "
                    "emailed; a waitlisted startup none of whose slots is still possible is told so, once. "
                    "Safe to run from several machines at once. Run it from cron, every few minutes.")
    expire_cmd.set_defaults(run=cmd_expire_offers)

    remind_cmd = commands.add_parser(
        "send-reminders", help="remind approved startups of their showcase (7 days and 1 day before)",
        description="Email each approved startup its practical information and the event (.ics) a week "
                    "and a day before its showcase, each once. Run it from cron, every few minutes.")
    remind_cmd.set_defaults(run=cmd_send_reminders)

    confirm_cmd = commands.add_parser(
        "ask-confirmations", help="ask each listing's contact whether it is still right",
        description="Email each published listing's contact once per period (VITRINE_CONFIRMATION_MONTHS, 6 by "
                    "default) with a one-click 'still right' link and an update link; remind once after 30 days "
                    "without an answer. Each email goes out once, even from several machines. Run it daily.")
    confirm_cmd.set_defaults(run=cmd_ask_confirmations)

    register_cmd = commands.add_parser(
        "check-register", help="flag listings whose establishment the company register says is closed",
        description="Look up each live listing's SIRET or SIREN in the register at VITRINE_SIRENE_URL (the State's "
                    "'Recherche d'entreprises' API) and flag the closed ones for staff ('À vérifier'). Run it weekly.")
    register_cmd.set_defaults(run=cmd_check_register)

    sync_cmd = commands.add_parser(
        "sync-source", help="bring an external source in step with the directory, and print the report",
        description="Read the source registered under NAME on the staff's Sources tab and bring the directory in "
                    "step: new rows proposed (published if the source is trusted), changed rows sent for review "
                    "(applied if trusted), rows gone flagged, refused rows listed with their reasons. With --due, "
                    "every source whose interval has passed (the worker does the same). Run it from cron.")
    sync_cmd.add_argument("name", nargs="?", help="the source's name, as on the Sources tab")
    sync_cmd.add_argument("--due", action="store_true", help="every source whose interval has passed")
    sync_cmd.set_defaults(run=cmd_sync_source)
