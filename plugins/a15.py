"""Only rule HZ-A15 as a Beancount plugin: `plugin "hzledger.plugins.a15"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a15",)

a15 = make_plugin([RULES_BY_ID["HZ-A15"]])
