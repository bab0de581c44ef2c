# discfs: optical recorders as a tree of files.
#
#   make            build ./discfs
#   make run        install what is missing, build, mount ./mnt (emulated DVD+RW without a recorder)
#   make stop       unmount ./mnt
#   make check      install what is missing, then every unit and mounted-tree test, the
#                   mounted-tree ones on ./discfs and again on the ASan+UBSan build
#   make check-asan every mounted-tree test on the ASan+UBSan daemon
#   make check-valgrind  a full burn (and a SIGTERM mid-burn) under valgrind memcheck
#   make clean

PKGS       := fuse3 libcdio
DEB_BUILD  := build-essential pkg-config libfuse3-dev libcdio-dev check
DEB_RUN    := fuse3
DEB_TEST   := genisoimage xorriso pv libglib2.0-bin libcdio-utils wodim clang libclang-rt-14-dev python3 man-db
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN       := -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla -D_GNU_SOURCE
CPPFLAGS   += -Iinclude $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS     += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
SAN        := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC    := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ    := $(LIB_SRC:src/%.c=build/%.o)
SAN_OBJ    := $(LIB_SRC:src/%.c=build/san/%.o)
UNIT_SRC   := $(wildcard tests/unit/check_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=build/san/%)
HEADERS    := $(wildcard include/discfs/*.h)

MNT        ?= mnt
EMULATE    ?= dvd+rw

.PHONY: all run stop check unit integration integration-asan check-asan check-valgrind deps deps-test clean

all: discfs

discfs: build/main.o build/libdiscfs.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/libdiscfs.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

build/%.o: src/%.c $(HEADERS) | build
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

build/san/%.o: src/%.c $(HEADERS) | build/san
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -c -o $@ $<

build/san/libdiscfs.a: $(SAN_OBJ)
	$(AR) rcs $@ $^

build/san/discfs: src/main.c build/san/libdiscfs.a $(HEADERS)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -o $@ src/main.c build/san/libdiscfs.a $(LDLIBS)

build/san/check_%: tests/unit/check_%.c build/san/libdiscfs.a $(HEADERS)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -o $@ $< build/san/libdiscfs.a $(CHECK_LIBS) $(LDLIBS)

build build/san:
	mkdir -p $@

# Debian packages: installed only when something is missing, so a machine
# that has them builds offline.
deps:
	@pkg-config --exists $(PKGS) check && command -v fusermount3 >/dev/null || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEB_BUILD) $(DEB_RUN); }

deps-test: deps
	@command -v genisoimage >/dev/null && command -v xorriso >/dev/null && command -v pv >/dev/null && \
		command -v gio >/dev/null && command -v cd-info >/dev/null && command -v clang >/dev/null && command -v python3 >/dev/null && command -v wodim >/dev/null && command -v man >/dev/null && \
		dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEB_TEST); }

run: deps
	$(MAKE) discfs
	@mkdir -p $(MNT)
	@if mountpoint -q $(MNT); then echo "$(MNT) is already mounted; 'make stop' unmounts it"; exit 1; fi
	./discfs $(if $(DEVICE),--device=$(DEVICE),--emulate-if-none=$(EMULATE)) $(MNT)
	@echo "discfs is mounted on $(MNT):"; ls $(MNT); \
	 echo "try: cat $(MNT)/drive0/free_sectors; 'make stop' unmounts"

stop:
	fusermount3 -u $(MNT)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

integration: discfs vdrive
	tests/integration/run-all.sh

# The mounted-tree suites on the ASan+UBSan daemon: any sanitizer report,
# a leak at exit included, fails the test that caused it.  ASAN_SUITES
# picks some (t20-burn.sh ...); empty means all.
ASAN_SUITES ?=
integration-asan: build/san/discfs vdrive
	tests/integration/run-all.sh --asan $(ASAN_SUITES)

check-asan: deps-test
	$(MAKE) unit
	$(MAKE) integration-asan ASAN_SUITES=

check-valgrind: deps-test discfs
	@command -v valgrind >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y valgrind; }
	bash tests/valgrind-burn.sh

check: deps-test
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) integration
	$(MAKE) integration-asan

clean:
	rm -rf build discfs

include contrib/vdrive/Makefile.inc
include tests/fuzz/fuzz.mk
include contrib/install.mk
include tests/bench/bench.mk
