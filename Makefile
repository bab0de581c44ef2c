# SPDX-License-Identifier: GPL-3.0-or-later
# discfs: optical recorders as a tree of files.
#
#   make            build ./discfs
#   make run        install what is missing, build, mount ./mnt (emulated DVD+RW without a recorder)
#   make stop       unmount ./mnt
#   make check      install what is missing, then every unit and mounted-tree test, the
#                   mounted-tree ones on ./discfs and again on the ASan+UBSan build
#   make check-asan every mounted-tree test on the ASan+UBSan daemon
#   make check-valgrind  a full burn (and a SIGTERM mid-burn) under valgrind memcheck
#   make check-busy both cores kept busy by two loops while `make check` runs
#                   (BUSY_TARGET=unit ... for another target; tests/busy-check.sh)
#   make clean

PKGS       := fuse3 libcdio libisofs-1
DEB_BUILD  := build-essential pkg-config libfuse3-dev libcdio-dev libisofs-dev check
DEB_RUN    := fuse3
DEB_TEST   := genisoimage xorriso pv libxml2-utils libglib2.0-bin libcdio-utils wodim clang libclang-rt-14-dev python3 man-db
CFLAGS     ?= -O2 -g
STD        := -std=c11
WARN       := -Wall -Wextra -Werror -Wshadow -Wvla
DEPFLAGS   := -MMD -MP
CPPFLAGS   += -D_GNU_SOURCE -Iinclude $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS     += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
SAN        := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
COMPILE    = $(CC) $(STD) $(WARN) $(CPPFLAGS)
HEADERS    := $(wildcard include/discfs/*.h)

# The layers, one folder and one static library each, bottom first.  A
# layer may call only the layers its LAYER_USES names; `make layers` checks
# every library's undefined symbols and included headers against that list, and the link order
# (top first) makes an upward call fail to link as well.
LAYERS          := mmc base emu transport drive master tree
LAYER_USES_mmc       :=
LAYER_USES_base      := mmc
LAYER_USES_emu       := mmc base
LAYER_USES_transport := emu mmc base
LAYER_USES_drive     := transport emu mmc base
LAYER_USES_master    := drive mmc base
LAYER_USES_tree      := master drive mmc base
LINK_ORDER      := tree master drive transport emu base mmc
# The headers of include/discfs/ each layer offers; `make layers` also checks
# that no layer includes the header of a layer it may not call (a call
# through a function pointer leaves no undefined symbol to see).
LAYER_HEADERS_mmc       := mmc.h profile.h
LAYER_HEADERS_base      := log.h crc32.h volume.h
LAYER_HEADERS_emu       := emu.h
LAYER_HEADERS_transport := transport.h
LAYER_HEADERS_drive     := drive.h burn.h burn_log.h tower.h disc.h errors.h fifo.h speed.h read.h settings.h image_check.h
LAYER_HEADERS_master    := master.h
LAYER_HEADERS_tree      := tree.h fs.h
# $(call layer_libs,DIR): every layer library under DIR, in link order.
layer_libs       = $(foreach l,$(LINK_ORDER),$(1)/lib$(l).a)
empty      :=
space      := $(empty) $(empty)
comma      := ,

LIB_SRC    := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJ    := $(LIB_SRC:src/%.c=build/%.o)
SAN_OBJ    := $(LIB_SRC:src/%.c=build/san/%.o)
UNIT_SRC   := $(wildcard tests/unit/check_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=build/san/%)
LIBS       := $(call layer_libs,build)
SAN_LIBS   := $(call layer_libs,build/san)

MNT        ?= mnt
EMULATE    ?= dvd+rw

.PHONY: all layers run stop check check-busy unit integration integration-asan check-asan check-valgrind deps deps-test clean

all: discfs layers

discfs: build/main.o $(LIBS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/%.o: src/%.c
	@mkdir -p $(@D)
	$(COMPILE) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c
	@mkdir -p $(@D)
	$(COMPILE) $(DEPFLAGS) -O1 -g $(SAN) -c -o $@ $<

# lib<layer>.a in each build variant (plain, sanitized, fuzzing).
define layer_library
$(1)/lib$(2).a: $$(patsubst src/%.c,$(1)/%.o,$$(wildcard src/$(2)/*.c))
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach v,build build/san build/fuzz,$(foreach l,$(LAYERS),$(eval $(call layer_library,$(v),$(l)))))

build/san/discfs: build/san/main.o $(SAN_LIBS)
	$(CC) -O1 -g $(SAN) -o $@ $^ $(LDLIBS)

build/san/check_%: tests/unit/check_%.c $(SAN_LIBS)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPFLAGS) -O1 -g $(SAN) -o $@ $< $(SAN_LIBS) $(CHECK_LIBS) $(LDLIBS)

layers: $(LIBS)
	@tests/check-layers.sh build $(foreach l,$(LAYERS),$(l)=$(subst $(space),$(comma),$(strip $(LAYER_USES_$(l)))):$(subst $(space),$(comma),$(strip $(LAYER_HEADERS_$(l)))))

-include $(LIB_OBJ:.o=.d) $(SAN_OBJ:.o=.d) build/main.d build/san/main.d $(UNIT_BIN:=.d)

# Debian packages: installed only when something is missing, so a machine
# that has them builds offline.
deps:
	@pkg-config --exists $(PKGS) check && command -v fusermount3 >/dev/null || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEB_BUILD) $(DEB_RUN); }

deps-test: deps
	@command -v genisoimage >/dev/null && command -v xorriso >/dev/null && command -v pv >/dev/null && \
		command -v gio >/dev/null && command -v cd-info >/dev/null && command -v clang >/dev/null && command -v python3 >/dev/null && command -v xmllint >/dev/null && command -v wodim >/dev/null && command -v man >/dev/null && \
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

# INTEGRATION_SUITES picks some (t20-burn.sh ...); empty means all.
INTEGRATION_SUITES ?=
integration: discfs vdrive
	tests/integration/run-all.sh $(INTEGRATION_SUITES)

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

# The two integration passes run side by side (tests/integration/run-both.sh).
check: deps-test
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) discfs build/san/discfs vdrive
	tests/integration/run-both.sh

BUSY_TARGET ?= check
check-busy:
	tests/busy-check.sh $(BUSY_TARGET)

clean:
	rm -rf build discfs

include contrib/vdrive/Makefile.inc
include tests/fuzz/fuzz.mk
include contrib/install.mk
include tests/bench/bench.mk
