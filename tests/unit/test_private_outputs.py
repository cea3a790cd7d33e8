"""What Loan Desk writes is owner-only and whole: outputs 0600, attachments/ 0700, nothing half-written."""

from __future__ import annotations

import stat

import pytest

from loandesk.core.intake import validate_intake
from loandesk.lists.output import OutputError, check_output, private_output, write_private
from loandesk.storage.attachments import add_attachment, read_attachment


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "scored.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), private_output(target) as tmp:
        tmp.write_text("half of it")
        (tmp.parent / (tmp.name + ".part")).write_text("a writer's own temporary")
        raise RuntimeError("disk full")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["scored.csv"]


def test_a_finished_write_is_owner_only_even_over_a_readable_file(tmp_path):
    target = tmp_path / "memo.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"%PDF new")
    assert target.read_bytes() == b"%PDF new" and mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memo.pdf"]


def test_outputs_are_checked_before_any_work(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("x")
    for bad, words in ((tmp_path / "no" / "o.csv", "does not exist"), (tmp_path, "is a folder"),
                       (tmp_path / "o.txt", "must end in .csv or .xlsx"), (src, "is the input file")):  # fmt: skip
        with pytest.raises(OutputError) as err:
            check_output(bad, suffixes=(".csv", ".xlsx"), not_same_as=src)
        assert words in err.value.message("en")
    assert check_output(tmp_path / "o.xlsx", suffixes=(".csv", ".xlsx")) == tmp_path / "o.xlsx"


def test_attachments_folder_and_files_are_owner_only(store, tmp_path, intake):
    scan = tmp_path / "licence.png"
    scan.write_bytes(b"\x89PNG scan of a licence")
    _, app = store.save_intake(validate_intake(intake).values)
    row = add_attachment(store, app.id, "business_licence", scan)
    top = store.home / "attachments"
    blob = top / row["sha256"][:2] / row["sha256"]
    assert mode(top) == 0o700 and mode(blob.parent) == 0o700 and mode(blob) == 0o600
    assert read_attachment(store, row["id"]) == scan.read_bytes()
    assert [p.name for p in blob.parent.iterdir()] == [blob.name]  # no temporary file left
