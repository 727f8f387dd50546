"""The supervisors' read-only service (`hzledger serve`, articles 33–34).

`app` is the WSGI front (auth, GET/HEAD only, scopes, access log); `fava_app` builds one
read-only Fava per ledger with the compliance page; `fava_ext`/`compliance` compute
that page once per load; `users`/`auth` hold the argon2 users file; `ledgers` finds
ledgers and matches scopes; `scopes` checks them against the served ledgers;
`query_guard` bounds BQL queries and filters; `page_cache` keeps the rendered compliance
page per load; `server` sets waitress up for strangers. See docs/serve.md.
"""
