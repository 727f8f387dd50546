"""Only rule HZ-KIND as a Beancount plugin: `plugin "hzledger.plugins.kind"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("kind",)

kind = make_plugin([RULES_BY_ID["HZ-KIND"]])
