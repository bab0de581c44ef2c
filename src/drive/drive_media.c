/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading what is in the drive: profile, disc and track state, capacity,
 * free space, speeds.  The result is the snapshot every attribute file
 * reads; see "free_sectors" in the README for the rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discfs/volume.h"
#include "drive_internal.h"

#define DISC_INFO_ALLOC 34
#define TRACK_INFO_ALLOC 48
#define CURRENT_CONFIG_ALLOC 512
#define TRACK_INVISIBLE 0xFF

/* A refresh usually follows a media change, whose unit attention the
 * first command collects: an answer, and the command is worth sending once
 * more. */
static int probe_twice(struct drive *d, const struct mmc_cmd *cmd, void *data, struct mmc_sense *sense)
{
	int rc = drive_probe(d, cmd, data, sense);

	if (rc && sense->key == SK_UNIT_ATTENTION)
		rc = drive_probe(d, cmd, data, sense);
	return rc;
}

/* A command the snapshot needs: its failure is the refresh's error. */
static int probe_command(struct drive *d, const struct mmc_cmd *cmd, void *data)
{
	struct mmc_sense sense;
	int rc = probe_twice(d, cmd, data, &sense);

	return drive_probe_failed(d, &sense, mmc_opcode_name(cmd->cdb[0]), NULL, rc);
}

/* A command the drive need not have: its failure only leaves a value unknown. */
static int optional_command(struct drive *d, const struct mmc_cmd *cmd, void *data)
{
	struct mmc_sense sense;

	return probe_twice(d, cmd, data, &sense);
}

int drive_track_info(struct drive *d, uint8_t addr_type, uint32_t number, struct mmc_track_info *ti)
{
	uint8_t reply[TRACK_INFO_ALLOC] = { 0 };
	struct mmc_cmd cmd;
	int rc;

	mmc_build_read_track_info(&cmd, addr_type, number, sizeof(reply));
	rc = probe_command(d, &cmd, reply);
	if (rc == 0 && mmc_parse_track_info(reply, sizeof(reply), ti) < 0)
		rc = drive_fail(d, COND_INVALID_RESPONSE, "READ TRACK INFORMATION");
	return rc;
}

static int read_sector(void *ctx, uint32_t lba, uint8_t *sector)
{
	struct mmc_cmd cmd;

	mmc_build_read10(&cmd, lba, 1);
	return probe_command(ctx, &cmd, sector);
}

/* Which track holds the free space (MMC and libburn's rule). */
static uint32_t track_to_query(const struct profile_info *p, const struct mmc_disc_info *di)
{
	if (p->model == WRITE_MODEL_OVERWRITE)
		return 1;
	if (PROFILE_CAN(p, PROFILE_FREE_IN_INVISIBLE_TRACK))
		return TRACK_INVISIBLE;
	return di->last_track_last_session ? di->last_track_last_session : 1;
}

static int read_capacity(struct drive *d, uint32_t *sectors)
{
	uint8_t reply[8] = { 0 };
	struct mmc_capacity cap;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_read_capacity(&cmd);
	rc = probe_command(d, &cmd, reply);
	if (rc)
		return rc;
	if (mmc_parse_read_capacity(reply, sizeof(reply), &cap) < 0 || cap.last_lba == UINT32_MAX)
		return drive_fail(d, COND_INVALID_RESPONSE, "READ CAPACITY");
	*sectors = cap.last_lba + 1;
	return 0;
}

/* An unformatted overwrite medium reports its capacity only as the
 * maximum of READ FORMAT CAPACITIES. */
static int read_format_capacity(struct drive *d, uint32_t *sectors, bool *formatted)
{
	uint8_t reply[4 + 8 * (MMC_MAX_FORMATS + 1)] = { 0 };
	struct mmc_format_capacities fc;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_read_format_capacities(&cmd, sizeof(reply));
	rc = probe_command(d, &cmd, reply);
	if (rc)
		return rc;
	if (mmc_parse_format_capacities(reply, sizeof(reply), &fc) < 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "READ FORMAT CAPACITIES");
	*sectors = fc.current_blocks;
	*formatted = fc.current_type == 2;
	return 0;
}

static int probe_sequential(struct drive *d, const struct mmc_disc_info *di, struct media_info *out)
{
	struct mmc_track_info ti;
	int rc;

	if (di->disc_status == MMC_DISC_COMPLETE) {
		out->free_sectors = 0;
		return read_capacity(d, &out->total_sectors);
	}
	rc = drive_track_info(d, 1, track_to_query(out->profile, di), &ti);
	if (rc)
		return rc;
	out->last_track = ti.track;
	if (!ti.nwa_valid) {
		if (ti.damage) {
			char detail[160];

			/* An interrupted burn (a crash, a power loss) left it:
			 * MMC-6 6.27.3.2, Damage 1 with NWA_V 0. */
			out->status |= MEDIA_DAMAGED;
			snprintf(detail, sizeof(detail),
				 "track %u (from sector %u) is incomplete, not writable: echo 1 > close closes it",
				 ti.track, ti.start);
			drive_fail(d, COND_DAMAGED_TRACK, detail);
		}
		return read_capacity(d, &out->total_sectors);
	}
	/* Some drives report -150 as the NWA of a blank CD: the track start
	 * is where writing begins. */
	out->next_writable = (int32_t)ti.nwa < 0 ? ti.start : ti.nwa;
	out->next_writable_valid = true;
	out->free_sectors = ti.free_blocks;
	if ((uint64_t)out->next_writable + ti.free_blocks > UINT32_MAX)
		return drive_fail(d, COND_INVALID_RESPONSE, "READ TRACK INFORMATION");
	out->total_sectors = out->next_writable + ti.free_blocks;
	if (ti.damage && ti.nwa_valid)
		out->status |= MEDIA_DAMAGED;
	return 0;
}

/* IMAPI reports the whole capacity as free on overwrite media; we subtract
 * the file system already there, as growisofs does when it appends. */
static int probe_overwrite(struct drive *d, const struct mmc_disc_info *di, struct media_info *out)
{
	bool formatted = di->disc_status == MMC_DISC_OTHERS;
	int rc;

	if (formatted)
		rc = read_capacity(d, &out->total_sectors);
	else
		rc = read_format_capacity(d, &out->total_sectors, &formatted);
	if (rc)
		return rc;
	if (formatted)
		out->volume_sectors = volume_size_sectors(read_sector, d);
	if (out->volume_sectors > out->total_sectors)
		out->volume_sectors = out->total_sectors;
	out->next_writable = out->volume_sectors;
	/* An image appended on restricted overwrite starts on a block, as
	 * growisofs rounds its -C address. */
	if (PROFILE_CAN(out->profile, PROFILE_ECC_BLOCK_WRITES) && out->next_writable % PROFILE_ECC_BLOCK_SECTORS)
		out->next_writable += PROFILE_ECC_BLOCK_SECTORS - out->next_writable % PROFILE_ECC_BLOCK_SECTORS;
	if (out->next_writable > out->total_sectors)
		out->next_writable = out->total_sectors;
	out->free_sectors = out->total_sectors - out->next_writable;
	out->next_writable_valid = true;
	return 0;
}

bool drive_space_is_final(uint64_t free_sectors, uint32_t total_sectors)
{
	return free_sectors <= total_sectors / 50;
}

static uint32_t status_bits(const struct media_info *m)
{
	uint32_t bits = m->status | (m->write_protection ? MEDIA_WRITE_PROTECTED : 0);

	if (m->profile->model == WRITE_MODEL_READ_ONLY)
		return bits | MEDIA_FINALIZED | MEDIA_UNSUPPORTED;
	if (m->profile->model == WRITE_MODEL_OVERWRITE) {
		bits |= MEDIA_OVERWRITE_ONLY;
		if (m->volume_sectors == 0)
			bits |= MEDIA_BLANK;
		return bits;
	}
	switch (m->disc_status) {
	case MMC_DISC_EMPTY:
		bits |= MEDIA_BLANK;
		break;
	case MMC_DISC_INCOMPLETE:
		bits |= MEDIA_APPENDABLE;
		if (m->last_session_state == MMC_SESSION_INCOMPLETE)
			bits |= MEDIA_NON_EMPTY_SESSION;
		break;
	case MMC_DISC_COMPLETE:
		bits |= MEDIA_FINALIZED;
		if (m->erasable)
			bits |= MEDIA_ERASE_REQUIRED;
		break;
	default:
		break;
	}
	if (m->last_session_state == MMC_SESSION_DAMAGED)
		bits |= MEDIA_DAMAGED;
	if ((bits & (MEDIA_BLANK | MEDIA_APPENDABLE)) && m->next_writable_valid &&
	    drive_space_is_final(m->free_sectors, m->total_sectors))
		bits |= MEDIA_FINAL_SESSION;
	return bits;
}

static int compare_speeds(const void *a, const void *b)
{
	const struct speed_descriptor *x = a, *y = b;

	if (x->sps != y->sps)
		return x->sps < y->sps ? -1 : 1;
	return (int)x->cav - (int)y->cav;
}

/* Drives list a speed once per rotation control and sometimes twice. */
static size_t unique_speeds(struct speed_descriptor *s, size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++)
		if (kept == 0 || compare_speeds(&s[i], &s[kept - 1]) != 0)
			s[kept++] = s[i];
	return kept;
}

static void probe_speeds(struct drive *d, struct media_info *out)
{
	enum media_family family = out->profile->family;
	uint8_t reply[8 + 16 * MMC_MAX_SPEEDS] = { 0 };
	struct mmc_write_speed ws[MMC_MAX_SPEEDS];
	struct mmc_performance perf[MMC_MAX_SPEEDS];
	struct mmc_cmd cmd;
	size_t count = 0;

	mmc_build_get_performance(&cmd, 0x03, 0, 0, MMC_MAX_SPEEDS);
	if (optional_command(d, &cmd, reply) == 0 &&
	    mmc_parse_write_speeds(reply, sizeof(reply), ws, MMC_MAX_SPEEDS, &count) == 0) {
		for (size_t i = 0; i < count && i < MMC_MAX_SPEEDS; i++) {
			struct speed_descriptor *s = &out->speeds[out->nspeeds];

			if (ws[i].write_kbps == 0)
				continue;
			s->kbps = ws[i].write_kbps;
			s->sps = (uint32_t)(kbps_to_sps(family, s->kbps) + 0.5);
			s->xfactor = kbps_to_xfactor(family, s->kbps);
			s->cav = ws[i].wrc == 1;
			s->end_lba = ws[i].end_lba;
			out->nspeeds++;
		}
		qsort(out->speeds, out->nspeeds, sizeof(out->speeds[0]), compare_speeds);
		out->nspeeds = unique_speeds(out->speeds, out->nspeeds);
	}

	memset(reply, 0, sizeof(reply));
	mmc_build_get_performance(&cmd, 0x00, 0x14, 0, MMC_MAX_SPEEDS);
	if (optional_command(d, &cmd, reply) == 0 &&
	    mmc_parse_performance(reply, sizeof(reply), perf, MMC_MAX_SPEEDS, &count) == 0 && count > 0) {
		size_t last = (count < MMC_MAX_SPEEDS ? count : MMC_MAX_SPEEDS) - 1;

		out->estimate_start_sps = kbps_to_sps(family, perf[0].start_kbps);
		out->estimate_end_sps = kbps_to_sps(family, perf[last].end_kbps);
	}
}

/* The media event behind this refresh is taken off the drive, so the
 * poller does not answer the same change with a second refresh. */
static void consume_media_event(struct drive *d)
{
	uint8_t reply[8] = { 0 };
	struct mmc_cmd cmd;

	mmc_build_get_event_status(&cmd, 0x10, sizeof(reply));
	drive_probe(d, &cmd, reply, NULL);
}

/* "No medium" or "becoming ready" is the answer, not an error.  Also tells
 * an open tray from a closed one when there is no medium. */
static int test_unit_ready(struct drive *d, bool *tray_open)
{
	struct mmc_sense sense;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_test_unit_ready(&cmd);
	rc = probe_twice(d, &cmd, NULL, &sense);
	*tray_open = rc && sense.key == SK_NOT_READY && sense.asc == ASC_MEDIUM_NOT_PRESENT && sense.ascq == ASCQ_TRAY_OPEN;
	return rc;
}

/* The current profile and the features current for it. */
static int current_configuration(struct drive *d, uint16_t *profile, struct media_info *out)
{
	uint8_t reply[CURRENT_CONFIG_ALLOC] = { 0 };
	struct mmc_config *cfg = malloc(sizeof(*cfg));
	struct mmc_cmd cmd;
	int rc;

	if (!cfg)
		return -ENOMEM;
	mmc_build_get_configuration(&cmd, 1, 0, sizeof(reply));
	rc = probe_command(d, &cmd, reply);
	if (rc == 0 && mmc_parse_configuration(reply, sizeof(reply), cfg) < 0)
		rc = drive_fail(d, COND_INVALID_RESPONSE, "GET CONFIGURATION");
	if (rc == 0) {
		*profile = cfg->current_profile;
		for (size_t i = 0; i < cfg->nfeatures; i++)
			if (cfg->features[i].current)
				out->current_features[out->ncurrent_features++] = cfg->features[i].code;
	}
	free(cfg);
	return rc;
}

static int read_toc_last_session(struct drive *d, uint32_t *start)
{
	uint8_t reply[12] = { 0 };
	struct mmc_toc_session toc;
	struct mmc_cmd cmd;
	int rc;

	mmc_build_read_toc(&cmd, 1, 0, sizeof(reply));
	rc = probe_command(d, &cmd, reply);
	if (rc)
		return rc;
	if (mmc_parse_toc_session(reply, sizeof(reply), &toc) < 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "READ TOC");
	*start = toc.start_lba;
	return 0;
}

/* IMAPI's StartAddressOfPreviousSession and LastWrittenAddressOfPreviousSession:
 * the last complete session on sequential media (its start from READ TOC,
 * its end from its last track), or the volume on overwrite media, which
 * growisofs treats as the session to grow. */
static int probe_previous_session(struct drive *d, const struct mmc_disc_info *di, struct media_info *out)
{
	struct mmc_track_info ti;
	uint32_t start = 0;
	uint16_t track;
	int rc;

	out->previous_session_start = out->previous_session_last = -1;
	if (out->profile->model == WRITE_MODEL_OVERWRITE) {
		out->complete_sessions = out->volume_sectors ? 1 : 0;
		if (out->volume_sectors) {
			out->previous_session_start = 0;
			out->previous_session_last = (int64_t)out->volume_sectors - 1;
		}
		return 0;
	}
	/* The last session counts once complete; a drive that reports no
	 * session at all (garbage) has none complete, not 65535. */
	out->complete_sessions = di->sessions - (di->last_session_state == MMC_SESSION_COMPLETE || di->sessions == 0 ? 0 : 1);
	if (di->sessions == 0 || out->complete_sessions == 0 || out->profile->model != WRITE_MODEL_SEQUENTIAL)
		return 0;
	rc = read_toc_last_session(d, &start);
	if (rc)
		return rc;
	track = di->disc_status == MMC_DISC_COMPLETE ? di->last_track_last_session
						     : (uint16_t)(di->first_track_last_session - 1);
	rc = drive_track_info(d, 1, track, &ti);
	if (rc)
		return rc;
	if (ti.size == 0)
		return drive_fail(d, COND_INVALID_RESPONSE, "READ TRACK INFORMATION");
	out->previous_session_start = start;
	out->previous_session_last = ti.lra_valid ? ti.last_recorded : (int64_t)ti.start + ti.size - 1;
	return 0;
}

/* Write protection as IMAPI2's WriteProtectStatus reads it: READ DISC
 * STRUCTURE C0h, which DVD and BD drives answer.  Not asked of a CD. */
static void probe_write_protection(struct drive *d, struct media_info *out)
{
	enum media_family family = out->profile->family;
	uint8_t reply[8] = { 0 };
	struct mmc_cmd cmd;

	if (family != MEDIA_FAMILY_DVD && family != MEDIA_FAMILY_BD)
		return;
	mmc_build_read_disc_structure(&cmd, family == MEDIA_FAMILY_BD ? 1 : 0, 0xC0, sizeof(reply));
	if (optional_command(d, &cmd, reply) == 0)
		mmc_parse_write_protection(reply, sizeof(reply), &out->write_protection);
}

void drive_probe_media(struct drive *d, struct media_info *out)
{
	uint8_t reply[DISC_INFO_ALLOC] = { 0 };
	struct mmc_disc_info di;
	struct mmc_cmd cmd;
	uint16_t profile = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->profile = profile_by_number(0);
	out->previous_session_start = out->previous_session_last = -1;
	consume_media_event(d);
	rc = test_unit_ready(d, &out->tray_open);
	if (rc == 0)
		rc = current_configuration(d, &profile, out);
	if (rc == 0 && profile == 0)
		rc = -ENOMEDIUM;
	if (rc) {
		out->error = rc;
		return;
	}
	out->profile = profile_by_number(profile);

	mmc_build_read_disc_info(&cmd, sizeof(reply));
	rc = probe_command(d, &cmd, reply);
	if (rc == 0 && mmc_parse_disc_info(reply, sizeof(reply), &di) < 0)
		rc = drive_fail(d, COND_INVALID_RESPONSE, "READ DISC INFORMATION");
	if (rc) {
		out->error = rc;
		return;
	}
	out->disc_status = di.disc_status;
	out->last_session_state = di.last_session_state;
	out->bg_format_status = di.bg_format_status;
	out->erasable = di.erasable;
	out->sessions = di.sessions;

	switch (out->profile->model) {
	case WRITE_MODEL_SEQUENTIAL:
		rc = probe_sequential(d, &di, out);
		break;
	case WRITE_MODEL_OVERWRITE:
		rc = probe_overwrite(d, &di, out);
		break;
	case WRITE_MODEL_READ_ONLY:
		rc = read_capacity(d, &out->total_sectors);
		break;
	}
	if (rc == 0)
		rc = probe_previous_session(d, &di, out);
	if (rc) {
		out->error = rc;
		return;
	}
	probe_write_protection(d, out);
	out->status = status_bits(out);
	probe_speeds(d, out);
}
