/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside libvdrive.so: the connection to vdrive-server, as the ioctl side uses it. */
#ifndef VDRIVE_CLIENT_H
#define VDRIVE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discfs/mmc.h"
#include "vdrive_proto.h"

/* What one CDB did.  transport_error is -errno when the server could not be
 * reached (the command did not run); the other fields are then zero. */
struct vdrive_result {
	int transport_error;
	uint8_t status;
	uint8_t sense_len;
	uint8_t sense[VDRIVE_SENSE_LEN];
	size_t transferred;
};

/* Runs a CDB on drive index; data is data_len bytes to send or to fill. */
void vdrive_client_exec(unsigned index, const uint8_t *cdb, size_t cdb_len, enum mmc_dir dir, void *data,
			size_t data_len, struct vdrive_result *result);
/* Media generation and open count of a drive.  0 or -errno. */
int vdrive_client_info(unsigned index, struct vdrive_reply *reply);
/* /dev/srMINOR of drive index. */
unsigned vdrive_client_minor(unsigned index);

/* Size in bytes of the disc behind fd, a medium file: its st_size. */
uint64_t vdrive_client_medium_size(int fd);

/* An ioctl on fd, of drive index: the return value and errno the kernel's sr would give. */
int vdrive_ioctl(int fd, unsigned index, unsigned long request, void *arg);

#endif
