# meshsmith.istio: the two commands are `make demo` and `make test`; both build .venv first.
PYTHON ?= python3.11
VENV_PYTHON := .venv/bin/python
RUN_TESTS := $(VENV_PYTHON) scripts/run_tests.py

.DEFAULT_GOAL := help
.PHONY: help venv demo bench test test-oldest test-integration sanity units lint build docs clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

venv:  ## create or refresh .venv (pinned tools, kubesim, helm, kubernetes.core); instant when up to date
	@$(PYTHON) scripts/setup_venv.py

demo: venv  ## run the playbook against kubesim (or the cluster of KUBECONFIG), twice
	@$(VENV_PYTHON) scripts/demo.py $(DEMO_ARGS)

bench: venv  ## benchmarks against kubernetes.core.k8s on kubesim; writes docs/benchmarks.md (BENCH_ARGS=--quick: ~3 min)
	@$(VENV_PYTHON) benchmarks/run.py $(BENCH_ARGS)

test: venv  ## every test and gate; stops at the first failure and prints a timed summary
	@$(RUN_TESTS)

test-oldest: venv  ## integration tests on the oldest supported ansible-core (.venv-oldest)
	@$(RUN_TESTS) integration-oldest

test-integration: venv  ## integration tests (against KUBECONFIG when set, else kubesim)
	@$(RUN_TESTS) integration

sanity: venv  ## ansible-test sanity
	@$(RUN_TESTS) sanity

units: venv  ## ansible-test units
	@$(RUN_TESTS) units

lint: venv  ## static gates: ruff, mypy, changelog, docs, ansible-lint, build + galaxy-importer, EE
	@$(RUN_TESTS) layout ruff mypy changelog docs ansible-lint build ee

build: venv  ## build the collection artefact into .tmp/build
	@$(RUN_TESTS) build

docs: venv  ## documentation site (modules, roles, playbooks, design, benchmarks) into .tmp/docs/html
	@$(RUN_TESTS) docs
	@echo "open .tmp/docs/html/index.html"

clean:  ## remove generated files (keeps .venv)
	rm -rf .tmp tests/output .ansible collections .mypy_cache .ruff_cache
