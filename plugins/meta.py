"""Only rule HZ-META as a Beancount plugin: `plugin "hzledger.plugins.meta"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("meta",)

meta = make_plugin([RULES_BY_ID["HZ-META"]])
