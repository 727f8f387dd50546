"""Only rule HZ-FUND as a Beancount plugin: `plugin "hzledger.plugins.fund"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("fund",)

fund = make_plugin([RULES_BY_ID["HZ-FUND"]])
