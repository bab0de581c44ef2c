/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The wire protocol between libvdrive.so (and vdrive-ctl) and vdrive-server.
 *
 * One AF_UNIX SOCK_SEQPACKET connection per client process.  Each exchange is
 * a request followed by its reply; a request or reply is one fixed-size
 * header message, then its data as messages of at most VDRIVE_CHUNK bytes
 * (a socket's send buffer is too small for a whole 256 KiB WRITE).  Both ends
 * run on the same machine, so the structs travel in host byte order.
 */
#ifndef VDRIVE_PROTO_H
#define VDRIVE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define VDRIVE_PROTO_VERSION 1
#define VDRIVE_MAX_DEVICES 8
/* Data bytes one command may move: what sr reports as max_sectors_kb (256). */
#define VDRIVE_MAX_TRANSFER (256 * 1024)
#define VDRIVE_CHUNK (64 * 1024)
#define VDRIVE_CDB_MAX 16
#define VDRIVE_SENSE_LEN 18
#define VDRIVE_NAME_MAX 32
#define VDRIVE_PATH_MAX 512
/* The medium files: inode VDRIVE_MEDIUM_INO_BASE + 2 * index is "srN", the
 * next one "srN.excl", the name whose open claims the drive exclusively. */
#define VDRIVE_MEDIUM_INO_BASE 1000
#define VDRIVE_MAJOR 11		/* SCSI_CDROM_MAJOR */

enum vdrive_op {
	VDRIVE_OP_HELLO = 1,	/* which drives, where their media are */
	VDRIVE_OP_EXEC,		/* run one CDB */
	VDRIVE_OP_INFO,		/* media-change generation, open count of one drive */
	VDRIVE_OP_LOAD,		/* insert media (vdrive-ctl) */
	VDRIVE_OP_EJECT,	/* remove media (vdrive-ctl) */
	VDRIVE_OP_STATUS,	/* a text report (vdrive-ctl) */
};

struct vdrive_request {
	uint32_t version;
	uint32_t op;
	uint32_t device;		/* index into the HELLO list */
	uint32_t dir;			/* enum mmc_dir */
	uint32_t data_len;		/* EXEC: data-out bytes that follow, or data-in bytes wanted */
	uint32_t state;			/* LOAD: enum emu_disc_state */
	uint8_t cdb_len;
	uint8_t cdb[VDRIVE_CDB_MAX];
	char media[VDRIVE_NAME_MAX];	/* LOAD: "dvd-r", ... */
};

struct vdrive_reply {
	int32_t error;			/* 0, or a negative errno: the request was not carried out */
	uint8_t status;			/* EXEC: SCSI status */
	uint8_t sense_len;
	uint8_t sense[VDRIVE_SENSE_LEN];
	uint32_t data_len;		/* data-in bytes that follow */
	/* HELLO */
	uint32_t ndevices;
	uint32_t minors[VDRIVE_MAX_DEVICES];
	char medium_dir[VDRIVE_PATH_MAX];
	/* INFO */
	uint32_t generation;		/* bumped by every media change */
	uint32_t opens;			/* open files on the drive, across processes */
	char media[VDRIVE_NAME_MAX];
};

/* Sends a header message, then data_len bytes of data in chunks.  0 or -errno. */
int vdrive_send(int sock, const void *header, size_t header_len, const void *data, size_t data_len);
/* Receives one header message of exactly header_len bytes. 0, -errno, or -EPROTO on a wrong size. */
int vdrive_recv_header(int sock, void *header, size_t header_len);
/* Receives exactly data_len bytes of chunks into data.  0, -errno or -EPROTO. */
int vdrive_recv_data(int sock, void *data, size_t data_len);
/* Connects a SOCK_SEQPACKET, close-on-exec socket to path.  The fd or -errno. */
int vdrive_connect(const char *path);

#endif
