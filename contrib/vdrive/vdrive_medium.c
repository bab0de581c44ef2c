/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The medium files: a small FUSE file system with, per drive, "srN" and
 * "srN.excl".  libvdrive.so opens one of them when a program opens /dev/srN,
 * so the program holds a real fd: read(), pread() and lseek() reach the disc
 * through READ(10) on the emulator, and the fd survives fork and exec.
 *
 * Opening "srN.excl" is an O_EXCL open: it claims the drive the way a block
 * device is claimed, and the claim ends when the kernel sends RELEASE, i.e.
 * when the last fd sharing that open file description is closed, in whatever
 * process that happens.
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vdrive_server.h"

#define SECTORS_PER_COMMAND 32

static struct vdrive_server *server;
static struct fuse *fuse;
static pthread_t loop_thread;

/* "/srN" or "/srN.excl" to a drive index; -ENOENT otherwise. */
static int parse_name(const char *path, bool *exclusive)
{
	unsigned minor;
	int end = 0;

	if (sscanf(path, "/sr%u%n", &minor, &end) != 1 || path[3] < '0' || path[3] > '9')
		return -ENOENT;
	if (!strcmp(path + end, ".excl"))
		*exclusive = true;
	else if (path[end] == '\0')
		*exclusive = false;
	else
		return -ENOENT;
	for (size_t i = 0; i < server->ndevices; i++)
		if (server->devices[i].minor == minor)
			return (int)i;
	return -ENOENT;
}

static int run(size_t index, const uint8_t *cdb, size_t cdb_len, enum mmc_dir dir, void *data, size_t len,
	       uint8_t *sense)
{
	size_t transferred;

	return vdrive_device_exec(server, index, cdb, cdb_len, dir, data, len, &transferred, sense);
}

/* The disc's size as READ CAPACITY gives it; 0 without a readable disc.
 * Only at open, after the TEST UNIT READY that takes a unit attention. */
static uint64_t read_capacity_bytes(size_t index)
{
	uint8_t cdb[10] = { MMC_READ_CAPACITY }, reply[8] = { 0 }, sense[VDRIVE_SENSE_LEN];
	uint32_t last_lba;

	if (run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), sense) != 0)
		return 0;
	last_lba = mmc_get32(reply);
	return last_lba == UINT32_MAX ? 0 : ((uint64_t)last_lba + 1) * MMC_SECTOR_SIZE;
}

/* TEST UNIT READY as sr does when a device is opened: a unit attention
 * (media changed) is taken here, the next try tells whether a disc is in. */
static bool medium_present(size_t index)
{
	uint8_t cdb[6] = { MMC_TEST_UNIT_READY }, sense[VDRIVE_SENSE_LEN];
	int status = run(index, cdb, sizeof(cdb), MMC_DIR_NONE, NULL, 0, sense);

	if (status == MMC_CHECK_CONDITION && (sense[2] & 0x0F) == SK_UNIT_ATTENTION)
		status = run(index, cdb, sizeof(cdb), MMC_DIR_NONE, NULL, 0, sense);
	return status == 0 || (status == MMC_CHECK_CONDITION && sense[12] != ASC_MEDIUM_NOT_PRESENT);
}

/* Media the block layer lets one write: the random-writable profiles (cdrom.c's CDC_RAM). */
static bool medium_random_writable(size_t index)
{
	uint8_t cdb[10] = { MMC_GET_CONFIGURATION, 0x01 }, reply[8] = { 0 }, sense[VDRIVE_SENSE_LEN];
	uint16_t profile;

	mmc_put16(cdb + 7, sizeof(reply));
	if (run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), sense) != 0)
		return false;
	profile = mmc_get16(reply + 6);
	return profile == 0x12 || profile == 0x1A || profile == 0x2A || profile == 0x43;
}

static void *medium_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* Media change under the files: never trust cached names, sizes or data. */
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->use_ino = 1;
	cfg->direct_io = 1;
	return NULL;
}

/* The size the block device has now: what its last open found. */
static uint64_t capacity_bytes(size_t index)
{
	uint64_t bytes;

	pthread_mutex_lock(&server->lock);
	bytes = server->devices[index].capacity;
	pthread_mutex_unlock(&server->lock);
	return bytes;
}

static int medium_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	bool exclusive;
	int index;

	(void)fi;
	memset(st, 0, sizeof(*st));
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		st->st_ino = 1;
		return 0;
	}
	index = parse_name(path, &exclusive);
	if (index < 0)
		return index;
	st->st_mode = S_IFREG | 0666;
	st->st_nlink = 1;
	st->st_ino = VDRIVE_MEDIUM_INO_BASE + 2 * (ino_t)index + exclusive;
	st->st_size = (off_t)capacity_bytes((size_t)index);
	return 0;
}

static int medium_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
			  struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char name[32];

	(void)offset, (void)fi, (void)flags;
	if (strcmp(path, "/"))
		return -ENOTDIR;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	for (size_t i = 0; i < server->ndevices; i++) {
		snprintf(name, sizeof(name), "sr%u", server->devices[i].minor);
		filler(buf, name, NULL, 0, 0);
		snprintf(name, sizeof(name), "sr%u.excl", server->devices[i].minor);
		filler(buf, name, NULL, 0, 0);
	}
	return 0;
}

/* As blkdev_open then cdrom_open: claim, then without O_NONBLOCK insist on a disc,
 * and for writing on a random-writable one. */
static int medium_open(const char *path, struct fuse_file_info *fi)
{
	bool exclusive, writing = (fi->flags & O_ACCMODE) != O_RDONLY;
	int index = parse_name(path, &exclusive), ret = 0;
	struct vdrive_device *dev;
	uint64_t capacity;

	if (index < 0)
		return index;
	dev = &server->devices[index];
	pthread_mutex_lock(&server->lock);
	if (exclusive && dev->exclusive) {
		pthread_mutex_unlock(&server->lock);
		return -EBUSY;
	}
	dev->exclusive |= exclusive;
	dev->opens++;
	pthread_mutex_unlock(&server->lock);

	if (!medium_present((size_t)index) && !(fi->flags & O_NONBLOCK))
		ret = -ENOMEDIUM;
	else if (writing && !(fi->flags & O_NONBLOCK) && !medium_random_writable((size_t)index))
		ret = -EROFS;
	if (ret) {
		pthread_mutex_lock(&server->lock);
		dev->exclusive &= !exclusive;
		dev->opens--;
		pthread_mutex_unlock(&server->lock);
		return ret;
	}
	/* As sr revalidates the disk on open: the size for stat, lseek and read. */
	capacity = read_capacity_bytes((size_t)index);
	pthread_mutex_lock(&server->lock);
	dev->capacity = capacity;
	pthread_mutex_unlock(&server->lock);
	fi->fh = (uint64_t)index << 1 | exclusive;
	fi->direct_io = 1;
	return 0;
}

static int medium_release(const char *path, struct fuse_file_info *fi)
{
	struct vdrive_device *dev = &server->devices[fi->fh >> 1];

	(void)path;
	pthread_mutex_lock(&server->lock);
	if (fi->fh & 1)
		dev->exclusive = false;
	dev->opens--;
	pthread_mutex_unlock(&server->lock);
	return 0;
}

/* Reads or writes whole sectors [lba, lba + count) through READ(10)/WRITE(10). */
static int transfer_sectors(size_t index, uint8_t opcode, uint32_t lba, uint32_t count, uint8_t *buf)
{
	uint8_t cdb[10] = { opcode }, sense[VDRIVE_SENSE_LEN];
	enum mmc_dir dir = opcode == MMC_READ10 ? MMC_DIR_READ : MMC_DIR_WRITE;

	mmc_put32(cdb + 2, lba);
	mmc_put16(cdb + 7, (uint16_t)count);
	return run(index, cdb, sizeof(cdb), dir, buf, (size_t)count * MMC_SECTOR_SIZE, sense) == 0 ? 0 : -EIO;
}

/* Any byte range, as the block layer allows: past the end of the disc reads end (0 bytes). */
static int medium_read(const char *path, char *out, size_t size, off_t offset, struct fuse_file_info *fi)
{
	size_t index = fi->fh >> 1, done = 0;
	uint8_t buf[SECTORS_PER_COMMAND * MMC_SECTOR_SIZE];
	uint64_t end = capacity_bytes(index);

	(void)path;
	if (offset < 0)
		return -EINVAL;
	if ((uint64_t)offset >= end)
		return 0;
	if (size > end - (uint64_t)offset)
		size = (size_t)(end - (uint64_t)offset);
	while (done < size) {
		uint64_t pos = (uint64_t)offset + done;
		uint32_t lba = (uint32_t)(pos / MMC_SECTOR_SIZE);
		size_t skip = pos % MMC_SECTOR_SIZE, want = size - done;
		uint32_t count = (uint32_t)((skip + want + MMC_SECTOR_SIZE - 1) / MMC_SECTOR_SIZE);

		if (count > SECTORS_PER_COMMAND)
			count = SECTORS_PER_COMMAND;
		if (transfer_sectors(index, MMC_READ10, lba, count, buf) < 0)
			return done ? (int)done : -EIO;
		if (want > count * MMC_SECTOR_SIZE - skip)
			want = count * MMC_SECTOR_SIZE - skip;
		memcpy(out + done, buf + skip, want);
		done += want;
	}
	return (int)done;
}

/* Whole sectors only: a partial one would need the read-modify-write the page cache does. */
static int medium_write(const char *path, const char *in, size_t size, off_t offset, struct fuse_file_info *fi)
{
	size_t index = fi->fh >> 1, done = 0;
	uint8_t buf[SECTORS_PER_COMMAND * MMC_SECTOR_SIZE];

	(void)path;
	if (offset < 0 || offset % MMC_SECTOR_SIZE || size % MMC_SECTOR_SIZE)
		return -EINVAL;
	while (done < size) {
		size_t chunk = size - done < sizeof(buf) ? size - done : sizeof(buf);

		memcpy(buf, in + done, chunk);
		if (transfer_sectors(index, MMC_WRITE10, (uint32_t)(((uint64_t)offset + done) / MMC_SECTOR_SIZE),
				     (uint32_t)(chunk / MMC_SECTOR_SIZE), buf) < 0)
			return done ? (int)done : -EIO;
		done += chunk;
	}
	return (int)done;
}

static const struct fuse_operations medium_operations = {
	.init = medium_init,
	.getattr = medium_getattr,
	.readdir = medium_readdir,
	.open = medium_open,
	.release = medium_release,
	.read = medium_read,
	.write = medium_write,
};

static void *serve_medium(void *arg)
{
	(void)arg;
	fuse_loop(fuse);
	return NULL;
}

int vdrive_medium_start(struct vdrive_server *srv)
{
	char *argv[] = { "vdrive-server", "-o", "fsname=vdrive,subtype=vdrive", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);

	server = srv;
	fuse = fuse_new(&args, &medium_operations, sizeof(medium_operations), NULL);
	fuse_opt_free_args(&args);
	if (!fuse)
		return -EIO;
	if (fuse_mount(fuse, srv->medium_dir) < 0) {
		fuse_destroy(fuse);
		return -EIO;
	}
	if (pthread_create(&loop_thread, NULL, serve_medium, NULL) != 0) {
		fuse_unmount(fuse);
		fuse_destroy(fuse);
		return -EIO;
	}
	return 0;
}

void vdrive_medium_stop(void)
{
	fuse_exit(fuse);
	fuse_unmount(fuse);
}
