"""The `vitrine` command: its parser, and the commands that manage the data, slots and people."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date, time
from pathlib import Path

from sqlalchemy.exc import OperationalError

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
from directory.cli import serve as serve_command
from directory.cli import sources as source_commands
from directory.cli.common import (
    argparse_speaking,
    complain,
    complain_of,
    file_problem,
    migrated_engine,
    say,
    show,
)
from directory.i18n import N_
from directory.listings import exports, imports
from directory.models import StaffRole
from directory.validation import FormErrors, Invalid, quoted


def cmd_migrate(args: argparse.Namespace) -> int:
    engine = db.make_engine()
    if db.is_sqlite(engine) and backup.sqlite_path(engine).exists():
        show(N_("Base sauvegardée dans {path} avant la migration."), path=backup.backup(engine))
    db.migrate(engine)
    show(N_("Le schéma de la base est à jour."))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        target = backup.backup(db.make_engine(), Path(args.output) if args.output else None)
    except backup.BackupRefused as refused:
        complain_of(refused.message)
        return 1
    except OSError as error:
        print(file_problem(error, args.output or ""), file=sys.stderr)
        return 1
    show(N_("Base sauvegardée dans {path}."), path=target)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        backup.restore(db.make_engine(), Path(args.file))
    except backup.BackupRefused as refused:
        complain_of(refused.message)
        return 1
    except OSError as error:
        print(file_problem(error, args.file), file=sys.stderr)
        return 1
    show(N_("Base restaurée depuis {path}."), path=args.file)
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    if listings.count_partners(engine) and not args.force:
        show(N_("L'annuaire a déjà des fiches : rien n'a été ajouté (--force ajoute quand même les données de "
                "démonstration)."))
        return 0
    seed.seed_demo(engine)
    show(N_("Données de démonstration chargées : {partners} fiches, {slots} créneaux de vitrine."),
         partners=listings.count_partners(engine), slots=len(showcase.slots_with_counts(engine)))
    return 0


def cmd_import_partners(args: argparse.Namespace) -> int:
    try:
        preview = imports.read_partner_csv(Path(args.csv).read_bytes(), migrated_engine())
    except OSError as error:
        print(file_problem(error, args.csv), file=sys.stderr)
        return 1
    except imports.ImportRefused as refused:
        complain_of(refused.message)
        return 1
    show(N_("{count} lignes lues ({encoding}, séparateur « {separator} »)."), count=len(preview.rows),
         encoding=preview.encoding, separator=preview.delimiter)
    for row in preview.invalid_rows:
        for column, message in row.errors.items():
            show(N_("  ligne {line} ({name}) : {column} : {message}"), line=row.line, name=row.name, column=column,
                 message=say(message.text, **message.params))
    for row in preview.rows:
        if row.looks_like:
            show(N_("  ligne {line} ({name}) : doublon possible de « {other} », importée quand même"),
                 line=row.line, name=row.name, other=row.looks_like)
    if preview.ignored_columns:
        show(N_("Colonnes ignorées : {columns}"), columns=", ".join(preview.ignored_columns))
    if args.dry_run:
        show(N_("Essai à blanc : rien n'a été écrit."))
        return 0 if not preview.invalid_rows else 1
    try:
        written = imports.apply_import(migrated_engine(), preview, skip_invalid=args.skip_invalid)
    except imports.ImportRefused as refused:
        complain_of(refused.message)
        return 1
    show(N_("{count} fiches importées."), count=written)
    return 0


def cmd_export_partners(args: argparse.Namespace) -> int:
    frame = listings.load_published(migrated_engine())
    data = exports.partners_geojson(frame) if args.format == "geojson" else exports.partners_csv(frame)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as error:
        print(file_problem(error, args.output), file=sys.stderr)
        return 1
    show(N_("{count} fiches exportées dans {path}."), count=len(frame), path=args.output)
    return 0


def _report_form_errors(invalid: FormErrors) -> int:
    for field, message in invalid.errors.items():
        complain_of(message, field)
    return 1


def cmd_create_slot(args: argparse.Namespace) -> int:
    try:
        times = showcase.SlotTimes(args.date, args.start, args.end, args.deadline_days)
        slot_id = showcase.create_slot(migrated_engine(), times, capacity=args.capacity, theme=args.theme)
    except FormErrors as invalid:
        return _report_form_errors(invalid)
    show(N_("Créneau n°{number} créé."), number=slot_id)
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
    show(N_("{count} créneaux créés."), count=count)
    return 0


def cmd_export_applicant(args: argparse.Namespace) -> int:
    sys.stdout.buffer.write(privacy.applicant_data(migrated_engine(), args.email))
    return 0


def cmd_erase_applicant(args: argparse.Namespace) -> int:
    erased = privacy.erase_applicant(migrated_engine(), args.email, staff="cli")
    show(N_("{count} candidature(s) de {email} effacée(s)."), count=erased, email=args.email)
    return 0


def cmd_create_staff(args: argparse.Namespace) -> int:
    if args.sso_only:
        password = None
    elif args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(say(N_("Mot de passe : ")))
        if getpass.getpass(say(N_("Mot de passe, encore : "))) != password:
            complain(N_("Les deux mots de passe diffèrent : aucun compte créé."))
            return 1
    try:
        staff_id = accounts.create_staff(migrated_engine(), email=args.email, name=args.name, password=password,
                                         role=StaffRole.ADMIN if args.admin else StaffRole.STAFF)
    except FormErrors as invalid:
        return _report_form_errors(invalid)
    show(N_("Compte administrateur n°{number} créé pour {email}.") if args.admin else
         N_("Compte n°{number} créé pour {email}."), number=staff_id, email=args.email)
    return 0


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(say(N_("ce n'est pas une date (AAAA-MM-JJ) : {value}"),
                                             value=quoted(text))) from error


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(say(N_("ce n'est pas une heure (HH:MM) : {value}"),
                                             value=quoted(text))) from error


def _slot_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", type=_clock, required=True, help=say(N_("heure de début, heure de Paris (HH:MM)")))
    parser.add_argument("--end", type=_clock, required=True, help=say(N_("heure de fin, heure de Paris (HH:MM)")))
    parser.add_argument("--capacity", type=int, default=3,
                        help=say(N_("combien de startups présentent (3 par défaut)")))
    parser.add_argument("--theme", default="", help=say(N_("thème facultatif, montré au public")))
    parser.add_argument("--deadline-days", type=int, default=showcase.DEFAULT_DEADLINE_DAYS,
                        help=say(N_("les candidatures ferment ce nombre de jours avant le créneau ({days} par "
                                    "défaut)"), days=showcase.DEFAULT_DEADLINE_DAYS))


def command(commands: argparse._SubParsersAction, name: str, run, help_text: str, description: str,
            **params) -> argparse.ArgumentParser:
    """A sub-command, its summary and description in the staff's language."""
    parser = commands.add_parser(name, help=say(help_text, **params), description=say(description, **params))
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vitrine",
        description=say(N_("Gérer la base de Vitrine. La base est DATABASE_URL, ou data/vitrine.db (SQLite) sans "
                           "elle. Les messages sont en français, en anglais si la langue du système l'est "
                           "(LANG=en_GB.UTF-8).")),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar=say(N_("COMMANDE")))

    command(commands, "migrate", cmd_migrate, N_("créer ou mettre à jour le schéma de la base"),
            N_("Applique chaque migration Alembic en attente ; une base SQLite est d'abord sauvegardée."))
    backup_cmd = command(
        commands, "backup", cmd_backup, N_("sauvegarder la base SQLite (cohérente pendant que l'application tourne)"),
        N_("Copie la base SQLite avec l'API de sauvegarde de SQLite dans data/backups/ (ou --output). Pour "
           "PostgreSQL, utilisez pg_dump."))
    backup_cmd.add_argument("--output", "-o", help=say(N_("fichier à écrire")))
    restore_cmd = command(commands, "restore", cmd_restore, N_("remplacer la base SQLite par une sauvegarde"),
                          N_("Vérifie un fichier de sauvegarde et le copie sur la base. Arrêtez l'application avant."))
    restore_cmd.add_argument("file", help=say(N_("un fichier écrit par « vitrine backup »")))
    seed_cmd = command(commands, "seed", cmd_seed,
                       N_("charger les données de démonstration (organisations réelles et startups fictives)"),
                       N_("Charge data/partners.csv dans un annuaire vide."))
    seed_cmd.add_argument("--force", action="store_true",
                          help=say(N_("charger même si l'annuaire a déjà des fiches")))

    import_cmd = command(
        commands, "import-partners", cmd_import_partners, N_("importer des fiches d'un CSV, avec un rapport ligne à "
                                                             "ligne"),
        N_("Lit un CSV (UTF-8 ou Windows-1252, séparé par « ; » ou « , ») qui a au moins les colonnes name et "
           "kind. Chaque ligne est vérifiée ; avec une ligne fautive, rien n'est écrit, sauf avec --skip-invalid. "
           "Les doublons possibles sont signalés."))
    import_cmd.add_argument("csv", help=say(N_("chemin du fichier CSV")))
    import_cmd.add_argument("--dry-run", action="store_true",
                            help=say(N_("vérifier et rendre compte, sans rien écrire")))
    import_cmd.add_argument("--skip-invalid", action="store_true",
                            help=say(N_("écrire les lignes valides et laisser de côté les fautives")))
    export_cmd = command(commands, "export-partners", cmd_export_partners,
                         N_("exporter les fiches publiées en CSV ou GeoJSON"),
                         N_("Écrit les fiches publiées (CSV sans formule pour les tableurs, avec les colonnes de "
                            "l'import, ou GeoJSON)."))
    export_cmd.add_argument("--format", choices=["csv", "geojson"], default="csv")
    export_cmd.add_argument("--output", "-o", default="-",
                            help=say(N_("fichier à écrire (« - » : la sortie standard)")))

    slot_cmd = command(commands, "create-slot", cmd_create_slot, N_("ouvrir un créneau de vitrine"),
                       N_("Crée un créneau dans l'espace vitrine de l'atelier."))
    slot_cmd.add_argument("--date", type=_day, required=True, help=say(N_("jour du créneau (AAAA-MM-JJ)")))
    _slot_arguments(slot_cmd)
    series_cmd = command(
        commands, "create-slots", cmd_create_slots, N_("ouvrir une série hebdomadaire de créneaux"),
        N_("Crée un créneau le même jour chaque semaine entre deux dates, par exemple chaque mercredi de 14:00 à "
           "17:00, en sautant les jours fériés. Tout ou rien."))
    series_cmd.add_argument("--from", dest="first", type=_day, required=True,
                            help=say(N_("premier jour (AAAA-MM-JJ)")))
    series_cmd.add_argument("--to", dest="last", type=_day, required=True, help=say(N_("dernier jour (AAAA-MM-JJ)")))
    series_cmd.add_argument("--weekday", choices=WEEKDAYS, required=True)
    series_cmd.add_argument("--skip", type=_day, nargs="*", default=[], help=say(N_("jours à laisser de côté")))
    _slot_arguments(series_cmd)

    staff_cmd = command(
        commands, "create-staff", cmd_create_staff, N_("créer un compte de l'équipe (ou d'administrateur)"),
        N_("Crée un compte pour l'équipe de l'atelier. Il n'y a ni compte ni mot de passe par défaut : le mot de "
           "passe est demandé deux fois, ou lu sur l'entrée standard."))
    staff_cmd.add_argument("--email", required=True)
    staff_cmd.add_argument("--name", required=True)
    staff_cmd.add_argument("--admin", action="store_true", help=say(N_("peut gérer les autres comptes")))
    how = staff_cmd.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true",
                     help=say(N_("lire le mot de passe sur l'entrée standard")))
    how.add_argument("--sso-only", action="store_true",
                     help=say(N_("sans mot de passe : la personne se connecte par le fournisseur d'identité")))

    export_person = command(commands, "export-applicant", cmd_export_applicant,
                            N_("afficher tout ce qui est gardé sur une personne candidate (JSON)"),
                            N_("Répond à une demande d'accès (RGPD) : toutes les candidatures, messages et "
                               "historique d'une adresse e-mail."))
    export_person.add_argument("email")
    erase_person = command(commands, "erase-applicant", cmd_erase_applicant,
                           N_("effacer les données d'une personne candidate"),
                           N_("Répond à une demande d'effacement (RGPD) : supprime chaque candidature et message "
                              "d'une adresse e-mail."))
    erase_person.add_argument("email")

    jobs.add_commands(commands, command)
    source_commands.add_commands(commands, command)
    serve_command.add_commands(commands, command)
    return parser


def main(argv: list[str] | None = None) -> int:
    with argparse_speaking():
        args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (db.DatabaseUnavailable, OperationalError):  # unreachable, refused, or locked past the timeout
        complain(N_("La base de données ne répond pas ({database}) : vérifiez DATABASE_URL et que le serveur "
                    "tourne."), database=db.described(db.database_url()))
        return 2
