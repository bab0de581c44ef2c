# SPDX-License-Identifier: GPL-3.0-or-later
# make install / make uninstall, included from the top-level Makefile.
#
#   make install                        into /usr/local
#   make install PREFIX=/usr DESTDIR=$(pwd)/pkg   staged, as a package build does
#
# Where each file goes (every path below is under $(DESTDIR)):
#   $(PREFIX)/bin/discfs
#   $(PREFIX)/share/man/man1/discfs.1
#   $(PREFIX)/share/bash-completion/completions/discfs
#   $(PREFIX)/share/doc/discfs/examples/burn-verify-eject.sh
#   $(SYSTEMDUNITDIR)/discfs@.service    /usr/lib/systemd/system with PREFIX=/usr,
#                                        else /etc/systemd/system
#   $(UDEVRULESDIR)/70-discfs.rules      /usr/lib/udev/rules.d with PREFIX=/usr,
#                                        else /etc/udev/rules.d
#   $(MOUNTPATHDIR)/discfs               a symlink, only when BINDIR is not
#                                        where mount(8) looks (below)
#
# systemd and udev read fixed directories, not $(PREFIX)'s: udev never
# looks in /usr/local, so a local install puts both beside the admin's own
# files in /etc, and a package (PREFIX=/usr) in /usr/lib.
#
# `mount -t fuse.discfs` and fstab lines run mount.fuse3, which starts
# `discfs` through /bin/sh with the PATH mount(8) leaves it: none, so the
# shell's default, /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin.
# A BINDIR outside those gets a symlink in MOUNTPATHDIR so mount finds it.

PREFIX         ?= /usr/local
BINDIR         ?= $(PREFIX)/bin
MANDIR         ?= $(PREFIX)/share/man
BASHCOMPDIR    ?= $(PREFIX)/share/bash-completion/completions
EXAMPLESDIR    ?= $(PREFIX)/share/doc/discfs/examples
ifeq ($(PREFIX),/usr)
SYSTEMDUNITDIR ?= /usr/lib/systemd/system
UDEVRULESDIR   ?= /usr/lib/udev/rules.d
else
SYSTEMDUNITDIR ?= /etc/systemd/system
UDEVRULESDIR   ?= /etc/udev/rules.d
endif
MOUNTPATHDIR   ?= /usr/local/sbin
MOUNT_SEARCH   := /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin
INSTALL        ?= install

.PHONY: install uninstall

install: discfs
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(UDEVRULESDIR)
	$(INSTALL) -m 0755 discfs $(DESTDIR)$(BINDIR)/discfs
	$(INSTALL) -m 0644 contrib/discfs.1 $(DESTDIR)$(MANDIR)/man1/discfs.1
	$(INSTALL) -m 0644 contrib/bash-completion/discfs $(DESTDIR)$(BASHCOMPDIR)/discfs
	$(INSTALL) -m 0755 contrib/examples/burn-verify-eject.sh $(DESTDIR)$(EXAMPLESDIR)/burn-verify-eject.sh
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/systemd/discfs@.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/discfs@.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/discfs@.service
	$(INSTALL) -m 0644 contrib/udev/70-discfs.rules $(DESTDIR)$(UDEVRULESDIR)/70-discfs.rules
ifeq ($(filter $(BINDIR),$(MOUNT_SEARCH)),)
	$(INSTALL) -d $(DESTDIR)$(MOUNTPATHDIR)
	ln -sf $(BINDIR)/discfs $(DESTDIR)$(MOUNTPATHDIR)/discfs
endif

# Removes only discfs's own files, and the one directory that is discfs's.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/discfs $(DESTDIR)$(MANDIR)/man1/discfs.1 \
		$(DESTDIR)$(BASHCOMPDIR)/discfs $(DESTDIR)$(EXAMPLESDIR)/burn-verify-eject.sh \
		$(DESTDIR)$(SYSTEMDUNITDIR)/discfs@.service $(DESTDIR)$(UDEVRULESDIR)/70-discfs.rules
	rmdir $(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(PREFIX)/share/doc/discfs 2>/dev/null || true
ifeq ($(filter $(BINDIR),$(MOUNT_SEARCH)),)
	@if [ -L $(DESTDIR)$(MOUNTPATHDIR)/discfs ] && \
	    [ "$$(readlink $(DESTDIR)$(MOUNTPATHDIR)/discfs)" = $(BINDIR)/discfs ]; then \
		echo rm -f $(DESTDIR)$(MOUNTPATHDIR)/discfs; rm -f $(DESTDIR)$(MOUNTPATHDIR)/discfs; fi
endif
