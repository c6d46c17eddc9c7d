# Thin layer over the `zero` CLI (packages/zero). Every target is one call; logic lives in zero.
# Options: profile=<name> monitoring=1 https=1 traces=1 runtime=<native|compose|kubernetes> context=<kube context> auto_ports=1 service=<name> volumes=1 force=1 (see `make help`).

ZERO := node packages/zero/bin/zero.js
FLAGS = $(if $(profile),--profile $(profile)) $(if $(filter 1 true yes,$(monitoring)),--with monitoring) $(if $(filter 1 true yes,$(https)),--with https) $(if $(filter 1 true yes,$(traces)),--with traces) $(if $(runtime),--runtime $(runtime)) $(if $(context),--set ZERO_KUBE_CONTEXT=$(context)) $(if $(filter 1 true yes,$(branch_data)),--set ZERO_BRANCH_DATA=1)
UP_FLAGS = $(if $(filter 1 true yes,$(auto_ports)),--auto-ports) $(if $(filter 1 true yes,$(force)),--force)
DOWN_FLAGS = $(if $(filter 1 true yes,$(volumes)),--volumes)
ARCHITECTURE = packages/zero/src packages/contracts/src apps/api/src apps/web/src
YES = $(if $(filter 1 true yes,$(yes)),--yes)
# make dev installs what it runs; runtime=kubernetes needs the Kubernetes client of the full install (see deps below).
DEV_DEPS = $(if $(filter kubernetes,$(runtime)),deps-full,deps) $(if $(filter 1 true yes,$(traces)),deps-traces)

.DEFAULT_GOAL := help
# No built-in rules: make would otherwise try dozens of implicit rules for each of the ~230 sources `build` depends
# on, ~50 ms of CPU (100+ ms wall) before every target; this Makefile uses none of them.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.PHONY: deps-full deps-traces compose-file k8s-files help dev start-backend start-frontend debug-backend psql redis-cli trust-ca untrust-ca deploy down stacks status logs config doctor secrets hooks test lint format bench typecheck deps build migrate rollback migrate-new seed reset-db backup-db restore-db backups snapshot snapshots restore-snapshot drop-snapshot

help: ## List the targets
	@echo "Usage: make <target> [profile=full|backend|minimal|test|monitoring] [monitoring=1] [https=1] [traces=1] [runtime=native|compose|kubernetes] [auto_ports=1]"
	@echo
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

dev: $(DEV_DEPS) build ## Start the whole stack and wait until every service is healthy (service=api: one service and what it needs)
	@$(ZERO) up $(service) $(FLAGS) $(UP_FLAGS)

start-backend: $(DEV_DEPS) build ## Start the API and what it needs (PostgreSQL, Redis), without the web dashboard
	@$(ZERO) up api $(FLAGS) $(UP_FLAGS)

start-frontend: $(DEV_DEPS) build ## Start the web dashboard and what it needs; mock=1: the dashboard alone against a mocked API (no database)
ifeq ($(filter 1 true yes,$(mock)),)
	@$(ZERO) up web $(FLAGS) $(UP_FLAGS)
else
	@echo "Frontend-only: Mock Service Worker answers for the API (apps/web/src/mocks). Ctrl-C stops it."
	@cd apps/web && VITE_MOCK_API=1 npx vite --host 127.0.0.1 --port $(or $(port),3000) --strictPort
endif

debug-backend: build ## Start PostgreSQL and Redis, then the API in the foreground paused until a debugger attaches
	@$(ZERO) debug api $(FLAGS)

psql: build ## Open psql on the stack's database (password from .env, never on the command line); sql="..." runs one statement
	@$(ZERO) psql $(FLAGS) -- $(if $(sql),-c "$(sql)")

redis-cli: build ## Open redis-cli on the stack's Redis (password from .env, never on the command line); cmd="..." runs one command
	@$(ZERO) redis-cli $(FLAGS) -- $(cmd)

trust-ca: build ## Trust the local HTTPS CA (made on the first `make dev https=1`) in the system store and browsers; prints each change
	@$(ZERO) trust-ca $(FLAGS)

untrust-ca: build ## Remove the local HTTPS CA from the stores make trust-ca changed; prints each change
	@$(ZERO) untrust-ca $(FLAGS)

deploy: deps-full build ## Deploy the stack to the current kube context (context=<name>); same as make dev runtime=kubernetes
	@$(ZERO) up --runtime kubernetes $(if $(profile),--profile $(profile)) $(if $(context),--set ZERO_KUBE_CONTEXT=$(context)) $(if $(filter 1 true yes,$(branch_data)),--set ZERO_BRANCH_DATA=1) $(UP_FLAGS)

down: $(DEV_DEPS) build ## Stop everything the stack runs (data is kept; volumes=1 deletes it; all=1: every stack of yours, asks first)
	@$(ZERO) down $(if $(filter 1 true yes,$(all)),--all,$(FLAGS) $(DOWN_FLAGS)) $(YES)

stacks: $(DEV_DEPS) build ## List every stack of yours on this machine (folder, branch, runtime, profile, state, URLs; * this folder)
	@$(ZERO) stacks

status: $(DEV_DEPS) build ## Show each service's state, health, uptime and ports
	@$(ZERO) status $(FLAGS)

logs: $(DEV_DEPS) build ## Show the logs of every service (service=api for one; follows in a terminal; tail=N)
	@$(ZERO) logs $(service) $(FLAGS) $(if $(tail),--tail $(tail)) $(if $(since),--since $(since))

config: build ## Validate and show the effective configuration (secrets masked)
	@$(ZERO) config $(FLAGS)

doctor: build ## Check every prerequisite and print the fix for anything missing (report=1: write a redacted bug-report file)
	@$(ZERO) doctor $(if $(filter 1 true yes,$(report)),--report)

secrets: build ## Replace CHANGE_ME placeholders in .env with random secrets
	@$(ZERO) secrets generate

migrate: build ## Apply pending database migrations (a restore point first; a failure puts the database back)
	@$(ZERO) db migrate $(FLAGS)

rollback: build ## Go back to the last restore point, undoing the migrations since (asks first; yes=1)
	@$(ZERO) db rollback $(FLAGS) $(YES)

migrate-new: build ## Create an empty migration: make migrate-new name=add-artist-rates
	@$(ZERO) db new $(name) $(FLAGS)

seed: build ## Load the sample data (idempotent: run it any number of times)
	@$(ZERO) db seed $(FLAGS)

reset-db: build ## Drop and recreate the database, migrate, seed (seed=0: leave it empty; yes=1 without a terminal)
	@$(ZERO) db reset $(FLAGS) $(if $(filter 0 false no,$(seed)),--no-seed) $(YES)

backup-db: build ## Write a timestamped backup of the database to .zero/backups
	@$(ZERO) db backup $(FLAGS)

restore-db: build ## Restore a backup: make restore-db file=.zero/backups/<name>.tar.gz (yes=1 without a terminal)
	@$(ZERO) db restore $(file) $(FLAGS) $(YES)

backups: build ## List the database backups
	@$(ZERO) db backups $(FLAGS)

snapshot: build ## Take a fast named snapshot of the database: make snapshot name=before-refactor (default: the git branch)
	@$(ZERO) db snapshot $(name) $(FLAGS)

snapshots: build ## List the database snapshots and restore points (name, branch, size, migrations, created)
	@$(ZERO) db snapshots $(FLAGS)

restore-snapshot: build ## Put the database back to a snapshot: make restore-snapshot name=... (asks first; yes=1)
	@$(ZERO) db restore-snapshot $(name) $(FLAGS) $(YES)

drop-snapshot: build ## Delete a snapshot: make drop-snapshot name=...
	@$(ZERO) db drop-snapshot $(name) $(FLAGS)

compose-file: build ## Regenerate docker-compose.yml from stack.yaml (a test fails when it is out of date)
	@$(ZERO) export compose

k8s-files: build ## Regenerate infrastructure/k8s (kustomize, skaffold.yaml) and the Helm chart from stack.yaml (tests fail when stale)
	@$(ZERO) export kubernetes && $(ZERO) export helm

hooks: deps-full ## Install the git hooks: pre-commit scans, lints and format-checks staged files; pre-push type-checks; post-checkout brings the branch's database state (branch_data=1)
	@git config core.hooksPath .githooks && echo "git hooks installed (.githooks/pre-commit, .githooks/pre-push, .githooks/post-checkout)"

test: deps-full build ## Run every test (unit, integration, end to end; the lint test runs make lint's check)
	@npx vitest run

lint: deps-full ## Lint, check formatting (Biome) and the architecture's dependency rules (dependency-cruiser)
	@npx biome check .
	@npx depcruise $(ARCHITECTURE) --config .dependency-cruiser.cjs --output-type err-long

format: deps-full ## Format and apply safe lint fixes (Biome; file=path for one file)
	@npx biome check --write $(or $(file),.)

typecheck: deps-full ## Type-check every workspace
	@npm run typecheck --silent

bench: deps-full build ## Measure start/stop times and memory (prints a table of medians)
	@node scripts/bench.mjs

# Two installs from the one lockfile (scripts/install-deps.mjs), each once per package-lock.json:
#   deps       what make dev runs (npm ci --omit=dev); runtime=kubernetes also needs the full one
#   deps-full  every devDependency too: tests, lint, type check, Kubernetes, devcontainer (npm ci)

deps: node_modules/.zero-install-run
deps-full: node_modules/.zero-install-full
# traces=1: OpenTelemetry for the API, its own lockfile (apps/api/tracing), installed on first use only.
deps-traces: apps/api/tracing/node_modules/.zero-install-traces

apps/api/tracing/node_modules/.zero-install-traces: apps/api/tracing/package-lock.json
	@node scripts/install-deps.mjs traces

node_modules/.zero-install-run: package-lock.json
	@command -v node >/dev/null || { echo "Node.js 20.19+ is required: https://nodejs.org (or use nvm: nvm install)"; exit 4; }
	@node scripts/install-deps.mjs run

node_modules/.zero-install-full: package-lock.json
	@command -v node >/dev/null || { echo "Node.js 20.19+ is required: https://nodejs.org (or use nvm: nvm install)"; exit 4; }
	@node scripts/install-deps.mjs full

build: deps packages/zero/dist/cli.js

# The sources the bundles were built from, as rules the build writes (packages/zero/build.mjs): no `find` before every
# target (~4 ms). Without a build yet, cli.js is missing and is built.
-include packages/zero/dist/sources.mk
packages/zero/dist/cli.js: packages/zero/build.mjs
	@cd packages/zero && node build.mjs
