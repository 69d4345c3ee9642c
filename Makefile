# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-idle soak samples clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(VENV)/bin/syncd --config config/demo.toml import samples/
	$(VENV)/bin/syncd --config config/demo.toml activities
	$(VENV)/bin/syncd --config config/demo.toml digest --week 2024-W10

test: $(STAMP)
	$(VENV)/bin/ruff check syncd tests bench scripts
	$(PY) -m pytest -n 2 tests

lint: $(STAMP)
	$(VENV)/bin/ruff check syncd tests bench scripts

samples: $(STAMP)
	$(PY) scripts/make_samples.py samples/

# Benchmarks (not part of `make test`): the figures in the README come from these.
bench: $(STAMP)
	$(PY) bench/pull.py
	$(PY) bench/import_files.py
	$(PY) bench/classify.py
	$(PY) bench/digest.py

# `syncd run` pulling every minute while activities come, change and go (15 minutes).
soak: $(STAMP)
	$(PY) bench/soak.py 15

# Ten minutes of an idle `syncd run`: resident memory and CPU.
bench-idle: $(STAMP)
	$(PY) bench/idle.py 600

clean:
	rm -rf var .venv
