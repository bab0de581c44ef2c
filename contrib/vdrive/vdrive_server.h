/* SPDX-License-Identifier: GPL-3.0-or-later */
/* State shared by the socket side (vdrive_server.c) and the medium files (vdrive_medium.c). */
#ifndef VDRIVE_SERVER_H
#define VDRIVE_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "discfs/emu.h"
#include "vdrive_proto.h"

struct vdrive_device {
	struct emu *emu;	/* NULL once the server is stopping */
	unsigned minor;		/* /dev/srMINOR */
	/* Guarded by vdrive_server.lock: */
	unsigned opens;		/* open medium files: cdrom.c's use_count */
	bool exclusive;		/* an O_EXCL open holds the drive, as a block-device claim does */
	uint32_t generation;	/* media changes so far */
	/* The block device's size in bytes, from READ CAPACITY when it was last
	 * opened.  The kernel keeps it with the disk too: a stat, lseek or read
	 * sends no command, so it cannot take a unit attention meant for the
	 * program's next CDB. */
	uint64_t capacity;
	/* CLOCK_REALTIME when the last command, and the last WRITE(10)/(12),
	 * was answered: the end of a writer's data against its exit. */
	struct timespec last_command, last_write;
};

struct vdrive_server {
	/* Read-held around every use of an emulator, write-held to destroy them. */
	pthread_rwlock_t lifetime;
	pthread_mutex_t lock;
	size_t ndevices;
	struct vdrive_device devices[VDRIVE_MAX_DEVICES];
	char medium_dir[VDRIVE_PATH_MAX];
};

/* emu_exec on one drive; a START STOP UNIT that loads or ejects counts as a
 * media change, and the time each command is answered is kept.  Returns the SCSI status, or -ENXIO once the server stops. */
int vdrive_device_exec(struct vdrive_server *server, size_t index, const uint8_t *cdb, size_t cdb_len,
		       enum mmc_dir dir, void *data, size_t data_len, size_t *transferred,
		       uint8_t sense[VDRIVE_SENSE_LEN]);

/* Mounts the FUSE file system of media files on server->medium_dir and serves it from a thread. */
int vdrive_medium_start(struct vdrive_server *server);
/* Detaches the mount; files still open keep working until closed. */
void vdrive_medium_stop(void);

#endif
