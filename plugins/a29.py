"""Only rule HZ-A29 as a Beancount plugin: `plugin "hzledger.plugins.a29"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a29",)

a29 = make_plugin([RULES_BY_ID["HZ-A29"]])
