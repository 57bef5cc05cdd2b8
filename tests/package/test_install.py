"""The wheel built from the checkout installs and serves the app with nothing read from the
checkout: `vitrine --help`, every module imports, and `vitrine serve` from an empty folder answers
its pages, its addresses and its browser files on demo data, writing nothing inside the install."""

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
    """A fresh virtual environment with the wheel installed, its dependencies found where the
    running interpreter finds them (its own site, a virtual environment's included: the base
    interpreter's, which `--system-site-packages` would give, may lack them); returns its python
    and its site-packages."""
    folder = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(folder / "dist"), str(ROOT)], check=True, capture_output=True)
    [wheel] = (folder / "dist").glob("vitrine-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = str(folder / "venv" / "bin" / "python")
    own_site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
    running_sites = [path for path in sys.path if path.endswith(("site-packages", "dist-packages"))]
    (Path(own_site) / "running-environment.pth").write_text("\n".join(running_sites) + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, capture_output=True)
    where = "import directory, pathlib; print(pathlib.Path(directory.__file__).parent.parent)"
    site = subprocess.run([python, "-c", where], check=True, capture_output=True, text=True, cwd=folder).stdout.strip()
    return python, Path(site), folder


def test_the_install_is_used_not_the_checkout_and_holds_only_the_package(installed):
    _python, site, _folder = installed
    assert ROOT not in site.parents and site != ROOT
    assert not (site / "app.py").exists() and not (site / "pages").exists()  # issue 33: only `directory`
    bundle = site / "directory" / "bundle"
    assert (bundle / "app.py").is_file() and (bundle / "pages" / "explore.py").is_file()
    assert (bundle / "data" / "partners.csv").is_file() and not list(bundle.glob("data/*.db"))


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


def test_vitrine_serve_from_an_empty_folder_serves_the_demo(installed, tmp_path):
    python, site, _folder = installed
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    empty, home = tmp_path / "empty", tmp_path / "home"
    empty.mkdir()
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "VITRINE_DEMO_DATA", "VITRINE_DATA_DIR")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "share"))
    before = sorted(path for path in (site / "directory").rglob("*") if "__pycache__" not in path.parts)
    log = tmp_path / "server.log"
    server = subprocess.Popen([str(Path(python).with_name("vitrine")), "serve", "--port", str(port),
                               "--address", "127.0.0.1"], cwd=empty, env=env,
                              stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120  # a busy machine: the first start migrates and seeds
        while True:
            try:
                assert urllib.request.urlopen(f"{base}/healthz", timeout=2).status == 200  # migrations shipped
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    pytest.fail(f"the installed app did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.3)
        for path in ("/", "/embed", "/agenda.ics", "/app/static/vendor/leaflet/leaflet.js", "/app/static/page.js",
                     "/sitemap.xml", "/?lang=en"):
            assert urllib.request.urlopen(base + path, timeout=10).status == 200, path
        assert "Carte" in urllib.request.urlopen(base + "/embed", timeout=10).read().decode()  # templates, catalogues
        sitemap = urllib.request.urlopen(base + "/sitemap.xml", timeout=10).read().decode()
        assert "/partenaires/cite-du-design" in sitemap  # the demo data, read from the package
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (home / "share" / "vitrine" / "vitrine.db").is_file()  # the user's data folder
    assert list(empty.iterdir()) == []
    after = sorted(path for path in (site / "directory").rglob("*") if "__pycache__" not in path.parts)
    assert after == before  # nothing written inside the install
