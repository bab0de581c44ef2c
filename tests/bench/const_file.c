/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * const_file: FUSE's floor for reading a small file.  A libfuse3
 * high-level filesystem with one file, /value, holding "2295104\n", served
 * with libfuse's defaults (page cache, 1 s attribute timeout, flush sent),
 * the least a FUSE file can cost to open, read and close.  Mounted the way
 * discfs mounts (fuse_main, multithreaded loop, default_permissions).
 * With --direct-io it is opened as discfs opens its values (direct_io, no
 * FLUSH): each read goes to the daemon, so a cat pays a second READ that
 * finds the end, where the page cache answers it from the file's size.
 *
 *   const_file [--direct-io] [-f] [FUSE options] MOUNTPOINT
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <stdbool.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VALUE_PATH "/value"
static const char value[] = "2295104\n";
static bool direct_io;

static int const_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
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
	if (strcmp(path, VALUE_PATH) != 0)
		return -ENOENT;
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	st->st_size = sizeof(value) - 1;
	return 0;
}

static int const_open(const char *path, struct fuse_file_info *fi)
{
	fi->direct_io = direct_io;
	fi->noflush = direct_io;
	return strcmp(path, VALUE_PATH) == 0 ? 0 : -ENOENT;
}

static int const_read(const char *path, char *buf, size_t size, off_t offset, struct fuse_file_info *fi)
{
	size_t len = sizeof(value) - 1;

	(void)path;
	(void)fi;
	if ((size_t)offset >= len)
		return 0;
	if (size > len - (size_t)offset)
		size = len - (size_t)offset;
	memcpy(buf, value + offset, size);
	return (int)size;
}

static const struct fuse_operations const_ops = {
	.getattr = const_getattr,
	.open = const_open,
	.read = const_read,
};

int main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "--direct-io") == 0) {
		direct_io = true;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	return fuse_main(argc, argv, &const_ops, NULL);
}
