/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The emulated MMC recorder.
 *
 * It answers CDBs exactly as a drive does (same reply bytes, same sense data),
 * so discfs, the vdrive pass-through server and the tests drive it with the
 * commands they would send to real hardware.  It models a medium (profile,
 * capacity, sessions and tracks, disc state), the speed descriptors of that
 * medium, a drive buffer that drains at the physical speed, and a clock that
 * runs `timescale` times faster than real time.
 *
 * What was "burned" lands in a sparse image file at LBA * 2048.  The medium's
 * layout (tracks, sessions, closed or not, formatted or not) is kept beside it
 * in "<image>.state" so a later run with the same image finds the same disc.
 *
 * Thread safety: every function may be called from any thread; commands are
 * serialised inside.
 */
#ifndef DISCFS_EMU_H
#define DISCFS_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discfs/mmc.h"

struct emu;

enum emu_disc_state {
	EMU_STATE_DEFAULT,	/* what <image>.state says, else blank (DVD+RW, BD-RE: formatted, empty) */
	EMU_STATE_BLANK,	/* DVD+RW, BD-RE: unformatted */
	EMU_STATE_APPENDABLE,	/* one closed session holding the image's ISO, or 1 MiB */
	EMU_STATE_CLOSED,	/* finalized */
};

/*
 * Fault injection, for reliability tests: the faults a recorder shows in the
 * field, each firing once on the first command of its kind after
 * after_sectors more sectors have been written (0: the next such command).
 * All fire on a WRITE, mid-burn, but the calibration fault without
 * after_sectors, which fires on SEND OPC.  Arming a fault
 * replaces the one armed before; EMU_FAULT_NONE disarms it and brings back a
 * vanished drive.
 */
enum emu_fault {
	EMU_FAULT_NONE,
	EMU_FAULT_MEDIUM_REMOVED,	/* the tray opens with the disc in it: 2/3A/02 until it closes */
	EMU_FAULT_WRITE_ERROR,		/* 3/0C/00 */
	EMU_FAULT_LOSS_OF_STREAMING,	/* 3/0C/09 */
	EMU_FAULT_POWER_CALIBRATION,	/* 3/73/03, on SEND OPC; with after_sectors, on a WRITE */
	EMU_FAULT_UNIT_ATTENTION,	/* 6/29/00: the drive was reset */
	EMU_FAULT_BECOMING_READY,	/* 2/04/01 */
	EMU_FAULT_TIMEOUT,		/* no answer: emu_exec returns -ETIMEDOUT */
	EMU_FAULT_VANISH,		/* that command and every later one: -ENODEV */
	EMU_FAULT_UNREADABLE,		/* damaged sectors: every READ of them 3/11/00, for good
					   (emu_damage_sectors; not armed by emu_inject_fault) */
	EMU_FAULT_STALL,		/* a WRITE that touches given sectors never comes back: the
					   drive hangs there until its process dies, or until
					   EMU_FAULT_NONE is armed (the WRITE then fails -ETIMEDOUT);
					   the log has it as it hangs (emu_stall_writes; not armed
					   by emu_inject_fault) */
};

struct emu_config {
	const char *media;	/* "cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+rw",
				   "bd-r", "bd-re", "cd-rom", "dvd-rom", "none" */
	const char *image;	/* NULL: a temporary file, removed on destroy */
	double timescale;	/* > 0; 1 = real time */
	bool virtual_clock;	/* timescale=virtual: time passes only when a sleep on the
				   emulated clock asks it to, or an eighth of a long
				   operation on at each poll of it, so pacing is measured exactly,
				   whatever the host's load; a writer's speed no longer counts */
	enum emu_disc_state state;
	const char *log_path;	/* NULL: no log.  Else one line per command:
				   "<emulated ns> <opcode hex> <NAME> <lba> <blocks> <K/ASC/ASCQ or ->";
				   PREVENT_ALLOW logs its Prevent bit as <lba>, a command that
				   did not come back ETIMEDOUT or ENODEV as its sense, and
				   a stalled WRITE STALLED, as it stalls */
	uint32_t buffer_kib;	/* drive buffer; 0: the family default (2048 CD/DVD, 4096 BD) */
	enum emu_fault fault;	/* armed at creation (emu_inject_fault) */
	uint32_t fault_after;	/* ... to fire after this many sectors are written;
				   EMU_FAULT_UNREADABLE, EMU_FAULT_STALL: the first LBA */
	uint32_t fault_last_lba;	/* EMU_FAULT_UNREADABLE, EMU_FAULT_STALL: the last LBA */
};

/* Parses "MEDIA[,image=PATH][,timescale=N|virtual][,state=blank|appendable|closed]
 * [,log=PATH][,buffer=KiB][,fault=KIND[@SECTORS]|unreadable@LBA[-LBA]|stall@LBA[-LBA]]" into *cfg (KIND: see
 * emu_fault_by_name), pointing into a copy it allocates in
 * *storage (free it after emu_create).  -EINVAL with *error set to a reason. */
int emu_parse_spec(const char *spec, struct emu_config *cfg, char **storage, const char **error);

/* NULL with errno set: EINVAL for a bad media name or a state the medium
 * cannot be in; without a state, EMEDIUMTYPE when "<image>.state" describes
 * another medium (emu_state_medium names it), EBADMSG when it is not a
 * layout the medium could have; or the image's open error. */
struct emu *emu_create(const struct emu_config *cfg);

/* The medium "<image>.state" describes ("dvd+r"): 0, -ENOENT with no such
 * file, -ENODATA when it names none. */
int emu_state_medium(const char *image, char *name, size_t size);
void emu_destroy(struct emu *emu);

/* Executes one command.  Returns the SCSI status: 0 GOOD, 2 CHECK CONDITION
 * (sense filled, fixed format 70h, 18 bytes with byte 7 = 10), or a negative
 * errno when the command never came back, as an injected fault makes it:
 * -ETIMEDOUT (no answer in time) or -ENODEV (the drive is gone); a transport
 * reports those as its own failures.  data holds
 * data_len bytes: read into for data-in commands, read from for data-out.
 * *transferred is set to the number of data bytes moved.  A WRITE that finds
 * the drive buffer full blocks (on the emulated clock) until the buffer has
 * drained enough, as a drive does. */
int emu_exec(struct emu *emu, const uint8_t *cdb, size_t cdb_len, enum mmc_dir dir, void *data, size_t data_len,
	     size_t *transferred, uint8_t sense[18]);

/* The emulated clock, nanoseconds since creation, and a sleep on it. */
uint64_t emu_now_ns(struct emu *emu);
void emu_sleep_until_ns(struct emu *emu, uint64_t deadline_ns);

/* Tray and media, as a person at the drive would change them.  Loading
 * media closes the tray and raises "new media" (GET EVENT STATUS) and a
 * unit attention 6/28/00 on the next command.  A disc loaded this way is a
 * new one: blank (the image emptied) unless state asks otherwise; -EINVAL
 * for a state the medium cannot be in (a DVD+RW closed). */
int emu_load_media(struct emu *emu, const char *media, enum emu_disc_state state);
int emu_eject(struct emu *emu);		/* -EBUSY while PREVENT ALLOW holds it */
const char *emu_media_name(struct emu *emu);	/* "none" when empty */

/* Counters for tests and status. */
struct emu_stats {
	uint64_t commands;		/* every emu_exec */
	uint64_t sectors_written;
	uint64_t buffer_underruns;	/* buffer emptied mid-track (BUF-protected links) */
	uint64_t faults_fired;		/* injected faults that have fired */
	bool removal_prevented;		/* PREVENT ALLOW MEDIUM REMOVAL's current state */
};
void emu_get_stats(struct emu *emu, struct emu_stats *out);

/* Arms a fault (enum emu_fault above); 0, or -EINVAL for an unknown one. */
int emu_inject_fault(struct emu *emu, enum emu_fault fault, uint32_t after_sectors);
/* Damages LBAs first..last: from now on every READ that touches one fails
 * with 3/11/00 (unrecovered read error), as a scratched disc does; 0, or
 * -EINVAL when last < first. */
int emu_damage_sectors(struct emu *emu, uint32_t first, uint32_t last);
/* From now on a WRITE that touches LBAs first..last stalls (EMU_FAULT_STALL):
 * a crash between two writes of a burn, made exact, for the tests that kill
 * the host there.  0, or -EINVAL when last < first. */
int emu_stall_writes(struct emu *emu, uint32_t first, uint32_t last);
/* "medium-removed", "write-error", "loss-of-streaming", "power-calibration",
 * "unit-attention", "becoming-ready", "timeout", "vanish", "unreadable", "stall" (and "none"):
 * 0, or -EINVAL for another word. */
int emu_fault_by_name(const char *name, enum emu_fault *out);

#endif
