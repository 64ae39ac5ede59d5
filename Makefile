# Kwaliteitskompas workbook — two commands:
#   make report [GEMEENTE=GM0344]   set up, prepare data, build the HTML report
#   make test                       set up and run all tests (and the layer check): about 4 min on two quiet cores (673 tests)
#   make test-fast                  only the quick tests, while you work: about 40 s on two quiet cores (465 tests)
#   make training                   NJi training: Demoland prepared apart, JupyterLab on the training notebooks
#   make training-report            the report of a Demoland gemeente in the training folders (shows saved duiding)
#   make handout                    the training notebooks as HTML handouts (widget state and a static snapshot)
# Data source: KOMPAS_CBS_DIR=<folder> for a CBS snapshot; otherwise CBS online when reachable,
# otherwise the fictitious demo data (Demoland).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BRON   ?= auto

# Default gemeente: Utrecht with real CBS data, the demo gemeente with demo data.
ifeq ($(strip $(GEMEENTE)),)
GEMEENTE_ARG = $(shell $(BIN)/python -c "from kompas_lib.cli import default_gemeente; print(default_gemeente())" 2>/dev/null || echo GM0344)
else
GEMEENTE_ARG = $(GEMEENTE)
endif

.PHONY: setup report prepare test test-fast lint bench clean training training-data training-report handout

# Training runs on the fictitious Demoland, in folders of its own (real prepared data stay untouched);
# it needs no internet. Participants' saved work (duiding, verbeteracties, params fragments) goes to
# OEFENINGEN, a folder that no rebuild of the demo or the reports reaches (kompas_lib/presentation/exercises.py).
OEFENINGEN ?= $(CURDIR)/oefeningen
TRAINING_ENV := KOMPAS_PROCESSED_DIR=$(CURDIR)/data/processed/training KOMPAS_REPORTS_DIR=$(CURDIR)/reports/training \
	KOMPAS_OEFENINGEN_DIR=$(OEFENINGEN)
TRAINING_GEMEENTE = $(or $(GEMEENTE),GM9001)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

prepare: $(STAMP)
	$(BIN)/kompas prepare --bron $(BRON)

report: prepare
	$(BIN)/kompas run --bron $(BRON) --gemeente $(GEMEENTE_ARG)

# Two worker processes (pytest-xdist), one per core; a test file stays on one worker, and the prepared
# real snapshot and demo are made once and shared (tests/conftest.py).
XDIST = -n 2 --dist loadfile

test: lint
	$(BIN)/python -m pytest $(XDIST)

test-fast: lint
	$(BIN)/python -m pytest $(XDIST) -m "not slow"

# The layers of kompas_lib (pyproject.toml [tool.importlinter]): CI fails when one is broken.
lint: $(STAMP)
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/bench_prepare_run.py
	$(BIN)/python bench/bench_block1.py
	$(BIN)/python bench/bench_batch.py

training-data: $(STAMP)
	test -f data/processed/training/facts.parquet || $(TRAINING_ENV) $(BIN)/kompas prepare --bron demo

# JupyterLab without its news pop-up (offline there is no news): overrides.json in the venv's JupyterLab.
training: training-data
	$(BIN)/python -c "from kompas_lib.presentation.training import quiet_jupyterlab; quiet_jupyterlab()"
	$(TRAINING_ENV) $(BIN)/jupyter lab notebooks/training

# The report of a Demoland gemeente (default Waterveen) in the training folders, with the duiding and
# verbeteracties saved in the exercise (the params file written beside them, when there are any).
training-report: training-data
	$(TRAINING_ENV) $(BIN)/kompas run --bron demo --gemeente $(TRAINING_GEMEENTE) $$($(TRAINING_ENV) $(BIN)/python -c \
		"from kompas_lib.presentation.exercises import params_option; print(params_option('$(TRAINING_GEMEENTE)'))")

handout: training-data
	$(TRAINING_ENV) $(BIN)/kompas hand-out

clean:
	rm -rf data/processed/*.parquet data/processed/*.json data/processed/runs reports/*/ reports/index.*
