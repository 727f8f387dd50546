"""Only rule HZ-A26 as a Beancount plugin: `plugin "hzledger.plugins.a26"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a26",)

a26 = make_plugin([RULES_BY_ID["HZ-A26"]])
