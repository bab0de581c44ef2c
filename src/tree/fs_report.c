/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Files rendered whole when opened (driveN/last_burn/): the text is made
 * once per open, so a reader going through it in pieces sees one
 * consistent document however the burn moves on meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/fs.h"
#include "discfs/tree.h"
#include "attr.h"

struct open_report {
	struct open_file base;
	size_t len;
	char text[];
};

static int render(struct drive *d, const struct attr *a, struct text_buf *t)
{
	int rc = a->render(d, t);

	if (rc == 0 && t->failed)
		rc = -ENOMEM;
	if (rc)
		free(t->data);
	return rc;
}

off_t fs_report_size(struct drive *d, const struct attr *a)
{
	struct text_buf t = { 0 };

	if (render(d, a, &t))
		return 0;
	free(t.data);
	return (off_t)t.len;
}

int fs_report_open(struct drive *d, const struct attr *a, struct fuse_file_info *fi)
{
	struct text_buf t = { 0 };
	struct open_report *o;
	int rc;

	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	rc = render(d, a, &t);
	if (rc)
		return rc;
	o = calloc(1, sizeof(*o) + t.len);
	if (!o) {
		free(t.data);
		return -ENOMEM;
	}
	memcpy(o->text, t.data, t.len);
	o->len = t.len;
	free(t.data);
	o->base.is_report = true;
	o->base.drive = d;
	fs_open_track(&o->base);
	fi->fh = (uintptr_t)o;
	fi->direct_io = 1;
	fi->noflush = 1;	/* nothing to wait for at close() */
	return 0;
}

int fs_report_read(struct open_file *f, char *buf, size_t size, off_t offset)
{
	struct open_report *o = (struct open_report *)f;

	if ((size_t)offset >= o->len)
		return 0;
	if (size > o->len - (size_t)offset)
		size = o->len - (size_t)offset;
	memcpy(buf, o->text + offset, size);
	return (int)size;
}
