# The two commands that work on a fresh clone: `make demo` and `make test`.
# Node 24 comes from the `node@24` devDependency: node_modules/.bin goes first on PATH.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: install deps build demo test typecheck lint format unit integration bench clean binaries binary-test harness

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@node --version
	@touch $@

install: node_modules/.installed

build: install
	node scripts/build.mjs

demo: build
	node dist/kec.mjs plan -f examples/edge-cluster.yaml -d out/demo
	@echo
	@echo "Artifacts written to out/demo:"
	@find out/demo -type f | sort

typecheck: install
	tsc -p tsconfig.json --noEmit
	tsc -p src/dashboard/web/tsconfig.json

lint: install
	eslint .
	prettier --check --log-level warn .

format: install
	prettier --write --log-level warn .

unit: build
	@mkdir -p .cache
	vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json; status=$$?; \
	  node scripts/test-summary.mjs .cache/vitest-report.json --label=unit; exit $$status

# Integration tests against a real local control plane (test/cluster, docs/harness.md).
# The first run builds Kubernetes into KEC_CACHE_DIR (default ~/.cache/kec-harness, outside the clone).
integration: build
	@mkdir -p .cache
	vitest run --config test/cluster/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.cache/vitest-integration.json; status=$$?; \
	  node scripts/test-summary.mjs .cache/vitest-integration.json --label=integration --allow-empty; exit $$status

# Standalone kec for linux/amd64 and linux/arm64 (Node single executable applications, no Node.js
# needed on the node): dist/bin/kec-linux-{amd64,arm64} and SHA256SUMS (scripts/sea/build.ts).
# The Node runtimes are npm packages pinned in scripts/sea/package-lock.json; --force because
# each declares its cpu and npm would refuse the other architecture's.
scripts/sea/node_modules/.installed: scripts/sea/package.json scripts/sea/package-lock.json
	npm ci --prefix scripts/sea --force --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

binaries: build scripts/sea/node_modules/.installed
	node scripts/sea/build.ts

# The binaries against dist/kec.mjs: amd64 without node on PATH, arm64 under qemu-aarch64-static.
binary-test: binaries
	@mkdir -p .cache
	vitest run --config test/binary/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.cache/vitest-binary.json; status=$$?; \
	  node scripts/test-summary.mjs .cache/vitest-binary.json --label=binary; exit $$status

# The harness binaries (helm among them) come before the unit tests: one of them checks the
# generated agent resource table against `helm template` of the real charts.
test: deps build harness typecheck lint unit binary-test integration

# Builds Kubernetes, kwok and helm for the integration harness into KEC_CACHE_DIR (a no-op when warm).
harness:
	bash test/cluster/build.sh

deps:
	bash scripts/ci-deps.sh

bench: build
	node bench/plan-scale/run.ts

clean:
	rm -rf dist out node_modules
