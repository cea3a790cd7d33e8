"""Pure domain: models, validators, SME sizing, ids. No Qt, no SQL."""
