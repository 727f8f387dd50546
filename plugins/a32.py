"""Only rule HZ-A32 as a Beancount plugin: `plugin "hzledger.plugins.a32"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a32",)

a32 = make_plugin([RULES_BY_ID["HZ-A32"]])
