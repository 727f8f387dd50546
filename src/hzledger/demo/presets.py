"""The three demonstration organisations committed under `ledgers/`.

`ledgers/` is generator output: `hzledger demo ledgers ledgers --force` rewrites it
byte for byte, and tests regenerate it to prove the committed files are current.
"""

from __future__ import annotations

from pathlib import Path

from hzledger.demo.generator import GenerationResult, generate
from hzledger.demo.plan import OrgConfig

PROVINCE = "示例省职工互助保障会"

DEMO_ORGS: dict[str, OrgConfig] = {
    "shiyan-sheng": OrgConfig(
        title=PROVINCE,
        city="示例省",
        level="province",
        parent="示例省总工会",
        filing_prefix="示工资备",
        transactions=1_500,
        projects=3,
        seed=2023,
    ),
    "dongcheng": OrgConfig(
        title="东城市职工互助保障会",
        city="东城",
        level="city",
        parent=PROVINCE,
        filing_prefix="东工资备",
        transactions=4_800,
        projects=4,
        seed=4101,
    ),
    "xicheng": OrgConfig(
        title="西城市职工互助保障会",
        city="西城",
        level="city",
        parent=PROVINCE,
        filing_prefix="西工资备",
        transactions=3_600,
        projects=3,
        seed=4102,
        violations=True,
    ),
}

INDEX = """# 演示账本 / demo ledgers

三个虚构的职工互助保障组织，按 LEDGER-SPEC.md 编制，覆盖 2023-01-01 至 2025-12-31：

| 目录 | 组织 | 级别 | 状态 |
|---|---|---|---|
| `shiyan-sheng/` | 示例省职工互助保障会 | 省级 | 合规（零发现） |
| `dongcheng/` | 东城市职工互助保障会 | 市级，上级为示例省职工互助保障会 | 合规（零发现） |
| `xicheng/` | 西城市职工互助保障会 | 市级，上级为示例省职工互助保障会 | 含刻意设置的违规事项，见 `xicheng/README.md` |

```
hzledger check ledgers/*/main.beancount
```

这些文件由生成器产生，请勿手工修改；重新生成：

```
hzledger demo ledgers ledgers --force
```
"""


def write_demo_ledgers(root: Path) -> dict[str, GenerationResult]:
    """Write every demo organisation under `root` (each into `root/<name>/`)."""
    root.mkdir(parents=True, exist_ok=True)
    results = {
        name: generate(config, root / name, name=f"ledgers/{name}")
        for name, config in DEMO_ORGS.items()
    }
    (root / "README.md").write_text(INDEX, encoding="utf-8", newline="\n")
    # Beancount's loader drops a pickle cache beside a ledger it loads; keep it out of git.
    (root / ".gitignore").write_text("*.picklecache\n", encoding="utf-8", newline="\n")
    return results
