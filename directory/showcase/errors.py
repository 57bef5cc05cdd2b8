"""What a person can be told when a showcase action is not possible."""

from __future__ import annotations

from directory.errors import Refusal
from directory.i18n import N_


class ShowcaseError(Refusal):
    """A showcase action refused (the slot is full, the application changed meanwhile…)."""


class UnknownToken(ShowcaseError):
    text = N_("Ce lien de suivi ne fonctionne plus : il est incomplet, un nouveau lien a été demandé depuis, "
              "ou la candidature a été effacée.")


class SlotFull(ShowcaseError):
    text = N_("Ce créneau est complet : aucune place n'a été attribuée.")


class AlreadyDecided(ShowcaseError):
    text = N_("Cette candidature a changé entre-temps (décidée ou retirée) : rien n'a été modifié.")


class TooLate(ShowcaseError):
    text = N_("La vitrine a déjà eu lieu : la candidature ne peut plus être retirée.")


class TooManyRequests(ShowcaseError):
    text = N_("Trop de demandes pour le moment : réessayez dans une heure. Les liens déjà envoyés restent "
              "valables.")
