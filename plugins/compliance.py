"""Every hzledger rule as one Beancount plugin: `plugin "hzledger.plugins.compliance"`."""

from hzledger.plugin import make_plugin

__plugins__ = ("compliance",)

compliance = make_plugin()
