# dnngen -- build, test, demo and benchmark entry points.
#   make            build/dnngen and build/libdnngolden.a
#   make demo       install missing packages, build, generate, verify, print a summary
#   make test       the gate: unit tests, generator checks, co-simulation, fault injection
#   make bench      area/fmax/cycles/throughput figures (prints them)
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes -Werror
CPPFLAGS += -Igolden -Igen
LDLIBS  := -lcjson
B       := build

GOLDEN_SRC := $(wildcard golden/*.c)
GEN_SRC    := $(wildcard gen/*.c)
GOLDEN_OBJ := $(GOLDEN_SRC:golden/%.c=$(B)/golden/%.o)
GEN_OBJ    := $(GEN_SRC:gen/%.c=$(B)/gen/%.o)
TEST_SRC   := $(wildcard tests/unit/*.c)
TEST_BIN   := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps demo test test-sanitize bench clean
all: $(B)/dnngen $(B)/libdnngolden.a $(TEST_BIN)

$(B)/golden/%.o: golden/%.c $(wildcard golden/*.h) | $(B)/golden
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -fPIC -c $< -o $@
$(B)/gen/%.o: gen/%.c $(wildcard gen/*.h golden/*.h) | $(B)/gen
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@
$(B)/libdnngolden.a: $(GOLDEN_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/dnngen: $(GEN_OBJ) $(B)/libdnngolden.a
	$(CC) $(CFLAGS) -o $@ $(GEN_OBJ) $(B)/libdnngolden.a $(LDLIBS)
$(B)/tests/%: tests/unit/%.c $(B)/libdnngolden.a | $(B)/tests
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(B)/libdnngolden.a
$(B)/golden $(B)/gen $(B)/tests:
	mkdir -p $@

deps:
	bash scripts/install-deps.sh

demo: deps
	$(MAKE) all
	bash scripts/demo.sh

test: deps
	$(MAKE) all
	bash tests/run.sh

test-sanitize: deps
	$(MAKE) B=build/san CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" all
	DNNGEN_BUILD=build/san bash tests/run.sh --sanitize

bench: deps
	$(MAKE) all
	bash scripts/bench.sh

clean:
	rm -rf build out
