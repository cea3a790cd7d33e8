"""What a branch's set-up asks for, checked the same way by the first-run wizard, the settings dialog and
``loandesk settings set``: the bank and branch names printed on memos, the branch code used in reference
numbers, and the head-office hub's address (or none: offline only). Each refusal names the field."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from loandesk.core.i18n import pick

from .ids import valid_branch

NAME_MAX = 60
FIELDS: dict[str, tuple[str, str]] = {
    "bank_name": ("Bank name", "银行名称"),
    "branch_name": ("Branch name", "网点名称"),
    "branch": ("Branch code", "网点代码"),
    "hub_url": ("Hub address", "总行中心地址"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*")  # fmt: skip


class SetupError(ValueError):
    """A value refused, in both languages, starting with the field's name (``field``: its settings key)."""

    def __init__(self, field: str, en: str, zh: str):
        name_en, name_zh = FIELDS[field]
        self.field = field
        self.en, self.zh = f"{name_en}: {en}", f"{name_zh}：{zh}"
        super().__init__(self.en)

    def message(self, lang: str | None = None) -> str:
        return pick(self.en, self.zh, lang)


def check_name(field: str, value: str) -> str:
    """A bank or branch name as printed on memos: given, on one line, at most NAME_MAX characters."""
    text = (value or "").strip()
    if not text:
        raise SetupError(field, "type the name as it is printed on memos", "请填写报告上打印的名称")
    if _CONTROL.search(text):
        raise SetupError(field, "one line of text, without tabs or line breaks", "只能是一行文字，不能含制表符或换行")
    if len(text) > NAME_MAX:
        raise SetupError(field, f"at most {NAME_MAX} characters ({len(text)} typed)",
                         f"最多 {NAME_MAX} 个字（已输入 {len(text)} 个）")  # fmt: skip
    return text


def check_branch_code(value: str) -> str:
    code = (value or "").strip()
    if not valid_branch(code):
        raise SetupError("branch", "2-8 capital letters or digits, e.g. HZ01", "应为 2-8 位大写字母或数字，例如 HZ01")
    return code


def check_hub_url(value: str) -> str:
    """The hub's address as http(s)://HOST[:PORT][/path]; anything else is refused with the reason."""
    url = (value or "").strip()
    if not url:
        raise SetupError("hub_url", "type the address head office gave you, or choose offline only",
                         "请填写总行提供的地址，或选择仅离线使用")  # fmt: skip
    if re.search(r"\s", url) or _CONTROL.search(url):
        raise SetupError("hub_url", "an address has no spaces", "地址中不能有空格")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise SetupError(
            "hub_url", "give it as http://HOST:PORT or https://HOST", "应为 http://主机:端口 或 https://主机"
        )
    try:
        port = parts.port  # raises for a port that is not a number or out of range
    except ValueError:
        port = -1
    host = parts.hostname or ""
    if not host or not (_HOST.fullmatch(host) or _ipv6(host)) or port == 0 or port == -1:
        raise SetupError(
            "hub_url",
            f"{url!r} names no host (and port) a computer can reach, e.g. https://hub.example.cn:8800",
            f"“{url}”不是有效的主机地址，例如 https://hub.example.cn:8800",
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise SetupError("hub_url", "the address alone, without ?, # or a user name in it",
                         "只填地址本身，不含 ?、# 或用户名")  # fmt: skip
    return url.rstrip("/")


def _ipv6(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False
