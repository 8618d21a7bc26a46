# Neural Networks for the Subsurface: build the book, run the tests.
#   make book     set up .venv (first time) and build the HTML into _build/html
#   make test     unit tests + strict nbval over book/ (default and a second BLAS
#                 kernel, REPLAY_CORETYPE) + the -W book build + the browser test
#   make execute  re-run every chapter in place, storing outputs (never widget state)
#   make bench    geonn against scikit-learn / PyTorch (not part of make test)
#   make seeds    re-run the seed studies (each chapter once per seed, tools/seeds.py)
#                 into data/ch*_seeds.csv; the same seeds write the same bytes

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed
# the second OpenBLAS kernel that `make test` replays every chapter under
REPLAY_CORETYPE ?= SandyBridge

# One thread and no tqdm redraw noise: outputs must not depend on the machine.
# PJRT_NPROC sizes the CPU thread pools of JAX's compiler, XLA (the appendix on
# frameworks, its unit test and the benchmarks' JAX rows).
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PJRT_NPROC := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup book test execute bench seeds clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

book: setup
	$(JB) build . -W --keep-going
	@echo "HTML book: _build/html/index.html"

# pytest's exit code 5 means "no tests collected": never a pass for CI.
# The browser test needs the built HTML, so it runs last, after the -W build
# (--all: an incremental build would not repeat the warnings of unchanged pages).
# Every step runs, so one failure does not hide another; any failure fails.
test: setup
	@rc=0; \
	$(PY) -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-cell-timeout=120 --durations=10 --ignore=tests/test_browser.py tests book; \
	r=$$?; if [ $$r -eq 5 ]; then echo "pytest collected no tests (exit code 5): failing, since CI must test something"; fi; \
	[ $$r -eq 0 ] || rc=1; \
	echo "strict replay of book/ under OPENBLAS_CORETYPE=$(REPLAY_CORETYPE)"; \
	OPENBLAS_CORETYPE=$(REPLAY_CORETYPE) $(PY) -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-cell-timeout=120 -q book || rc=1; \
	echo "$(JB) build . -W --keep-going --all"; $(JB) build . -W --keep-going --all || rc=1; \
	$(PY) -m pytest -ra tests/test_browser.py || rc=1; \
	exit $$rc

execute: setup
	$(PY) tools/execute.py book/*.ipynb

bench: setup
	$(PY) benchmarks/bench_mlp.py
	@# the convolutional case is a comparison with PyTorch, an optional install
	@if $(PY) -c "import torch" 2>/dev/null; then $(PY) benchmarks/bench_conv.py; \
	else echo "bench_conv.py skipped: it times Conv1D against PyTorch (pip install torch==2.13.0 into $(VENV))"; fi

# Every chapter with a seed study, run again for each seed of its study (about 15 min
# of CPU); rewrites data/ch*_seeds.csv. CHAPTERS="09 10" runs some of them.
CHAPTERS ?= all
seeds: setup
	$(PY) tools/seeds.py $(CHAPTERS)

clean:
	rm -rf _build

# Instructor assignments (otter-grader; not part of the book): see book/instructor_guide.md
#   make assignments                                 student notebooks + autograder zips
#   make grade ASSIGNMENT=06 SUBMISSIONS=folder/     one CSV of scores, each submission run in
#        a bubblewrap sandbox (CSV=path, TIMEOUT=s per submission, WORKERS=n at a time)
.PHONY: assignments grade

assignments: setup
	$(PY) tools/assignments.py build

grade: setup
	@[ -n "$(ASSIGNMENT)" ] && [ -n "$(SUBMISSIONS)" ] || \
		{ echo "usage: make grade ASSIGNMENT=06 SUBMISSIONS=folder/ [CSV=scores.csv] [TIMEOUT=300] [WORKERS=2]"; exit 2; }
	$(PY) tools/assignments.py grade $(ASSIGNMENT) $(SUBMISSIONS) $(if $(CSV),--csv $(CSV)) \
		$(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(WORKERS),--workers $(WORKERS))
