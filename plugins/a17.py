"""Only rule HZ-A17 as a Beancount plugin: `plugin "hzledger.plugins.a17"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a17",)

a17 = make_plugin([RULES_BY_ID["HZ-A17"]])
