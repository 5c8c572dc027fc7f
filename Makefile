# presgen — the two commands of the README, and the steps they are made of.
BUILD ?= build
JOBS ?= 2
BUILD_TYPE ?= Release

.PHONY: all deps configure build demo test sanitize fuzz clean

all: build

deps:
	bash scripts/install-deps.sh
	bash scripts/fetch-whisper-src.sh
	bash scripts/install-node-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	BUILD=$(abspath $(BUILD)) bash scripts/demo.sh

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 900

# ASan + UBSan (clang) over the tests of the code that reads untrusted input without the
# speech engines: core, media, compose, deck, face, slides (see docs/architecture.md).
SAN_BUILD ?= build-sanitize
SAN_TESTS ?= core_test subprocess_test media_test compose_test deck_test face_test slides_test
sanitize: deps
	CC=clang CXX=clang++ cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPRESGEN_SANITIZE=ON -DPRESGEN_FIXTURES_DIR=$(abspath $(BUILD))/fixtures
	cmake --build $(SAN_BUILD) -j$(JOBS) --target $(SAN_TESTS)
	bash tests/sanitize/run.sh $(abspath $(SAN_BUILD)) $(SAN_TESTS)

# libFuzzer targets (fuzz/), each for FUZZ_SECONDS, seeded from the fixtures of `make test`.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPRESGEN_FUZZ=ON -DPRESGEN_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_targets
	FUZZ_BUILD=$(abspath $(FUZZ_BUILD)) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  FIXTURES=$(abspath $(BUILD))/fixtures bash fuzz/run.sh

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD) demo
