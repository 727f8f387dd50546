"""HZ-POLICY: hz-* directives well-formed, as the fund's own rules need them (art. 27)."""

from __future__ import annotations

from hzledger.rules.base import ParsedProblemsRule


class PolicyRule(ParsedProblemsRule):
    """HZ-POLICY: hz-* directives well-formed, as the fund's own rules need them (art. 27)."""

    id = "HZ-POLICY"
    article = 27
    title_zh = "hz-* 指令格式"
    title_en = "hz-* directives well-formed"
