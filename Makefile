# Two commands: `make run` and `make test`. Both set everything up on a
# machine that has only Python 3.11+.
PYTHON ?= python3
VENV := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PY := $(BIN)/python
STAMP := $(VENV)/.installed

export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint bench samples translations screenshots clean

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/receipt-assistant

lint: $(STAMP)
	$(BIN)/ruff check receipt_assistant tests benchmarks tools
	$(BIN)/lint-imports

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist loadgroup

translations: $(STAMP)
	$(PY) tools/translations.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tools/screenshots.py

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.retake
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.review

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench-out
