"""The emails Vitrine sends, as templates: a subject and a body per kind of message, in French
(the message ids translated by `directory.i18n`), with `{private_link}` where the link goes (built
when the email is sent, see `directory.private_links`). `notify.queue` fills them in."""

from __future__ import annotations

from directory.i18n import N_

# Emails about an application: each carries the application's private link (`rules.tell`).
APPLICATION_TEMPLATES: dict[str, tuple[str, str]] = {
    "receipt": (
        N_("Vitrine : candidature n°{number} reçue"),
        N_("Bonjour {name},\n\nNous avons bien reçu la candidature de {organisation} pour présenter "
           "« {pitch} » dans l'espace vitrine de l'Atelier Numérique.\n\nSuivez-la, modifiez-la ou "
           "retirez-la à tout moment grâce à votre lien privé (ne le partagez pas) :\n{private_link}\n\n"
           "Vous recevrez un message dès qu'une décision sera prise."),
    ),
    "approved": (
        N_("Vitrine : votre candidature n°{number} est acceptée"),
        N_("Bonjour {name},\n\nBonne nouvelle : {organisation} présentera « {pitch} » à l'Atelier "
           "Numérique le {slot}.\n\nAdresse : {address}.\nArrivée et installation : à partir de {arrival}, "
           "30 minutes avant l'ouverture au public ; l'équipe vous accueille et vous montre votre table (prises "
           "électriques à disposition).{message}\n\nDepuis votre lien privé, "
           "confirmez votre venue, suivez ou retirez votre candidature :\n{private_link}\n\nL'événement est "
           "joint à ce message pour votre agenda."),
    ),
    "waitlisted": (
        N_("Vitrine : candidature n°{number} en liste d'attente"),
        N_("Bonjour {name},\n\nLa candidature de {organisation} est en liste d'attente : nous vous "
           "écrirons dès qu'une place se libère.{message}\n\nDepuis votre lien privé, suivez-la, changez les "
           "créneaux que vous attendez ou retirez-la :\n{private_link}"),
    ),
    "rejected": (
        N_("Vitrine : réponse à votre candidature n°{number}"),
        N_("Bonjour {name},\n\nNous ne pouvons pas retenir la candidature de {organisation} cette "
           "fois-ci.\nMotif : {reason}{message}\n\nVous pouvez candidater de nouveau pour un autre "
           "créneau. Votre candidature reste consultable depuis votre lien privé :\n{private_link}"),
    ),
    "offered": (
        N_("Vitrine : une place s'est libérée pour {organisation}"),
        N_("Bonjour {name},\n\nUne place s'est libérée pour la vitrine du {slot} à l'Atelier Numérique, "
           "et elle vous revient (candidature n°{number}, « {pitch} »). Nous vous la gardons jusqu'au "
           "{expires} : acceptez-la ou laissez-la à la startup suivante depuis votre lien privé :\n"
           "{private_link}\n\nSans réponse à temps, la place n'est plus réservée "
           "pour vous : nous vous écrirons alors ce que devient votre candidature."),
    ),
    "reminder": (
        N_("Vitrine : votre présentation à l'Atelier Numérique, {when}"),
        N_("Bonjour {name},\n\nRappel : {organisation} présente « {pitch} » à l'Atelier Numérique le {slot}.\n\n"
           "Adresse : {address}.\nArrivée et installation : à partir de {arrival}, 30 minutes avant l'ouverture "
           "au public ; l'équipe vous accueille et vous montre votre table (prises électriques à disposition).\n\n"
           "Merci de confirmer votre venue, ou de nous dire si vous ne pouvez plus venir, depuis votre lien privé "
           ":\n{private_link}\n\nL'événement est joint à ce message pour votre agenda."),
    ),
    "offer_declined": (
        N_("Vitrine : place laissée, candidature n°{number}"),
        N_("Bonjour {name},\n\nC'est noté : vous laissez la place de la vitrine du {slot}. {place}\n\n{future}"
           "\n\nSuivez votre candidature depuis votre lien privé :\n{private_link}"),
    ),
    "offer_expired": (
        N_("Vitrine : la place proposée à {organisation} n'est plus réservée"),
        N_("Bonjour {name},\n\nSans réponse avant le {expires}, la place que nous vous gardions pour la vitrine "
           "du {slot} n'est plus réservée. {place}\n\n{future}"
           "\n\nSuivez votre candidature depuis votre lien privé :\n{private_link}"),
    ),
    "offer_cancelled": (
        N_("Vitrine : la vitrine du {slot} est annulée"),
        N_("Bonjour {name},\n\nLa vitrine du {slot} est annulée : la place que nous vous proposions n'existe "
           "plus.\n\n{future}"
           "\n\nSuivez votre candidature depuis votre lien privé :\n{private_link}"),
    ),
    "no_slot_left": (
        N_("Vitrine : aucun de vos créneaux n'est encore possible (candidature n°{number})"),
        N_("Bonjour {name},\n\nLes créneaux que {organisation} attendait en liste d'attente ne peuvent plus "
           "vous donner de place : les candidatures y sont closes, ou la place vous y a déjà été proposée.\n\n"
           "Depuis votre lien privé, choisissez d'autres créneaux pour rester en liste d'attente, ou retirez "
           "votre candidature :\n{private_link}\n\nSans nouveau créneau, l'équipe de l'atelier clôturera votre "
           "candidature."),
    ),
    "withdrawn": (
        N_("Vitrine : candidature n°{number} retirée"),
        N_("Bonjour {name},\n\nLa candidature de {organisation} a bien été retirée. Vous pouvez "
           "candidater de nouveau quand vous le souhaitez.\n\nElle reste consultable depuis votre lien "
           "privé :\n{private_link}"),
    ),
    "slot_cancelled": (
        N_("Vitrine : la vitrine du {slot} est annulée"),
        N_("Bonjour {name},\n\nLa vitrine du {slot}, où {organisation} devait présenter « {pitch} », est "
           "annulée. Nous vous proposerons un autre créneau très vite.{message}\n\nSuivez votre candidature depuis "
           "votre lien privé :\n{private_link}"),
    ),
    "slot_changed": (
        N_("Vitrine : changement pour votre présentation n°{number}"),
        N_("Bonjour {name},\n\nLe créneau de présentation de {organisation} a changé : {slot}.{message}\n\n"
           "Suivez votre candidature depuis votre lien privé :\n{private_link}"),
    ),
    "new_link": (
        N_("Vitrine : votre nouveau lien de suivi (candidature n°{number})"),
        N_("Bonjour {name},\n\nVous avez demandé un nouveau lien pour suivre la candidature de {organisation} "
           "(« {pitch} »). Le voici ; dès que vous l'aurez ouvert, les anciens ne fonctionneront plus :\n"
           "{private_link}\n\nSi vous n'êtes pas "
           "à l'origine de cette demande, utilisez ce lien : personne d'autre ne l'a reçu."),
    ),
}
# Emails about the programme: to the partner running a session (with the session's link), and to
# the people registered (with their registration's link).
PROGRAMME_TEMPLATES: dict[str, tuple[str, str]] = {
    "session_received": (
        N_("Vitrine : votre proposition « {title} » est reçue"),
        N_("Bonjour {name},\n\nNous avons bien reçu votre proposition de séance « {title} » à l'Atelier Numérique. "
           "L'équipe de l'atelier l'examine et vous répond par e-mail.\n\nSuivez-la, modifiez-la tant qu'elle "
           "n'est pas décidée, ou annulez-la grâce à votre lien privé (ne le partagez pas) :\n{private_link}"),
    ),
    "session_approved": (
        N_("Vitrine : « {title} » est au programme"),
        N_("Bonjour {name},\n\nBonne nouvelle : « {title} » est au programme de l'Atelier Numérique le {when}, "
           "salle « {room} ». Les inscriptions sont ouvertes au public.\n\nDepuis votre lien privé, suivez les "
           "inscriptions, écrivez aux personnes inscrites, notez les présences après la séance, ou annulez-la :\n"
           "{private_link}"),
    ),
    "session_reminder": (
        N_("Vitrine : demain, « {title} »"),
        N_("Bonjour {name},\n\nÀ demain pour « {title} » ({when}), salle « {room} » de l'Atelier Numérique, place "
           "Jean-Moulin. Personnes inscrites : {registered} ; sur la liste d'attente : {waiting}.\n\nDepuis votre "
           "lien privé, écrivez-leur si besoin, puis notez les présences après la séance :\n{private_link}"),
    ),
    "session_changes_requested": (
        N_("Vitrine : quelques changements pour « {title} »"),
        N_("Bonjour {name},\n\nL'équipe de l'atelier vous demande quelques changements avant de mettre "
           "« {title} » au programme :\n{reason}\n\nModifiez votre proposition depuis votre lien privé ; elle "
           "reviendra à l'équipe :\n{private_link}"),
    ),
    "session_refused": (
        N_("Vitrine : votre proposition « {title} »"),
        N_("Bonjour {name},\n\nMerci pour votre proposition. Nous ne pourrons pas mettre « {title} » au "
           "programme de l'atelier.\nMotif : {reason}"),
    ),
    "session_cancelled": (
        N_("Vitrine : « {title} » est annulée"),
        N_("Bonjour {name},\n\nL'équipe de l'atelier a annulé la séance « {title} ».\nMotif : {reason}\n\nLes "
           "personnes inscrites sont prévenues. Votre lien privé :\n{private_link}"),
    ),
    "registration_confirmed": (
        N_("Vitrine : vous êtes inscrit·e à « {title} »"),
        N_("Bonjour {name},\n\nVotre place est réservée pour « {title} », le {when}, à l'Atelier Numérique "
           "(place Jean-Moulin, Saint-Étienne). C'est gratuit.\n\nL'événement est joint à ce message pour votre "
           "agenda. Un empêchement ? Libérez votre place pour la personne suivante grâce à votre lien privé :\n"
           "{private_link}"),
    ),
    "registration_waiting": (
        N_("Vitrine : vous êtes en liste d'attente pour « {title} »"),
        N_("Bonjour {name},\n\nLa séance « {title} » du {when} est complète : vous êtes en liste d'attente. Si "
           "une place se libère, nous vous l'écrirons et vous la garderons le temps de répondre.\n\nVotre lien "
           "privé, pour suivre ou annuler :\n{private_link}"),
    ),
    "registration_offered": (
        N_("Vitrine : une place s'est libérée pour « {title} »"),
        N_("Bonjour {name},\n\nUne place s'est libérée pour « {title} », le {when}. Nous vous la gardons "
           "jusqu'au {expires} : acceptez-la ou laissez-la à la personne suivante depuis votre lien privé :\n"
           "{private_link}"),
    ),
    "registration_offer_lapsed": (
        N_("Vitrine : la place pour « {title} » est passée à la personne suivante"),
        N_("Bonjour {name},\n\nLa place que nous vous gardions pour « {title} » n'a pas trouvé de réponse à "
           "temps : elle est proposée à la personne suivante, et votre inscription est close. Si des places "
           "restent, vous pouvez vous réinscrire depuis la page de la séance."),
    ),
    "registration_cancelled": (
        N_("Vitrine : votre inscription à « {title} » est annulée"),
        N_("Bonjour {name},\n\nC'est noté : votre inscription à « {title} » ({when}) est annulée. Merci d'avoir "
           "libéré la place."),
    ),
    "registrant_session_cancelled": (
        N_("Vitrine : « {title} » est annulée"),
        N_("Bonjour {name},\n\nNous sommes désolés : la séance « {title} » du {when} est annulée. Retrouvez les "
           "autres séances dans l'agenda de l'Atelier Numérique."),
    ),
    "registration_reminder": (
        N_("Vitrine : rappel — « {title} » demain"),
        N_("Bonjour {name},\n\nÀ demain pour « {title} » ({when}) à l'Atelier Numérique, place Jean-Moulin. Un "
           "empêchement ? Libérez votre place depuis votre lien privé :\n{private_link}"),
    ),
    "registrant_message": (
        N_("Vitrine : un message de {partner} pour « {title} »"),
        N_("Bonjour {name},\n\n{partner}, qui anime « {title} » ({when}), vous écrit :\n\n{message}\n\nPour "
           "répondre, écrivez à l'équipe de l'atelier. Votre inscription :\n{private_link}"),
    ),
}
TEMPLATES: dict[str, tuple[str, str]] = {
    **APPLICATION_TEMPLATES,
    **PROGRAMME_TEMPLATES,
    "proposal_published": (
        N_("Vitrine : « {organisation} » est sur la carte"),
        N_("Bonjour {name},\n\nMerci pour votre proposition : « {organisation} » est désormais publiée sur la "
           "carte de l'écosystème numérique stéphanois."),
    ),
    "proposal_rejected": (
        N_("Vitrine : votre proposition « {organisation} »"),
        N_("Bonjour {name},\n\nMerci pour votre proposition. Nous ne publierons pas « {organisation} » "
           "sur la carte.\nMotif : {reason}"),
    ),
    "report_received": (
        N_("Vitrine : merci pour votre signalement"),
        N_("Bonjour,\n\nMerci d'avoir signalé une erreur sur la fiche « {organisation} ». L'équipe de "
           "l'atelier va vérifier et corriger la fiche si besoin."),
    ),
    "listing_update_link": (
        N_("Vitrine : mettre à jour la fiche « {organisation} »"),
        N_("Bonjour,\n\nVoici le lien pour mettre à jour la fiche « {organisation} » sur la carte de "
           "l'écosystème numérique stéphanois. Il vaut 7 jours et ne sert qu'à cette fiche :\n{private_link}\n\n"
           "L'équipe de l'atelier relit chaque modification avant de la publier. Si vous n'avez rien demandé, "
           "ignorez ce message : rien ne change sans vous."),
    ),
    "listing_change_accepted": (
        N_("Vitrine : la fiche « {organisation} » est à jour"),
        N_("Bonjour,\n\nMerci : vos modifications de la fiche « {organisation} » sont publiées."),
    ),
    "listing_change_partly": (
        N_("Vitrine : la fiche « {organisation} » est en partie mise à jour"),
        N_("Bonjour,\n\nMerci : vos modifications de la fiche « {organisation} » sont publiées, sauf : "
           "{fields}.\nMotif : {reason}"),
    ),
    "listing_change_refused": (
        N_("Vitrine : vos modifications de la fiche « {organisation} »"),
        N_("Bonjour,\n\nNous n'avons pas publié vos modifications de la fiche « {organisation} ».\n"
           "Motif : {reason}"),
    ),
    "claim_received": (
        N_("Vitrine : votre demande pour la fiche « {organisation} »"),
        N_("Bonjour,\n\nNous avons bien reçu une demande pour que cette adresse devienne le contact de la fiche "
           "« {organisation} ». L'équipe de l'atelier vérifie et répond par e-mail. Si cette demande ne vient pas de "
           "vous, ignorez ce message : rien ne change sans l'accord de l'équipe."),
    ),
    "claim_refused": (
        N_("Vitrine : votre demande pour la fiche « {organisation} »"),
        N_("Bonjour,\n\nNous ne pouvons pas faire de cette adresse le contact de la fiche « {organisation} ».\n"
           "Motif : {reason}"),
    ),
    "listing_confirm_question": (
        N_("Vitrine : votre fiche « {organisation} » est-elle toujours exacte ?"),
        N_("Bonjour,\n\nVotre organisation figure sur la carte de l'écosystème numérique stéphanois. "
           "Sa fiche « {organisation} » est-elle toujours exacte ?\n\nOuvrez ce lien : la fiche s'y affiche ; "
           "si elle est exacte, un bouton suffit pour le dire, sinon vous pouvez la mettre à jour :\n"
           "{private_link}\n\nCe lien ne sert qu'à cette fiche."),
    ),
    "listing_confirm_reminder": (
        N_("Vitrine : rappel — votre fiche « {organisation} » est-elle toujours exacte ?"),
        N_("Bonjour,\n\nNous vous avons demandé il y a un mois si la fiche « {organisation} » est toujours "
           "exacte. Sans réponse, l'équipe de l'atelier la vérifiera elle-même.\n\nOuvrez ce lien : la fiche s'y "
           "affiche ; si elle est exacte, un bouton suffit pour le dire, sinon vous pouvez la mettre à jour :\n"
           "{private_link}"),
    ),
}
