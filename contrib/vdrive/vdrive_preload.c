/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libvdrive.so: makes the recorders of a vdrive-server appear as /dev/srN.
 *
 * LD_PRELOAD it with VDRIVE_SOCKET=/path/to/socket.  The server names its
 * drives; for each, the path family (open, stat, access, readlink, realpath, xattrs)
 * answers as for a block device 11:N, and /dev/cdrom is a link to the first.
 * Opening /dev/srN opens the server's medium file for that drive instead, so
 * the program holds a real fd: reads, lseek, fork and exec work unchanged.
 * The fd is recognised later by its device and inode, in whatever process
 * holds it; ioctls on it are translated in vdrive_ioctl.c.  Without
 * VDRIVE_SOCKET, or when the server is gone, every call passes through.
 */
#undef _FORTIFY_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "vdrive_client.h"

/* The legacy stat entry points, still called by binaries built before glibc 2.33. */
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
/* What _FORTIFY_SOURCE builds call instead of open, readlink and realpath. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
char *__realpath_chk(const char *path, char *resolved, size_t resolved_len);
ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buf_len);

/* An O_EXCL open may find the claim of a file just closed: FUSE sends RELEASE asynchronously. */
#define EXCL_RETRY_NS (4 * 1000 * 1000)
#define EXCL_RETRIES 50
/* Inode of /dev/srN in the synthesized stat; any stable number unused by devtmpfs will do. */
#define DEV_NODE_INO_BASE 0x7d0000

static struct {
	int (*open)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*stat)(const char *, struct stat *);
	int (*stat64)(const char *, struct stat64 *);
	int (*lstat)(const char *, struct stat *);
	int (*lstat64)(const char *, struct stat64 *);
	int (*fstat)(int, struct stat *);
	int (*fstat64)(int, struct stat64 *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*fstatat64)(int, const char *, struct stat64 *, int);
	int (*xstat)(int, const char *, struct stat *);
	int (*xstat64)(int, const char *, struct stat64 *);
	int (*lxstat)(int, const char *, struct stat *);
	int (*lxstat64)(int, const char *, struct stat64 *);
	int (*fxstat)(int, int, struct stat *);
	int (*fxstat64)(int, int, struct stat64 *);
	int (*fxstatat)(int, int, const char *, struct stat *, int);
	int (*fxstatat64)(int, int, const char *, struct stat64 *, int);
	int (*statx)(int, const char *, int, unsigned, struct statx *);
	int (*access)(const char *, int);
	int (*faccessat)(int, const char *, int, int);
	ssize_t (*readlinkat)(int, const char *, char *, size_t);
	char *(*realpath)(const char *, char *);
	ssize_t (*getxattr)(const char *, const char *, void *, size_t);
	ssize_t (*lgetxattr)(const char *, const char *, void *, size_t);
	ssize_t (*listxattr)(const char *, char *, size_t);
	ssize_t (*llistxattr)(const char *, char *, size_t);
	int (*ioctl)(int, unsigned long, ...);
} real;

static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void resolve_real(void)
{
#define RESOLVE(field, symbol) (*(void **)&real.field = dlsym(RTLD_NEXT, symbol))
	RESOLVE(open, "open");
	RESOLVE(openat, "openat");
	RESOLVE(stat, "stat");
	RESOLVE(stat64, "stat64");
	RESOLVE(lstat, "lstat");
	RESOLVE(lstat64, "lstat64");
	RESOLVE(fstat, "fstat");
	RESOLVE(fstat64, "fstat64");
	RESOLVE(fstatat, "fstatat");
	RESOLVE(fstatat64, "fstatat64");
	RESOLVE(xstat, "__xstat");
	RESOLVE(xstat64, "__xstat64");
	RESOLVE(lxstat, "__lxstat");
	RESOLVE(lxstat64, "__lxstat64");
	RESOLVE(fxstat, "__fxstat");
	RESOLVE(fxstat64, "__fxstat64");
	RESOLVE(fxstatat, "__fxstatat");
	RESOLVE(fxstatat64, "__fxstatat64");
	RESOLVE(statx, "statx");
	RESOLVE(access, "access");
	RESOLVE(faccessat, "faccessat");
	RESOLVE(readlinkat, "readlinkat");
	RESOLVE(realpath, "realpath");
	RESOLVE(getxattr, "getxattr");
	RESOLVE(lgetxattr, "lgetxattr");
	RESOLVE(listxattr, "listxattr");
	RESOLVE(llistxattr, "llistxattr");
	RESOLVE(ioctl, "ioctl");
#undef RESOLVE
}

/* Resolved lazily: other libraries' constructors may stat or open before ours runs. */
#define REAL(fn) (pthread_once(&real_once, resolve_real), real.fn)
/* The real function, or ENOSYS if this libc has none (e.g. a future one without __xstat). */
#define CALL_REAL(fn, ...) (REAL(fn) ? real.fn(__VA_ARGS__) : (errno = ENOSYS, -1))

/* ---- The connection to the server ---- */

static struct {
	pthread_mutex_t lock;
	int sock;			/* -1: not connected */
	dev_t sock_dev;			/* to notice a program that closed our fd and reused its number */
	ino_t sock_ino;
	bool known;			/* the fields below came from a HELLO */
	unsigned ndevices;
	unsigned minors[VDRIVE_MAX_DEVICES];
	char medium_dir[VDRIVE_PATH_MAX];
	dev_t medium_dev;		/* st_dev of the medium files */
	struct stat devfs;		/* /dev itself, whose st_dev and times the nodes borrow */
} client = { .lock = PTHREAD_MUTEX_INITIALIZER, .sock = -1 };

/* Where our socket lives: above the descriptors shells and programs pick by number. */
#define HIGH_FD 700

static bool socket_still_ours(void)
{
	struct stat64 st;

	return client.sock >= 0 && CALL_REAL(fstat64, client.sock, &st) == 0 && st.st_dev == client.sock_dev &&
	       st.st_ino == client.sock_ino;
}

/* A forked child gets a copy of the parent's socket: it must not talk on it. */
static void forget_connection_in_child(void)
{
	pthread_mutex_init(&client.lock, NULL);
	if (socket_still_ours())
		close(client.sock);
	client.sock = -1;
}

__attribute__((constructor)) static void register_fork_handler(void)
{
	pthread_atfork(NULL, NULL, forget_connection_in_child);
}

/* Called with client.lock held.  0 or -errno. */
static int connect_locked(void)
{
	struct vdrive_request req = { .version = VDRIVE_PROTO_VERSION, .op = VDRIVE_OP_HELLO };
	const char *path = getenv("VDRIVE_SOCKET");
	struct stat64 sock_st, dir_st;
	struct vdrive_reply reply;
	int sock, ret;

	if (socket_still_ours())
		return 0;
	client.sock = -1;	/* not ours any more: never close a descriptor the program owns */
	if (!path || !*path)
		return -ENOENT;
	sock = vdrive_connect(path);
	if (sock < 0)
		return sock;
	if (sock < HIGH_FD) {
		int high = fcntl(sock, F_DUPFD_CLOEXEC, HIGH_FD);

		if (high >= 0) {
			close(sock);
			sock = high;
		}
	}
	ret = vdrive_send(sock, &req, sizeof(req), NULL, 0);
	if (!ret)
		ret = vdrive_recv_header(sock, &reply, sizeof(reply));
	if (!ret && (reply.error || reply.ndevices > VDRIVE_MAX_DEVICES || reply.data_len ||
		     !memchr(reply.medium_dir, '\0', sizeof(reply.medium_dir))))
		ret = -EPROTO;
	if (!ret && (CALL_REAL(fstat64, sock, &sock_st) < 0 || CALL_REAL(stat64, reply.medium_dir, &dir_st) < 0))
		ret = -errno;
	if (ret) {
		close(sock);
		return ret;
	}
	client.sock = sock;
	client.sock_dev = sock_st.st_dev;
	client.sock_ino = sock_st.st_ino;
	client.medium_dev = dir_st.st_dev;
	client.ndevices = reply.ndevices;
	memcpy(client.minors, reply.minors, sizeof(client.minors));
	memcpy(client.medium_dir, reply.medium_dir, sizeof(client.medium_dir));
	if (CALL_REAL(stat, "/dev", &client.devfs) < 0)
		memset(&client.devfs, 0, sizeof(client.devfs));
	client.known = true;
	return 0;
}

/* True when the server's drive list is known (connecting if need be). */
static bool drives_known(void)
{
	bool known;

	pthread_mutex_lock(&client.lock);
	if (!client.known)
		connect_locked();
	known = client.known;
	pthread_mutex_unlock(&client.lock);
	return known;
}

/* One request and its reply.  A connection found broken before the request
 * went out is replaced once; a command that may have reached the server is
 * never sent twice. */
static int call_server(const struct vdrive_request *req, const void *out, size_t out_len, struct vdrive_reply *reply,
		       void *in, size_t in_cap)
{
	int ret;

	pthread_mutex_lock(&client.lock);
	for (int attempt = 0;; attempt++) {
		ret = connect_locked();
		if (ret)
			break;
		ret = vdrive_send(client.sock, req, sizeof(*req), out, out_len);
		if (!ret)
			ret = vdrive_recv_header(client.sock, reply, sizeof(*reply));
		if (!ret && reply->data_len > in_cap)
			ret = -EPROTO;
		if (!ret)
			ret = vdrive_recv_data(client.sock, in, reply->data_len);
		if (!ret)
			break;
		close(client.sock);
		client.sock = -1;
		if (attempt || (ret != -EPIPE && ret != -ENOTCONN))
			break;
	}
	pthread_mutex_unlock(&client.lock);
	return ret;
}

void vdrive_client_exec(unsigned index, const uint8_t *cdb, size_t cdb_len, enum mmc_dir dir, void *data,
			size_t data_len, struct vdrive_result *result)
{
	struct vdrive_request req = {
		.version = VDRIVE_PROTO_VERSION,
		.op = VDRIVE_OP_EXEC,
		.device = index,
		.dir = dir,
		.data_len = (uint32_t)data_len,
		.cdb_len = (uint8_t)cdb_len,
	};
	struct vdrive_reply reply;
	int ret;

	memset(result, 0, sizeof(*result));
	if (cdb_len < 1 || cdb_len > VDRIVE_CDB_MAX || data_len > VDRIVE_MAX_TRANSFER) {
		result->transport_error = -EINVAL;
		return;
	}
	memcpy(req.cdb, cdb, cdb_len);
	ret = call_server(&req, dir == MMC_DIR_WRITE ? data : NULL, dir == MMC_DIR_WRITE ? data_len : 0, &reply,
			  data, dir == MMC_DIR_READ ? data_len : 0);
	if (!ret)
		ret = reply.error;
	if (ret) {
		result->transport_error = ret;
		return;
	}
	result->status = reply.status;
	result->sense_len = reply.sense_len <= VDRIVE_SENSE_LEN ? reply.sense_len : VDRIVE_SENSE_LEN;
	memcpy(result->sense, reply.sense, result->sense_len);
	result->transferred = dir == MMC_DIR_READ ? reply.data_len : (dir == MMC_DIR_WRITE ? data_len : 0);
}

int vdrive_client_info(unsigned index, struct vdrive_reply *reply)
{
	struct vdrive_request req = { .version = VDRIVE_PROTO_VERSION, .op = VDRIVE_OP_INFO, .device = index };
	int ret = call_server(&req, NULL, 0, reply, NULL, 0);

	return ret ? ret : reply->error;
}

unsigned vdrive_client_minor(unsigned index)
{
	return client.minors[index];
}

/* ---- Which paths and fds are ours ---- */

enum node_kind { NODE_NONE, NODE_DRIVE, NODE_CDROM_LINK };

struct node {
	enum node_kind kind;
	unsigned index;		/* the drive, also for the link */
};

static int drive_by_minor(unsigned minor)
{
	for (unsigned i = 0; i < client.ndevices; i++)
		if (client.minors[i] == minor)
			return (int)i;
	return -1;
}

/* "sr" followed by one to four decimal digits. */
static bool parse_sr_name(const char *name, unsigned *minor)
{
	size_t len = strlen(name);
	unsigned value = 0;

	if (len < 3 || len > 6 || strncmp(name, "sr", 2))
		return false;
	for (size_t i = 2; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		value = value * 10 + (unsigned)(name[i] - '0');
	}
	*minor = value;
	return true;
}

/* Collapses "//", "." and ".." of an absolute path in place; /dev is a real
 * directory, so ".." can be taken lexically for the paths we answer. */
static void normalize(char *path)
{
	char *out = path;
	const char *in = path;

	while (*in) {
		const char *end;
		size_t len;

		while (*in == '/')
			in++;
		end = strchrnul(in, '/');
		len = (size_t)(end - in);
		if (len == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else if (len && !(len == 1 && in[0] == '.')) {
			*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in = end;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* Which of our /dev nodes path names; follow resolves /dev/cdrom to its drive. */
static struct node path_node(int dirfd, const char *path, bool follow)
{
	struct node node = { NODE_NONE, 0 };
	char full[PATH_MAX];
	const char *base;
	unsigned minor = 0;
	int index;

	if (!path || !*path)
		return node;
	/* Cheap test first: every path a program opens comes through here. */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!parse_sr_name(base, &minor) && strcmp(base, "cdrom"))
		return node;
	if (path[0] == '/') {
		if (strlen(path) >= sizeof(full))
			return node;
		strcpy(full, path);
	} else {
		if (dirfd != AT_FDCWD || !getcwd(full, sizeof(full)) ||
		    strlen(full) + 1 + strlen(path) >= sizeof(full))
			return node;
		strcat(full, "/");
		strcat(full, path);
	}
	normalize(full);
	if (strncmp(full, "/dev/", 5) || strchr(full + 5, '/') || !drives_known())
		return node;
	if (!strcmp(full + 5, "cdrom")) {
		if (client.ndevices)
			node.kind = follow ? NODE_DRIVE : NODE_CDROM_LINK;
		return node;
	}
	index = drive_by_minor(minor);
	if (index >= 0) {
		node.kind = NODE_DRIVE;
		node.index = (unsigned)index;
	}
	return node;
}

/* A medium file whose server is gone (FUSE answers ENOTCONN): known by its name, so that its
 * ioctls still fail the way a drive that vanished does, not as those of an ordinary file. */
static struct node orphaned_fd_node(int fd)
{
	struct node node = { NODE_NONE, 0 };
	char link[32], target[VDRIVE_PATH_MAX + 32];
	size_t dir_len = strlen(client.medium_dir);
	const char *name;
	unsigned minor;
	ssize_t len;
	int index;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = CALL_REAL(readlinkat, AT_FDCWD, link, target, sizeof(target) - 1);
	if (!client.known || len <= 0)
		return node;
	target[len] = '\0';
	/* A server that stopped cleanly detached its mount: the name lost its directory. */
	name = strncmp(target, client.medium_dir, dir_len) ? target : target + dir_len;
	if (sscanf(name, "/sr%u", &minor) != 1 || (index = drive_by_minor(minor)) < 0)
		return node;
	node.kind = NODE_DRIVE;
	node.index = (unsigned)index;
	return node;
}

/* A medium file of the server: regular, on an anonymous device (FUSE), in our inode range. */
static struct node fd_node(int fd)
{
	struct node node = { NODE_NONE, 0 };
	struct stat64 st;
	uint64_t slot;

	if (CALL_REAL(fstat64, fd, &st) < 0)
		return errno == ENOTCONN ? orphaned_fd_node(fd) : node;
	if (!S_ISREG(st.st_mode) || major(st.st_dev) != 0 || st.st_ino < VDRIVE_MEDIUM_INO_BASE ||
	    st.st_ino >= VDRIVE_MEDIUM_INO_BASE + 2 * VDRIVE_MAX_DEVICES)
		return node;
	if (!drives_known() || st.st_dev != client.medium_dev)
		return node;
	slot = (st.st_ino - VDRIVE_MEDIUM_INO_BASE) / 2;
	if (slot < client.ndevices) {
		node.kind = NODE_DRIVE;
		node.index = (unsigned)slot;
	}
	return node;
}

static void link_target(const struct node *node, char *out, size_t cap)
{
	snprintf(out, cap, "sr%u", client.minors[node->index]);
}

/* What stat says of /dev/srN: a block device 11:N owned by the caller, so no
 * permission check of the program stands in the way; /dev/cdrom as a symlink. */
#define DEFINE_STAT_FILLER(name, type)                                               \
	static void name(const struct node *node, type *st)                          \
	{                                                                            \
		char target[16];                                                     \
		unsigned minor = client.minors[node->index];                         \
                                                                                     \
		memset(st, 0, sizeof(*st));                                          \
		st->st_dev = client.devfs.st_dev;                                    \
		st->st_uid = getuid();                                               \
		st->st_gid = getgid();                                               \
		st->st_nlink = 1;                                                    \
		st->st_blksize = 4096;                                               \
		st->st_atim = client.devfs.st_atim;                                  \
		st->st_mtim = client.devfs.st_mtim;                                  \
		st->st_ctim = client.devfs.st_ctim;                                  \
		if (node->kind == NODE_CDROM_LINK) {                                 \
			link_target(node, target, sizeof(target));                   \
			st->st_mode = S_IFLNK | 0777;                                \
			st->st_ino = DEV_NODE_INO_BASE + VDRIVE_MAX_DEVICES;         \
			st->st_size = (off_t)strlen(target);                         \
		} else {                                                             \
			st->st_mode = S_IFBLK | 0660;                                \
			st->st_ino = DEV_NODE_INO_BASE + minor;                      \
			st->st_rdev = makedev(VDRIVE_MAJOR, minor);                  \
		}                                                                    \
	}
DEFINE_STAT_FILLER(fill_stat, struct stat)
DEFINE_STAT_FILLER(fill_stat64, struct stat64)

static void fill_statx(const struct node *node, struct statx *stx)
{
	struct stat64 st;

	fill_stat64(node, &st);
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st.st_blksize;
	stx->stx_nlink = (uint32_t)st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = (uint16_t)st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = (uint64_t)st.st_size;
	stx->stx_atime = (struct statx_timestamp){ st.st_atim.tv_sec, (uint32_t)st.st_atim.tv_nsec, 0 };
	stx->stx_mtime = (struct statx_timestamp){ st.st_mtim.tv_sec, (uint32_t)st.st_mtim.tv_nsec, 0 };
	stx->stx_ctime = (struct statx_timestamp){ st.st_ctim.tv_sec, (uint32_t)st.st_ctim.tv_nsec, 0 };
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
}

/* fstatat's rules: "" with AT_EMPTY_PATH is dirfd itself, else a path relative to dirfd. */
static struct node at_node(int dirfd, const char *path, int flags)
{
	if (path && !*path && (flags & AT_EMPTY_PATH))
		return fd_node(dirfd);
	return path_node(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW));
}

/* ---- open ---- */

static int open_drive(const struct node *node, int flags)
{
	const struct timespec pause = { 0, EXCL_RETRY_NS };
	char medium[VDRIVE_PATH_MAX + 32];
	bool exclusive = flags & O_EXCL;
	int fd;

	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	if ((flags & O_DIRECTORY) == O_DIRECTORY) {
		errno = ENOTDIR;
		return -1;
	}
	snprintf(medium, sizeof(medium), "%s/sr%u%s", client.medium_dir, client.minors[node->index],
		 exclusive ? ".excl" : "");
	/* The medium file is uncached already; creation flags mean nothing for a device. */
	flags &= ~(O_EXCL | O_CREAT | O_TRUNC | O_DIRECT);
	for (int attempt = 0;; attempt++) {
		fd = CALL_REAL(open, medium, flags, 0);
		if (fd >= 0 || errno != EBUSY || !exclusive || attempt == EXCL_RETRIES)
			return fd;
		nanosleep(&pause, NULL);
	}
}

static int open_common(int dirfd, const char *path, int flags, mode_t mode)
{
	struct node node = path_node(dirfd, path, true);

	if (node.kind == NODE_DRIVE && (flags & O_NOFOLLOW) &&
	    path_node(dirfd, path, false).kind == NODE_CDROM_LINK) {
		errno = ELOOP;
		return -1;
	}
	if (node.kind == NODE_DRIVE)
		return open_drive(&node, flags);
	return CALL_REAL(openat, dirfd, path, flags, mode);
}

/* The mode argument is there only with O_CREAT or O_TMPFILE. */
#define TAKE_MODE(mode, flags)                                   \
	mode_t mode = 0;                                         \
	if ((flags) & (O_CREAT | __O_TMPFILE)) {                 \
		va_list ap_;                                     \
		va_start(ap_, flags);                            \
		mode = (mode_t)va_arg(ap_, int);                 \
		va_end(ap_);                                     \
	}

int open(const char *path, int flags, ...)
{
	TAKE_MODE(mode, flags);
	return open_common(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	TAKE_MODE(mode, flags);
	return open_common(AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	TAKE_MODE(mode, flags);
	return open_common(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	TAKE_MODE(mode, flags);
	return open_common(dirfd, path, flags | O_LARGEFILE, mode);
}

int __open_2(const char *path, int flags)
{
	return open_common(AT_FDCWD, path, flags, 0);
}

int __open64_2(const char *path, int flags)
{
	return open_common(AT_FDCWD, path, flags | O_LARGEFILE, 0);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return open_common(dirfd, path, flags, 0);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	return open_common(dirfd, path, flags | O_LARGEFILE, 0);
}

/* ---- stat ---- */

#define ANSWER_NODE(node, filler, st)                   \
	do {                                            \
		if ((node).kind != NODE_NONE) {         \
			filler(&(node), st);            \
			return 0;                       \
		}                                       \
	} while (0)

int stat(const char *path, struct stat *st)
{
	struct node node = path_node(AT_FDCWD, path, true);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(stat, path, st);
}

int stat64(const char *path, struct stat64 *st)
{
	struct node node = path_node(AT_FDCWD, path, true);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(stat64, path, st);
}

int lstat(const char *path, struct stat *st)
{
	struct node node = path_node(AT_FDCWD, path, false);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(lstat, path, st);
}

int lstat64(const char *path, struct stat64 *st)
{
	struct node node = path_node(AT_FDCWD, path, false);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(lstat64, path, st);
}

int fstat(int fd, struct stat *st)
{
	struct node node = fd_node(fd);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(fstat, fd, st);
}

int fstat64(int fd, struct stat64 *st)
{
	struct node node = fd_node(fd);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(fstat64, fd, st);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct node node = at_node(dirfd, path, flags);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(fstatat, dirfd, path, st, flags);
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	struct node node = at_node(dirfd, path, flags);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(fstatat64, dirfd, path, st, flags);
}

int __xstat(int ver, const char *path, struct stat *st)
{
	struct node node = path_node(AT_FDCWD, path, true);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(xstat, ver, path, st);
}

int __xstat64(int ver, const char *path, struct stat64 *st)
{
	struct node node = path_node(AT_FDCWD, path, true);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(xstat64, ver, path, st);
}

int __lxstat(int ver, const char *path, struct stat *st)
{
	struct node node = path_node(AT_FDCWD, path, false);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(lxstat, ver, path, st);
}

int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	struct node node = path_node(AT_FDCWD, path, false);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(lxstat64, ver, path, st);
}

int __fxstat(int ver, int fd, struct stat *st)
{
	struct node node = fd_node(fd);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(fxstat, ver, fd, st);
}

int __fxstat64(int ver, int fd, struct stat64 *st)
{
	struct node node = fd_node(fd);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(fxstat64, ver, fd, st);
}

int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	struct node node = at_node(dirfd, path, flags);

	ANSWER_NODE(node, fill_stat, st);
	return CALL_REAL(fxstatat, ver, dirfd, path, st, flags);
}

int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	struct node node = at_node(dirfd, path, flags);

	ANSWER_NODE(node, fill_stat64, st);
	return CALL_REAL(fxstatat64, ver, dirfd, path, st, flags);
}

int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *stx)
{
	struct node node = at_node(dirfd, path, flags);

	ANSWER_NODE(node, fill_statx, stx);
	return CALL_REAL(statx, dirfd, path, flags, mask, stx);
}

/* ---- access, readlink, realpath ---- */

static int access_node(int mode)
{
	if (mode & X_OK) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int access(const char *path, int mode)
{
	if (path_node(AT_FDCWD, path, true).kind != NODE_NONE)
		return access_node(mode);
	return CALL_REAL(access, path, mode);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (at_node(dirfd, path, flags).kind != NODE_NONE)
		return access_node(mode);
	return CALL_REAL(faccessat, dirfd, path, mode, flags);
}

static ssize_t copy_link(const char *target, char *buf, size_t size)
{
	size_t len = strlen(target);

	if (len > size)
		len = size;
	memcpy(buf, target, len);
	return (ssize_t)len;
}

/* /proc/PID/fd/N of an opened drive points into the medium directory: show /dev/srN instead. */
static ssize_t disguise_medium_link(ssize_t len, char *buf, size_t size)
{
	char link[VDRIVE_PATH_MAX + 32], target[32];
	size_t dir_len;
	unsigned minor;

	if (len <= 0 || (size_t)len >= sizeof(link) || !client.known)
		return len;
	memcpy(link, buf, (size_t)len);
	link[len] = '\0';
	dir_len = strlen(client.medium_dir);
	if (strncmp(link, client.medium_dir, dir_len) || link[dir_len] != '/' ||
	    sscanf(link + dir_len + 1, "sr%u", &minor) != 1)
		return len;
	snprintf(target, sizeof(target), "/dev/sr%u", minor);
	return copy_link(target, buf, size);
}

static ssize_t readlink_common(int dirfd, const char *path, char *buf, size_t size)
{
	struct node node = path_node(dirfd, path, false);
	char target[16];

	if (node.kind == NODE_CDROM_LINK) {
		link_target(&node, target, sizeof(target));
		return copy_link(target, buf, size);
	}
	if (node.kind == NODE_DRIVE) {
		errno = EINVAL;
		return -1;
	}
	return disguise_medium_link(CALL_REAL(readlinkat, dirfd, path, buf, size), buf, size);
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	return readlink_common(AT_FDCWD, path, buf, size);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	return readlink_common(dirfd, path, buf, size);
}

ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buf_len)
{
	(void)buf_len;
	return readlink_common(AT_FDCWD, path, buf, len);
}

/* glibc's realpath walks the path with its own internal lstat, which we cannot see. */
static char *realpath_common(const char *path, char *resolved)
{
	struct node node = path_node(AT_FDCWD, path, true);
	char name[32];

	if (node.kind == NODE_NONE)
		return REAL(realpath) ? real.realpath(path, resolved) : NULL;
	snprintf(name, sizeof(name), "/dev/sr%u", client.minors[node.index]);
	if (!resolved)
		return strdup(name);
	strcpy(resolved, name);
	return resolved;
}

char *realpath(const char *path, char *resolved)
{
	return realpath_common(path, resolved);
}

char *__realpath_chk(const char *path, char *resolved, size_t resolved_len)
{
	(void)resolved_len;
	return realpath_common(path, resolved);
}

/* ---- extended attributes: the nodes have none (ls -l asks for an SELinux label) ---- */

ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	if (path_node(AT_FDCWD, path, true).kind != NODE_NONE) {
		errno = ENODATA;
		return -1;
	}
	return CALL_REAL(getxattr, path, name, value, size);
}

ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	if (path_node(AT_FDCWD, path, false).kind != NODE_NONE) {
		errno = ENODATA;
		return -1;
	}
	return CALL_REAL(lgetxattr, path, name, value, size);
}

ssize_t listxattr(const char *path, char *list, size_t size)
{
	if (path_node(AT_FDCWD, path, true).kind != NODE_NONE)
		return 0;
	return CALL_REAL(listxattr, path, list, size);
}

ssize_t llistxattr(const char *path, char *list, size_t size)
{
	if (path_node(AT_FDCWD, path, false).kind != NODE_NONE)
		return 0;
	return CALL_REAL(llistxattr, path, list, size);
}

/* ---- ioctl ---- */

uint64_t vdrive_client_medium_size(int fd)
{
	struct stat64 st;

	return CALL_REAL(fstat64, fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	struct node node = fd_node(fd);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (node.kind == NODE_DRIVE)
		return vdrive_ioctl(fd, node.index, request, arg);
	return CALL_REAL(ioctl, fd, request, arg);
}
