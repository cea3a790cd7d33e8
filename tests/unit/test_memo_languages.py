"""One memo number per decision: the other language is a rendition of the same memo (same number, its own
hashes), never a replacement and never a new number."""

from __future__ import annotations

import pytest
from memo_support import add_decision, approve, confirm_override, make_store, pdf_text, squash, write_pdf

from loandesk.memo import service
from loandesk.storage import memos as repo

NOTES = "走访企业生产车间，设备运转正常，库存与账面基本一致。"


@pytest.fixture
def scored(tmp_path):
    store, app_ids = make_store(tmp_path, count=2)
    for a in app_ids:
        store.db.execute("UPDATE applications SET site_notes = ?, officer = '李明' WHERE id = ?", (NOTES, a))
        add_decision(store, a)
    yield store, app_ids[0], tmp_path
    store.close()


def _out(store, app_id, lang, tmp_path):
    row, new = service.memo_for_output(store, app_id, lang)
    return row, new, write_pdf(store, row["id"], tmp_path / f"{row['id']}-{new}.pdf")


def test_zh_then_en_then_zh_gives_two_renditions_of_one_memo_that_both_verify(scored):
    store, app_id, tmp_path = scored
    zh, new_zh, zh_pdf = _out(store, app_id, "zh", tmp_path)
    en, new_en, en_pdf = _out(store, app_id, "en", tmp_path)
    again, new_again, _ = _out(store, app_id, "zh", tmp_path)
    assert (new_zh, new_en, new_again) == (True, True, False)
    assert again["id"] == zh["id"]
    # one memo number, two renditions, each with its own content and file hash
    assert en["memo_no"] == zh["memo_no"] and en["version"] == zh["version"] == 1
    assert en["content_sha256"] != zh["content_sha256"] and en["file_sha256"] != zh["file_sha256"]
    history = repo.memos_for(store, app_id)
    assert len(history) == 2 and {h["lang"] for h in history} == {"zh", "en"}
    assert {h["memo_no"] for h in history} == {zh["memo_no"]}
    assert all(h["status"] == "issued" and h["version"] == 1 for h in history)
    assert en["supersedes"] is None and en["decision_id"] == zh["decision_id"]
    for path, row in ((zh_pdf, zh), (en_pdf, en)):
        result = service.verify_file(store, path)
        assert result.ok and result.memo["id"] == row["id"]
    # the English rendition says it is the same memo as the Chinese one, and carries the same memo date
    text = squash(pdf_text(en_pdf))
    assert f"MemoNo.{zh['memo_no']}" in text and "samememo,samenumber" in text
    zh_content, en_content = (service.stored_content(store, r["id"]) for r in (zh, en))
    assert en_content["issued_on"] == zh_content["issued_on"] and en_content["rendition_of"] == "zh"
    assert en_content["basis"]["facts_sha256"] == zh_content["basis"]["facts_sha256"]
    assert store.application(app_id).stage == "memo_issued"


def test_an_approved_memo_stays_approved_and_its_rendition_carries_the_approval(scored):
    store, app_id, tmp_path = scored
    approved = approve(store, app_id, "王审批")
    zh_pdf = write_pdf(store, approved["id"], tmp_path / "approved.pdf")
    assert store.application(app_id).stage == "approved"

    en, new, en_pdf = _out(store, app_id, "en", tmp_path)
    assert new and en["status"] == "approved" and en["approved_by"] == "王审批"
    assert en["memo_no"] == approved["memo_no"]
    assert en["approved_at"] == approved["approved_at"] and en["version"] == approved["version"]
    assert repo.memo(store, approved["id"])["status"] == "approved"  # not superseded
    assert store.application(app_id).stage == "approved"  # not sent back to memo_issued
    assert service.verify_file(store, zh_pdf).ok  # the signed printout still verifies
    assert service.verify_file(store, en_pdf).ok
    text = squash(pdf_text(en_pdf))
    assert "DRAFT" not in text and "Approvedby王审批" in text and "signedontheChineserendition" in text
    # asking for either language again hands out the same two renditions
    assert service.memo_for_output(store, app_id, "zh") == (repo.memo(store, approved["id"]), False)
    assert service.memo_for_output(store, app_id, "en")[0]["id"] == en["id"]


def test_an_approved_memo_is_replaced_only_on_purpose(scored):
    store, app_id, _ = scored
    approved = approve(store, app_id, "王审批")
    with pytest.raises(service.MemoError, match="--reissue"):
        service.issue_memo(store, app_id, "zh", conclusion="再次走访，情况正常。")
    assert repo.memo(store, approved["id"])["status"] == "approved"
    again = service.issue_memo(store, app_id, "en", reissue=True)  # explicit: a new version
    assert again["version"] == 2 and repo.memo(store, approved["id"])["status"] == "superseded"
    assert again["memo_no"] == approved["memo_no"]  # the same decision: a new version of the same memo
    # the approver's decision still stands: the new version is approved too, and so is the application
    assert again["status"] == "approved" and again["approved_by"] == "王审批"
    assert store.application(app_id).stage == "approved"
    assert service.memo_for_output(store, app_id, "zh")[0]["version"] == 2  # the copy of the new version


def test_a_copy_is_not_approved_when_the_application_changed_after_approval(scored):
    store, app_id, _ = scored
    approved = approve(store, app_id, "王审批")
    store.db.execute("UPDATE applications SET purpose = '购置设备' WHERE id = ?", (app_id,))
    with pytest.raises(service.MemoError, match="--reissue"):
        service.memo_for_output(store, app_id, "en")
    assert [m["id"] for m in repo.memos_for(store, app_id)] == [approved["id"]]
    assert repo.memo(store, approved["id"])["status"] == "approved"


def test_a_draft_copy_of_changed_data_is_a_new_version_instead(scored):
    store, app_id, _ = scored
    first, _ = service.memo_for_output(store, app_id, "zh")
    store.db.execute("UPDATE applications SET purpose = '购置设备' WHERE id = ?", (app_id,))
    en, new = service.memo_for_output(store, app_id, "en")
    assert new and en["version"] == 2 and repo.memo(store, first["id"])["status"] == "superseded"


def test_a_new_decision_supersedes_both_languages(scored):
    store, app_id, tmp_path = scored
    zh, _ = service.memo_for_output(store, app_id, "zh")
    en, _ = service.memo_for_output(store, app_id, "en")
    add_decision(store, app_id, "refer")
    assert app_id in service.pending_application_ids(store)
    fresh, new = service.memo_for_output(store, app_id, "en")
    assert new and fresh["version"] == 2
    assert {repo.memo(store, r["id"])["status"] for r in (zh, en)} == {"superseded"}
    assert fresh["memo_no"] != zh["memo_no"]  # a new decision: a new memo number
    assert repo.superseded_by(store, zh["id"])["memo_no"] == fresh["memo_no"]
    text = squash(pdf_text(write_pdf(store, fresh["id"], tmp_path / "v2.pdf")))
    assert f"{zh['memo_no']}v1" in text  # "supersedes M-... v1" (both renditions of it)


def test_a_confirmed_override_makes_the_memo_on_file_stale(scored):
    store, app_id, _ = scored
    before, _ = service.memo_for_output(store, app_id, "zh")
    assert app_id not in service.pending_application_ids(store)
    confirm_override(store, app_id, "refer")
    assert app_id in service.pending_application_ids(store)
    after, new = service.memo_for_output(store, app_id, "zh")
    assert new and after["version"] == 2 and after["decision_id"] == before["decision_id"]
    assert after["memo_no"] != before["memo_no"]  # a confirmed override is a new decision: a new number
    assert app_id not in service.pending_application_ids(store)


def test_one_number_per_decision_across_versions_and_languages(scored):
    store, app_id, _ = scored
    draft, _ = service.memo_for_output(store, app_id, "zh")
    draft_en, _ = service.memo_for_output(store, app_id, "en")
    approved = approve(store, app_id, "王审批")  # the approver approves the decision as it is
    approved_en, _ = service.memo_for_output(store, app_id, "en")
    assert {draft["memo_no"], draft_en["memo_no"], approved["memo_no"], approved_en["memo_no"]} == {draft["memo_no"]}
    assert (approved["version"], approved_en["version"]) == (2, 2)
    add_decision(store, app_id, "refer")  # a rescore: a new decision, a new number
    rescored, _ = service.memo_for_output(store, app_id, "zh")
    assert rescored["memo_no"] != draft["memo_no"] and rescored["version"] == 3
    forced = service.issue_memo(store, app_id, "zh", reissue=True, new_number=True)  # e.g. an approver's new decision
    assert forced["memo_no"] not in (draft["memo_no"], rescored["memo_no"])
