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

# The frozen app is built in a virtual environment of its own, holding the
# project's wheel (not the checkout) and PyInstaller.
DIST_VENV := .venv-dist
ifeq ($(OS),Windows_NT)
DIST_BIN := $(DIST_VENV)/Scripts
else
DIST_BIN := $(DIST_VENV)/bin
endif
DIST_PY := $(DIST_BIN)/python

.PHONY: run test lint bench samples translations screenshots dist dist-check installer clean

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/receipt-assistant

lint: $(STAMP)
	$(BIN)/ruff check receipt_assistant tests benchmarks tools packaging
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

# The one-folder app for this OS in dist/receipt-assistant (and the macOS .app).
dist: $(STAMP)
	rm -rf build/wheel
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir build/wheel .
	test -x $(DIST_PY) || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_PY) -m pip install --quiet --upgrade pip
	$(DIST_PY) -m pip install --quiet build/wheel/*.whl 'pyinstaller>=6.10'
	$(DIST_PY) -m pip install --quiet --force-reinstall --no-deps build/wheel/*.whl
	$(PY) tools/icons.py build/icons
	cd build && ../$(DIST_BIN)/pyinstaller --noconfirm --clean --log-level ERROR --distpath ../dist \
		--workpath pyinstaller ../packaging/receipt-assistant.spec
	$(PY) tools/package.py size dist/receipt-assistant

# The frozen app run as a customer and a staff member would run it.
dist-check:
	$(PY) tools/dist_check.py dist/receipt-assistant

# What customers download: the Windows installer, the macOS disk image or the Linux tarball.
installer:
	$(PY) tools/package.py installer dist/receipt-assistant

clean:
	rm -rf $(VENV) $(DIST_VENV) .pytest_cache .ruff_cache bench-out build dist
