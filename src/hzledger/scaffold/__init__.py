"""Scaffolding for an organisation's ledger repository: `hzledger init` and `hzledger new-project`.

Everything written here goes through `fsutil.FileBatch`, so a scaffold either lands whole or not
at all, and never overwrites a file the accountants already have.
"""

from __future__ import annotations

from hzledger.messages import BilingualError


class ScaffoldError(BilingualError):
    """A refusal the user can act on, in Chinese with its English twin."""
