"""What a validator says about a value: errors block a save, warnings may be overridden."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .i18n import language
from .messages import CATALOGUE, FIELD_LABELS


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem with one field. ``code`` keys the message catalogue."""

    field: str
    level: Level
    code: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        lang = lang or language()
        from .redact import safe_value

        en, zh = CATALOGUE[self.code]
        text = zh if lang == "zh" else en
        params = dict(self.params)
        if "value" in params:  # what was typed, shown masked if it is (or looks like) personal data
            params["value"] = safe_value(self.field, params["value"])
        return text.format(**params)

    def describe(self, lang: str | None = None) -> str:
        """Field label and message, e.g. '统一社会信用代码：校验位应为 3'."""
        lang = lang or language()
        label = field_label(self.field, lang)
        sep = "：" if lang == "zh" else ": "
        return f"{label}{sep}{self.message(lang)}"

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR


def field_label(name: str, lang: str | None = None) -> str:
    lang = lang or language()
    en, zh = FIELD_LABELS.get(name, (name, name))
    return zh if lang == "zh" else en


def error(field_name: str, code: str, **params) -> Finding:
    return Finding(field_name, Level.ERROR, code, params)


def warning(field_name: str, code: str, **params) -> Finding:
    return Finding(field_name, Level.WARNING, code, params)


class ValidationFailed(Exception):
    """Raised when a save is refused; carries every finding so none is hidden."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(f.describe() for f in findings))
