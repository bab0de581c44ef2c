/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * READ TOC/PMA/ATIP (MMC-6 6.26): the formatted TOC (0), the last session
 * (1), the raw TOC of every session's lead-in (2) and the ATIP of a CD-R/RW
 * (4), all derived from the layout.  A TOC lists closed sessions only.
 */
#include <string.h>

#include "emu_internal.h"

#define TOC_HEADER 4
#define TOC_ENTRY 8
#define FULL_TOC_ENTRY 11
#define ATIP_LEN 28
#define ADR_CTL_TRACK 0x14	/* ADR 1 (position), data track */
#define ADR_CTL_MODE5 0x54	/* ADR 5 (B0/C0 pointers), data track */
#define DISC_TYPE_CD_ROM 0x00	/* A0's PSEC: CD-DA or CD-ROM */
/* A0, A1, A2, B0 and C0 at most per session, beside the tracks. */
#define FULL_TOC_MAX (TOC_HEADER + FULL_TOC_ENTRY * (EMU_MAX_TRACKS * 6))

uint32_t emu_msf_field(int64_t lba)
{
	int64_t frames = lba >= -150 ? lba + 150 : lba + 450150;
	uint32_t f = frames < 0 ? 0 : (uint32_t)frames;

	return (f / (60 * 75)) << 16 | ((f / 75) % 60) << 8 | f % 75;
}

/* Tracks that closed sessions hold: what a TOC lists. */
static unsigned toc_tracks(const struct emu_disc *d)
{
	unsigned n = 0;

	while (n < d->ntracks && d->tracks[n].session <= d->sessions_closed && d->tracks[n].closed)
		n++;
	return n;
}

static void toc_entry(uint8_t *p, uint8_t number, uint32_t lba, bool msf)
{
	memset(p, 0, TOC_ENTRY);
	p[1] = ADR_CTL_TRACK;
	p[2] = number;
	mmc_put32(p + 4, msf ? emu_msf_field(lba) : lba);
}

static size_t formatted_toc(const struct emu_disc *d, unsigned n, uint8_t first, bool msf, uint8_t *b)
{
	size_t len = TOC_HEADER;

	b[2] = 1;
	b[3] = (uint8_t)n;
	for (unsigned i = first ? first - 1u : 0; first != 0xAA && i < n; i++, len += TOC_ENTRY)
		toc_entry(b + len, (uint8_t)(i + 1), d->tracks[i].start, msf);
	toc_entry(b + len, 0xAA, d->tracks[n - 1].start + d->tracks[n - 1].size, msf);
	return len + TOC_ENTRY;
}

static size_t last_session(const struct emu_disc *d, unsigned n, bool msf, uint8_t *b)
{
	const struct emu_track *t = &d->tracks[n - 1];
	unsigned i = n - 1;

	while (i > 0 && d->tracks[i - 1].session == t->session)
		i--;
	b[2] = 1;
	b[3] = (uint8_t)t->session;
	toc_entry(b + TOC_HEADER, (uint8_t)(i + 1), d->tracks[i].start, msf);
	return TOC_HEADER + TOC_ENTRY;
}

/* One raw TOC descriptor: session, ADR/CONTROL, POINT, the running time
 * (Min Sec Frame, zero but in B0), ZERO, and the point's time P-MSF. */
static size_t full_entry(uint8_t *p, uint16_t session, uint8_t adr_ctl, uint8_t point, uint32_t time,
			 uint8_t zero, uint32_t ptime)
{
	memset(p, 0, FULL_TOC_ENTRY);
	p[0] = (uint8_t)session;
	p[1] = adr_ctl;
	p[3] = point;
	p[4] = (uint8_t)(time >> 16);
	p[5] = (uint8_t)(time >> 8);
	p[6] = (uint8_t)time;
	p[7] = zero;
	p[8] = (uint8_t)(ptime >> 16);
	p[9] = (uint8_t)(ptime >> 8);
	p[10] = (uint8_t)ptime;
	return FULL_TOC_ENTRY;
}

static uint32_t msf3(const uint8_t m[3])
{
	return (uint32_t)m[0] << 16 | (uint32_t)m[1] << 8 | m[2];
}

/* The lead-in of each session from first on, as its Q sub-channel holds it:
 * A0/A1 first and last track, A2 the lead-out, the tracks, then B0 (where
 * the next session may start, while one may) and, in the first session of
 * a recordable disc, C0 (the lead-in of the disc, from the ATIP). */
static size_t full_toc(const struct emu_disc *d, unsigned n, uint16_t first, uint8_t *b)
{
	const struct emu_atip *atip = d->medium->atip;
	uint16_t last = d->tracks[n - 1].session;
	size_t len = TOC_HEADER;
	unsigned i = 0;

	b[2] = (uint8_t)first;
	b[3] = (uint8_t)last;
	while (d->tracks[i].session < first)
		i++;
	for (uint16_t s = first; s <= last; s++) {
		unsigned lo = i, hi;
		uint32_t end;

		while (i < n && d->tracks[i].session == s)
			i++;
		hi = i - 1;
		end = d->tracks[hi].start + d->tracks[hi].size;
		len += full_entry(b + len, s, ADR_CTL_TRACK, 0xA0, 0, 0, (lo + 1) << 16 | DISC_TYPE_CD_ROM << 8);
		len += full_entry(b + len, s, ADR_CTL_TRACK, 0xA1, 0, 0, (hi + 1) << 16);
		len += full_entry(b + len, s, ADR_CTL_TRACK, 0xA2, 0, 0, emu_msf_field(end));
		for (unsigned t = lo; t <= hi; t++)
			len += full_entry(b + len, s, ADR_CTL_TRACK, (uint8_t)(t + 1), 0, 0,
					  emu_msf_field(d->tracks[t].start));
		if (!atip)
			continue;	/* a pressed disc: one closed session */
		if (s < last || !d->finalized) {
			/* The next program area opens with its first track's pre-gap. */
			uint32_t next = s < last ? d->tracks[i].start : emu_disc_nwa(d);

			len += full_entry(b + len, s, ADR_CTL_MODE5, 0xB0, emu_msf_field((int64_t)next - 150),
					  s == 1 ? 2 : 1, msf3(atip->lead_out));
		}
		if (s == 1)
			len += full_entry(b + len, s, ADR_CTL_MODE5, 0xC0,
					  (uint32_t)(0x80 | atip->writing_power << 4) << 16, 0, msf3(atip->lead_in));
	}
	return len;
}

/* The ATIP descriptor (MMC-6 Table 496): writing power and reference speed,
 * URU, disc type and sub-type with the A1-A3 valid bits, the start of the
 * lead-in and the last possible start of the lead-out, then A1-A3. */
static size_t atip_reply(const struct emu_atip *a, uint8_t *b)
{
	memset(b, 0, ATIP_LEN);
	b[4] = (uint8_t)(0x80 | a->writing_power << 4 | a->reference_speed);
	b[5] = 0x40;	/* URU, as READ DISC INFORMATION says */
	b[6] = (uint8_t)(0x80 | (a->rewritable ? 0x40 : 0) | a->sub_type << 3 | (a->a1_valid ? 0x04 : 0));
	memcpy(b + 8, a->lead_in, 3);
	memcpy(b + 12, a->lead_out, 3);
	if (a->a1_valid)
		memcpy(b + 16, a->a1, 3);
	return ATIP_LEN;
}

int emu_cmd_read_toc(struct emu *e, struct emu_cmd *c)
{
	const struct emu_disc *d = &e->disc;
	bool msf = c->cdb[1] & 0x02;
	uint8_t format = c->cdb[2] & 0x0F, first = c->cdb[6];
	unsigned n = toc_tracks(d);
	uint8_t b[FULL_TOC_MAX];
	size_t len;

	memset(b, 0, TOC_HEADER);
	if (format == 4) {
		if (!d->medium->atip)
			return emu_invalid_field(c);	/* no pre-groove: not a CD-R/RW */
		len = atip_reply(d->medium->atip, b);
	} else if (n == 0 || format > 2 || (format == 2 && emu_disc_family(d) != MEDIA_FAMILY_CD)) {
		return emu_invalid_field(c);
	} else if (format == 2) {
		if (first > d->tracks[n - 1].session)
			return emu_invalid_field(c);
		len = full_toc(d, n, first ? first : 1, b);
	} else if (format == 1) {
		len = last_session(d, n, msf, b);
	} else {
		if (first > n && first != 0xAA)
			return emu_invalid_field(c);
		len = formatted_toc(d, n, first, msf, b);
	}
	mmc_put16(b, (uint16_t)(len - 2));
	return emu_reply(c, b, len, mmc_get16(c->cdb + 7));
}
