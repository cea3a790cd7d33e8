"""Memos in a batch share parsed paragraph markup (memo/build.py ``_paragraph``) and the font's tables
(memo/fonts.py): a memo must come out byte for byte as it would alone, in a fresh process, whatever was
rendered before it. Every memo of a mixed batch (Chinese and English, approve/refer/decline, long
notes) is rendered again from its stored content with nothing cached, and must equal the stored PDF."""

from __future__ import annotations

import json
import subprocess
import sys

from memo_support import add_decision, make_store

from loandesk.memo import build, qr, service
from loandesk.memo.template import load_template
from loandesk.storage import memos as repo


def test_memos_of_a_batch_are_byte_identical_to_each_rendered_alone(tmp_path):
    store, app_ids = make_store(tmp_path, 6)
    for i, app_id in enumerate(app_ids):
        add_decision(store, app_id, ("approve", "refer", "decline")[i % 3])
    template = load_template(store.home)
    issued = [service.issue_memo(store, a, lang, template=template) for a in app_ids for lang in ("zh", "en")]
    assert len(build._PARSED) > 20  # the batch really shared parsed paragraphs
    rows = [repo.memo(store, m["memo_no"], with_pdf=True, lang=m["lang"]) for m in issued]
    store.close()
    for row in rows[::3]:  # in a fresh process: nothing parsed before, nothing cached
        given = json.dumps([row["content"], row["memo_no"], row["content_sha256"], str(tmp_path / "home")])
        again = subprocess.run([sys.executable, "-c", ALONE], input=given.encode(), capture_output=True, check=True)
        assert again.stdout == row["pdf"], row["memo_no"]
    build._PARSED.clear()  # and in this process with the cache off, for every memo
    saved, build.PARSED_MAX = build.PARSED_MAX, 0
    try:
        for row in rows:
            code = qr.payload(row["memo_no"], row["content_sha256"])
            pdf = build.render_pdf(json.loads(row["content"]), template, code)
            assert pdf == row["pdf"], row["memo_no"]
    finally:
        build.PARSED_MAX = saved


ALONE = r"""
import json, sys
from pathlib import Path
from loandesk.memo import build, qr
from loandesk.memo.template import load_template
content, memo_no, digest, home = json.loads(sys.stdin.read())
pdf = build.render_pdf(json.loads(content), load_template(Path(home)), qr.payload(memo_no, digest))
sys.stdout.buffer.write(pdf)
"""
