"""hzledger: double-entry fund accounting and compliance checks for trade-union
workers' mutual-aid organisations (职工互助保障组织), per 《职工互助保障组织监督管理办法》 (2020).
"""

__version__ = "0.1.0"
