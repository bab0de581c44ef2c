# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: the benchmarks recorded in BENCHMARKS.md (issue 7).  Not part
# of make check: they take minutes and their figures depend on the machine.
#   make bench                     everything, 5 repetitions each
#   make bench BENCH_REPS=1        a quick smoke run
#   make bench BENCH_ONLY="b1 b3"  some figures only
BENCH_BINS := build/bench/null_sink build/bench/const_file build/bench/attr_lat build/bench/timer_jitter build/bench/emu_read

.PHONY: bench
bench: deps discfs vdrive $(BENCH_BINS)
	$(if $(BENCH_REPS),BENCH_REPS=$(BENCH_REPS)) $(if $(BENCH_ONLY),BENCH_ONLY="$(BENCH_ONLY)") tests/bench/run.sh

build/bench/null_sink: tests/bench/null_sink.c | build/bench
	$(COMPILE) $(CFLAGS) $(shell pkg-config --cflags fuse3) -o $@ $< $(shell pkg-config --libs fuse3)

build/bench/const_file: tests/bench/const_file.c | build/bench
	$(COMPILE) $(CFLAGS) $(shell pkg-config --cflags fuse3) -o $@ $< $(shell pkg-config --libs fuse3)

build/bench/emu_read: tests/bench/emu_read.c build/libemu.a build/libmmc.a build/libbase.a | build/bench
	$(COMPILE) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/bench/%: tests/bench/%.c tests/bench/percentile.h | build/bench
	$(COMPILE) $(CFLAGS) -o $@ $<

build/bench:
	mkdir -p $@
