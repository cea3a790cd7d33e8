"""The approval path: score and record a decision after seeing it, and the approver's own decision
(approve with a limit and conditions, or decline with a reason) with the approved memo. What the
GUI and the command line both call; the rules live in ``core.decisions``, the records in
``storage.approvals`` and ``storage.decisions``."""
