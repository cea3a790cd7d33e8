"""The bank-adaptable memo template: shipped defaults merged with a bank's own file.

The shipped ``resources/memo/template.toml`` holds every heading, label and phrase in
Chinese and English. A bank puts its changes in ``<data home>/memo/template.toml``
(only the keys it changes); they are merged over the defaults, so a bank never has to
copy the whole file and a new label added in an update still has its default wording.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from loandesk.paths import resource

SECTIONS = (
    "summary", "borrower", "request", "sources", "site_visit", "financials",
    "scoring", "risks", "conclusion", "conditions", "attachments", "approval",
)  # fmt: skip


class TemplateError(ValueError):
    """A bank's template file that cannot be used, with the file and key that are wrong."""


@dataclass(frozen=True)
class MemoTemplate:
    data: dict
    base_dir: Path  # where a relative logo path is looked up

    def text(self, key: str, lang: str, **fields) -> str:
        entry = self.data["text"].get(key)
        if entry is None:
            raise KeyError(f"memo template has no text {key!r}")
        words = entry.get(lang) or entry.get("zh", "")
        return words.format(**fields) if fields else words

    def enum(self, kind: str, code: str | None, lang: str) -> str:
        if not code:
            return self.text("unknown", lang)
        entry = self.data.get("enums", {}).get(kind, {}).get(code)
        return entry.get(lang, code) if entry else code

    def bank(self, lang: str) -> str:
        return self.data["bank"]["name"][lang]

    def branch(self, lang: str) -> str:
        return self.data["bank"]["branch"][lang]

    def with_names(self, bank: str = "", branch: str = "") -> MemoTemplate:
        """The branch's own names (settings ``bank_name``, ``branch_name``: the first-run wizard, the settings
        dialog) over the template's, in every language: a proper name reads the same on either memo."""
        names = {key: {"zh": value, "en": value} for key, value in (("name", bank), ("branch", branch)) if value}
        if not names:
            return self
        return MemoTemplate(_merge(self.data, {"bank": names}), self.base_dir)

    @property
    def sections(self) -> list[str]:
        return list(self.data["sections"]["order"])

    @property
    def watermark(self) -> bool:
        return bool(self.data["page"].get("watermark", True))

    @property
    def page_size(self) -> str:
        return str(self.data["page"].get("size", "A4")).upper()

    @property
    def mask_name(self) -> bool:
        return bool(self.data.get("privacy", {}).get("mask_legal_rep_name", False))

    def conditions(self, lang: str) -> list[str]:
        return list(self.data.get("conditions", {}).get(lang, []))

    @property
    def logo_path(self) -> Path | None:
        logo = self.data["bank"].get("logo") or ""
        return (self.base_dir / logo) if logo else None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path}: not valid TOML: {exc}") from exc


def _check(data: dict, path: Path) -> None:
    unknown = [s for s in data.get("sections", {}).get("order", []) if s not in SECTIONS]
    if unknown:
        raise TemplateError(f"{path}: [sections] order names unknown sections {unknown}; known: {list(SECTIONS)}")
    for key, entry in data.get("text", {}).items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(lang), str) for lang in ("zh", "en")):
            raise TemplateError(f"{path}: [text] {key} needs both zh and en strings")
    if data.get("page", {}).get("size", "A4").upper() not in ("A4", "LETTER"):
        raise TemplateError(f"{path}: [page] size must be A4 or LETTER")
    logo = data.get("bank", {}).get("logo")
    if logo and not (path.parent / logo).is_file():
        raise TemplateError(f"{path}: [bank] logo {logo!r} is not a file next to the template")


def load_template(home: Path | None = None) -> MemoTemplate:
    """The shipped template, with ``<home>/memo/template.toml`` merged over it when present."""
    shipped = resource("memo", "template.toml")
    data, base_dir = _read(shipped), shipped.parent
    override = Path(home) / "memo" / "template.toml" if home else None
    if override and override.is_file():
        extra = _read(override)
        _check(extra, override)
        data = _merge(data, extra)
        if extra.get("bank", {}).get("logo"):
            base_dir = override.parent
    _check(data, base_dir / "template.toml")
    return MemoTemplate(data, base_dir)


def template_for(store) -> MemoTemplate:
    """The template of ``store``'s data home with the names its settings hold (see ``with_names``)."""
    return load_template(store.home).with_names(store.setting("bank_name") or "", store.setting("branch_name") or "")
