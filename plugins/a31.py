"""Only rule HZ-A31 as a Beancount plugin: `plugin "hzledger.plugins.a31"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("a31",)

a31 = make_plugin([RULES_BY_ID["HZ-A31"]])
