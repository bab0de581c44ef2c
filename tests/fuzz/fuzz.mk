# SPDX-License-Identifier: GPL-3.0-or-later
# libFuzzer targets (tests/fuzz, see tests/RELIABILITY.md), included by the
# top-level Makefile after its variables:
#
#   make fuzz-smoke   every target for FUZZ_SMOKE_SECONDS (8 s), FUZZ_JOBS at a time:
#                     the bounded run make check does
#   make fuzz         every target for FUZZ_SECONDS (600 s) each
#   make fuzz-corpus  the seed corpus only: build/fuzz/corpus/<target>/
#
# One target per MMC reply parser (tests/fuzz/fuzz_parsers.c, built once per
# name in FUZZ_PARSERS) and fuzz_probe, the drive model's media probe over a
# fake transport that answers from the fuzz input.  The seed corpus is the
# emulator's real replies (tests/fuzz/make_corpus.c), generated here and never
# committed.  What a run finds is kept in build/fuzz/found/<target>/; a crash
# is saved as build/fuzz/crash-<target>-* and fails the run.
#
# Needs clang and its libFuzzer runtime (Debian: clang, libclang-rt-14-dev).

FUZZ_CC            ?= clang
FUZZ_CFLAGS        := $(STD) $(WARN) -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
		      -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_PARSERS       := sense inquiry configuration media_event disc_info track_info read_capacity \
		      format_capacities performance write_speeds buffer_capacity toc_session mode_page
FUZZ_TARGETS       := $(FUZZ_PARSERS) probe
FUZZ_BIN           := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
# Every layer library, instrumented: a target links only what it calls (the
# parsers, or the drive model and whatever that comes to use).
FUZZ_LIBS          := $(call layer_libs,build/fuzz)
FUZZ_CORPUS        := build/fuzz/corpus
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_SECONDS       ?= 600
FUZZ_JOBS          ?= $(shell nproc 2>/dev/null || echo 2)
# Replies longer than a GET CONFIGURATION's 4 KiB add nothing; probe
# sessions are a few replies each.
FUZZ_MAX_LEN       ?= 8192

.PHONY: fuzz fuzz-smoke fuzz-corpus

build/fuzz/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) $(CPPFLAGS) -c -o $@ $<

-include $(LIB_SRC:src/%.c=build/fuzz/%.d)

build/fuzz/fuzz_probe: tests/fuzz/fuzz_probe.c tests/fuzz/probe_script.h tests/fuzz/fuzz_check.h src/drive/drive_internal.h \
		      $(FUZZ_LIBS) $(HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CPPFLAGS) -o $@ $< $(FUZZ_LIBS) $(LDLIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_parsers.c tests/fuzz/fuzz_check.h $(FUZZ_LIBS) $(HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_TARGET='"$*"' $(CPPFLAGS) -o $@ $< $(FUZZ_LIBS)

# Built with the daemon's own compiler and library: it only drives the emulator.
build/fuzz/make_corpus: tests/fuzz/make_corpus.c tests/fuzz/probe_script.h $(LIBS) $(HEADERS)
	@mkdir -p $(@D)
	$(COMPILE) $(CFLAGS) -o $@ $< $(LIBS) $(LDLIBS)

$(FUZZ_CORPUS)/.done: build/fuzz/make_corpus
	rm -rf $(FUZZ_CORPUS)
	build/fuzz/make_corpus $(FUZZ_CORPUS)
	touch $@

fuzz-corpus: $(FUZZ_CORPUS)/.done

# Runs every target for $(1) seconds, $(FUZZ_JOBS) at a time; prints one
# line per target (executions, coverage, corpus size) and fails on a crash.
define fuzz_run
	@mkdir -p build/fuzz/found build/fuzz/logs
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -I{} sh -c \
		'mkdir -p build/fuzz/found/{} $(FUZZ_CORPUS)/{}; \
		 build/fuzz/fuzz_{} -max_total_time=$(1) -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
			-artifact_prefix=build/fuzz/crash-{}- build/fuzz/found/{} $(FUZZ_CORPUS)/{} \
			> build/fuzz/logs/{}.log 2>&1 || { echo "fuzz_{}: FAILED"; tail -n 40 build/fuzz/logs/{}.log; exit 1; }'
	@for t in $(FUZZ_TARGETS); do \
		awk -v t=$$t '/stat::number_of_executed_units/ { e = $$2 } \
			/(INITED|DONE) +cov:/ { for (i = 1; i < NF; i++) { if ($$i == "cov:") c = $$(i + 1); if ($$i == "corp:") k = $$(i + 1) } } \
			END { printf "fuzz_%-18s %9d execs  cov %5s  corpus %s\n", t, e, c, k }' build/fuzz/logs/$$t.log; \
	done
endef

fuzz-smoke: $(FUZZ_BIN) $(FUZZ_CORPUS)/.done
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

fuzz: $(FUZZ_BIN) $(FUZZ_CORPUS)/.done
	$(call fuzz_run,$(FUZZ_SECONDS))
