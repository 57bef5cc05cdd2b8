"""`vitrine serve`: the app, from a checkout or an installed wheel, through Streamlit's own server
on the same entry script `streamlit run app.py` runs (directory.settings.APP_FILES)."""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

from directory.cli.common import say
from directory.i18n import N_
from directory.settings import APP_FILES


def cmd_serve(args: argparse.Namespace) -> int:
    command = [sys.executable, "-m", "streamlit", "run", str(APP_FILES / "app.py"),
               *shipped_options(APP_FILES / ".streamlit" / "config.toml"),
               "--server.port", str(args.port), "--server.address", args.address, "--server.headless", "true"]
    os.execv(sys.executable, command)  # Streamlit's server in this process: signals go straight to it
    return 0


def shipped_options(config: Path) -> list[str]:
    """The options of the app's own .streamlit/config.toml as Streamlit's command-line flags: run
    from any folder, the app keeps them (a folder's own .streamlit/config.toml is still read)."""
    flags = []
    for section, options in tomllib.loads(config.read_text(encoding="utf-8")).items():
        for name, value in options.items():
            flags += [f"--{section}.{name}", str(value).lower() if isinstance(value, bool) else str(value)]
    return flags


def add_commands(commands: argparse._SubParsersAction, command) -> None:
    serve = command(commands, "serve", cmd_serve, N_("servir l'application (pages et adresses web)"),
                    N_("Lance le serveur de Streamlit sur l'application, depuis n'importe quel dossier : une copie "
                       "de travail ou une installation. Sans DATABASE_URL, la base SQLite est dans le dossier de "
                       "données (VITRINE_DATA_DIR, sinon data/ d'une copie de travail, sinon le dossier de données "
                       "de l'utilisateur) et reçoit les données de démonstration."))
    serve.add_argument("--port", type=int, default=8501, help=say(N_("le port (8501 par défaut)")))
    serve.add_argument("--address", default="localhost",
                       help=say(N_("l'adresse d'écoute (localhost par défaut ; 0.0.0.0 pour toutes)")))
