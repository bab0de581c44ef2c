/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sessions, previous_session/start, previous_session/last_written (IMAPI2
 * StartAddressOfPreviousSession / LastWrittenAddressOfPreviousSession, -1
 * when none) and msinfo, the "start,next" pair mkisofs -C takes.
 */
#include <errno.h>

#include "attr.h"

SHOW_MEDIA_VALUE(show_sessions, "%u", m.complete_sessions)
SHOW_MEDIA_VALUE(show_previous_session_start, "%lld", (long long)m.previous_session_start)
SHOW_MEDIA_VALUE(show_previous_session_last, "%lld", (long long)m.previous_session_last)

/* What `mkisofs -C` wants to build a session that continues the disc: the
 * start of the last session and the address where the new one will go. */
int show_msinfo(struct drive *d, char *out, size_t size)
{
	struct media_info m;
	int rc = drive_media(d, &m);

	if (rc)
		return rc;
	if (m.previous_session_start < 0)
		return drive_nothing_to_show(COND_NO_PREVIOUS_SESSION);
	if (!m.next_writable_valid)
		return drive_nothing_to_show(COND_MEDIA_NOT_WRITABLE);
	return attr_print(out, size, "%lld,%u\n", (long long)m.previous_session_start, m.next_writable);
}
