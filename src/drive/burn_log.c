/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The last burn's course, sampled by the write engine (see burn_log.h).
 * The series is allocated once per drive, so sampling on the paced path
 * neither allocates nor does I/O.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drive_internal.h"

int burn_log_init(struct burn_log *l)
{
	memset(l, 0, sizeof(*l));
	l->samples = calloc(BURN_LOG_SAMPLES, sizeof(*l->samples));
	return l->samples ? 0 : -ENOMEM;
}

void burn_log_free(struct burn_log *l)
{
	free(l->samples);
	l->samples = NULL;
}

void burn_log_start(struct burn_log *l, uint32_t start_lba, uint32_t end_lba, uint64_t host_size)
{
	l->count = 0;
	l->interval_ns = l->next_ns = BURN_LOG_INTERVAL_NS;
	l->info = (struct burn_log_info){ .start_lba = start_lba, .end_lba = end_lba, .host_size = host_size };
}

/* Full: keep every other sample (the later of each pair, so the last one
 * stays) and sample half as often from now on. */
static void thin_out(struct burn_log *l)
{
	size_t kept = 0;

	for (size_t i = 1; i < l->count; i += 2)
		l->samples[kept++] = l->samples[i];
	l->count = kept;
	l->interval_ns *= 2;
	l->next_ns = l->samples[kept - 1].t_ns + l->interval_ns;
}

/* The first sample at or past each interval's tick is kept; the achieved
 * rate is the sectors written since the sample before over the time since. */
void burn_log_add(struct burn_log *l, const struct burn_sample *s, uint32_t drive_size, bool last)
{
	const struct burn_sample *prev = l->count ? &l->samples[l->count - 1] : NULL;
	uint64_t since_t = prev ? prev->t_ns : 0;
	uint32_t since_lba = prev ? prev->lba : l->info.start_lba;
	struct burn_sample *out;

	if (!l->samples || (s->t_ns < l->next_ns && !last) || s->t_ns <= since_t)
		return;
	if (l->count == BURN_LOG_SAMPLES)
		thin_out(l);
	out = &l->samples[l->count++];
	*out = *s;
	out->achieved_sps = (float)((double)(s->lba - since_lba) * 1e9 / (double)(s->t_ns - since_t));
	while (l->next_ns <= s->t_ns)
		l->next_ns += l->interval_ns;
	if (drive_size)
		l->info.drive_size = drive_size;
}

int burn_log_copy(struct burn *b, struct burn_sample **samples, struct burn_log_info *info)
{
	int rc = 0;

	*samples = NULL;
	pthread_mutex_lock(&b->lock);
	*info = b->log.info;
	info->interval_ns = b->log.interval_ns;
	info->count = b->log.count;
	if (info->count) {
		*samples = malloc(info->count * sizeof(**samples));
		if (*samples)
			memcpy(*samples, b->log.samples, info->count * sizeof(**samples));
		else
			rc = -ENOMEM;
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}
