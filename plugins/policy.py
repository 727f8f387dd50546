"""Only rule HZ-POLICY as a Beancount plugin: `plugin "hzledger.plugins.policy"`."""

from hzledger.plugin import make_plugin
from hzledger.rules import RULES_BY_ID

__plugins__ = ("policy",)

policy = make_plugin([RULES_BY_ID["HZ-POLICY"]])
