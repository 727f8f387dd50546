# hzledger: two commands do everything, from nothing but python3 and make.
#   make run   - virtualenv, install, check the demo ledgers, serve them for supervisors
#   make test  - virtualenv, install, the whole test suite
#   make dist  - sdist and wheel in dist/
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install lint typecheck bench bench-serve bench-overview dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p run
	@# Exit 1 is expected: ledgers/xicheng carries deliberate violations (see its README).
	$(BIN)/hzledger check ledgers/*/main.beancount; test $$? -le 1
	@echo "（xicheng 的问题是示例中有意设置的违规，见 ledgers/xicheng/README.md）"
	$(BIN)/hzledger serve ledgers --users run/users.toml --demo-user --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n 2 -q

lint: install
	$(BIN)/ruff check src plugins tests benchmarks
	$(BIN)/ruff format --check src plugins tests benchmarks
	$(BIN)/mypy

typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/check_overhead.py

bench-serve: install
	$(BIN)/python benchmarks/serve_load.py

bench-overview: install
	$(BIN)/python benchmarks/overview_bench.py

# sdist and wheel in dist/ (the version is hzledger.__version__; see CHANGELOG.md).
dist: install
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
