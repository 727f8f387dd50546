"""Only rule HZ-A28 as a Beancount plugin: `plugin "hzledger.plugins.a28"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a28",)

a28 = make_plugin([RULES_BY_ID["HZ-A28"]])
