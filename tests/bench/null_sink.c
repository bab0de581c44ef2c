/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * null_sink: the yardstick for the burn-path benchmark.  A libfuse3
 * high-level filesystem with one file, /sink, that accepts every write and
 * keeps nothing.  It is built and mounted the way discfs mounts (fuse_main,
 * multithreaded loop, direct I/O on the open file, default_permissions), so
 * the difference between `dd` into it and `dd` into driveN/burn is what
 * discfs itself costs: its FIFO, engine thread and emulated drive.
 *
 * With --ring-mib=N each write is first copied into a ring of N MiB, then
 * dropped: the one memcpy per byte that any design with a host buffer
 * (discfs's FIFO) must pay, so the benchmark can show what is left above it.
 *
 *   null_sink [-f] [--ring-mib=N] [FUSE options] MOUNTPOINT
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fuse.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SINK_NAME "sink"

struct sink_options {
	unsigned ring_mib;
};
static struct sink_options opts;

static const struct fuse_opt sink_opts[] = {
	{ "--ring-mib=%u", offsetof(struct sink_options, ring_mib), 0 },
	FUSE_OPT_END,
};

static unsigned char *ring;
static size_t ring_size, ring_pos;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;

/* Claims the next len bytes of the ring (wrapping), so concurrent writes
 * copy into distinct places, then copies outside the lock as discfs's
 * writer does. */
static void ring_copy(const char *buf, size_t len)
{
	while (len > 0) {
		size_t at, chunk;

		pthread_mutex_lock(&ring_lock);
		at = ring_pos;
		chunk = ring_size - at < len ? ring_size - at : len;
		ring_pos = (at + chunk) % ring_size;
		pthread_mutex_unlock(&ring_lock);
		memcpy(ring + at, buf, chunk);
		buf += chunk;
		len -= chunk;
	}
}

static int sink_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/" SINK_NAME) == 0) {
		/* Mode and size as discfs's burn file: write-only, empty. */
		st->st_mode = S_IFREG | 0200;
		st->st_nlink = 1;
		return 0;
	}
	return -ENOENT;
}

static int sink_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
			struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)offset;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOTDIR;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	filler(buf, SINK_NAME, NULL, 0, 0);
	return 0;
}

static int sink_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/" SINK_NAME) != 0)
		return -ENOENT;
	/* discfs opens burn with direct_io so each write() reaches it as it
	 * happens; the sink must pay the same per-request cost. */
	fi->direct_io = 1;
	return 0;
}

static int sink_write(const char *path, const char *buf, size_t size, off_t offset, struct fuse_file_info *fi)
{
	(void)path;
	(void)offset;
	(void)fi;
	if (ring)
		ring_copy(buf, size);
	return (int)size;
}

/* dd opens with O_TRUNC: accept it, as discfs does for burn. */
static int sink_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	return strcmp(path, "/" SINK_NAME) == 0 ? 0 : -EACCES;
}

static const struct fuse_operations sink_ops = {
	.getattr = sink_getattr,
	.readdir = sink_readdir,
	.open = sink_open,
	.write = sink_write,
	.truncate = sink_truncate,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	int rc;

	/* discfs always mounts with default_permissions (the kernel checks
	 * modes); the yardstick pays for the same checks. */
	if (fuse_opt_parse(&args, &opts, sink_opts, NULL) == -1 ||
	    fuse_opt_add_arg(&args, "-odefault_permissions") == -1)
		return 1;
	if (opts.ring_mib) {
		ring_size = (size_t)opts.ring_mib << 20;
		ring = malloc(ring_size);
		if (!ring) {
			fprintf(stderr, "null_sink: no memory for a %u MiB ring\n", opts.ring_mib);
			return 1;
		}
	}
	rc = fuse_main(args.argc, args.argv, &sink_ops, NULL);
	fuse_opt_free_args(&args);
	free(ring);
	return rc;
}
