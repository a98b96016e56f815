# Two commands for a newcomer: `make run` and `make test`. Both build .venv first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx

# The first interpreter that really runs and is 3.12 or newer (a pyenv shim that fails is skipped).
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3.13 \
	/root/.pyenv/versions/3.12*/bin/python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	2>/dev/null && { command -v $$p; break; }; done)

.PHONY: run serve test test-fast test-scale bench lint clean seed content export backup restore

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12+ found. Install Python 3.12 or newer (e.g. 'apt install python3.12-venv' or 'pyenv install 3.12'), or run 'make PYTHON=/path/to/python3.12 ...'."; \
		exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Start-up: migrate, and load the fixtures only into an empty database. Once it holds content,
# the admin is the source of truth: a restart never touches a staff edit.
seed: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content --if-empty

# DEVELOPMENT ONLY: throw away every content edit (and its history) in the local database and
# reload fixtures/. Users are kept. To bring new fixtures into an edited database without losing
# anything, run `manage.py load_content` instead (it merges and reports conflicts).
content: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content --reset

run: seed
	@if [ "$${DJANGO_DEBUG:-1}" = "0" ]; then $(BIN)/python manage.py collectstatic --noinput -v0; fi
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production mode on this machine: gunicorn + whitenoise, DEBUG off, SQLite unless DATABASE_URL.
serve: seed
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 $(BIN)/python -m gunicorn -c deploy/gunicorn.conf.py

# Write the database's content back to fixtures/ so staff edits can be reviewed and committed
# (content only: the history and users are in `make backup`).
export: $(BIN)/.installed
	$(BIN)/python manage.py export_content

# A consistent copy of the whole database (content, history, change log, users), safe while the
# site runs; `make restore FILE=backups/…` puts one back (everything since is lost).
backup: $(BIN)/.installed
	$(BIN)/python manage.py backup $(if $(FILE),--output $(FILE))

restore: $(BIN)/.installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/certcompare-….sqlite3"; exit 1; }
	$(BIN)/python manage.py restore $(FILE)

# A Debian package some tests need: installed when run as root, otherwise the command to run.
define debian_package
	@if [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
		echo "$(2): run 'sudo apt-get install -y $(1)' and try again."; \
		exit 1; fi
endef

$(CHROMIUM):
	$(call debian_package,chromium,Browser tests need Debian's Chromium)

# deploy/nginx.conf is tested in front of the app by test-scale.
$(NGINX):
	$(call debian_package,nginx,The scale tests need Debian's nginx)

test: $(BIN)/.installed $(CHROMIUM)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -m "not scale"

# The whole suite again on PostgreSQL with the Redis cache, then two gunicorn app servers
# sharing them (tests/scale/). Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
SCALE_REDIS_URL ?= redis://127.0.0.1:6379/15
test-scale: $(BIN)/.installed $(CHROMIUM) $(NGINX)
	@$(BIN)/python -c "import psycopg; psycopg.connect('$(SCALE_DATABASE_URL)', connect_timeout=3).close()" \
		|| { echo "test-scale needs PostgreSQL at $(SCALE_DATABASE_URL) (set SCALE_DATABASE_URL)."; exit 1; }
	@$(BIN)/python -c "import redis; redis.Redis.from_url('$(SCALE_REDIS_URL)', socket_timeout=3).ping()" \
		|| { echo "test-scale needs Redis at $(SCALE_REDIS_URL) (set SCALE_REDIS_URL)."; exit 1; }
	DATABASE_URL=$(SCALE_DATABASE_URL) REDIS_URL=$(SCALE_REDIS_URL) $(BIN)/python -m pytest -m "not browser and not scale" -p no:cacheprovider
	SCALE_DATABASE_URL=$(SCALE_DATABASE_URL) SCALE_REDIS_URL=$(SCALE_REDIS_URL) $(BIN)/python -m pytest tests/scale -m scale -p no:cacheprovider

# Throughput, latency, size and queries per page, plus a 60 s load test (see benchmarks/).
bench: seed
	$(BIN)/python benchmarks/bench.py

# Everything but the browser tests, for a quick loop.
test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not browser and not scale"

lint: $(BIN)/.installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
