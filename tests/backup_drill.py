"""The operator's backup drill, run through manage.py as an operator would: edit, back up while
another connection is half-way through a write, wipe, restore, and compare content, history and
users with what they were. Shared by the SQLite test and the PostgreSQL one (make test-scale)."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EDIT = """
from django.contrib.auth import get_user_model
from certs.models import FAQEntry, Value
editor = get_user_model().objects.create_superuser("drill", "drill@example.com", "drill-pw-long-1")
fee = Value.objects.get(certification__slug="pmle", feature__slug="exam-fee")
fee.text, fee._history_user, fee._change_reason = "USD 211 (drill)", editor, "Backup drill"
fee.save()
faq = FAQEntry.objects.order_by("order").first()
faq._history_user = editor
faq.delete()
"""

SNAPSHOT = """
import json, tempfile
from pathlib import Path
from django.contrib.auth import get_user_model
from certs.content_load import content_models
from certs.management.commands.export_content import export_to
with tempfile.TemporaryDirectory() as folder:
    content = {p.name: p.read_text() for p in export_to(Path(folder))}
history = {
    m._meta.label: [
        [h.history_id, h.id, h.history_type, h.history_change_reason,
         h.history_user.username if h.history_user else None, str(h.history_date)]
        for h in m.history.select_related("history_user").order_by("history_id")
    ]
    for m in content_models()
}
users = list(get_user_model().objects.order_by("username").values_list(
    "username", "password", "is_staff", "is_superuser"))
print(json.dumps({"content": content, "history": history, "users": users}))
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def run_drill(
    database_url: str,
    backup_file: Path,
    *,
    hold_uncommitted_write: Callable,
    wipe: Callable,
) -> None:
    """`hold_uncommitted_write()` returns a callable that rolls the write back: the backup taken
    meanwhile must not contain it. `wipe()` destroys the database."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_content", "--if-empty", "-v0")
    manage(env, "shell", "-v0", "-c", EDIT)
    before = json.loads(manage(env, "shell", "-v0", "-c", SNAPSHOT))
    assert "USD 211 (drill)" in before["content"]["values.json"]
    assert "drill" in [u[0] for u in before["users"]]

    roll_back = hold_uncommitted_write()
    try:
        out = manage(env, "backup", "--output", str(backup_file))
    finally:
        roll_back()
    assert "backup written" in out and backup_file.stat().st_size > 0

    wipe()
    manage(env, "restore", str(backup_file))
    after = json.loads(manage(env, "shell", "-v0", "-c", SNAPSHOT))
    assert after["content"] == before["content"]
    assert after["history"] == before["history"]
    assert after["users"] == before["users"]
