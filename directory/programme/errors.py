"""What a partner, a registrant or staff can be told when a programme action is not possible."""

from __future__ import annotations

from directory.errors import Refusal
from directory.i18n import N_


class ProgrammeError(Refusal):
    """A programme action refused (the room is taken, the session changed meanwhile…)."""


class UnknownSessionLink(ProgrammeError):
    text = N_("Ce lien ne fonctionne plus : il est incomplet, ou la séance a été effacée.")


class UnknownRegistrationLink(ProgrammeError):
    text = N_("Ce lien d'inscription ne fonctionne plus : il est incomplet, ou l'inscription a été effacée.")


class SessionChanged(ProgrammeError):
    text = N_("Cette séance a changé entre-temps (décidée ou annulée) : rien n'a été modifié.")


class RegistrationChanged(ProgrammeError):
    text = N_("Cette inscription a changé entre-temps : rien n'a été modifié.")


class RegistrationClosed(ProgrammeError):
    text = N_("Les inscriptions à cette séance sont closes : elle a commencé, est passée ou a été annulée.")


class AlreadyRegistered(ProgrammeError):
    text = N_("Cette adresse est déjà inscrite à cette séance : retrouvez votre inscription grâce au lien reçu par "
              "e-mail.")
