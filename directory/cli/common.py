"""What every command of `vitrine` starts with: the migrated engine, and the staff's language
(French, or English when the locale says `en*`) for everything it prints, argparse's own words
and the system's errors included."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from directory import db, settings
from directory.i18n import N_, translate
from directory.validation import Message, quoted


def migrated_engine() -> Engine:
    """The database of DATABASE_URL (or the default SQLite file), its schema brought up to date."""
    engine = db.make_engine()
    db.migrate(engine)
    return engine


def say(text: str, **params) -> str:
    """A message of the command, in the staff's language."""
    return translate(text, settings.command_line_language(), **params)


def show(text: str, **params) -> None:
    print(say(text, **params))


def complain(text: str, **params) -> None:
    print(say(text, **params), file=sys.stderr)


def complain_of(message: Message, field: str = "") -> None:
    """A domain refusal (a form's message), after the field it concerns."""
    text = say(message.text, **message.params)
    print(say(N_("{field} : {message}"), field=field, message=text) if field else text, file=sys.stderr)


def file_problem(error: OSError, path: Path | str) -> str:
    """A sentence naming the file and what the system said of it, in the staff's language."""
    if isinstance(error, FileNotFoundError):
        return say(N_("Le fichier « {path} » n'existe pas."), path=quoted(str(path)))
    if isinstance(error, PermissionError):
        return say(N_("Le fichier « {path} » ne peut pas être lu ou écrit : accès refusé."), path=quoted(str(path)))
    if isinstance(error, IsADirectoryError):
        return say(N_("« {path} » est un dossier, pas un fichier."), path=quoted(str(path)))
    return say(N_("Le fichier « {path} » ne peut pas être utilisé (erreur système n°{number})."),
               path=quoted(str(path)), number=error.errno or 0)


# argparse's own words (usage, errors), as the command says them in French; English keeps argparse's.
ARGPARSE_WORDS = {
    "usage: ": N_("utilisation : "),
    "positional arguments": N_("arguments"),
    "options": N_("options"),
    "show this help message and exit": N_("afficher cette aide et quitter"),
    "%(prog)s: error: %(message)s\n": N_("%(prog)s : erreur : %(message)s\n"),
    "the following arguments are required: %s": N_("arguments obligatoires manquants : %s"),
    "unrecognized arguments: %s": N_("arguments inconnus : %s"),
    "invalid choice: %(value)r (choose from %(choices)s)": N_("choix inconnu : %(value)r (possibles : %(choices)s)"),
    "argument %(argument_name)s: %(message)s": N_("argument %(argument_name)s : %(message)s"),
    "expected one argument": N_("une valeur est attendue"),
    "expected at least one argument": N_("une valeur au moins est attendue"),
    "not allowed with argument %s": N_("impossible avec l'argument %s"),
    "invalid %(type)s value: %(value)r": N_("valeur invalide : %(value)r"),
    "ambiguous option: %(option)s could match %(matches)s": N_("option ambiguë : %(option)s peut désigner %(matches)s"),
    "one of the arguments %s is required": N_("l'un de ces arguments est obligatoire : %s"),
}


@contextmanager
def argparse_speaking() -> Iterator[None]:
    """argparse's words in the staff's language while the command line is read (argparse looks its
    words up through its module's `_` at each use)."""
    english = argparse._
    argparse._ = lambda text: say(ARGPARSE_WORDS[text]) if text in ARGPARSE_WORDS else english(text)
    try:
        yield
    finally:
        argparse._ = english
