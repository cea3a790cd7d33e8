"""Record ids are RFC 9562 UUIDv7 text, written without the uuid module (kept off the GUI's start-up)."""

from __future__ import annotations

import uuid

from loandesk.core import ids


def test_new_ids_are_uuid7_in_the_usual_text_form():
    made = [ids.new_id() for _ in range(200)]
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text  # lowercase 8-4-4-4-12, exactly as str(UUID) writes it
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert len(set(made)) == len(made)
    stamps = [uuid.UUID(t).int >> 80 for t in made]
    assert stamps == sorted(stamps)  # time-ordered: newer records sort last
