"""Beancount plugins of hzledger, installed as `hzledger.plugins`.

`plugin "hzledger.plugins.compliance"` runs every rule; its configuration string
chooses some (`plugin "hzledger.plugins.compliance" "HZ-A28 HZ-A29"`). The per-rule
modules (`hzledger.plugins.a24`, `hzledger.plugins.fund`, ...) remain for ledgers
that already name them.
"""
