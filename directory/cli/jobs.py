"""The scheduled jobs of the `vitrine` command: what cron (or the app's worker) runs, each safe to
run from several machines at once."""

from __future__ import annotations

import argparse
import logging

from directory import housekeeping, notify, privacy, programme, settings, sources
from directory.cli.common import complain, complain_of, migrated_engine, say, show
from directory.i18n import N_
from directory.listings import freshness, register
from directory.showcase import attendance, offers
from directory.worker import Worker


def cmd_purge_expired(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    erased = privacy.purge_expired(engine)
    pruned = housekeeping.prune(engine)
    show(N_("{erased} candidature(s) ou inscription(s) passée(s) leur durée de conservation effacée(s) ; "
            "{limits} compteur(s) de limites, {sessions} session(s) finie(s) ou code(s) de connexion inutilisé(s) "
            "et {messages} ancien(s) message(s) supprimé(s)."), erased=erased, limits=pruned.rate_limits,
         sessions=pruned.sessions, messages=pruned.messages)
    return 0


def cmd_expire_offers(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    expired = offers.expire_offers(engine) + programme.expire_place_offers(engine)
    stranded = offers.tell_stranded(engine)
    sent = notify.deliver_outbox(engine)
    show(N_("{expired} proposition(s) de place expirée(s) ; {stranded} startup(s) en liste d'attente prévenue(s) "
            "qu'aucun de leurs créneaux n'est encore possible ; {sent} message(s) envoyé(s)."),
         expired=expired, stranded=stranded, sent=sent)
    return 0


def cmd_send_reminders(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    queued = attendance.send_reminders(engine) + programme.send_reminders(engine)
    sent = notify.deliver_outbox(engine)
    show(N_("{queued} rappel(s) préparé(s) ; {sent} message(s) envoyé(s)."), queued=queued, sent=sent)
    return 0


def cmd_ask_confirmations(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    questions = freshness.ask_confirmations(engine)
    sent = notify.deliver_outbox(engine)
    show(N_("{asked} contact(s) interrogé(s) sur l'exactitude de leur fiche ; {reminded} relancé(s) ; {sent} "
            "message(s) envoyé(s)."), asked=questions.asked, reminded=questions.reminded, sent=sent)
    return 0


def cmd_check_register(args: argparse.Namespace) -> int:
    if settings.sirene_url() is None:
        complain(N_("VITRINE_SIRENE_URL n'est pas réglé : le répertoire des entreprises est injoignable."))
        return 1
    result = register.check_register(migrated_engine())
    show(N_("{checked} fiche(s) avec un numéro d'entreprise vérifiée(s) ; {closed} fermée(s) selon le répertoire."),
         checked=result.checked, closed=len(result.closed))
    for name in result.closed:
        print(f"  {name}")
    if result.failed:
        show(N_("{count} recherche(s) sans réponse du répertoire."), count=result.failed)
    return 0 if not result.failed else 3


def cmd_sync_source(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    language = settings.command_line_language()
    if args.due:
        runs = sources.sync_due_sources(engine)
        names = {source.id: source.name for source in sources.all_sources(engine)}
        for run in runs:
            print(f"{names.get(run.source_id, run.source_id)} : {sources.summary(run, language)}")
        show(N_("{count} source(s) à synchroniser."), count=len(runs))
        return 0 if all(run.ok for run in runs) else 1
    source = sources.source_named(engine, args.name or "")
    if source is None:
        known = ", ".join(source.name for source in sources.all_sources(engine))
        complain(N_("Aucune source ne s'appelle « {name} » (sources : {known})."), name=args.name or "",
                 known=known or "—")
        return 1
    try:
        run = sources.sync_source(engine, source.id, actor="cli")
    except sources.SourceBusy as busy:
        complain_of(busy.message)
        return 1
    print("\n".join(sources.text_report(run, language)))
    return 0 if run.ok else 1


def cmd_send_notifications(args: argparse.Namespace) -> int:
    engine = migrated_engine()
    sent = notify.deliver_outbox(engine)
    show(N_("{sent} message(s) envoyé(s) ; {waiting} encore en attente dans la boîte d'envoi."), sent=sent,
         waiting=len(notify.pending(engine)))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    Worker(migrated_engine()).run_until_stopped()
    return 0


def add_commands(commands: argparse._SubParsersAction, command) -> None:
    """The scheduled jobs' sub-commands (`command` makes one, in the staff's language)."""
    command(commands, "worker", cmd_worker,
            N_("faire le travail de fond : messages, places proposées, rappels, questions aux fiches, sources"),
            N_("Tourne jusqu'à son arrêt (SIGTERM ou Ctrl-C) et écrit une ligne par tâche menée, avec sa durée. "
               "Chaque souci a sa file : une source qui ne répond pas ne retarde ni un message, ni une place "
               "proposée, ni un rappel. L'application fait ce travail elle-même, sauf avec VITRINE_WORKER_IN_APP=0 : "
               "réglez-le sur les répliques quand un worker tourne à côté (deploy/vitrine-worker.service). Sûr depuis "
               "plusieurs machines à la fois."))
    command(commands, "purge-expired", cmd_purge_expired,
            N_("effacer ce qui a passé sa durée de conservation (chaque jour)"),
            N_("Efface les candidatures dont le dernier événement (leur vitrine, ou leur dernier changement) date de "
               "plus d'un an, avec leurs messages (le journal garde un pseudonyme) ; supprime les compteurs de "
               "limites, les sessions finies, les codes de connexion inutilisés et les messages envoyés il y a plus "
               "de 30 jours."))
    command(commands, "send-notifications", cmd_send_notifications, N_("envoyer les messages en attente"),
            N_("Tente d'envoyer chaque message dû par SMTP (réglages VITRINE_SMTP_*) ; ceux qui échouent restent en "
               "attente et sont retentés plus tard. À lancer par cron."))
    command(commands, "expire-offers", cmd_expire_offers,
            N_("passer à la suivante les places proposées restées sans réponse"),
            N_("Chaque proposition de place arrivée à son terme (48 heures, ou la clôture des candidatures du "
               "créneau) retourne en liste d'attente, et sa place va à la startup suivante, prévenue par e-mail ; "
               "une startup en liste d'attente dont aucun créneau n'est encore possible est prévenue, une fois. Une "
               "place de séance gardée sans réponse passe de même à la personne suivante. Sûr depuis plusieurs "
               "machines à la fois. À lancer par cron, toutes les quelques minutes."))
    command(commands, "send-reminders", cmd_send_reminders,
            N_("rappeler leur vitrine aux startups acceptées (7 jours et 1 jour avant)"),
            N_("Envoie à chaque startup acceptée ses informations pratiques et l'événement (.ics) une semaine et un "
               "jour avant sa vitrine, et à chaque personne inscrite à une séance un rappel la veille, une fois "
               "chacun. À lancer par cron, toutes les quelques minutes."))
    command(commands, "ask-confirmations", cmd_ask_confirmations,
            N_("demander au contact de chaque fiche si elle est toujours exacte"),
            N_("Écrit au contact de chaque fiche publiée une fois par période (VITRINE_CONFIRMATION_MONTHS, 6 par "
               "défaut) avec un lien vers la fiche, où un bouton la confirme et un formulaire la met à jour ; relance "
               "une fois après 30 jours sans réponse. Chaque e-mail part une fois, même depuis plusieurs machines. "
               "À lancer chaque jour."))
    command(commands, "check-register", cmd_check_register,
            N_("signaler les fiches dont l'établissement est fermé selon le répertoire des entreprises"),
            N_("Cherche le SIRET ou SIREN de chaque fiche vivante dans le répertoire de VITRINE_SIRENE_URL (l'API "
               "« Recherche d'entreprises » de l'État) et signale les fermées à l'équipe (« À vérifier »). À lancer "
               "chaque semaine."))
    sync_cmd = command(
        commands, "sync-source", cmd_sync_source,
        N_("mettre une source externe au pas de l'annuaire, et afficher le rapport"),
        N_("Lit la source enregistrée sous NAME dans l'onglet Sources et met l'annuaire au pas : nouvelles lignes "
           "proposées (publiées si la source est de confiance), lignes changées envoyées pour relecture "
           "(appliquées si de confiance), lignes disparues signalées, lignes refusées listées avec leurs raisons. "
           "Avec --due, chaque source dont l'intervalle est passé (comme le fait le worker). À lancer par cron."))
    sync_cmd.add_argument("name", nargs="?", help=say(N_("le nom de la source, comme dans l'onglet Sources")))
    sync_cmd.add_argument("--due", action="store_true", help=say(N_("chaque source dont l'intervalle est passé")))
