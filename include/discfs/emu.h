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

struct emu_config {
	const char *media;	/* "cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+rw",
				   "bd-r", "bd-re", "cd-rom", "dvd-rom", "none" */
	const char *image;	/* NULL: a temporary file, removed on destroy */
	double timescale;	/* > 0; 1 = real time */
	enum emu_disc_state state;
	const char *log_path;	/* NULL: no log.  Else one line per command:
				   "<emulated ns> <opcode hex> <NAME> <lba> <blocks> <K/ASC/ASCQ or ->" */
	uint32_t buffer_kib;	/* drive buffer; 0: the family default (2048 CD/DVD, 4096 BD) */
};

/* Parses "MEDIA[,image=PATH][,timescale=N][,state=blank|appendable|closed]
 * [,log=PATH][,buffer=KiB]" into *cfg, pointing into a copy it allocates in
 * *storage (free it after emu_create).  -EINVAL with *error set to a reason. */
int emu_parse_spec(const char *spec, struct emu_config *cfg, char **storage, const char **error);

/* NULL with errno set (EINVAL bad media name, or the image's open error). */
struct emu *emu_create(const struct emu_config *cfg);
void emu_destroy(struct emu *emu);

/* Executes one command.  Returns the SCSI status: 0 GOOD, 2 CHECK CONDITION
 * (sense filled, fixed format 70h, 18 bytes with byte 7 = 10).  data holds
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
 * unit attention 6/28/00 on the next command. */
int emu_load_media(struct emu *emu, const char *media, enum emu_disc_state state);
int emu_eject(struct emu *emu);		/* -EBUSY while PREVENT ALLOW holds it */
const char *emu_media_name(struct emu *emu);	/* "none" when empty */

/* Counters for tests and status. */
struct emu_stats {
	uint64_t commands;		/* every emu_exec */
	uint64_t sectors_written;
	uint64_t buffer_underruns;	/* buffer emptied mid-track (BUF-protected links) */
};
void emu_get_stats(struct emu *emu, struct emu_stats *out);

#endif
