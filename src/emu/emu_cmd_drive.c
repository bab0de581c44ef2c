/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Commands about the drive itself: identity, readiness, sense, tray and events. */
#include <string.h>

#include "emu_internal.h"

#define INQUIRY_LEN 36
#define SENSE_LEN 18

int emu_cmd_test_unit_ready(struct emu *e, struct emu_cmd *c)
{
	(void)e;
	(void)c;
	return MMC_GOOD;
}

/* REZERO UNIT (SBC-1; obsolete in MMC, still sent): seek to LBA 0, nothing to report. */
int emu_cmd_rezero_unit(struct emu *e, struct emu_cmd *c)
{
	(void)e;
	(void)c;
	return MMC_GOOD;
}

/* READ BUFFER (SPC-3 6.15) of buffer 0, the drive buffer: its descriptor
 * (mode 03h: offset boundary, capacity), its data (mode 02h), or both with a
 * 4-byte header (mode 00h).  Its content is not kept: it reads as zeros. */
#define READ_BUFFER_COMBINED 0x00
#define READ_BUFFER_DATA 0x02
#define READ_BUFFER_DESCRIPTOR 0x03

int emu_cmd_read_buffer(struct emu *e, struct emu_cmd *c)
{
	uint8_t mode = c->cdb[1] & 0x1F, id = c->cdb[2];
	uint32_t offset = (uint32_t)c->cdb[3] << 16 | mmc_get16(c->cdb + 4);
	uint32_t alloc = (uint32_t)c->cdb[6] << 16 | mmc_get16(c->cdb + 7);
	uint32_t capacity = e->buffer.size * MMC_SECTOR_SIZE;
	uint8_t head[4] = { 0, (uint8_t)(capacity >> 16), (uint8_t)(capacity >> 8), (uint8_t)capacity };
	size_t n, header;

	if (id != 0)
		return emu_invalid_field(c);
	switch (mode) {
	case READ_BUFFER_DESCRIPTOR:
		return emu_reply(c, head, sizeof(head), alloc);
	case READ_BUFFER_COMBINED:
	case READ_BUFFER_DATA:
		if (offset > capacity || (mode == READ_BUFFER_COMBINED && offset != 0))
			return emu_invalid_field(c);
		header = mode == READ_BUFFER_COMBINED ? sizeof(head) : 0;
		n = header + capacity - offset;
		if (n > alloc)
			n = alloc;
		if (n > c->in_len)
			n = c->in_len;
		if (n)
			memset(c->in, 0, n);
		if (header)
			memcpy(c->in, head, n < header ? n : header);
		c->transferred = n;
		return MMC_GOOD;
	default:
		return emu_invalid_field(c);	/* no echo buffer, no vendor modes */
	}
}

/* What a host polling REQUEST SENSE learns: a running operation's progress,
 * the last command's failure, or the medium state.  A pending unit attention
 * is left for the next command that reports it. */
int emu_cmd_request_sense(struct emu *e, struct emu_cmd *c)
{
	uint8_t sense[SENSE_LEN];
	struct emu_cmd probe = { 0 };

	if (emu_busy_check(e, &probe) != MMC_GOOD) {
		emu_build_sense(sense, probe.key, probe.asc, probe.ascq, true, probe.progress);
	} else if (e->sense_key != SK_NO_SENSE) {
		emu_build_sense(sense, e->sense_key, e->sense_asc, e->sense_ascq, false, 0);
	} else if (!emu_has_medium(e)) {
		emu_build_sense(sense, SK_NOT_READY, ASC_MEDIUM_NOT_PRESENT, e->tray_open ? 0x02 : 0x01, false, 0);
	} else {
		emu_build_sense(sense, SK_NO_SENSE, 0, 0, false, 0);
	}
	e->sense_key = SK_NO_SENSE;
	e->sense_asc = 0;
	e->sense_ascq = 0;
	return emu_reply(c, sense, sizeof(sense), c->cdb[4]);
}

int emu_cmd_inquiry(struct emu *e, struct emu_cmd *c)
{
	uint8_t buf[INQUIRY_LEN];

	(void)e;
	if (c->cdb[1] & 0x03)
		return emu_invalid_field(c);	/* no vital product data pages */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0x05;	/* CD/DVD device */
	buf[1] = 0x80;	/* removable */
	buf[2] = 0x05;	/* SPC-3 */
	buf[3] = 0x02;
	buf[4] = INQUIRY_LEN - 5;
	memcpy(buf + 8, "DISCFS  ", 8);
	memcpy(buf + 16, "Emulated Writer ", 16);
	memcpy(buf + 32, "1.0 ", 4);
	return emu_reply(c, buf, sizeof(buf), mmc_get16(c->cdb + 3));
}

int emu_cmd_start_stop(struct emu *e, struct emu_cmd *c)
{
	bool load_eject = c->cdb[4] & 0x02, start = c->cdb[4] & 0x01;

	if (!load_eject)
		return MMC_GOOD;	/* spinning up or down changes nothing here */
	if (start) {
		emu_tray_close(e);
		return MMC_GOOD;
	}
	if (emu_tray_open(e) < 0)
		return emu_check(c, SK_ILLEGAL_REQUEST, ASC_MEDIUM_REMOVAL_PREVENTED, 0x02);	/* medium removal prevented */
	return MMC_GOOD;
}

int emu_cmd_prevent_allow(struct emu *e, struct emu_cmd *c)
{
	e->prevent = c->cdb[4] & 0x01;
	/* The log shows lock and unlock apart: tests check a burn that
	 * failed still gave the tray back. */
	c->logs_lba = true;
	c->lba = e->prevent;
	c->blocks = 0;
	return MMC_GOOD;
}

#define MEDIA_CLASS_BIT 0x10
#define MEDIA_CLASS 4

int emu_cmd_get_event_status(struct emu *e, struct emu_cmd *c)
{
	uint8_t buf[8];
	uint16_t alloc = mmc_get16(c->cdb + 7);

	if (!(c->cdb[1] & 0x01))
		return emu_invalid_field(c);	/* asynchronous notification is not offered */
	emu_polled_while_busy(e);
	memset(buf, 0, sizeof(buf));
	buf[3] = MEDIA_CLASS_BIT;	/* supported classes */
	if (!(c->cdb[4] & MEDIA_CLASS_BIT)) {
		mmc_put16(buf, 2);
		buf[2] = 0x80;	/* NEA */
		return emu_reply(c, buf, 4, alloc);
	}
	mmc_put16(buf, 6);
	buf[2] = MEDIA_CLASS;
	buf[4] = e->media_event;
	buf[5] = (uint8_t)((emu_has_medium(e) ? 0x02 : 0) | (e->tray_open ? 0x01 : 0));
	emu_reply(c, buf, sizeof(buf), alloc);
	if (c->transferred > 4)
		e->media_event = 0;	/* reported once */
	return MMC_GOOD;
}
