"""Head office's command line and a real device: rule packs, memos verified at head office, limits,
TLS and migrations."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from hubs import loandesk

from loandesk.core import ids
from loandesk.sync import protocol as p

PACK = Path(__file__).parents[2] / "resources" / "rules" / "bank_tax_first_loan.toml"


def test_rule_packs_are_checked_then_reach_their_branch_or_every_branch(hub, branch, tmp_path):
    ours, theirs = hub.enrol(branch), hub.enrol(branch + "X")
    _, start_ours = ours.pull_all()
    _, start_theirs = theirs.pull_all()
    one = json.loads(loandesk("hub", "publish-rules", "--db", hub.db, str(PACK), "--branch", branch).stdout)
    assert (one["pack_id"], one["version"], one["branch"], one["new"]) == (
        "bank-tax-first-loan", "2026.2", branch, True)  # fmt: skip
    got, _ = ours.pull_all(start_ours)
    assert [(c["entity"], c["data"]["hash"], c["data"]["effective"]) for c in got] == [
        ("rule_pack", one["hash"], "2025-06-01")]  # fmt: skip
    assert "[pack]" in got[0]["data"]["text"]
    assert theirs.pull_all(start_theirs)[0] == []
    loandesk("hub", "publish-rules", "--db", hub.db, str(PACK))  # every branch
    assert [c["branch"] for c in theirs.pull_all(start_theirs)[0]] == ["*"]
    changed = tmp_path / "pack.toml"
    changed.write_text(PACK.read_text(encoding="utf-8").replace("base_points = 300", "base_points = 310"),
                       encoding="utf-8")  # fmt: skip
    clash = loandesk("hub", "publish-rules", "--db", hub.db, str(changed), check=False)
    assert clash.returncode == 2 and "new version" in clash.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text(PACK.read_text(encoding="utf-8").replace("base_points = 300", "base_points = 300\ncolour = 1"),
                      encoding="utf-8")  # fmt: skip
    bad = loandesk("hub", "publish-rules", "--db", hub.db, str(broken), check=False)
    assert bad.returncode == 2 and "colour" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture(scope="module")
def device_home(tmp_path_factory):
    """A data home with demo applications, memos issued among them (made once: it takes a while)."""
    home = tmp_path_factory.mktemp("device") / "home"
    loandesk("--home", str(home), "demo", "--count", "6")
    return home


def test_a_device_enrols_pushes_its_outbox_and_head_office_verifies_its_memos(hub, branch, device_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(device_home, home)
    local = json.loads(loandesk("--home", str(home), "list", "applications", "--json").stdout)
    sent = json.loads(loandesk("--home", str(home), "sync", "--hub", hub.url, "--enroll", hub.code(branch),
                               "--json").stdout)  # fmt: skip
    assert sent["branch"] == branch and sent["unsent"] == 0 and sent["rejected"] == [] and sent["attachments"] >= 1
    listed = json.loads(loandesk("hub", "list", "applications", "--db", hub.db, "--json", "--branch", branch).stdout)
    assert sorted(a["ref"] for a in listed) == sorted(a["ref"] for a in local)
    assert {a["stage"] for a in listed} == {a["stage"] for a in local}  # stage changes followed the inserts
    ents = json.loads(loandesk("hub", "list", "enterprises", "--db", hub.db, "--json", "--branch", branch).stdout)
    assert len(ents) == len(local) and all("*" in e["legal_rep_id"] for e in ents)  # masked unless --unmasked
    shown = json.loads(loandesk("hub", "list", "enterprises", "--db", hub.db, "--json", "--branch", branch,
                                "--unmasked").stdout)  # fmt: skip
    secrets = [v for e in shown for v in (e["legal_rep_id"], e["legal_rep_phone"])]
    assert len(secrets) == 2 * len(local) and all(re.fullmatch(r"\d{17}[\dX]|1\d{10}", v) for v in secrets)
    if hub.db.startswith("sqlite"):  # sealed at rest: not in the database's bytes
        folder = Path(hub.db.removeprefix("sqlite:///")).parent
        stored = b"".join(f.read_bytes() for f in folder.glob("hub.db*"))
        assert not [v for v in secrets if v.encode() in stored]
    again = json.loads(loandesk("--home", str(home), "sync", "--json").stdout)  # nothing left to send
    assert (again["applied"], again["unsent"]) == (0, 0)
    # a memo issued on the device, as printed from its PDF, verifies at head office
    memo_ref = next(a["ref"] for a in local if a["stage"] in ("memo_issued", "approved"))
    pdf = tmp_path / "memo.pdf"
    loandesk("--home", str(home), "memo", memo_ref, "--out", str(pdf))
    ok = loandesk("hub", "verify-memo", "--db", hub.db, str(pdf), check=False)
    assert ok.returncode == 0 and ok.stdout.startswith("OK") and branch in ok.stdout
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(pdf.read_bytes().replace(b"/Producer", b"/Produced", 1))
    copy = loandesk("hub", "verify-memo", "--db", hub.db, str(altered), check=False)
    # it still names a memo the hub holds: that proves the memo exists, not that this file is it
    assert copy.returncode == 3 and copy.stdout.startswith("存在") and printed_no(pdf) in copy.stdout
    stranger = tmp_path / "stranger.pdf"
    stranger.write_bytes(b"%PDF-1.4\n% not a memo\n%%EOF\n")
    no = loandesk("hub", "verify-memo", "--db", hub.db, str(stranger), check=False)
    assert no.returncode == 1 and no.stdout.startswith("FAIL")
    (tmp_path / "notes.pdf").write_text("not a PDF at all", encoding="utf-8")
    not_pdf = loandesk("hub", "verify-memo", "--db", hub.db, str(tmp_path / "notes.pdf"), check=False)
    assert not_pdf.returncode == 2
    memos = json.loads(loandesk("hub", "list", "memos", "--db", hub.db, "--json", "--branch", branch).stdout)
    printed = next(m for m in memos if m["file_sha256"] == p.sha256_hex(pdf.read_bytes()))
    code = f"LOANDESK-MEMO:{printed['memo_no']};SHA256:{printed['content_sha256']}"
    by_code = loandesk("hub", "verify-memo", "--db", hub.db, "--code", code, check=False)
    assert by_code.returncode == 3 and printed["memo_no"] in by_code.stdout  # a code is not secret: exists only
    forged = code[:-4] + ("0000" if not code.endswith("0000") else "1111")
    assert loandesk("hub", "verify-memo", "--db", hub.db, "--code", forged, check=False).returncode == 1
    assert loandesk("hub", "verify-memo", "--db", hub.db, "--code", "hello", check=False).returncode == 2


def printed_no(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.search(r"M-[A-Z0-9]{2,8}-[A-Z0-9]{4}-\d{6}", re.sub(r"\s+", "", text)).group(0)


def test_a_revoked_device_keeps_what_it_has_not_sent_and_continues_when_enrolled_again(hub, branch, tmp_path):
    home = tmp_path / "home"  # its own home: a copy of another device's would send operations the hub has
    loandesk("--home", str(home), "demo", "--count", "2", "--seed", "3")
    code = hub.code(branch)
    loandesk("--home", str(home), "sync", "--hub", hub.url, "--enroll", code)
    device_id = json.loads(loandesk("--home", str(home), "sync", "--json").stdout)["device"]
    loandesk("hub", "revoke", "--db", hub.db, device_id)
    loandesk("--home", str(home), "demo", "--count", "1", "--seed", "7")  # captured while revoked
    refused = loandesk("--home", str(home), "sync", "--json", check=False)
    assert refused.returncode == 2 and "revoked" in refused.stderr
    loandesk("--home", str(home), "sync", "--hub", hub.url, "--enroll", hub.code(branch))
    after = json.loads(loandesk("--home", str(home), "sync", "--json").stdout)
    assert after["device"] == device_id and after["unsent"] == 0
    other = loandesk("--home", str(home), "sync", "--hub", hub.url, "--enroll", hub.code(branch + "Y"), check=False)
    assert other.returncode == 2 and branch in other.stderr  # the data home stays with its branch


def test_a_cloned_data_home_has_its_copies_set_aside_and_still_sends_what_it_saves_itself(hub, branch, tmp_path):
    original, clone = tmp_path / "a", tmp_path / "b"
    loandesk("--home", str(original), "demo", "--count", "2", "--seed", "5")
    shutil.copytree(original, clone)  # a laptop image copied onto a second machine
    loandesk("--home", str(original), "sync", "--hub", hub.url, "--enroll", hub.code(branch))
    copied = loandesk("--home", str(clone), "sync", "--hub", hub.url, "--enroll", hub.code(branch), "--json",
                      check=False)  # fmt: skip
    out = json.loads(copied.stdout)
    # the only thing the clone sent is its own install of a pack head office published (none of the copies)
    assert copied.returncode == 1 and out["applied"] == len(out["rule_packs"]["installed"])
    assert out["unsent"] == out["quarantined"] > 0
    assert {r["reason"] for r in out["rejected"]} == {"operation id reused with other content"}
    loandesk("--home", str(clone), "demo", "--count", "1", "--seed", "9")  # saved on the second machine itself
    again = loandesk("--home", str(clone), "sync", "--json", check=False)  # 1: its copies wait in quarantine
    later = json.loads(again.stdout)
    assert again.returncode == 1 and later["applied"] > 0 and later["rejected"] == []
    assert later["unsent"] == out["unsent"]
    listed = json.loads(loandesk("hub", "list", "applications", "--db", hub.db, "--json", "--branch", branch).stdout)
    assert len(listed) == 3  # the original's two and the clone's own one, nothing doubled


def test_413_a_body_or_an_inflated_push_over_the_limit(start_hub, fresh_db, branch):
    hub = start_hub(fresh_db, "--max-body", "20000")
    dev = hub.enrol(branch)
    big = dev.push(dev.op("application", ids.new_id(), {"site_notes": "走访" * 8000}))
    assert (big.status_code, big.json()["error"]) == (413, "too_large")
    bomb = gzip.compress(b'{"device": "' + b" " * 5_000_000 + b'"}')
    with hub.client(dev.token) as c:
        inflated = c.post("/v1/push", content=bomb, headers={"Content-Encoding": "gzip"})
    assert (inflated.status_code, inflated.json()["error"]) == (413, "too_large")
    assert dev.push(dev.op("application", ids.new_id(), {"site_notes": "走访"})).status_code == 200


def test_429_a_device_over_its_rate(start_hub, fresh_db, branch):
    hub = start_hub(fresh_db, "--rate", "1")
    dev = hub.enrol(branch)
    with hub.client(dev.token) as c:
        answers = [c.get("/v1/changes") for _ in range(25)]
    codes = {a.status_code for a in answers}
    assert codes == {200, 429}
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["error"] == "too_many"


def test_tls_with_a_certificate_and_key(start_hub, fresh_db, tmp_path):
    cert, key = _self_signed(tmp_path)
    hub = start_hub(fresh_db, "--certfile", str(cert), "--keyfile", str(key), scheme="https", verify=str(cert))
    with hub.client() as c:
        assert c.get("/v1/health").json()["status"] == "ok"
    with pytest.raises(httpx.ConnectError):
        httpx.get(hub.url + "/", verify=True)  # not a certificate the system trusts
    half = loandesk("hub", "serve", "--db", fresh_db, "--certfile", str(cert), check=False)
    assert half.returncode == 2 and "--keyfile" in half.stderr


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from loandesk.core import clock

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = clock.now() - dt.timedelta(days=1)
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))  # fmt: skip
    cert_path, key_path = folder / "hub.crt", folder / "hub.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def test_migrations_upgrade_an_old_database_and_refuse_a_newer_one(fresh_db):
    from sqlalchemy import insert, select

    from loandesk.hub import migrations
    from loandesk.hub.db import engine_for
    from loandesk.hub.schema import devices, schema_migrations

    engine = engine_for(fresh_db)
    with engine.begin() as conn:  # a database a first hub release left: step 1 only, with a device on it
        schema_migrations.create(conn)
        migrations.m001_initial(conn)
        conn.execute(schema_migrations.insert().values(version=1, name="initial", applied_at="2026-01-01"))
        conn.execute(insert(devices).values(id="dev-old-0001", branch="B1", enrolled_at="2026-01-01"))
    assert migrations.apply(engine) == migrations.LATEST == 5
    with engine.connect() as conn:
        assert conn.execute(select(devices.c.id)).scalars().all() == ["dev-old-0001"]
        assert [r[0] for r in conn.execute(select(schema_migrations.c.version))] == [1, 2, 3, 4, 5]
    assert migrations.apply(engine) == 5  # idempotent
    with engine.begin() as conn:
        conn.execute(schema_migrations.insert().values(version=99, name="future", applied_at="2027-01-01"))
    with pytest.raises(migrations.SchemaTooNew):
        migrations.apply(engine)
    engine.dispose()
    refused = loandesk("hub", "devices", "--db", fresh_db, check=False)
    assert refused.returncode == 2 and "schema version 99" in refused.stderr and "Traceback" not in refused.stderr
    bad = loandesk("hub", "devices", "--db", "mysql://x/y", check=False)
    assert bad.returncode == 2 and "unsupported" in bad.stderr


def test_personal_data_stored_in_clear_before_sealing_is_sealed_and_another_key_is_refused(fresh_db, tmp_path,
                                                                                            monkeypatch):
    from sqlalchemy import insert, select

    from loandesk.hub import migrations, sealing
    from loandesk.hub.db import engine_for
    from loandesk.hub.schema import records, schema_migrations
    from loandesk.hub.service import Hub

    engine = engine_for(fresh_db)
    with engine.begin() as conn:  # a database from before sealing, holding a phone number in clear
        schema_migrations.create(conn)
        for number, name, step in migrations.MIGRATIONS[:3]:
            step(conn)
            conn.execute(schema_migrations.insert().values(version=number, name=name, applied_at="2026-01-01"))
        conn.execute(insert(records).values(entity="enterprise", entity_id="e1", branch="B1", version=1,
                                            field_versions="{}", field_devices="{}", created_at="x", updated_at="x",
                                            data=json.dumps({"legal_rep_phone": "13912345678", "employees": 5})))
    engine.dispose()
    key_file = tmp_path / "hub.key"
    monkeypatch.setenv(sealing.ENV_KEY_FILE, str(key_file))
    hub = Hub.open(fresh_db)
    with hub.engine.connect() as conn:
        stored = conn.execute(select(records.c.data)).scalar()
    assert "13912345678" not in stored and '"employees": 5' in stored
    assert hub.list_records("enterprise")[0]["legal_rep_phone"] == "13912345678"
    hub.engine.dispose()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    key_file.write_text("ab" * 32, encoding="ascii")  # another hub's key
    refused = loandesk("hub", "devices", "--db", fresh_db, check=False,
                       env={sealing.ENV_KEY_FILE: str(key_file)})  # fmt: skip
    assert refused.returncode == 2 and "not this database's" in refused.stderr


def test_protocol_models_refuse_unknown_fields_and_hash_canonically():
    op = {"b": 1, "a": "信贷"}
    assert p.canonical_json(op) == '{"a":"信贷","b":1}'.encode()
    with pytest.raises(ValueError):
        p.EnrollRequest(code="ABCD-EFGH", device_id="device-0001", colour="red")
