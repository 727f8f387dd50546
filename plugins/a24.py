"""Only rule HZ-A24 as a Beancount plugin: `plugin "hzledger.plugins.a24"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a24",)

a24 = make_plugin([RULES_BY_ID["HZ-A24"]])
