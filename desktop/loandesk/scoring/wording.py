"""Filling a rule pack's advice texts ("{gap} more {gap:month|months} of operation").

A pack's ``fix_en`` / ``fix_zh`` may use ``{gap}`` (how far the applicant is from the rule) and
``{target}`` (the value to reach). A field written ``{gap:one|other}`` picks the singular when the
number is 1 and the plural otherwise, so a pack can say "1 more month" and "2 more months"; Chinese
needs no plural and simply writes "再经营 {gap} 个月". Packs written before this keep working: their
English "{gap} more months" is read as "{gap} more {gap:month|months}" for those words a pack uses
(see ``PLURAL_WORDS``), so an installed head-office pack stops saying "1 more months" too.
"""

from __future__ import annotations

import re
import string

FIELDS = ("gap", "target")
# Plural nouns that follow "{gap} more" / "{gap}" in packs written before {gap:one|other} existed.
PLURAL_WORDS = {"months": "month", "days": "day", "years": "year", "points": "point", "employees": "employee",
                "persons": "person", "staff members": "staff member"}  # fmt: skip
_OLD_PLURAL = re.compile(r"\{gap\}(\s+more)?\s+(" + "|".join(map(re.escape, PLURAL_WORDS)) + r")\b")


class _Formatter(string.Formatter):
    def format_field(self, value, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return one if _is_one(value) else other
        return super().format_field(value, format_spec)


def _is_one(value) -> bool:
    try:
        return float(value) == 1
    except (TypeError, ValueError):
        return False


_FORMATTER = _Formatter()


def _upgraded(template: str) -> str:
    """'{gap} more months' -> '{gap} more {gap:month|months}' (older packs' English)."""
    def plural(m: re.Match) -> str:
        word = m.group(2)
        return f"{{gap}}{m.group(1) or ''} {{gap:{PLURAL_WORDS[word]}|{word}}}"

    return _OLD_PLURAL.sub(plural, template)


def fill(template: str, **values) -> str:
    """The advice text with its fields filled; ``{gap:one|other}`` chosen by the number."""
    return _FORMATTER.format(_upgraded(template), **{name: values.get(name, "") for name in FIELDS})


def uses_gap(template: str) -> bool:
    return any(name == "gap" for _, name, _, _ in _FORMATTER.parse(template))


def template_problem(template: str) -> tuple[str, str] | None:
    """Why a pack's advice text cannot be filled (an unknown or malformed field), in English and
    Chinese, or None when it can: checked when a pack is loaded, not when a borrower is advised."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        return (f"cannot be filled in ({exc}): use {{gap}} or {{target}}, and {{{{ }}}} for a literal brace",
                f"无法填充（{exc}）：只能使用 {{gap}} 或 {{target}}，字面的花括号写作 {{{{ }}}}")
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            return (f"uses {{{name}}}: only {{gap}} and {{target}} can be filled in",
                    f"使用了 {{{name}}}：只能填充 {{gap}} 和 {{target}}")
        if spec and "|" not in spec:
            return (f"{{{name}:{spec}}} is not a plural form: write {{{name}:one|other}}",
                    f"{{{name}:{spec}}} 不是单复数形式：应写作 {{{name}:单数|复数}}")
    return None
