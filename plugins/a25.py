"""Only rule HZ-A25 as a Beancount plugin: `plugin "hzledger.plugins.a25"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a25",)

a25 = make_plugin([RULES_BY_ID["HZ-A25"]])
