"""The wheel built from the checkout installs and serves the app with nothing read from the
checkout: `vitrine --help`, every module imports, and `streamlit run app.py` from the install
answers its pages, its addresses and its browser files."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment (the dependencies from the running interpreter's site) with
    the wheel installed; returns its python and its site-packages."""
    folder = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(folder / "dist"), str(ROOT)], check=True, capture_output=True)
    [wheel] = (folder / "dist").glob("vitrine-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(folder / "venv")], check=True)
    python = str(folder / "venv" / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True)
    where = "import directory, pathlib; print(pathlib.Path(directory.__file__).parent.parent)"
    site = subprocess.run([python, "-c", where], check=True, capture_output=True, text=True, cwd=folder).stdout.strip()
    return python, Path(site), folder


def test_the_install_is_used_not_the_checkout(installed):
    _python, site, _folder = installed
    assert ROOT not in site.parents and site != ROOT and (site / "app.py").exists() and (site / "pages").is_dir()


def test_the_command_and_every_module(installed):
    python, site, folder = installed
    helped = subprocess.run([str(Path(python).with_name("vitrine")), "--help"], capture_output=True, text=True,
                            cwd=folder)
    assert helped.returncode == 0 and "migrate" in helped.stdout
    imported = subprocess.run([python, "-c", (
        "import importlib, pkgutil, directory\n"
        "names = [m.name for m in pkgutil.walk_packages(directory.__path__, 'directory.')\n"
        "         if not m.name.startswith('directory.migrations.')\n"
        "         and m.name not in ('directory.__main__', 'directory.ui.navigation')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))")], capture_output=True, text=True, cwd=folder)
    assert imported.returncode == 0, imported.stderr
    assert int(imported.stdout) > 40


def test_the_install_serves_the_app(installed):
    python, site, folder = installed
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'installed.db'}", "VITRINE_DEMO_DATA": "0"}
    server = subprocess.Popen([python, "-m", "streamlit", "run", str(site / "app.py"), "--server.headless", "true",
                               "--server.address", "127.0.0.1", "--server.port", str(port)],
                              cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                assert urllib.request.urlopen(f"{base}/healthz", timeout=2).status == 200  # migrations shipped
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail("the installed app did not start")
                time.sleep(0.3)
        for path in ("/embed", "/agenda.ics", "/app/static/vendor/leaflet/leaflet.js", "/app/static/page.js",
                     "/sitemap.xml", "/?lang=en"):
            assert urllib.request.urlopen(base + path, timeout=10).status == 200, path
        assert "Carte" in urllib.request.urlopen(base + "/embed", timeout=10).read().decode()  # templates, catalogues
    finally:
        server.terminate()
        server.wait(timeout=20)
