"""The organisation's paperwork: main.beancount header, minutes, reports, README.

Minutes and reports are short Markdown placeholders (not fake PDFs) so that every
`document:`/`report:`/`actuarial:` path in the ledger names a real file.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hzledger.demo import render as r
from hzledger.demo.plan import Instance, OrgConfig, Plan
from hzledger.findings import article_zh

if TYPE_CHECKING:
    from hzledger.demo.generator import GenerationResult

# Stored queries (Fava "Query" page and `bean-query`): the supervisors' common questions.
QUERIES: tuple[tuple[str, str], ...] = (
    (
        "各项目会费收入与参保人次（按年）",
        "SELECT year, splitcomp(account, ':', 1) AS fund, neg(sum(position)) AS dues, "
        "sum(int(entry_meta('members'))) AS members "
        "WHERE open_meta(account, 'kind') = 'dues' GROUP BY year, fund ORDER BY year, fund",
    ),
    (
        "各项目互助金给付与案件数（按年）",
        "SELECT year, splitcomp(account, ':', 1) AS fund, sum(position) AS benefits, "
        "sum(int(entry_meta('claims'))) AS claims "
        "WHERE open_meta(account, 'kind') = 'benefit' GROUP BY year, fund ORDER BY year, fund",
    ),
    (
        "大额银行支出（单笔 50 万元及以上，含本基金内划转）",
        "SELECT date, splitcomp(account, ':', 1) AS fund, narration, position, links "
        "WHERE open_meta(account, 'kind') IN ('bank', 'cash') AND number <= -500000 "
        "ORDER BY date",
    ),
    (
        "基金往来余额",
        "SELECT account, sum(position) AS balance "
        "WHERE open_meta(account, 'kind') = 'interfund' GROUP BY account ORDER BY account",
    ),
    (
        "集体决策关联的资金使用",
        "SELECT date, links, narration, account, position "
        "WHERE 'collective-decision' IN tags AND number < 0 ORDER BY date",
    ),
    (
        "管理费用支出（按年、按科目）",
        "SELECT year, account, sum(position) AS spent "
        "WHERE open_meta(account, 'kind') IN ('admin', 'payroll', 'office') "
        "GROUP BY year, account ORDER BY year, account",
    ),
    (
        "银行存款余额（按账户）",
        "SELECT account, sum(position) AS balance "
        "WHERE open_meta(account, 'kind') IN ('bank', 'term-deposit') "
        "GROUP BY account ORDER BY account",
    ),
)


class DocumentWriter:
    """Writes the demo organisation's documents beside its ledger."""

    def __init__(self, root: Path, config: OrgConfig) -> None:
        self.root = root
        self.config = config

    def _write(self, rel: str, text: str) -> str:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return rel

    # -- main.beancount ------------------------------------------------------------------

    def main_header(self, plan: Plan) -> str:
        cfg = self.config
        d0 = datetime.date(cfg.start_year - 1, 11, 1)
        s = cfg.ledger_start
        lines = [
            f"; {cfg.title}：hzledger 演示账本，按 LEDGER-SPEC.md 编制。",
            f"; 由 `hzledger demo generate` 生成（种子 {cfg.seed}，{cfg.transactions} 笔交易"
            + ("，含刻意设置的违规事项，见 README.md" if cfg.violations else "")
            + "）。",
            f'option "title" {r.quote(cfg.title)}',
            'option "operating_currency" "CNY"',
            'option "documents" "documents"',
            'plugin "hzledger.plugins.compliance"',
            "",
            "; Fava 界面选项：中文界面、中文数字格式。",
            f'{s} custom "fava-option" "language" "zh"',
            f'{s} custom "fava-option" "locale" "zh_CN"',
            f'{s} custom "fava-option" "invert-income-liabilities-equity" "true"',
            f'{s} custom "fava-option" "sidebar-show-queries" "{len(QUERIES)}"',
            "",
            r.custom(
                d0,
                "hz-org",
                [r.quote(cfg.title)],
                [("level", r.quote(cfg.level))]
                + ([("parent", r.quote(cfg.parent))] if cfg.parent else []),
            ).rstrip("\n"),
            "",
            "; 资金使用政策：50 万元及以上为大额（须集体决策），5 万元及以上须审批人。",
            f'{s} custom "hz-policy" "large-amount" 500000 CNY',
            f'{s} custom "hz-policy" "approval-amount" 50000 CNY',
            "",
            f"{d0} commodity CNY",
        ]
        for inst in plan.instances:
            if inst.bond:
                lines += [
                    f"{inst.declared} commodity {inst.bond}",
                    '  kind: "treasury-bond"',
                    f'  name: "{inst.start.year}年记账式附息国债（{inst.bond}）"',
                ]
        lines += ["", "; 常用查询（Fava“查询”页）。"]
        for name, bql in QUERIES:
            lines.append(f"{s} query {r.quote(name)} {r.quote(bql)}")
        lines += ["", 'include "funds/ZH.beancount"']
        lines += [f'include "{inst.file}"' for inst in plan.instances]
        lines += ['include "decisions.beancount"', 'include "audits.beancount"']
        return "\n".join(lines) + "\n"

    # -- documents -----------------------------------------------------------------------

    def minutes(
        self, ident: str, meeting: datetime.date, title: str, limit_cents: int | None
    ) -> str:
        limit = (
            f"授权金额不超过人民币 {limit_cents // 100:,} 元，由秘书处按程序办理并在下次会议报告。"
            if limit_cents is not None
            else "预算经主管工会审核后备案执行（第二十六条）。"
        )
        text = (
            f"# {self.config.title}理事会会议纪要（{ident}）\n\n"
            f"- 时间：{meeting:%Y年%m月%d日}\n"
            "- 地点：本会第一会议室\n"
            "- 出席：理事 9 人（应到 11 人，超过三分之二），监事 2 人列席\n\n"
            f"## 议题\n\n{title}\n\n"
            f"## 决议\n\n经集体讨论，同意上述事项。{limit}\n\n"
            "表决结果：同意 9 票，反对 0 票，弃权 0 票。\n\n"
            "（演示数据：本纪要为 hzledger 演示账本生成的占位文件。）\n"
        )
        return self._write(f"documents/decisions/{ident}-理事会纪要.md", text)

    def actuarial(self, inst: Instance) -> str:
        line = inst.line
        text = (
            f"# {inst.title} 精算测算报告（摘要）\n\n"
            f"- 保障期间：{inst.start} 至 {inst.end}（{line.term} 年）\n"
            f"- 会费标准：每人每年 {line.rate} 元\n"
            f"- 单案给付区间：{line.claim_low:,}—{line.claim_high:,} 元\n"
            "- 预期赔付率：70%—75%，管理费用率不超过 5%\n"
            f"- 备案：{inst.filing}（{inst.filed}）\n\n"
            "（演示数据：本报告为 hzledger 演示账本生成的占位文件。）\n"
        )
        return self._write(f"documents/actuarial/{inst.code}-测算报告.md", text)

    def audit_report(self, year: int, kind: str, date: datetime.date) -> str:
        who = "本会稽核小组" if kind == "internal" else "示例会计师事务所（特殊普通合伙）"
        name = "内部稽核报告" if kind == "internal" else "年度审计报告"
        text = (
            f"# {self.config.title} {year} 年度{name}\n\n"
            f"- 出具单位：{who}\n- 出具日期：{date:%Y年%m月%d日}\n\n"
            "## 结论\n\n会计核算基本符合《民间非营利组织会计制度》和《职工互助保障组织监督管理办法》"
            "的规定，各保障项目单独核算。\n\n"
            "（演示数据：本报告为 hzledger 演示账本生成的占位文件。）\n"
        )
        return self._write(f"documents/audits/{year}-{name}.md", text)

    # -- README --------------------------------------------------------------------------

    def readme(self, plan: Plan, result: GenerationResult, name: str) -> None:
        cfg = self.config
        years = f"{cfg.start_year}—{cfg.start_year + cfg.years - 1}"
        level = "省级" if cfg.level == "province" else "市级"
        lines = [
            f"# {cfg.title}（演示账本）",
            "",
            f"{level}职工互助保障组织，{years} 年度账簿"
            + (f"，上级：{cfg.parent}" if cfg.parent else "")
            + "。"
            f"由 `hzledger demo generate` 按种子 {cfg.seed} 生成，内容均为虚构。",
            "",
            "```",
            f"hzledger check {name}/main.beancount",
            "```",
            "",
            "## 基金与项目",
            "",
            "| 代码 | 名称 | 保障期 | 备案 |",
            "|---|---|---|---|",
            "| ZH | 综合管理基金 | — | — |",
        ]
        lines += [
            f"| {i.code} | {i.title} | {i.start} 至 {i.end} | {i.filing} |" for i in plan.instances
        ]
        lines += [
            "",
            "## 规模",
            "",
            f"- 交易 {result.transactions:,} 笔，集体决策 {result.decisions} 项",
            f"- 会费收入 {result.dues_cents / 100:,.2f} 元，参保 {result.members:,} 人次",
            f"- 互助金给付 {result.benefit_cents / 100:,.2f} 元，{result.claims:,} 人次",
            "",
        ]
        if result.violations:
            lines += [
                "## 刻意设置的违规事项（供监管演示）",
                "",
                "| 位置 | 规则 | 条款 | 事项 |",
                "|---|---|---|---|",
            ]
            for v in sorted(result.violations, key=lambda v: (not v.line, v.file, v.line)):
                where = f"`{v.file}:{v.line}`" if v.line else f"`{v.file}`（缺失）"
                articles = "、".join(_article(rule) for rule in v.rules)
                lines.append(f"| {where} | {'、'.join(v.rules) or '—'} | {articles} | {v.what} |")
            lines += [
                "",
                "HZ-A32 的发现定位在该年度最后一笔交易上（缺的是一条登记，没有行号可指）。",
                "",
            ]
        else:
            lines += [
                "## 合规状态",
                "",
                "本账本应无任何发现（`hzledger check` 零错误、零警告）。",
                "",
            ]
        self._write("README.md", "\n".join(lines))


def _article(rule: str) -> str:
    number = rule.removeprefix("HZ-A")
    return article_zh(int(number)) if number.isdigit() else "—"
