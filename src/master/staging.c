/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The staging area of one recorder on the host (see master.h): where it
 * is, what it holds, and the space its next session will need.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/crc32.h"
#include "discfs/drive.h"
#include "discfs/tower.h"
#include "master_internal.h"

#define KEY_MAX 96
#define DEFAULT_LABEL "DISCFS"
/* What ISO 9660 + Joliet + Rock Ridge take beyond the files' data, erring
 * on the large side: the system area, descriptors and path tables; half a
 * sector per entry for its three directory records; and three sectors per
 * directory for its extents in the three trees. */
#define FIXED_SECTORS 64
#define DIR_SECTORS 3

static uint64_t sectors_of(uint64_t bytes)
{
	return (bytes + MMC_SECTOR_SIZE - 1) / MMC_SECTOR_SIZE;
}

int master_default_dir(char *out, size_t size)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (geteuid() == 0)
		n = snprintf(out, size, "/var/lib/discfs");
	else if (state && state[0] == '/')
		n = snprintf(out, size, "%s/discfs", state);
	else if (home && home[0] == '/')
		n = snprintf(out, size, "%s/.local/state/discfs", home);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* A directory name from the recorder's key: its characters that are safe
 * in a file name, and a CRC of the whole when it is long. */
static void key_name(const char *key, char *out, size_t size)
{
	size_t len = strlen(key), i;

	for (i = 0; i < len && i + 1 < size && i < KEY_MAX; i++) {
		char c = key[i];

		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				 strchr("+-.=", c) ? c : '_';
	}
	out[i] = '\0';
	if (len > KEY_MAX)
		snprintf(out + KEY_MAX - 9, size - (KEY_MAX - 9), "-%08x", crc32_update(0, key, len));
}

/* mkdir -p, private to the user. */
static int make_dirs(char *path)
{
	for (char *p = path + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = c;
			return -errno;
		}
		*p = c;
		if (c == '\0')
			return 0;
	}
}

static struct master *counting;	/* the tree being counted by count_entry */
static pthread_mutex_t counting_lock = PTHREAD_MUTEX_INITIALIZER;

static int count_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)type;
	if (ftw->level == 0)
		return 0;
	master_added(counting, st->st_mode);
	pthread_mutex_lock(&counting->lock);
	if (S_ISREG(st->st_mode))
		counting->data_sectors += sectors_of((uint64_t)st->st_size);
	pthread_mutex_unlock(&counting->lock);
	return 0;
}

/* Counts what a tree left by an earlier run holds. */
static void count_tree(struct master *m)
{
	pthread_mutex_lock(&counting_lock);
	counting = m;
	nftw(m->tree, count_entry, 16, FTW_PHYS);
	counting = NULL;
	pthread_mutex_unlock(&counting_lock);
}

/* A recorder's staging area (d), or a tower's (t). */
static struct master *open_area(struct drive *d, struct tower *t, const char *staging_dir, const char *key)
{
	struct master *m = calloc(1, sizeof(*m));
	char name[KEY_MAX + 1], cwd[4096] = "";
	int rc;

	if (!m)
		return NULL;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->disc_lock, NULL);

	key_name(key, name, sizeof(name));
	m->drive = d;
	m->tower = t;
	/* Absolute: the daemon leaves its working directory, and libisofs
	 * takes absolute paths only. */
	if (staging_dir[0] != '/' && !getcwd(cwd, sizeof(cwd))) {
		master_close(m);
		return NULL;
	}
	if (asprintf(&m->dir, "%s%s%s/%s", cwd, cwd[0] ? "/" : "", staging_dir, name) < 0 ||
	    asprintf(&m->tree, "%s/files", m->dir) < 0) {
		m->dir = m->tree = NULL;
		master_close(m);
		errno = ENOMEM;
		return NULL;
	}
	rc = make_dirs(m->tree);
	/* The staging area is private; the tree is shown as a folder. */
	if (rc == 0 && chmod(m->tree, 0755) < 0)
		rc = -errno;
	if (rc) {
		master_close(m);
		errno = -rc;
		return NULL;
	}
	count_tree(m);
	master_removed_load(m);
	return m;
}

struct master *master_open(struct drive *d, const char *staging_dir, const char *key)
{
	return open_area(d, NULL, staging_dir, key);
}

struct master *master_open_tower(struct tower *t, const char *staging_dir, const char *key)
{
	return open_area(NULL, t, staging_dir, key);
}

void master_close(struct master *m)
{
	if (!m)
		return;
	master_removed_forget(m);
	disc_tree_free(m->disc_tree);
	pthread_mutex_destroy(&m->disc_lock);
	pthread_mutex_destroy(&m->lock);
	free(m->dir);
	free(m->tree);
	free(m);
}

int master_path(struct master *m, const char *sub, char *out, size_t size)
{
	int n = snprintf(out, size, "%s%s", m->tree, sub);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int master_fail(struct master *m, enum discfs_condition cond, const char *detail)
{
	return m->tower ? tower_fail(m->tower, cond, detail) : drive_fail(m->drive, cond, detail);
}

int master_may_change(struct master *m)
{
	int rc;

	pthread_mutex_lock(&m->lock);
	rc = m->committing ? master_fail(m, COND_BUSY, "a commit is reading the staged files") : 0;
	pthread_mutex_unlock(&m->lock);
	return rc;
}

void master_added(struct master *m, mode_t mode)
{
	pthread_mutex_lock(&m->lock);
	m->entries++;
	if (S_ISDIR(mode))
		m->dirs++;
	pthread_mutex_unlock(&m->lock);
}

void master_removed(struct master *m, const struct stat *st)
{
	pthread_mutex_lock(&m->lock);
	if (m->entries)
		m->entries--;
	if (S_ISDIR(st->st_mode) && m->dirs)
		m->dirs--;
	if (S_ISREG(st->st_mode)) {
		uint64_t s = sectors_of((uint64_t)st->st_size);

		m->data_sectors = m->data_sectors > s ? m->data_sectors - s : 0;
	}
	pthread_mutex_unlock(&m->lock);
}

static uint64_t estimate_locked(const struct master *m, uint32_t tail)
{
	if (m->entries == 0)
		return 0;
	return FIXED_SECTORS + tail + m->data_sectors + (m->entries + 1) / 2 + m->dirs * DIR_SECTORS;
}

/* The room on the disc for the next session, and the tail it needs. */
static int room(struct master *m, uint64_t *sectors, uint32_t *tail)
{
	struct media_info media;
	int rc = m->tower ? tower_room(m, sectors, tail) : drive_media(m->drive, &media);

	if (rc || m->tower)
		return rc;
	*sectors = media.free_sectors;
	*tail = master_tail_blocks(&media);
	return 0;
}

int master_resize(struct master *m, uint64_t from, uint64_t to)
{
	uint64_t free_sectors, need, old = sectors_of(from), new = sectors_of(to);
	uint32_t tail;
	char detail[128];
	/* Without a disc (or one that cannot be read) there is no limit yet:
	 * files can be staged before the disc goes in, and commit checks. */
	bool limited = new > old && room(m, &free_sectors, &tail) == 0;

	pthread_mutex_lock(&m->lock);
	if (m->committing) {
		pthread_mutex_unlock(&m->lock);
		return master_fail(m, COND_BUSY, "a commit is reading the staged files");
	}
	if (limited) {
		need = estimate_locked(m, tail) + new - old;
		if (need > free_sectors) {
			pthread_mutex_unlock(&m->lock);
			snprintf(detail, sizeof(detail), "staging needs %llu sectors, %llu free",
				 (unsigned long long)need, (unsigned long long)free_sectors);
			return master_fail(m, COND_IMAGE_TOO_LARGE, detail);
		}
	}
	m->data_sectors = m->data_sectors + new > old ? m->data_sectors + new - old : 0;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int master_free_after(struct master *m, uint64_t *sectors)
{
	uint64_t free_sectors, need;
	uint32_t tail;
	int rc = room(m, &free_sectors, &tail);

	if (rc)
		return rc;
	pthread_mutex_lock(&m->lock);
	need = estimate_locked(m, tail);
	pthread_mutex_unlock(&m->lock);
	*sectors = free_sectors > need ? free_sectors - need : 0;
	return 0;
}

static int label_path(struct master *m, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/volume_label", m->dir);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int master_label(struct master *m, char *out, size_t size)
{
	char path[4096];
	FILE *f;
	int rc = label_path(m, path, sizeof(path));

	if (rc)
		return rc;
	snprintf(out, size, "%s", DEFAULT_LABEL);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(out, (int)size, f))
		snprintf(out, size, "%s", DEFAULT_LABEL);
	fclose(f);
	return 0;
}

/* Well-formed UTF-8 without control characters. */
static bool printable_utf8(const unsigned char *s)
{
	while (*s) {
		int more = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 ? 3 : -1;

		if (more < 0 || *s < 0x20 || *s == 0x7F)
			return false;
		for (s++; more > 0; more--, s++)
			if ((*s & 0xC0) != 0x80)
				return false;
	}
	return true;
}

int master_set_label(struct master *m, const char *label)
{
	char path[4096], tmp[4200];
	FILE *f;
	int rc;

	if (!printable_utf8((const unsigned char *)label))
		return master_fail(m, COND_INVALID_VALUE, "a volume label is printable UTF-8 text");
	if (strlen(label) > MASTER_LABEL_MAX)
		return master_fail(m, COND_VALUE_RANGE, "a volume label holds at most 32 bytes");
	rc = master_may_change(m);
	if (rc == 0)
		rc = label_path(m, path, sizeof(path));
	if (rc)
		return rc;
	/* Replaced whole, so a crash leaves the old label or the new one. */
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fputs(label, f);
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		rc = -errno;
		unlink(tmp);
	}
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	if (ftw->level == 0)
		return 0;
	return remove(path) < 0 ? -1 : 0;
}

/* Empties the staged tree and forgets the label; the caller holds the
 * tree against changes. */
int master_clear(struct master *m)
{
	char path[4096];
	int rc = 0;

	if (nftw(m->tree, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		rc = -errno;
	if (label_path(m, path, sizeof(path)) == 0)
		unlink(path);
	master_removed_clear(m);
	pthread_mutex_lock(&m->lock);
	m->entries = m->dirs = m->data_sectors = 0;
	pthread_mutex_unlock(&m->lock);
	if (rc) {
		/* What could not be removed is still staged. */
		count_tree(m);
	}
	return rc;
}

int master_discard(struct master *m)
{
	int rc;

	pthread_mutex_lock(&m->lock);
	if (m->committing) {
		pthread_mutex_unlock(&m->lock);
		return master_fail(m, COND_BUSY, "a commit is reading the staged files");
	}
	m->committing = true;
	pthread_mutex_unlock(&m->lock);
	rc = master_clear(m);
	pthread_mutex_lock(&m->lock);
	m->committing = false;
	pthread_mutex_unlock(&m->lock);
	return rc;
}
