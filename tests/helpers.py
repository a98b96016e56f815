"""What several test modules share and cannot take as a fixture because it is needed when tests
are collected (parametrize) or outside pytest-django (the scale tests' own servers): expected
content, the wizard's sample answers, the one HTML parser the tests read pages with, and the
site served by gunicorn."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The certifications of research/certifications.md, by slug.
CATALOG = {
    "pmle",
    "gcp-genai-leader",
    "gcp-agentic-architect",
    "ai-102",
    "ai-103",
    "dp-100",
    "ai-300",
    "ai-900",
    "ai-901",
    "mla-c01",
    "mla-c02",
    "mls-c01",
    "aif-c01",
    "aip-c01",
    "ai-500",
    "aib-c01",
    "claude-architect-foundations",
    "databricks-genai-engineer-associate",
    "databricks-ml-associate",
    "databricks-ml-professional",
    "ex267",
    "gh-600",
    "ibm-c1000-185",
    "nca-aiio",
    "nca-genl",
    "ncp-genl",
    "oci-genai-professional",
    "oracle-agentic-ai-foundations",
    "snowpro-genai",
}

# A complete set of wizard answers: a Python developer on Azure building AI apps.
WIZARD_ANSWERS = {
    "background": "software-developer",
    "goal": "build-ai-apps",
    "languages": "python",
    "cloud": "azure",
    "experience": "under-two",
    "budget": "moderate",
    "sitting": "one-to-three-months",
    "beta": "no",
    "language": "en",
    "level": "any-level",
    "held": "nothing",
}


class HTMLPage(HTMLParser):
    """One pass over a page: the <head>'s meta and link tags, the text of every JSON-LD block,
    the breadcrumb links, and the fields of the admin's change form as a browser would submit
    them unchanged (`form`)."""

    def __init__(self, html: str):
        super().__init__()
        self.meta, self.links, self.json_ld, self.breadcrumb_links = {}, {}, [], []
        self._fields: dict[str, list[str]] = {}
        self._in_ld = self._in_trail = self._in_form = False
        self._select = self._textarea = None
        self.feed(html)

    @property
    def form(self) -> dict:
        # Django's textarea rendering starts with a newline that browsers drop.
        return {k: (v[0].removeprefix("\n") if len(v) == 1 else v) for k, v in self._fields.items()}

    def structured(self) -> dict:
        objects = []
        for block in self.json_ld:
            parsed = json.loads(block)
            objects.extend(parsed if isinstance(parsed, list) else [parsed])
        return {obj["@type"]: obj for obj in objects}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a["content"]
        elif tag == "link" and "rel" in a:
            self.links[a["rel"]] = a["href"]
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")
        elif tag == "nav" and a.get("aria-label") == "Breadcrumb":
            self._in_trail = True
        elif tag == "a" and self._in_trail:
            self.breadcrumb_links.append(a["href"])
        elif tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if self._in_form:
            self._form_field(tag, a)

    def _form_field(self, tag, a):
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._fields.setdefault(name, []).append(
                a.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select = name
            self._fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False
        elif tag == "nav":
            self._in_trail = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data
        if self._textarea:
            self._fields[self._textarea][0] += data


def form_data(client, url) -> dict:
    """The admin change form at `url`, as the browser would submit it unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return HTMLPage(response.content.decode()).form


def post_change_form(client, obj, **changes):
    """Submit `obj`'s admin change form as the browser would, with `changes` made to its fields;
    returns the response."""
    url = f"/admin/certs/{obj._meta.model_name}/{obj.pk}/change/"
    return client.post(url, form_data(client, url) | changes)


def production_site(work: Path, *, purpose: str, **extra) -> dict:
    """A throwaway site in `work` set up as production runs it (DEBUG off, a SQLite database
    migrated and loaded from fixtures/, static files collected for whitenoise); returns the
    environment to serve it with. Used by the browser tests and the benchmark."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": f"{purpose}-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        **extra,
    }
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_content", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    return env


@contextlib.contextmanager
def gunicorn(env: dict, work: Path, *, workers: int = 2, ready_path: str = "/healthz"):
    """The site served by gunicorn on a free local port, as production runs it, for the
    length of the block: yields its address. `env` must point DATABASE_URL at a database
    already migrated and loaded."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = work / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "comparator.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + ready_path, timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
