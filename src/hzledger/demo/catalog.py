"""The fixed vocabulary of the demo organisations: project lines, employers, staff.

Everything here is fictional. Names are built from short word lists so that an
organisation of any size gets plausible, distinct counterparties without a
name list that grows with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """One kind of protection plan the organisation runs, renewed every `term` years."""

    prefix: str  # fund code prefix; the instance code appends the two-digit start year
    name: str  # 计划名称, the instance adds its years
    short: str  # used in narrations
    term: int  # cover term in years (art. 15: 一般不超过三年)
    rate: int  # dues per member per year, CNY
    claim_low: int  # benefit per paid claim, CNY
    claim_high: int
    service_kind: str  # the art. 25(二) activity this project funds
    service_account: str  # account leaf under 5101业务活动成本
    service_label: str  # narration of that activity


PROJECT_LINES: tuple[ProjectLine, ...] = (
    ProjectLine(
        "ZJ",
        "在职职工重大疾病互助保障计划",
        "重大疾病",
        3,
        60,
        5000,
        30000,
        "health",
        "J健康管理",
        "职工健康体检与健康讲座",
    ),
    ProjectLine(
        "ZY",
        "在职职工住院医疗互助保障计划",
        "住院医疗",
        1,
        110,
        300,
        3000,
        "relief",
        "W困难职工慰问",
        "困难职工救助慰问",
    ),
    ProjectLine(
        "YW",
        "职工意外伤害互助保障计划",
        "意外伤害",
        1,
        30,
        500,
        10000,
        "publicity",
        "A安全宣传培训",
        "安全生产宣传培训",
    ),
    ProjectLine(
        "NG",
        "女职工安康互助保障计划",
        "女职工安康",
        1,
        40,
        5000,
        30000,
        "health",
        "J两癌筛查",
        "女职工“两癌”筛查",
    ),
    ProjectLine(
        "ZN",
        "职工子女住院医疗互助保障计划",
        "子女住院",
        1,
        50,
        500,
        5000,
        "culture",
        "T亲子文体活动",
        "职工亲子文体活动",
    ),
    ProjectLine(
        "TX",
        "退休职工住院医疗互助保障计划",
        "退休职工住院",
        1,
        150,
        800,
        8000,
        "relief",
        "W困难职工慰问",
        "退休困难职工慰问",
    ),
    ProjectLine(
        "MT",
        "门诊特殊病种互助保障计划",
        "门诊特殊病种",
        1,
        80,
        300,
        3000,
        "member-service",
        "H会员服务",
        "会员服务站点运营",
    ),
    ProjectLine(
        "GS",
        "职工工伤补充互助保障计划",
        "工伤补充",
        1,
        25,
        2000,
        20000,
        "legal",
        "F法律援助",
        "职工工伤维权法律援助",
    ),
)

MAX_PROJECT_LINES = 20


def project_line(index: int) -> ProjectLine:
    """The index-th project line; beyond the named ones, generic one-year plans."""
    if index < len(PROJECT_LINES):
        return PROJECT_LINES[index]
    n = index + 1
    return ProjectLine(
        f"Q{n:02d}X",
        f"专项互助保障计划（{n}号）",
        f"专项{n}号",
        1,
        45,
        800,
        9000,
        "member-service",
        "H会员服务",
        "会员服务活动",
    )


_EMPLOYER_HEADS = (
    "机床",
    "纺织",
    "建工",
    "电力",
    "自来水",
    "公交",
    "钢铁",
    "化工",
    "港务",
    "燃气",
    "卷烟",
    "食品",
    "汽车",
    "地铁运营",
    "邮政",
    "供电",
    "热力",
    "环卫",
    "医药",
    "粮油",
    "印刷",
    "建材",
    "电子",
    "物流",
    "酒店",
    "百货",
    "水务",
    "轨道交通",
    "城建",
    "通信",
)
_EMPLOYER_TAILS = (
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "总厂",
    "分公司",
    "工会委员会",
)
_INSTITUTIONS = (
    "第一人民医院",
    "第二人民医院",
    "中医院",
    "妇幼保健院",
    "实验中学",
    "第一中学",
    "职业技术学院",
    "市政工程处",
    "园林绿化管理处",
    "供销合作社",
    "疾病预防控制中心",
    "图书馆",
    "体育中心",
    "广播电视台",
    "住房公积金管理中心",
)


def employer(city: str, index: int) -> str:
    """A distinct fictional employer of the city, stable per index."""
    heads, tails, inst = len(_EMPLOYER_HEADS), len(_EMPLOYER_TAILS), len(_INSTITUTIONS)
    companies = heads * tails
    if index % 5 == 4:  # every fifth counterparty is a public institution
        i = index // 5
        name = f"{city}{_INSTITUTIONS[i % inst]}"
        return name if i < inst else f"{name}（第{i // inst + 1}分院）"
    i = index - index // 5
    name = f"{city}{_EMPLOYER_HEADS[i % heads]}{_EMPLOYER_TAILS[(i // heads) % tails]}"
    return name if i < companies else f"{name}第{i // companies + 1}分部"


PREPARERS = ("赵敏", "孙丽", "李娜", "吴婷")  # 会计、出纳、经办
APPROVERS = ("钱伟", "周强")  # 负责人、分管副会长
DIRECTOR = "钱伟"
