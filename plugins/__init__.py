"""Beancount plugins of hzledger, installed as `hzledger.plugins`.

`plugin "hzledger.plugins.compliance"` runs every rule; each rule is also its own
plugin (`hzledger.plugins.a24`, `hzledger.plugins.fund`, ...) for ledgers that
want only some of them.
"""
