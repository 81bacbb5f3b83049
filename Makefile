# dnngen -- build, test, demo and benchmark entry points.
#   make            build/dnngen and build/libdnngolden.a
#   make demo       install missing packages, build, generate, verify, print a summary
#   make test       the gate: unit tests, generator checks, co-simulation, fault injection
#   make bench      area/fmax/cycles/throughput figures (prints them)
#   make bench-real real networks (face_recognition, Silero VAD) end to end (prints the figures)
#   make nightly    the default nightly regression plan (plans/nightly.json, docs/nightly.md)
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes -Werror
CPPFLAGS += -Igolden -Igen -I$(B)/proto
LDLIBS  := -lcjson -lsqlite3 -lprotobuf-c -ljpeg -lm
B       := build

GOLDEN_SRC := $(wildcard golden/*.c)
GEN_SRC    := $(wildcard gen/*.c)
GOLDEN_OBJ := $(GOLDEN_SRC:golden/%.c=$(B)/golden/%.o)
GEN_OBJ    := $(GEN_SRC:gen/%.c=$(B)/gen/%.o)
TEST_SRC   := $(wildcard tests/unit/*.c)
TEST_BIN   := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
FUZZ_SECONDS ?= 300

.PHONY: all deps demo test test-sanitize bench bench-real clean fuzzers fuzz nightly
all: $(B)/dnngen $(B)/libdnngolden.a $(TEST_BIN)

$(B)/golden/%.o: golden/%.c $(wildcard golden/*.h) | $(B)/golden
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -fPIC -c $< -o $@
$(B)/gen/%.o: gen/%.c $(wildcard gen/*.h golden/*.h) | $(B)/gen
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@
$(B)/libdnngolden.a: $(GOLDEN_OBJ) $(B)/proto/onnx.pb-c.o
	rm -f $@ && ar rcs $@ $^
# The ONNX parser (golden/gm_onnx.c) is generated at build time by protoc-c from the onnx.proto
# of Debian's libonnx-dev; generated code is never committed and is compiled without -Werror.
ONNX_PROTO ?= /usr/include/onnx/onnx.proto
$(B)/proto/onnx.pb-c.h: $(ONNX_PROTO) | $(B)/proto
	protoc-c --proto_path=$(dir $(ONNX_PROTO)) --c_out=$(B)/proto $(notdir $(ONNX_PROTO))
$(B)/proto/onnx.pb-c.c: $(B)/proto/onnx.pb-c.h
$(B)/proto/onnx.pb-c.o: $(B)/proto/onnx.pb-c.c
	$(CC) -std=c11 $(CFLAGS) -I$(B)/proto -fPIC -c $< -o $@
$(B)/golden/gm_onnx.o: $(B)/proto/onnx.pb-c.h
$(B)/dnngen: $(GEN_OBJ) $(B)/libdnngolden.a
	$(CC) $(CFLAGS) -o $@ $(GEN_OBJ) $(B)/libdnngolden.a $(LDLIBS)
$(B)/tests/%: tests/unit/%.c tests/unit/check.h $(B)/libdnngolden.a | $(B)/tests
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(B)/libdnngolden.a $(LDLIBS)
# libFuzzer harnesses (clang): every parser of user input, with ASan and UBSan. The project's
# sources are compiled once for all harnesses (instrumented, fuzzer-no-link), each harness
# links them.
FUZZ_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ := $(patsubst %.c,$(B)/fuzz/obj/%.o,$(filter-out gen/main.c,$(GEN_SRC)) $(GOLDEN_SRC)) \
            $(B)/fuzz/obj/onnx.pb-c.o
.SECONDARY: $(FUZZ_OBJ)
$(B)/fuzz/obj/gen/%.o: gen/%.c $(wildcard gen/*.h golden/*.h) $(B)/proto/onnx.pb-c.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -c $< -o $@
$(B)/fuzz/obj/golden/%.o: golden/%.c $(wildcard golden/*.h) $(B)/proto/onnx.pb-c.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -c $< -o $@
$(B)/fuzz/obj/onnx.pb-c.o: $(B)/proto/onnx.pb-c.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -c $< -o $@
$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ) $(wildcard gen/*.h golden/*.h) | $(B)/fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CPPFLAGS) -o $@ $< $(FUZZ_OBJ) $(LDLIBS)
fuzzers: $(FUZZ_BIN)
$(B)/golden $(B)/gen $(B)/tests $(B)/fuzz $(B)/proto:
	mkdir -p $@

deps:
	bash scripts/install-deps.sh

demo: deps
	$(MAKE) all
	bash scripts/demo.sh

# Builds run on every core (the recursive makes); tests/run.sh runs its own jobs.
NPROC := $(shell nproc 2>/dev/null || echo 2)
test: deps
	$(MAKE) -j$(NPROC) all fuzzers
	bash tests/run.sh

# The same gate with dnngen, the golden library and the unit tests built with ASan+UBSan.
test-sanitize: deps
	$(MAKE) -j$(NPROC) all fuzzers
	$(MAKE) -j$(NPROC) B=build/san CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" all
	DNNGEN_BUILD=build/san bash tests/run.sh

# Long fuzzing runs: FUZZ_SECONDS per harness; new inputs go to build/fuzz/corpus-<name>.
fuzz: fuzzers
	for f in $(FUZZ_BIN); do n=$$(basename $$f); n=$${n#fuzz_}; mkdir -p $(B)/fuzz/corpus-$$n; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 $(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; done

bench: deps
	$(MAKE) all
	bash scripts/bench.sh

# Real networks end to end (docs/real-networks.md): fetches the models from npm, prints every
# real-network figure (stats, the CNN through FPAP and FCU, the Silero VAD); long.
bench-real: deps
	$(MAKE) all
	DNNGEN=$(B)/dnngen bash scripts/bench_real.sh

# The nightly regression: NIGHTLY_OUT for the reports, NIGHTLY_ARGS for -j, --seed ...
NIGHTLY_OUT ?= $(B)/nightly
nightly: deps
	$(MAKE) all
	$(B)/dnngen regress plans/nightly.json -o $(NIGHTLY_OUT) $(NIGHTLY_ARGS)

clean:
	rm -rf build out
