# Neural Networks for the Subsurface: build the book, run the tests.
#   make book     set up .venv (first time) and build the HTML into _build/html
#   make test     ruff + unit tests + strict nbval over book/ (default and a second
#                 BLAS kernel, REPLAY_CORETYPE) + the -W book build + the browser test
#   make lint     ruff check and ruff format --check (configured in pyproject.toml)
#   make execute  re-run every chapter in place, storing outputs (never widget state)
#   make bench    geonn against scikit-learn / PyTorch (not part of make test)
#   make seeds    re-run the seed studies (each chapter once per seed, tools/seeds.py)
#                 into data/ch*_seeds.csv; the same seeds write the same bytes

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
STAMP  := $(VENV)/.installed
RUFF   := $(VENV)/bin/ruff
# the second OpenBLAS kernel that `make test` replays every chapter under
REPLAY_CORETYPE ?= SandyBridge
# pytest-xdist workers for the unit tests and for each nbval pass. --dist loadfile
# keeps all cells of a notebook on one worker, in order, in one kernel (nbval needs
# that) and all tests of a file together (their module fixtures are built once).
JOBS   ?= 2
XDIST  := -n $(JOBS) --dist loadfile
NBVAL  := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=120
# what ruff checks: the library, tests, tools, benchmarks and the notebooks' code
# the tests of the built HTML: they run after the build (job 3 below)
BUILT_TESTS := tests/test_browser.py tests/test_chapter_labels.py tests/test_glossary.py
LINTED := lib tests tools benchmarks _ext conftest.py data/make_data.py \
          book/*.ipynb assignments/*.ipynb

# One thread and no tqdm redraw noise: outputs must not depend on the machine.
# PJRT_NPROC sizes the CPU thread pools of JAX's compiler, XLA (the appendix on
# frameworks, its unit test and the benchmarks' JAX rows).
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PJRT_NPROC := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup book lint test execute bench seeds clean

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

lint: setup
	@rc=0; $(RUFF) check $(LINTED) || rc=1; \
	$(RUFF) format --check $(LINTED) || rc=1; \
	exit $$rc

# make test runs ruff, then
#   1. the unit tests, -n $(JOBS); then strict nbval over book/ (default BLAS kernel)
#      one notebook at a time, with nothing beside it: the 60 s CPU budget of each
#      notebook is enforced here (conftest.py), and CPU time grows when processes
#      compete for the cores (two notebooks side by side: +10 to +30 %);
#   2. then, side by side: the strict replay of book/ under
#      OPENBLAS_CORETYPE=$(REPLAY_CORETYPE) (-n $(JOBS); its CPU times are only reported),
#      and the -W book build followed by the tests that read the HTML it wrote (browser,
#      chapter labels, glossary index; job 1 leaves them out).
# The build never executes a notebook (execute_notebooks is off in _config.yml); --all,
# since an incremental build would not repeat the warnings of unchanged pages. The replay
# writes to a log, shown once the build and its tests are done.
# Every step runs, so one failure does not hide another; any failure fails, and
# pytest's exit code 5 ("no tests collected") is never a pass for CI.
test: setup
	@rc=0; logs=$$(mktemp -d); \
	check() { \
		if [ $$1 -eq 5 ]; then echo "$$2: pytest collected no tests (exit code 5): failing, since CI must test something"; fi; \
		if [ $$1 -ne 0 ]; then echo "FAILED: $$2 (exit code $$1)"; rc=1; fi; }; \
	echo "ruff check + ruff format --check"; \
	$(RUFF) check $(LINTED); check $$? "ruff check"; \
	$(RUFF) format --check $(LINTED); check $$? "ruff format --check"; \
	echo "unit tests (-n $(JOBS))"; \
	$(PY) -m pytest $(NBVAL) $(XDIST) --durations=10 $(BUILT_TESTS:%=--ignore=%) tests; \
	check $$? "unit tests"; \
	echo "strict nbval over book/, one notebook at a time (the CPU budget)"; \
	$(PY) -m pytest $(NBVAL) --durations=10 book; check $$? "strict nbval"; \
	NOTEBOOK_BUDGET=report OPENBLAS_CORETYPE=$(REPLAY_CORETYPE) \
		$(PY) -m pytest $(NBVAL) $(XDIST) -q book > $$logs/replay.log 2>&1 & replay=$$!; \
	trap 'kill $$replay 2>/dev/null; rm -rf $$logs; exit 130' INT TERM; \
	echo "beside the replay under OPENBLAS_CORETYPE=$(REPLAY_CORETYPE): $(JB) build . -W --keep-going --all, then $(BUILT_TESTS)"; \
	$(JB) build . -W --keep-going --all; check $$? "$(JB) build . -W --keep-going --all"; \
	$(PY) -m pytest -ra $(BUILT_TESTS); check $$? "$(BUILT_TESTS)"; \
	wait $$replay; r=$$?; \
	echo "strict replay of book/ under OPENBLAS_CORETYPE=$(REPLAY_CORETYPE)"; cat $$logs/replay.log; \
	check $$r "replay under OPENBLAS_CORETYPE=$(REPLAY_CORETYPE)"; \
	rm -rf $$logs; exit $$rc

execute: setup
	$(PY) tools/execute.py book/*.ipynb

bench: setup
	$(PY) benchmarks/bench_mlp.py
	@# the convolutional case is a comparison with PyTorch, an optional install
	@if $(PY) -c "import torch" 2>/dev/null; then $(PY) benchmarks/bench_conv.py && \
	$(PY) benchmarks/bench_conv2d.py; \
	else echo "bench_conv.py, bench_conv2d.py skipped: they time Conv1D and Conv2D against PyTorch (pip install torch==2.13.0 into $(VENV))"; fi

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
