"""Two web servers behind one address, as docs/install.md "Scaling out" describes: each with its
own gunicorn, huey worker and local folder, sharing PostgreSQL, Redis and the file storage
(here a folder both mount, MEDIA_ROOT, PRAMEN_PRIVATE_MEDIA_ROOT and PRAMEN_DOCUMENT_CACHE).

Whatever server a request reaches, the visitor sees the same site: a session started on one
is valid on the other, a ZIS signature used on one is refused by the other, a PDF rendered by
one is served by the other from the shared storage, and the two workers never send one e-mail
twice.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import requests

from zis.http import signing

from .smoke import (
    HOST,
    RUN_SUFFIX,
    Installation,
    ProxyClient,
    add_server,
    drop_database,
    install,
    manage,
    stop_processes,
)
from .test_smoke import demo_login

pytestmark = pytest.mark.smoke


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> tuple[Installation, Installation]:
    database = f"pramen_scale_{RUN_SUFFIX}"
    shared = tmp_path_factory.mktemp("shared-storage")
    storage = {
        "MEDIA_ROOT": str(shared / "media"),
        "PRAMEN_PRIVATE_MEDIA_ROOT": str(shared / "private"),
        "PRAMEN_DOCUMENT_CACHE": str(shared / "documents"),
    }
    try:
        first = install(tmp_path_factory.mktemp("server-a"), database, **storage)
    except BaseException:
        drop_database(database)
        raise
    second = None
    try:
        second = add_server(first, tmp_path_factory.mktemp("server-b"))
        first.wait_until_serving()
        second.wait_until_serving()
        yield first, second
    finally:
        if second is not None:
            stop_processes(second)
        first.stop()


def test_a_session_started_on_one_server_is_valid_on_the_other(servers):
    first, second = servers
    email, password, name = demo_login(first)
    on_first = ProxyClient(first.url)
    on_first.sign_in(email, password)
    on_second = ProxyClient(second.url)
    on_second.cookies = dict(on_first.cookies)
    portal = on_second.get("/portal/")
    assert portal.status_code == 200
    assert name in portal.text


def test_a_zis_signature_used_on_one_server_is_refused_by_the_other(servers):
    first, second = servers
    secret = first.env["ZIS_SHARED_SECRET"]
    headers = signing.signed_headers(secret, b"")
    path = "/zis/api/v1/batches/no-such-batch/"
    answer = ProxyClient(first.url).get(path, headers=headers)
    assert answer.status_code == 404, answer.text  # accepted, and there is no such batch
    replay = ProxyClient(second.url).get(path, headers=headers)
    assert replay.status_code == 401
    assert "used already" in replay.text


def test_a_document_rendered_by_one_server_is_served_by_the_other(servers):
    first, second = servers
    email, password, _name = demo_login(first)
    on_first, on_second = ProxyClient(first.url), ProxyClient(second.url)
    on_first.sign_in(email, password)
    on_second.cookies = dict(on_first.cookies)
    pattern = r'href="(?:https?://[^/"]+)?(/portal/faktury-a-zalohy/[\w/-]*pdf/)"'
    link, hrefs = None, []
    # an invoice's PDF, or a payment calendar's when the small demo has issued no invoice yet
    for section in ("/portal/faktury-a-zalohy/", "/portal/faktury-a-zalohy/zalohy/"):
        page = on_first.get(section)
        assert page.status_code == 200, section
        link = link or re.search(pattern, page.text)
        hrefs += re.findall(r'href="([^"]+)"', page.text)
    assert link, f"no document to download: {hrefs}"

    rendered = on_first.get(link.group(1))
    assert rendered.status_code == 200 and rendered.content.startswith(b"%PDF")
    stored = list(Path(first.env["PRAMEN_DOCUMENT_CACHE"]).rglob("*.pdf"))
    assert len(stored) == 1
    written = stored[0].stat().st_mtime_ns

    served = on_second.get(link.group(1))
    assert served.status_code == 200
    assert served.content == rendered.content
    assert stored[0].stat().st_mtime_ns == written  # read from the shared storage, not rendered
    assert not list(second.var_dir.rglob("*.pdf"))


QUEUE_EMAILS = """
from django.db import transaction
from portal.notifications.services import queue_notification
from portal.notifications.tasks import send_notification_task
from tests.factories.notifications import READING
ids = []
with transaction.atomic():
    for i in range({count}):
        ids.append(queue_notification(
            to=f"scale-out-{{i}}@example.cz", template="request_approved", context=READING,
            language="cs").pk)
for pk in ids:  # each e-mail's task twice more: both workers race for every row
    send_notification_task(pk)
    send_notification_task(pk)
print(ids)
"""

COUNT_SENT = """
from portal.models import Notification
rows = Notification.objects.filter(recipient__startswith="scale-out-")
print({"sent": rows.filter(status="sent").count(), "all": rows.count()})
"""


def test_two_workers_never_send_the_same_email(servers):
    first, second = servers
    count = 12
    manage(first.env, "shell", "-c", QUEUE_EMAILS.format(count=count))
    deadline = time.monotonic() + 120
    state = {}
    while time.monotonic() < deadline:
        output = manage(first.env, "shell", "-c", COUNT_SENT)
        state = json.loads(output.strip().splitlines()[-1].replace("'", '"'))
        if state["sent"] == count:
            break
        time.sleep(2)
    assert state == {"sent": count, "all": count}, first.log("worker")[-3000:]
    time.sleep(2)  # the console backend has flushed each message before its row is "sent"
    logs = first.log("worker") + second.log("worker")
    for i in range(count):
        assert len(re.findall(rf"^To: scale-out-{i}@example\.cz$", logs, re.M)) == 1, i


def test_the_second_server_answers_healthz(servers):
    _first, second = servers
    health = requests.get(second.url + "/healthz", headers={"Host": HOST}, timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "ok"
