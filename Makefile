# presgen — the two commands of the README, and the steps they are made of.
BUILD ?= build
JOBS ?= 2
BUILD_TYPE ?= Release

.PHONY: all deps configure build demo test clean

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

clean:
	rm -rf $(BUILD) demo
