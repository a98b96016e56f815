"""Performance benchmark of CertCompare, served as in production.

Run from the project root:

    .venv/bin/python benchmarks/bench.py            # full run, about seven minutes
    .venv/bin/python benchmarks/bench.py --quick    # smoke run, about two minutes
    make bench

Needs wrk (`apt-get install -y wrk`); nginx (`apt-get install -y nginx`) is optional.

It builds a throwaway site in a temporary directory exactly like the browser tests
(tests.helpers.production_site): DJANGO_DEBUG=0, a SQLite database loaded from fixtures/, collected
static files served by whitenoise, gunicorn started with deploy/gunicorn.conf.py on a free
127.0.0.1 port. Then, for each key page, it measures:

* cached throughput: wrk (2 threads, 16 connections, Accept-Encoding: gzip) against the warmed
  page, served from the app's whole-page cache (certs/caching.py); requests/s, p50 and p99, and
  the server's CPU time per request (from /proc, so less sensitive to other load);
* the static-file ceiling in the same run: the same page's bytes (plain and .gz) copied into
  STATIC_ROOT/bench/ before gunicorn starts, so whitenoise serves identical bytes with the same
  settings; the ratio cached/static shows what the page cache costs over serving a file.
  Cached and static runs alternate in short rounds (A B B A ...) so that other load on the
  machine hits both alike; the ratio is the median of the per-round ratios;
* uncached render time: ~200 renders in this process with Django's test client, the same
  settings and database, the page cache off (DJANGO_PAGE_CACHE=0); p50 and p99;
* SQL queries per uncached render (CaptureQueriesContext);
* bytes on the wire: the gzipped page plus the scripts and stylesheets it links, fetched from the
  server with Accept-Encoding: gzip;
* with nginx installed (and without --no-nginx): nginx started from deploy/nginx.conf (its
  __TOKENS__ filled in) in front of the same gunicorn; the page through nginx's proxy cache and
  the copied file through nginx's static location, and their ratio.

Then a load test: wrk with 64 connections over a mix of the key pages (60 s by default) straight
at gunicorn, counting non-2xx/3xx answers and socket errors, and the resident memory (VmRSS) of
every gunicorn worker before and after. Workers are not recycled during the run
(GUNICORN_MAX_REQUESTS=0), so any growth is real rather than hidden by max_requests.

The machine may be shared: the share of CPU that other processes took during the wrk runs is
measured and printed with the results. Progress goes to stderr; the final Markdown tables and
the machine description go to stdout. Every server is stopped and the temporary directory
removed at the end, also on error or Ctrl-C.
"""

import argparse
import datetime
import gc
import gzip
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.helpers import production_site  # noqa: E402  (the same site the browser tests serve)

PYTHON = sys.executable

PAGES = [
    ("Home (PMLE vs AI-102)", "/"),
    ("4-way comparison", "/compare/mla-c02-vs-pmle-vs-ai-103-vs-ai-300/"),
    (
        "Wizard result",
        "/fit/result/?background=software-developer&goal=build-ai-apps&languages=python"
        "&cloud=azure&experience=under-two&budget=moderate&sitting=one-to-three-months"
        "&beta=no&language=en&level=any-level&held=nothing",
    ),
    ("Certification (PMLE)", "/certifications/pmle/"),
]

BUDGETS = {
    "cached_over_static": 0.8,  # cached page requests/s over static file requests/s, at least
    "render_p50_ms": 15.0,  # design.md (issue 13 restated it: readable templates over 10 ms)
    "render_p99_ms": 40.0,
    "bytes": 40 * 1024,  # gzipped page + linked CSS and JS, at most (KB = 1024 bytes)
    "nginx_over_static": 0.65,  # a proxy_cache hit costs nginx ~15 µs of CPU against ~10 µs
    "rss_growth_mb": 30.0,  # per gunicorn worker over the load test, at most
}

WRK_THREADS = 2
WRK_CONNECTIONS = 16
LOAD_CONNECTIONS = 64

# done() prints one JSON line that the benchmark parses; latencies are in microseconds.
WRK_DONE_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,'
    .. '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""

# Rotates over the paths; each wrk thread starts at a different one.
WRK_MIX_LUA = r"""
local paths = {%s}
counter = 0
setup = function(thread)
  thread:set("counter", math.random(0, #paths - 1))
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- building and serving the throwaway site ------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, logfile: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = logfile.read_text(errors="replace")[-3000:] if logfile.exists() else ""
                raise RuntimeError(f"{url} did not come up:\n{tail}") from None
            time.sleep(0.2)


def start_gunicorn(env: dict, work: Path, port: int) -> subprocess.Popen:
    logfile = work / "gunicorn.log"
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_MAX_REQUESTS": "0",  # no recycling: RSS growth over the load test is real
    }
    log(f"gunicorn -c deploy/gunicorn.conf.py on 127.0.0.1:{port}")
    with open(logfile, "w") as out:
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for(f"http://127.0.0.1:{port}/healthz", server, logfile)
    return server


def render_nginx_conf(work: Path, port: int, upstream_port: int, static_root: Path) -> Path:
    """deploy/nginx.conf with its placeholder tokens filled in for this run."""
    prefix = work / "nginx"
    for sub in ("logs", "tmp", "cache"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for token, value in {
        "__LISTEN__": f"127.0.0.1:{port}",
        "__SERVER_NAME__": "127.0.0.1",
        "__UPSTREAM__": f"127.0.0.1:{upstream_port}",
        "__STATIC_ROOT__": str(static_root),
        "__CACHE_DIR__": str(prefix / "cache"),
    }.items():
        text = text.replace(token, value)
    if os.geteuid() != 0:
        text = text.replace("user www-data;", "")  # only root can switch users
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


def start_nginx(conf: Path) -> tuple[subprocess.Popen, Path]:
    prefix = conf.parent
    command = ["nginx", "-p", f"{prefix}/", "-c", str(conf), "-g", "daemon off;"]
    subprocess.run([*command, "-t", "-q"], check=True, timeout=30)
    log("nginx -p " + str(prefix) + " -c nginx.conf -g 'daemon off;'")
    logfile = prefix / "logs" / "error.log"
    with open(prefix / "logs" / "stderr.log", "w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    return server, logfile


def stop(process: subprocess.Popen | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    log(f"stopping {name} (pid {process.pid})")
    process.terminate()
    try:
        process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --- HTTP helpers ----------------------------------------------------------------------------


def fetch(url: str, gzip_ok: bool = True) -> tuple[int, dict, bytes]:
    """(status, headers, body as sent on the wire)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class AssetLinks(HTMLParser):
    """The <script src> and <link rel=stylesheet href> of a page."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif (
            tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href")
        ):
            self.urls.append(attrs["href"])


def page_weight(base: str, html: bytes, page_gzip_bytes: int) -> dict:
    parser = AssetLinks()
    parser.feed(html.decode())
    assets = {}
    for url in parser.urls:
        status, headers, body = fetch(base + url if url.startswith("/") else url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        assets[url] = len(body)
    return {
        "page": page_gzip_bytes,
        "assets": assets,
        "total": page_gzip_bytes + sum(assets.values()),
    }


# --- wrk and CPU accounting --------------------------------------------------------------------


def run_wrk(url: str, script: Path, seconds: int, connections: int = WRK_CONNECTIONS) -> dict:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-H",
        "Accept-Encoding: gzip",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return result


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time processes on the machine have used since boot: user, nice, system and steal.
    Interrupt time is left out: it is mostly our own loopback traffic, not charged to any
    process, and would otherwise count as other load."""
    user, nice, system, _idle, _iowait, _irq, _softirq, steal = [
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    ]
    return (user + nice + system + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds(server_pids: list[int]) -> float:
    """CPU time of the server processes, of wrk (our finished children) and of this process."""
    total = cpu_seconds(server_pids)
    for who in (resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def measure(url: str, script: Path, seconds: int, server_pid: int) -> dict:
    """One wrk run, plus the server's CPU per request and the CPU share other processes took."""
    pids = [server_pid, *children(server_pid)]
    server_before, own_before = cpu_seconds(pids), own_cpu_seconds(pids)
    busy_before, started = machine_busy_seconds(), time.monotonic()
    result = run_wrk(url, script, seconds)
    elapsed = time.monotonic() - started
    others = (machine_busy_seconds() - busy_before) - (own_cpu_seconds(pids) - own_before)
    result["server_cpu_us"] = (cpu_seconds(pids) - server_before) / max(result["requests"], 1) * 1e6
    result["others_cpu"] = max(0.0, others / (elapsed * os.cpu_count()))
    return result


def paired(urls: dict, script: Path, seconds: int, rounds: int, server_pid: int) -> dict:
    """Runs the two kinds in urls ({"cached": url, "static": url}) in alternating short rounds
    (A B, B A, A B ...) so that background load falls on both alike. Returns each kind's totals
    and medians over the rounds, and "ratio": the median of the per-round ratios of the first
    kind's requests/s over the second's."""
    first, second = urls
    runs = {first: [], second: []}
    each = max(1, round(seconds / rounds))
    for n in range(rounds):
        for kind in (first, second) if n % 2 == 0 else (second, first):
            runs[kind].append(measure(urls[kind], script, each, server_pid))
    ratios = [a["rps"] / b["rps"] for a, b in zip(runs[first], runs[second], strict=True)]
    return {
        first: aggregate(runs[first]),
        second: aggregate(runs[second]),
        "ratio": statistics.median(ratios),
        "ratios": ratios,
    }


def aggregate(results: list[dict]) -> dict:
    requests = sum(r["requests"] for r in results)
    return {
        "requests": requests,
        "rps": requests / (sum(r["duration_us"] for r in results) / 1e6),
        "p50_us": statistics.median(r["p50_us"] for r in results),
        "p99_us": statistics.median(r["p99_us"] for r in results),
        "server_cpu_us": statistics.median(r["server_cpu_us"] for r in results),
        "errors": sum(r["status"] + r["socket_errors"] for r in results),
        "others_cpu": [r["others_cpu"] for r in results],
    }


def warm(url: str, times: int = 30) -> dict:
    """Fill every worker's page cache (or nginx's); returns the last response's headers."""
    headers = {}
    for _ in range(times):
        status, headers, _ = fetch(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
    return headers


# --- in-process render timing ----------------------------------------------------------------


def setup_django(env: dict) -> None:
    """Django in this process: same settings and database as the server, page cache off."""
    os.environ.update(env)
    os.environ["DJANGO_PAGE_CACHE"] = "0"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"  # no request log lines among the tables
    os.environ["DJANGO_SETTINGS_MODULE"] = "comparator.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def render_pages(renders: int) -> tuple[dict, float]:
    """For each page: its HTML, render times (ms) and SQL queries per render; and the
    yardstick's median. The VM changes speed within seconds (by up to 1.7× on 2026-11-30), so
    the pages and the yardstick take turns, one render each a round: all meet the same
    slow and fast spells, and the yardstick says how fast the machine was meanwhile."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    # As a gunicorn worker does once the app is loaded (deploy/gunicorn.conf.py).
    gc.collect()
    gc.freeze()
    for _, path in PAGES:
        for _ in range(5):  # warm-up: template loader cache, connection
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} in process")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Counted now: the next request's request_started signal empties the query log.
        results[path] = {"html": response.content, "queries": len(queries.captured_queries)}
    yardstick = yardstick_render()
    times = {path: [] for _, path in PAGES}
    yardstick_times = []
    for _ in range(renders):
        for _, path in PAGES:
            start = time.perf_counter()
            client.get(path)
            times[path].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        yardstick()
        yardstick_times.append((time.perf_counter() - start) * 1000)
    for name, path in PAGES:
        ordered = sorted(times[path])
        results[path] |= {"p50_ms": percentile(ordered, 50), "p99_ms": percentile(ordered, 99)}
        log(
            f"render {name}: p50 {results[path]['p50_ms']:.1f} ms, "
            f"p99 {results[path]['p99_ms']:.1f} ms, {results[path]['queries']} queries"
        )
    return results, percentile(sorted(yardstick_times), 50)


def yardstick_render():
    """The machine's speed at Django templates, apart from this site's code: a function that
    renders one fixed template (200 rows of 5 cells, each a lookup, a test and a number).
    Compare its time between two runs before comparing their render times."""
    from django.template import engines

    template = engines["django"].from_string(
        "<table>{% for row in rows %}<tr>{% for cell in row %}"
        '<td class="{% if cell.odd %}odd{% endif %}">{{ cell.text }} {{ cell.n }}</td>'
        "{% endfor %}</tr>{% endfor %}</table>"
    )
    rows = [[{"text": f"cell {r}.{c}", "n": c, "odd": c % 2} for c in range(5)] for r in range(200)]
    return lambda: template.render({"rows": rows})


def percentile(sorted_values: list[float], p: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def write_static_copies(static_root: Path, rendered: dict) -> dict:
    """Each page's HTML (and a .gz, as collectstatic writes for real files) under
    STATIC_ROOT/bench/, so whitenoise and nginx serve the same bytes as the page cache."""
    target = static_root / "bench"
    target.mkdir(parents=True, exist_ok=True)
    urls = {}
    for n, (_, path) in enumerate(PAGES, start=1):
        html = rendered[path]["html"]
        (target / f"page-{n}.html").write_bytes(html)
        (target / f"page-{n}.html.gz").write_bytes(gzip.compress(html, compresslevel=6, mtime=0))
        urls[path] = f"/static/bench/page-{n}.html"
    return urls


# --- memory ----------------------------------------------------------------------------------


def worker_rss(master_pid: int) -> dict[int, float]:
    """VmRSS in MB of each child of the gunicorn master."""
    rss = {}
    for pid in children(master_pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1]) / 1024
    return rss


# --- the machine -----------------------------------------------------------------------------


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (x.split(":", 1)[1].strip() for x in cpuinfo.splitlines() if x.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    cpus = cpuinfo.count("processor\t:") or os.cpu_count()
    meminfo = Path("/proc/meminfo").read_text().split()
    ram_gb = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024
    import django
    import gunicorn

    parts = [
        f"{model} × {cpus} CPUs",
        f"{ram_gb:.0f} GB RAM",
        f"Linux {platform.release()}",
        f"Python {platform.python_version()}",
        f"Django {django.get_version()}",
        f"gunicorn {gunicorn.__version__}",
    ]
    nginx = shutil.which("nginx")
    if nginx:
        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
        parts.append(version.replace("nginx version: ", ""))
    parts.append(datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return "; ".join(parts)


# --- reporting -------------------------------------------------------------------------------


def ok(met: bool) -> str:
    return "✅" if met else "❌"


def ms(us: float) -> str:
    return f"{us / 1000:.1f} ms"


def throughput_table(title: str, pages: dict, key: str, budget: float, budgets: list) -> list:
    """One Markdown table: cached page against the static copy, per page."""
    lines = [
        f"\n### {title}\n",
        "| Page | Cached req/s | p50 | p99 | Static req/s | p50 | p99 "
        "| Server CPU per request, cached / static | Cached / static |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path in PAGES:
        result = pages[path][key]
        c, s = result["cached"], result["static"]
        met = result["ratio"] >= budget
        budgets.append(
            (
                f"{name}: {title.split(':')[0]} cached / static",
                f"≥ {budget:.2f}",
                f"{result['ratio']:.3f}",
                met,
            )
        )
        lines.append(
            f"| {name} | {c['rps']:,.0f} | {ms(c['p50_us'])} | {ms(c['p99_us'])} "
            f"| {s['rps']:,.0f} | {ms(s['p50_us'])} | {ms(s['p99_us'])} "
            f"| {c['server_cpu_us']:,.0f} µs / {s['server_cpu_us']:,.0f} µs "
            # Three decimals: 0.795 is a miss, and would print as 0.80 with two.
            f"| {result['ratio']:.3f} {ok(met)} |"
        )
    others = [
        x
        for _, path in PAGES
        for kind in ("cached", "static")
        for x in pages[path][key][kind]["others_cpu"]
    ]
    errors = sum(
        pages[path][key][kind]["errors"] for _, path in PAGES for kind in ("cached", "static")
    )
    budgets.append(
        (f"{title.split(':')[0]}: errors in the wrk runs", "0", str(errors), errors == 0)
    )
    lines.append(
        f"\nOther processes on the machine took {statistics.mean(others):.0%} of its CPU on "
        f"average during these runs (at most {max(others):.0%}); errors: {errors}."
    )
    return lines


def report(args, pages: dict, load: dict, machine_line: str) -> tuple[str, list]:
    lines = []
    budgets = []  # (what, limit, measured, met)
    runs = (
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, Accept-Encoding: gzip, {args.seconds} s per "
        f"kind per page in {args.rounds} alternating rounds"
    )
    lines += throughput_table(
        f"gunicorn: page cache vs whitenoise static file ({runs})",
        pages,
        "gunicorn",
        BUDGETS["cached_over_static"],
        budgets,
    )
    if all("nginx" in pages[path] for _, path in PAGES):
        lines += throughput_table(
            f"nginx: proxy_cache vs static location, gunicorn behind ({runs})",
            pages,
            "nginx",
            BUDGETS["nginx_over_static"],
            budgets,
        )

    lines.append(
        f"\n### Cost of a page (uncached render: {args.renders} renders in process with the page "
        f"cache off; bytes: gzip, the page + the CSS and JS it links)\n"
    )
    lines.append(
        f"Machine yardstick: a fixed Django template of 1,000 cells rendered in "
        f"{args.yardstick_ms:.1f} ms (median; it took turns with the pages), outside this "
        "site's code. Compare it between runs before comparing their render times.\n"
    )
    lines.append(
        "| Page | Render p50 | Render p99 | SQL queries | Page gzip | CSS + JS gzip | Total |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for name, path in PAGES:
        page = pages[path]
        weight = page["weight"]
        p50_met = page["p50_ms"] <= BUDGETS["render_p50_ms"]
        p99_met = page["p99_ms"] <= BUDGETS["render_p99_ms"]
        bytes_met = weight["total"] <= BUDGETS["bytes"]
        budgets.append(
            (
                f"{name}: render p50",
                f"≤ {BUDGETS['render_p50_ms']:g} ms",
                f"{page['p50_ms']:.1f} ms",
                p50_met,
            )
        )
        budgets.append((f"{name}: render p99", "≤ 40 ms", f"{page['p99_ms']:.1f} ms", p99_met))
        budgets.append(
            (f"{name}: page + CSS + JS", "≤ 40 KB", f"{weight['total'] / 1024:.1f} KB", bytes_met)
        )
        lines.append(
            f"| {name} | {page['p50_ms']:.1f} ms {ok(p50_met)} | {page['p99_ms']:.1f} ms "
            f"{ok(p99_met)} | {page['queries']} | {weight['page'] / 1024:.1f} KB "
            f"| {sum(weight['assets'].values()) / 1024:.1f} KB "
            f"| {weight['total'] / 1024:.1f} KB {ok(bytes_met)} |"
        )

    w = load["wrk"]
    errors_met = w["status"] == 0 and w["socket_errors"] == 0
    budgets.append(
        (
            "Load test: non-2xx/3xx / socket errors",
            "0 / 0",
            f"{w['status']} / {w['socket_errors']}",
            errors_met,
        )
    )
    lines.append(
        f"\n### Load test: wrk -t{WRK_THREADS} -c{LOAD_CONNECTIONS} for {load['seconds']} s over "
        f"the {len(PAGES)} pages in turn, straight at gunicorn ({load['workers']} sync workers, "
        f"not recycled)\n"
    )
    lines.append(
        "| Requests | req/s | p50 | p99 | max | Non-2xx/3xx | Socket errors "
        "(connect/read/write/timeout) |"
    )
    lines.append("|---:|---:|---:|---:|---:|---:|---|")
    lines.append(
        f"| {w['requests']:,} | {w['rps']:,.0f} | {ms(w['p50_us'])} | {ms(w['p99_us'])} "
        f"| {ms(w['max_us'])} | {w['status']} {ok(w['status'] == 0)} | {w['socket_errors']} "
        f"({w['connect']}/{w['read']}/{w['write']}/{w['timeout']}) "
        f"{ok(w['socket_errors'] == 0)} |"
    )
    lines.append("\n| gunicorn worker | RSS before | RSS after | Growth (limit 30 MB) |")
    lines.append("|---|---:|---:|---:|")
    for pid, before in sorted(load["rss_before"].items()):
        after = load["rss_after"].get(pid)
        if after is None:
            lines.append(f"| pid {pid} | {before:.1f} MB | gone (replaced) | ❌ |")
            budgets.append((f"Worker {pid} survived the load test", "yes", "no", False))
            continue
        growth = after - before
        met = growth <= BUDGETS["rss_growth_mb"]
        budgets.append((f"Worker {pid}: RSS growth", "≤ 30 MB", f"{growth:+.1f} MB", met))
        lines.append(
            f"| pid {pid} | {before:.1f} MB | {after:.1f} MB | {growth:+.1f} MB {ok(met)} |"
        )
    for pid in sorted(set(load["rss_after"]) - set(load["rss_before"])):
        lines.append(f"| pid {pid} (new) | – | {load['rss_after'][pid]:.1f} MB | – |")
    lines.append(
        f"\nOther processes took {load['others_cpu']:.0%} of the machine's CPU during the load "
        "test."
    )

    lines.append("\n### Budgets\n")
    lines.append("| Budget | Limit | Measured | Met |")
    lines.append("|---|---|---|---|")
    for what, limit, measured, met in budgets:
        lines.append(f"| {what} | {limit} | {measured} | {ok(met)} |")

    lines.append(f"\nMachine: {machine_line}")
    return "\n".join(lines).lstrip("\n"), budgets


# --- the run ---------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Run from the project root; see the module docstring for what is measured.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 s of wrk per kind and page, 10 s load test"
    )
    parser.add_argument("--no-nginx", action="store_true", help="skip the nginx measurements")
    parser.add_argument("--load-seconds", type=int, help="load test duration (default 60)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    args.seconds = 3 if args.quick else 10  # per kind (cached, static) and page
    args.rounds = 3 if args.quick else 5
    args.renders = 50 if args.quick else 200
    if args.load_seconds is None:
        args.load_seconds = 10 if args.quick else 60
    return args


def check_page(base: str, path: str, static_url: str, via: str) -> tuple[bytes, int]:
    """Both URLs answer 200 gzipped (through nginx: the page from its cache); returns the
    page's HTML and its gzip size."""
    _, headers, body = fetch(base + path)
    if headers.get("Content-Encoding") != "gzip":
        raise RuntimeError(f"{via}: {path} was not served gzipped: {headers}")
    if via == "nginx" and headers.get("X-Cache-Status") != "HIT":
        raise RuntimeError(f"nginx did not serve {path} from its cache: {headers}")
    _, static_headers, static_body = fetch(base + static_url)
    if static_headers.get("Content-Encoding") != "gzip":
        raise RuntimeError(f"{via}: {static_url} was not served gzipped: {static_headers}")
    log(f"{via}: {path} is {len(body):,} B gzipped, its static copy {len(static_body):,} B")
    return gzip.decompress(body), len(body)


def measure_server(
    via: str, base: str, server_pid: int, pages: dict, static_urls: dict, work: Path, args
) -> None:
    for name, path in PAGES:
        warm(base + path, times=30 if via == "gunicorn" else 3)
        html, gzip_bytes = check_page(base, path, static_urls[path], via)
        if via == "gunicorn":
            pages[path]["weight"] = page_weight(base, html, gzip_bytes)
        for url in (base + path, base + static_urls[path]):  # every worker has it now
            run_wrk(url, work / "report.lua", 1)
        log(f"{via}: wrk {name}, cached and static, {args.rounds} rounds")
        result = paired(
            {"cached": base + path, "static": base + static_urls[path]},
            work / "report.lua",
            args.seconds,
            args.rounds,
            server_pid,
        )
        pages[path][via] = result
        log(
            f"  cached {result['cached']['rps']:,.0f} req/s, static "
            f"{result['static']['rps']:,.0f} req/s, ratio {result['ratio']:.3f} "
            f"(rounds: {', '.join(f'{r:.3f}' for r in result['ratios'])})"
        )


def load_test(base: str, master_pid: int, work: Path, seconds: int) -> dict:
    paths = ", ".join(json.dumps(path) for _, path in PAGES)
    script = work / "mix.lua"
    script.write_text(WRK_MIX_LUA % paths + WRK_DONE_LUA)
    for _, path in PAGES:
        warm(base + path)
    time.sleep(1)
    rss_before = worker_rss(master_pid)
    log(f"load test: {LOAD_CONNECTIONS} connections for {seconds} s; RSS before {rss_before}")
    pids = [master_pid, *rss_before]
    own_before, busy_before = own_cpu_seconds(pids), machine_busy_seconds()
    started = time.monotonic()
    result = run_wrk(base + "/", script, seconds, connections=LOAD_CONNECTIONS)
    others = (machine_busy_seconds() - busy_before) - (own_cpu_seconds(pids) - own_before)
    others_share = max(0.0, others / ((time.monotonic() - started) * os.cpu_count()))
    time.sleep(1)
    rss_after = worker_rss(master_pid)
    log(f"  {result['requests']:,} requests; RSS after {rss_after}")
    return {
        "seconds": seconds,
        "wrk": result,
        "workers": len(rss_before),
        "rss_before": rss_before,
        "rss_after": rss_after,
        "others_cpu": others_share,
    }


def main() -> int:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    use_nginx = not args.no_nginx and shutil.which("nginx") is not None
    if not args.no_nginx and not use_nginx:
        log("nginx is not installed: skipping the nginx measurements")

    work = Path(tempfile.mkdtemp(prefix="certcompare-bench-"))
    work.chmod(0o755)  # nginx workers run as www-data and read the static root in here
    gunicorn_server = nginx_server = None

    def on_sigterm(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        log("building the site: migrate, load_content, collectstatic")
        env = production_site(work, purpose="benchmark", DJANGO_LOG_LEVEL="WARNING")
        (work / "report.lua").write_text(WRK_DONE_LUA)

        setup_django(env)
        log(f"uncached renders in process ({args.renders} per page)")
        pages, args.yardstick_ms = render_pages(args.renders)
        log(f"yardstick (a fixed template of 1,000 cells): {args.yardstick_ms:.1f} ms")
        static_root = Path(env["DJANGO_STATIC_ROOT"])
        static_urls = write_static_copies(static_root, pages)  # before whitenoise starts

        port = free_port()
        gunicorn_server = start_gunicorn(env, work, port)
        base = f"http://127.0.0.1:{port}"
        measure_server("gunicorn", base, gunicorn_server.pid, pages, static_urls, work, args)

        if use_nginx:
            nginx_port = free_port()
            conf = render_nginx_conf(work, nginx_port, port, static_root)
            nginx_server, nginx_log = start_nginx(conf)
            nginx_base = f"http://127.0.0.1:{nginx_port}"
            wait_for(nginx_base + "/healthz", nginx_server, nginx_log)
            measure_server("nginx", nginx_base, nginx_server.pid, pages, static_urls, work, args)
            stop(nginx_server, "nginx")

        load = load_test(base, gunicorn_server.pid, work, args.load_seconds)
        log_text = (work / "gunicorn.log").read_text(errors="replace")
        for marker in ("Traceback", "WORKER TIMEOUT", "[ERROR]"):
            if marker in log_text:
                log(f"warning: gunicorn.log contains {marker!r}")

        table, budgets = report(args, pages, load, machine())
        print(table)
        failed = [b for b in budgets if not b[3]]
        log(f"{len(budgets) - len(failed)} of {len(budgets)} budgets met")
        return 1 if failed else 0
    finally:
        stop(nginx_server, "nginx")
        stop(gunicorn_server, "gunicorn")
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
