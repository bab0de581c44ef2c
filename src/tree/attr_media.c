/* SPDX-License-Identifier: GPL-3.0-or-later */
/* media (the loaded profile) and media_status (IMAPI2 CurrentMediaStatus). */
#include <errno.h>
#include <string.h>

#include "attr.h"

int show_media(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	int rc = drive_media(d, &m);

	/* An empty tray is a state to show, not an error. */
	if (rc && rc != -ENOMEDIUM)
		return rc;
	return attr_print(out, size, "%s\n", m.profile->name);
}

static const struct attr_word status_words[] = {
	{ MEDIA_BLANK, "blank" },
	{ MEDIA_APPENDABLE, "appendable" },
	{ MEDIA_FINALIZED, "closed" },
	{ MEDIA_OVERWRITE_ONLY, "overwrite-only" },
	{ MEDIA_FINAL_SESSION, "final-session" },
	{ MEDIA_NON_EMPTY_SESSION, "non-empty-session" },
	{ MEDIA_DAMAGED, "damaged" },
	{ MEDIA_ERASE_REQUIRED, "erase-required" },
	{ MEDIA_WRITE_PROTECTED, "write-protected" },
	{ MEDIA_UNSUPPORTED, "unsupported" },
};

/* The IMAPI_FORMAT2_DATA_MEDIA_STATE bits that are set, as words on one
 * line; "unknown" (IMAPI's 0) with no medium. */
int show_media_status(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	int rc = drive_media(d, &m);

	if (rc == -ENOMEDIUM)
		return attr_print(out, size, "unknown\n");
	if (rc)
		return rc;
	return attr_print_words(out, size, m.status, status_words, sizeof(status_words) / sizeof(status_words[0]),
				"unknown");
}

int attr_print_words(char *out, size_t size, uint32_t bits, const struct attr_word *words, size_t n,
		     const char *none)
{
	size_t len = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (!(bits & words[i].bit))
			continue;
		rc = attr_print(out + len, size - len, "%s%s", len ? " " : "", words[i].word);
		if (rc < 0)
			return rc;
		len += (size_t)rc;
	}
	rc = attr_print(out + len, size - len, "%s\n", len ? "" : none);
	return rc < 0 ? rc : (int)len + rc;
}
