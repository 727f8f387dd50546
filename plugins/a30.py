"""Only rule HZ-A30 as a Beancount plugin: `plugin "hzledger.plugins.a30"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a30",)

a30 = make_plugin([RULES_BY_ID["HZ-A30"]])
