/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MMC reply parsers.
 *
 * Every reply carries a length field, and drives get it wrong in both
 * directions.  The common rule here: the bytes that count are the smaller of
 * what was received and what the length field claims ("extent").  Bytes past
 * the claim are not reply data; a claim past what was received is cut to what
 * arrived.  Each parser names the mandatory bytes it needs inside the extent
 * and returns -EPROTO when they are missing; optional trailing fields are
 * read only when present and are 0 otherwise.  Byte tables: MMC-5 (T10/1675-D)
 * clause 6, one subclause per command (READ DISC INFORMATION 6.22, READ
 * FORMAT CAPACITIES 6.24, READ TOC/PMA/ATIP 6.26), and SPC-4 for INQUIRY,
 * MODE SENSE and the sense data.
 */
#include <errno.h>
#include <string.h>

#include "discfs/mmc.h"

#define GET_CONFIG_HEADER_LEN 8
#define FEATURE_HEADER_LEN 4
#define PROFILE_DESCRIPTOR_LEN 4
#define PERFORMANCE_HEADER_LEN 8
#define PERFORMANCE_DESCRIPTOR_LEN 16
#define FORMAT_LIST_HEADER_LEN 4
#define FORMAT_DESCRIPTOR_LEN 8
#define MODE_HEADER10_LEN 8
#define MEDIA_EVENT_CLASS 4
#define PAGE_CAPABILITIES 0x2A
#define PAGE_WRITE_PARAMETERS 0x05

/* How many bytes of a reply to believe: header_len bytes of length field
 * cover claimed bytes after them, and never more than received. */
static size_t reply_extent(size_t received, size_t header_len, uint32_t claimed)
{
	uint64_t total = (uint64_t)header_len + claimed;

	return total < received ? (size_t)total : received;
}

int mmc_parse_sense(const uint8_t *buf, size_t len, struct mmc_sense *out)
{
	size_t extent;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return -EPROTO;

	switch (buf[0] & 0x7F) {
	case 0x70:
	case 0x71:
		/* Fixed format: byte 7 counts the bytes after it.  The key is
		 * mandatory; ASC, ASCQ and progress only count when sent. */
		extent = len >= 8 ? reply_extent(len, 8, buf[7]) : len;
		if (extent < 3)
			return -EPROTO;
		out->key = buf[2] & 0x0F;
		if (extent >= 13)
			out->asc = buf[12];
		if (extent >= 14)
			out->ascq = buf[13];
		/* Sense-key specific bytes mean progress only for NO SENSE and
		 * NOT READY; for other keys they point at a bad field. */
		if (extent >= 18 && (buf[15] & 0x80) && (out->key == SK_NO_SENSE || out->key == SK_NOT_READY)) {
			out->progress_valid = true;
			out->progress = mmc_get16(&buf[16]);
		}
		return 0;
	case 0x72:
	case 0x73:
		if (len < 4)
			return -EPROTO;
		out->key = buf[1] & 0x0F;
		out->asc = buf[2];
		out->ascq = buf[3];
		return 0;
	default:
		return -EPROTO;
	}
}

/* Copies a space-padded INQUIRY field, trimming trailing blanks and NULs and
 * masking bytes that are not printable ASCII (the text ends up in files). */
static void copy_ascii_field(char *dst, const uint8_t *src, size_t n)
{
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\0'))
		n--;
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7F ? (char)src[i] : '?';
	dst[n] = '\0';
}

int mmc_parse_inquiry(const uint8_t *buf, size_t len, struct mmc_inquiry *out)
{
	memset(out, 0, sizeof(*out));
	/* Mandatory: the 36 bytes of standard data, which end with the
	 * revision (32-35); the fields sit at fixed offsets, so the
	 * additional length (byte 4) adds nothing we read. */
	if (len < 36)
		return -EPROTO;
	out->peripheral_type = buf[0] & 0x1F;
	copy_ascii_field(out->vendor, &buf[8], 8);
	copy_ascii_field(out->product, &buf[16], 16);
	copy_ascii_field(out->revision, &buf[32], 4);
	return 0;
}

/* Profile descriptors inside feature 0000h's additional bytes. */
static void add_profiles(struct mmc_config *cfg, const uint8_t *p, size_t n)
{
	for (size_t off = 0; off + PROFILE_DESCRIPTOR_LEN <= n && cfg->nprofiles < MMC_MAX_PROFILES;
	     off += PROFILE_DESCRIPTOR_LEN) {
		cfg->profiles[cfg->nprofiles] = mmc_get16(&p[off]);
		cfg->profile_current[cfg->nprofiles] = p[off + 2] & 0x01;
		cfg->nprofiles++;
	}
}

int mmc_parse_configuration(const uint8_t *buf, size_t len, struct mmc_config *out)
{
	size_t extent, off;

	memset(out, 0, sizeof(*out));
	if (len < GET_CONFIG_HEADER_LEN)
		return -EPROTO;
	out->current_profile = mmc_get16(&buf[6]);
	extent = reply_extent(len, 4, mmc_get32(&buf[0]));

	/* A descriptor whose additional length runs past the extent is kept
	 * with the bytes that arrived, and ends the walk. */
	for (off = GET_CONFIG_HEADER_LEN; off + FEATURE_HEADER_LEN <= extent;
	     off += FEATURE_HEADER_LEN + buf[off + 3]) {
		const uint8_t *desc = &buf[off];
		size_t avail = extent - off - FEATURE_HEADER_LEN;
		size_t data_len = desc[3] < avail ? desc[3] : avail;
		uint16_t code = mmc_get16(desc);

		if (code == MMC_FEATURE_PROFILE_LIST)
			add_profiles(out, &desc[FEATURE_HEADER_LEN], data_len);
		if (out->nfeatures < MMC_MAX_FEATURES) {
			struct mmc_feature *f = &out->features[out->nfeatures++];

			f->code = code;
			f->current = desc[2] & 0x01;
			f->data_len = (uint8_t)(data_len < sizeof(f->data) ? data_len : sizeof(f->data));
			memcpy(f->data, &desc[FEATURE_HEADER_LEN], f->data_len);
		}
	}
	return 0;
}

const struct mmc_feature *mmc_config_feature(const struct mmc_config *cfg, uint16_t code)
{
	for (size_t i = 0; i < cfg->nfeatures; i++)
		if (cfg->features[i].code == code)
			return &cfg->features[i];
	return NULL;
}

int mmc_parse_media_event(const uint8_t *buf, size_t len, struct mmc_media_event *out)
{
	size_t extent;

	memset(out, 0, sizeof(*out));
	if (len < 4)
		return -EPROTO;
	if (buf[2] & 0x80) {
		/* NEA: no class we asked for is supported; no descriptor follows. */
		out->no_event_available = true;
		return 0;
	}
	/* Without NEA the reply must be the media class and hold bytes 0-1 of
	 * its descriptor (event code, status). */
	extent = reply_extent(len, 2, mmc_get16(&buf[0]));
	if ((buf[2] & 0x07) != MEDIA_EVENT_CLASS || extent < 6)
		return -EPROTO;
	out->event = buf[4] & 0x0F;
	out->door_open = buf[5] & 0x01;
	out->media_present = buf[5] & 0x02;
	return 0;
}

int mmc_parse_disc_info(const uint8_t *buf, size_t len, struct mmc_disc_info *out)
{
	size_t extent;

	memset(out, 0, sizeof(*out));
	/* Mandatory: status and track/session counts with their MSBs (bytes
	 * 2-11).  The lead-in/lead-out addresses are read when present. */
	if (len < 2)
		return -EPROTO;
	extent = reply_extent(len, 2, mmc_get16(&buf[0]));
	if (extent < 12)
		return -EPROTO;
	out->erasable = buf[2] & 0x10;
	out->last_session_state = (buf[2] >> 2) & 0x03;
	out->disc_status = buf[2] & 0x03;
	out->first_track = buf[3];
	out->sessions = (uint16_t)(buf[9] << 8 | buf[4]);
	out->first_track_last_session = (uint16_t)(buf[10] << 8 | buf[5]);
	out->last_track_last_session = (uint16_t)(buf[11] << 8 | buf[6]);
	out->bg_format_status = buf[7] & 0x03;
	out->disc_type = buf[8];
	if (extent >= 20)
		out->last_session_leadin = mmc_get32(&buf[16]);
	if (extent >= 24)
		out->last_possible_leadout = mmc_get32(&buf[20]);
	return 0;
}

int32_t mmc_msf_field_to_lba(uint32_t field)
{
	int32_t minute = (int32_t)(field >> 16 & 0xFF);
	int32_t second = (int32_t)(field >> 8 & 0xFF);
	int32_t frame = (int32_t)(field & 0xFF);
	int32_t frames = (minute * 60 + second) * 75 + frame;

	/* Minutes 90-99 address the lead-in, before LBA 0 (MMC-5's LBA to MSF
	 * translation; the Red Book's lead-in addressing). */
	return minute >= 90 ? frames - 450150 : frames - 150;
}

int mmc_parse_track_info(const uint8_t *buf, size_t len, struct mmc_track_info *out)
{
	size_t extent;

	memset(out, 0, sizeof(*out));
	/* Mandatory: the 28 bytes MMC-2 drives send (through Track Size).
	 * Last Recorded Address and the number MSBs (bytes 32-33) came with
	 * MMC-3 and are read when present. */
	if (len < 2)
		return -EPROTO;
	extent = reply_extent(len, 2, mmc_get16(&buf[0]));
	if (extent < 28)
		return -EPROTO;
	out->track = buf[2];
	out->session = buf[3];
	if (extent >= 33)
		out->track |= (uint16_t)(buf[32] << 8);
	if (extent >= 34)
		out->session |= (uint16_t)(buf[33] << 8);
	out->damage = buf[5] & 0x20;
	out->copy = buf[5] & 0x10;
	out->track_mode = buf[5] & 0x0F;
	out->rt = buf[6] & 0x80;
	out->blank = buf[6] & 0x40;
	out->packet = buf[6] & 0x20;
	out->fixed_packet = buf[6] & 0x10;
	out->data_mode = buf[6] & 0x0F;
	out->nwa_valid = buf[7] & 0x01;
	out->start = mmc_get32(&buf[8]);
	out->nwa = mmc_get32(&buf[12]);
	out->free_blocks = mmc_get32(&buf[16]);
	out->packet_size = mmc_get32(&buf[20]);
	out->size = mmc_get32(&buf[24]);
	if (extent >= 32) {
		out->lra_valid = buf[7] & 0x02;
		out->last_recorded = mmc_get32(&buf[28]);
	}
	return 0;
}

int mmc_parse_read_capacity(const uint8_t *buf, size_t len, struct mmc_capacity *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 8)
		return -EPROTO;
	out->last_lba = mmc_get32(&buf[0]);
	out->block_len = mmc_get32(&buf[4]);
	return 0;
}

int mmc_parse_write_protection(const uint8_t *buf, size_t len, uint8_t *flags)
{
	*flags = 0;
	if (len < 5 || mmc_get16(buf) < 3)
		return -EPROTO;
	*flags = buf[4] & (MMC_WP_SWPP | MMC_WP_PWP | MMC_WP_CWP | MMC_WP_MSWI);
	return 0;
}

int mmc_parse_format_capacities(const uint8_t *buf, size_t len, struct mmc_format_capacities *out)
{
	size_t extent, off;

	memset(out, 0, sizeof(*out));
	/* Mandatory: the list header and the Current/Maximum descriptor. */
	if (len < FORMAT_LIST_HEADER_LEN)
		return -EPROTO;
	extent = reply_extent(len, FORMAT_LIST_HEADER_LEN, buf[3]);
	if (extent < FORMAT_LIST_HEADER_LEN + FORMAT_DESCRIPTOR_LEN)
		return -EPROTO;
	out->current_blocks = mmc_get32(&buf[4]);
	out->current_type = buf[8] & 0x03;
	for (off = FORMAT_LIST_HEADER_LEN + FORMAT_DESCRIPTOR_LEN;
	     off + FORMAT_DESCRIPTOR_LEN <= extent && out->nformats < MMC_MAX_FORMATS; off += FORMAT_DESCRIPTOR_LEN) {
		out->formats[out->nformats].blocks = mmc_get32(&buf[off]);
		out->formats[out->nformats].format_type = buf[off + 4] >> 2;
		out->formats[out->nformats].type_param =
			(uint32_t)buf[off + 5] << 16 | (uint32_t)buf[off + 6] << 8 | buf[off + 7];
		out->nformats++;
	}
	return 0;
}

/* GET PERFORMANCE: the 8-byte header is mandatory; complete 16-byte
 * descriptors inside the extent are counted, at most max of them. */
static int performance_descriptors(const uint8_t *buf, size_t len, size_t max, size_t *count)
{
	size_t extent;

	*count = 0;
	if (len < PERFORMANCE_HEADER_LEN)
		return -EPROTO;
	extent = reply_extent(len, 4, mmc_get32(&buf[0]));
	if (extent > PERFORMANCE_HEADER_LEN)
		*count = (extent - PERFORMANCE_HEADER_LEN) / PERFORMANCE_DESCRIPTOR_LEN;
	if (*count > max)
		*count = max;
	return 0;
}

int mmc_parse_performance(const uint8_t *buf, size_t len, struct mmc_performance *out, size_t max, size_t *count)
{
	int rc = performance_descriptors(buf, len, max, count);

	if (rc)
		return rc;
	/* Except=1 would mean 6-byte exception descriptors, which we never ask for. */
	if (buf[4] & 0x01) {
		*count = 0;
		return -EPROTO;
	}
	for (size_t i = 0; i < *count; i++) {
		const uint8_t *d = &buf[PERFORMANCE_HEADER_LEN + i * PERFORMANCE_DESCRIPTOR_LEN];

		out[i].start_lba = mmc_get32(&d[0]);
		out[i].start_kbps = mmc_get32(&d[4]);
		out[i].end_lba = mmc_get32(&d[8]);
		out[i].end_kbps = mmc_get32(&d[12]);
	}
	return 0;
}

int mmc_parse_write_speeds(const uint8_t *buf, size_t len, struct mmc_write_speed *out, size_t max,
			   size_t *count)
{
	int rc = performance_descriptors(buf, len, max, count);

	if (rc)
		return rc;
	for (size_t i = 0; i < *count; i++) {
		const uint8_t *d = &buf[PERFORMANCE_HEADER_LEN + i * PERFORMANCE_DESCRIPTOR_LEN];

		out[i].wrc = (d[0] >> 3) & 0x03;
		out[i].rdd = d[0] & 0x04;
		out[i].exact = d[0] & 0x02;
		out[i].mrw = d[0] & 0x01;
		out[i].end_lba = mmc_get32(&d[4]);
		out[i].read_kbps = mmc_get32(&d[8]);
		out[i].write_kbps = mmc_get32(&d[12]);
	}
	return 0;
}

int mmc_parse_buffer_capacity(const uint8_t *buf, size_t len, struct mmc_buffer_capacity *out)
{
	memset(out, 0, sizeof(*out));
	/* Mandatory: both 4-byte lengths (bytes 4-11). */
	if (len < 2 || reply_extent(len, 2, mmc_get16(&buf[0])) < 12)
		return -EPROTO;
	out->length = mmc_get32(&buf[4]);
	out->blank = mmc_get32(&buf[8]);
	/* Some drives report more free space than the buffer has. */
	if (out->blank > out->length)
		out->blank = out->length;
	return 0;
}

int mmc_parse_toc_session(const uint8_t *buf, size_t len, struct mmc_toc_session *out)
{
	memset(out, 0, sizeof(*out));
	/* Mandatory: the header and the one track descriptor (bytes 4-11). */
	if (len < 2 || reply_extent(len, 2, mmc_get16(&buf[0])) < 12)
		return -EPROTO;
	out->first_session = buf[2];
	out->last_session = buf[3];
	out->first_track_last_session = buf[6];
	out->start_lba = mmc_get32(&buf[8]);
	return 0;
}

/* Format 0 descriptors are 8 bytes from byte 4; the lead-out is track AAh
 * (MMC-6, READ TOC/PMA/ATIP format 0000b), the end of the last complete
 * session. */
int mmc_parse_toc_leadout(const uint8_t *buf, size_t len, uint32_t *lba)
{
	size_t extent;

	*lba = 0;
	if (len < 2)
		return -EPROTO;
	extent = reply_extent(len, 2, mmc_get16(&buf[0]));
	for (size_t off = 4; off + 8 <= extent; off += 8) {
		if (buf[off + 2] == 0xAA) {
			*lba = mmc_get32(&buf[off + 4]);
			return 0;
		}
	}
	return -EPROTO;
}

/*
 * The pages start after the 8-byte header and the block descriptors and end
 * at the extent (received bytes, bounded by the Mode Data Length).  A page
 * whose length runs past the extent is returned with the bytes that arrived;
 * the page parsers check what they need.  -ENOENT when the reply is well
 * formed but lacks the page.
 */
int mmc_find_mode_page(const uint8_t *buf, size_t len, uint8_t page_code, const uint8_t **page, size_t *page_len)
{
	size_t extent, off;

	*page = NULL;
	*page_len = 0;
	if (len < MODE_HEADER10_LEN)
		return -EPROTO;
	extent = reply_extent(len, 2, mmc_get16(&buf[0]));
	for (off = MODE_HEADER10_LEN + (size_t)mmc_get16(&buf[6]); off + 2 <= extent;) {
		bool subpage_format = buf[off] & 0x40;
		size_t occupied;

		/* SPF pages have a 4-byte header with a 2-byte length. */
		if (subpage_format) {
			if (off + 4 > extent)
				break;
			occupied = 4 + (size_t)mmc_get16(&buf[off + 2]);
		} else {
			occupied = 2 + (size_t)buf[off + 1];
		}
		if (!subpage_format && (buf[off] & 0x3F) == page_code) {
			*page = &buf[off];
			*page_len = occupied < extent - off ? occupied : extent - off;
			return 0;
		}
		off += occupied;
	}
	return -ENOENT;
}

/* Bytes of a page to believe: page_len bounded by the page's own length
 * byte; 0 when it is not page `code`. */
static size_t page_extent(const uint8_t *page, size_t page_len, uint8_t code)
{
	if (page_len < 2 || (page[0] & 0x3F) != code)
		return 0;
	return reply_extent(page_len, 2, page[1]);
}

int mmc_parse_caps_page(const uint8_t *page, size_t page_len, struct mmc_caps_page *out)
{
	size_t extent = page_extent(page, page_len, PAGE_CAPABILITIES);

	memset(out, 0, sizeof(*out));
	/* Mandatory: through the buffer size (bytes 12-13); the current write
	 * speed (28-29) is absent from MMC-1 era pages and then reads 0. */
	if (extent < 14)
		return -EPROTO;
	out->writes_cdr = page[3] & 0x01;
	out->writes_cdrw = page[3] & 0x02;
	out->writes_dvdr = page[3] & 0x10;
	out->writes_dvdram = page[3] & 0x20;
	out->buf = page[4] & 0x80;
	out->max_read_kbps = mmc_get16(&page[8]);
	out->buffer_kib = mmc_get16(&page[12]);
	if (extent >= 30)
		out->current_write_kbps = mmc_get16(&page[28]);
	return 0;
}

/* Page 05h fields we use end with the Packet Size at bytes 10-13. */
#define WRITE_PARAMS_NEED 14

int mmc_parse_write_params(const uint8_t *page, size_t page_len, struct mmc_write_params *out)
{
	memset(out, 0, sizeof(*out));
	if (page_extent(page, page_len, PAGE_WRITE_PARAMETERS) < WRITE_PARAMS_NEED)
		return -EPROTO;
	out->bufe = page[2] & 0x40;
	out->ls_v = page[2] & 0x20;
	out->test_write = page[2] & 0x10;
	out->write_type = page[2] & 0x0F;
	out->multi_session = page[3] >> 6;
	out->fixed_packet = page[3] & 0x20;
	out->track_mode = page[3] & 0x0F;
	out->data_block_type = page[4] & 0x0F;
	out->link_size = page[5];
	out->packet_size = mmc_get32(&page[10]);
	return 0;
}

int mmc_store_write_params(uint8_t *page, size_t page_len, const struct mmc_write_params *in)
{
	if (page_extent(page, page_len, PAGE_WRITE_PARAMETERS) < WRITE_PARAMS_NEED)
		return -EPROTO;
	/* Bits we do not model (reserved, Copy, bits 7-4 of byte 4) keep the
	 * drive's values, as MODE SELECT must echo them. */
	page[2] = (uint8_t)((page[2] & 0x80) | (in->bufe ? 0x40 : 0) | (in->ls_v ? 0x20 : 0) |
			    (in->test_write ? 0x10 : 0) | (in->write_type & 0x0F));
	page[3] = (uint8_t)((page[3] & 0x10) | (in->multi_session & 0x03) << 6 | (in->fixed_packet ? 0x20 : 0) |
			    (in->track_mode & 0x0F));
	page[4] = (uint8_t)((page[4] & 0xF0) | (in->data_block_type & 0x0F));
	page[5] = in->link_size;
	mmc_put32(&page[10], in->packet_size);
	return 0;
}
