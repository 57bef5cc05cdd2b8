"""`vitrine add-source` and `vitrine sources`: what staff do on the Sources tab, for scripts."""

from __future__ import annotations

import argparse

from directory import settings, sources
from directory.cli.common import complain_of, migrated_engine, say, show
from directory.clock import to_paris
from directory.i18n import N_, format_datetime
from directory.models import SOURCE_FORMAT_LABELS, PartnerKind, SourceFormat
from directory.validation import FormErrors

# How the command names each field of the Sources tab's form.
OPTIONS = {"name": "NAME", "url": "URL", "format": "--format", "id_column": "--id-column", "mapping": "--map",
           "default_kind": "--kind", "interval_hours": "--interval"}


def cmd_add_source(args: argparse.Namespace) -> int:
    mapping = dict(pair.partition("=")[::2] for pair in args.map)
    form = sources.SourceForm(name=args.name, url=args.url, format=args.format, id_column=args.id_column,
                              mapping=mapping, default_kind=args.kind or "", interval_hours=args.interval,
                              trusted=args.trusted)
    try:
        source_id = sources.add_source(migrated_engine(), form, staff="cli")
    except FormErrors as invalid:
        for field, message in invalid.errors.items():
            complain_of(message, OPTIONS.get(field, field))
        return 1
    show(N_("Source n°{number} « {name} » enregistrée ; son premier passage est dû."), number=source_id,
         name=args.name.strip())
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    language = settings.command_line_language()
    found = sources.all_sources(engine)
    for source in found:
        print(f"{source.name} — {say(SOURCE_FORMAT_LABELS[SourceFormat(source.format)])}, "
              f"{source.url or say(N_('fichier déposé'))}, {say(sources.INTERVAL_LABELS[source.interval_hours])}, "
              + say(N_("de confiance") if source.trusted else N_("relue par l'équipe")))
        runs = sources.recent_runs(engine, source.id, limit=1)
        if runs:
            print("  " + say(N_("dernier passage le {when} : {summary}"),
                             when=format_datetime(to_paris(runs[0].started_at), language, style="short"),
                             summary=sources.summary(runs[0], language)))
        else:
            print("  " + say(N_("pas encore synchronisée")))
    if not found:
        show(N_("Aucune source : ajoutez-en une avec « vitrine add-source » ou dans l'onglet Sources."))
    return 0


def _field_and_column(text: str) -> str:
    field, equals, column = text.partition("=")
    if not equals or field not in sources.MAPPABLE_COLUMNS or not column.strip():
        raise argparse.ArgumentTypeError(say(N_("« {value} » : attendu COLONNE=colonne de la source, COLONNE parmi "
                                                "{fields}."), value=text, fields=", ".join(sources.MAPPABLE_COLUMNS)))
    return text


def add_commands(commands: argparse._SubParsersAction, command) -> None:
    add = command(
        commands, "add-source", cmd_add_source, N_("suivre une source externe (comme dans l'onglet Sources)"),
        N_("Enregistre une source lue à son adresse : son format, la colonne qui nomme une ligne d'un passage à "
           "l'autre, son intervalle, de confiance ou non. Les mêmes vérifications et messages que l'onglet Sources ; "
           "son premier passage est dû aussitôt (le worker, ou « vitrine sync-source NAME »)."))
    add.add_argument("name", metavar="NAME", help=say(N_("le nom de la source, unique")))
    add.add_argument("url", metavar="URL", help=say(N_("son adresse (https://…)")))
    add.add_argument("--format", choices=list(SourceFormat), default=SourceFormat.VITRINE_CSV,
                     help=say(N_("vitrine_csv (les colonnes de Vitrine), geojson, ou mapped_csv (avec --map)")))
    add.add_argument("--id-column", required=True, help=say(N_("la colonne qui identifie une ligne")))
    add.add_argument("--map", action="append", default=[], type=_field_and_column, metavar="COLONNE=colonne",
                     help=say(N_("pour mapped_csv : une colonne de Vitrine et celle de la source (répétable)")))
    add.add_argument("--kind", choices=list(PartnerKind), help=say(N_("le type des fiches qui n'en disent pas")))
    add.add_argument("--interval", type=int, choices=list(sources.INTERVAL_LABELS), default=24,
                     help=say(N_("heures entre deux passages (0 : seulement à la demande)")))
    add.add_argument("--trusted", action="store_true", help=say(N_("publier sans relecture")))
    command(commands, "sources", cmd_sources, N_("lister les sources suivies, avec leur dernier passage"),
            N_("Pour chaque source : son format, son adresse, son intervalle, sa confiance, et le résultat de son "
               "dernier passage."))
