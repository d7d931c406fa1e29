# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOQT   := .venv-noqt

.PHONY: run test lint unit-noqt bench shot clean

$(STAMP): pyproject.toml scripts/debian-packages.txt scripts/system-deps.sh
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## Open the kiosk in a window with the bundled sample library (add ARGS="--kiosk" for kiosk mode).
run: $(STAMP)
	$(BIN)/kiosk run $(ARGS)

## Lint, type-check, layer contracts, the whole test suite, then the pure layers again without Qt.
test: lint $(STAMP)
	QT_QPA_PLATFORM=offscreen bash scripts/with-test-audio.sh $(BIN)/pytest -q $(PYTEST_ARGS)
	$(MAKE) --no-print-directory unit-noqt

lint: $(STAMP)
	$(BIN)/ruff check kiosk tests benchmarks
	$(BIN)/ruff format --check kiosk tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# DESIGN.md: content, packs and library must work on a machine with no Qt at all.
$(NOQT)/.installed: pyproject.toml
	$(PYTHON) -m venv $(NOQT)
	$(NOQT)/bin/python -m pip install -q --disable-pip-version-check "markdown-it-py>=3.0" "platformdirs>=4.0" "py-minisign>=0.21.1" "rapidfuzz>=3" "snowballstemmer>=2.2" "PyStemmer>=2.2" "pytest>=8.0" "textstat>=0.7.3,<0.7.4"
	touch $@

unit-noqt: $(NOQT)/.installed
	$(NOQT)/bin/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('PySide6') is not None)"
	$(NOQT)/bin/pytest -q -c tests/unit/pytest-noqt.ini --rootdir=. tests/unit

# Without PYTHONDONTWRITEBYTECODE (some sandboxes set it): an installed kiosk has its bytecode
# compiled, and compiling every module at every start would be measured otherwise.
bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen bash scripts/with-test-audio.sh $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) $(NOQT) .mypy_cache .ruff_cache .pytest_cache
