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

.PHONY: run test lint bench samples clean

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/receipt-assistant doctor
	$(BIN)/receipt-assistant check resources/samples/*.png resources/samples/*.jpg resources/samples/*.pdf; \
	  code=$$?; [ $$code -le 1 ] || exit $$code

lint: $(STAMP)
	$(BIN)/ruff check receipt_assistant tests benchmarks
	$(BIN)/lint-imports

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist loadgroup

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench-out
