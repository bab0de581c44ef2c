/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MMC command descriptor blocks.
 *
 * Each builder starts from a zeroed command so reserved bytes and the
 * control byte are always 0, then fills the fields MMC-5 (T10/1675-D)
 * defines in clause 6, one subclause per command; INQUIRY, MODE SENSE/SELECT
 * and TEST UNIT READY are SPC-4's.
 */
#include <string.h>

#include "discfs/mmc.h"

#define MODE_SELECT_PF 0x10
#define FORMAT_UNIT_FMTDATA_CODE1 0x11	/* FmtData=1, Format Code 001b */
#define FORMAT_PARAM_LIST_LEN 12
#define STREAMING_DESCRIPTOR_LEN 28
#define STREAMING_TIME_MS 1000		/* with 1 s, the size fields read as kB/s */
#define BUFFER_CAPACITY_LEN 12
#define READ_CAPACITY_LEN 8
#define PERFORMANCE_HEADER_LEN 8
#define PERFORMANCE_DESCRIPTOR_LEN 16

/* Zeroes the whole command and sets what every builder sets. */
static void cmd_start(struct mmc_cmd *cmd, uint8_t opcode, enum mmc_dir dir, uint32_t xfer_len)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->cdb[0] = opcode;
	cmd->cdb_len = (uint8_t)mmc_cdb_length(opcode);
	cmd->dir = dir;
	cmd->xfer_len = xfer_len;
}

void mmc_build_test_unit_ready(struct mmc_cmd *cmd)
{
	cmd_start(cmd, MMC_TEST_UNIT_READY, MMC_DIR_NONE, 0);
}

void mmc_build_request_sense(struct mmc_cmd *cmd, uint8_t alloc)
{
	cmd_start(cmd, MMC_REQUEST_SENSE, MMC_DIR_READ, alloc);
	cmd->cdb[4] = alloc;
}

void mmc_build_inquiry(struct mmc_cmd *cmd, uint8_t alloc)
{
	cmd_start(cmd, MMC_INQUIRY, MMC_DIR_READ, alloc);
	cmd->cdb[4] = alloc;
}

void mmc_build_get_configuration(struct mmc_cmd *cmd, uint8_t rt, uint16_t start_feature, uint16_t alloc)
{
	cmd_start(cmd, MMC_GET_CONFIGURATION, MMC_DIR_READ, alloc);
	cmd->cdb[1] = rt & 0x03;
	mmc_put16(&cmd->cdb[2], start_feature);
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_get_event_status(struct mmc_cmd *cmd, uint8_t class_mask, uint16_t alloc)
{
	cmd_start(cmd, MMC_GET_EVENT_STATUS, MMC_DIR_READ, alloc);
	cmd->cdb[1] = 0x01;	/* Polled: ATAPI drives reject asynchronous mode */
	cmd->cdb[4] = class_mask;
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_read_disc_info(struct mmc_cmd *cmd, uint16_t alloc)
{
	cmd_start(cmd, MMC_READ_DISC_INFO, MMC_DIR_READ, alloc);
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_read_track_info(struct mmc_cmd *cmd, uint8_t addr_type, uint32_t number, uint16_t alloc)
{
	cmd_start(cmd, MMC_READ_TRACK_INFO, MMC_DIR_READ, alloc);
	cmd->cdb[1] = addr_type & 0x03;
	mmc_put32(&cmd->cdb[2], number);
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_read_capacity(struct mmc_cmd *cmd)
{
	cmd_start(cmd, MMC_READ_CAPACITY, MMC_DIR_READ, READ_CAPACITY_LEN);
}

void mmc_build_read_format_capacities(struct mmc_cmd *cmd, uint16_t alloc)
{
	cmd_start(cmd, MMC_READ_FORMAT_CAPACITIES, MMC_DIR_READ, alloc);
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_mode_sense10(struct mmc_cmd *cmd, uint8_t page, uint8_t pc, uint16_t alloc)
{
	cmd_start(cmd, MMC_MODE_SENSE10, MMC_DIR_READ, alloc);
	cmd->cdb[2] = (uint8_t)((pc & 0x03) << 6 | (page & 0x3F));
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_mode_select10(struct mmc_cmd *cmd, uint16_t param_len)
{
	cmd_start(cmd, MMC_MODE_SELECT10, MMC_DIR_WRITE, param_len);
	cmd->cdb[1] = MODE_SELECT_PF;
	mmc_put16(&cmd->cdb[7], param_len);
}

void mmc_build_get_performance(struct mmc_cmd *cmd, uint8_t type, uint8_t data_type, uint32_t start_lba,
			       uint16_t max_descriptors)
{
	cmd_start(cmd, MMC_GET_PERFORMANCE, MMC_DIR_READ,
		  PERFORMANCE_HEADER_LEN + (uint32_t)PERFORMANCE_DESCRIPTOR_LEN * max_descriptors);
	/* Data Type only qualifies type 00h; other types define the byte as reserved. */
	if (type == 0x00)
		cmd->cdb[1] = data_type & 0x1F;
	mmc_put32(&cmd->cdb[2], start_lba);
	mmc_put16(&cmd->cdb[8], max_descriptors);
	cmd->cdb[10] = type;
}

void mmc_build_set_streaming(struct mmc_cmd *cmd)
{
	cmd_start(cmd, MMC_SET_STREAMING, MMC_DIR_WRITE, STREAMING_DESCRIPTOR_LEN);
	cmd->cdb[8] = 0x00;	/* Type: performance descriptor */
	mmc_put16(&cmd->cdb[9], STREAMING_DESCRIPTOR_LEN);
}

void mmc_build_streaming_descriptor(uint8_t out[28], uint32_t start_lba, uint32_t end_lba, uint32_t read_kbps,
				    uint32_t write_kbps, bool cav)
{
	memset(out, 0, STREAMING_DESCRIPTOR_LEN);
	out[0] = cav ? 0x01 << 3 : 0x00;	/* WRC, bits 4-3 */
	mmc_put32(&out[4], start_lba);
	mmc_put32(&out[8], end_lba);
	mmc_put32(&out[12], read_kbps);
	mmc_put32(&out[16], STREAMING_TIME_MS);
	mmc_put32(&out[20], write_kbps);
	mmc_put32(&out[24], STREAMING_TIME_MS);
}

void mmc_build_set_cd_speed(struct mmc_cmd *cmd, uint16_t read_kbps, uint16_t write_kbps, bool pure_cav)
{
	cmd_start(cmd, MMC_SET_CD_SPEED, MMC_DIR_NONE, 0);
	cmd->cdb[1] = pure_cav ? 0x01 : 0x00;
	mmc_put16(&cmd->cdb[2], read_kbps);
	mmc_put16(&cmd->cdb[4], write_kbps);
}

void mmc_build_read_buffer_capacity(struct mmc_cmd *cmd, bool block)
{
	cmd_start(cmd, MMC_READ_BUFFER_CAPACITY, MMC_DIR_READ, BUFFER_CAPACITY_LEN);
	cmd->cdb[1] = block ? 0x01 : 0x00;
	mmc_put16(&cmd->cdb[7], BUFFER_CAPACITY_LEN);
}

void mmc_build_read10(struct mmc_cmd *cmd, uint32_t lba, uint16_t blocks)
{
	cmd_start(cmd, MMC_READ10, MMC_DIR_READ, (uint32_t)MMC_SECTOR_SIZE * blocks);
	mmc_put32(&cmd->cdb[2], lba);
	mmc_put16(&cmd->cdb[7], blocks);
}

void mmc_build_write10(struct mmc_cmd *cmd, uint32_t lba, uint16_t blocks)
{
	cmd_start(cmd, MMC_WRITE10, MMC_DIR_WRITE, (uint32_t)MMC_SECTOR_SIZE * blocks);
	mmc_put32(&cmd->cdb[2], lba);
	mmc_put16(&cmd->cdb[7], blocks);
}

void mmc_build_sync_cache(struct mmc_cmd *cmd, bool immed)
{
	cmd_start(cmd, MMC_SYNC_CACHE, MMC_DIR_NONE, 0);
	cmd->cdb[1] = immed ? 0x02 : 0x00;
}

void mmc_build_close_track_session(struct mmc_cmd *cmd, uint8_t func, uint16_t track, bool immed)
{
	cmd_start(cmd, MMC_CLOSE_TRACK_SESSION, MMC_DIR_NONE, 0);
	cmd->cdb[1] = immed ? 0x01 : 0x00;
	cmd->cdb[2] = func & 0x07;
	mmc_put16(&cmd->cdb[4], track);
}

void mmc_build_read_toc(struct mmc_cmd *cmd, uint8_t format, uint8_t track, uint16_t alloc)
{
	cmd_start(cmd, MMC_READ_TOC, MMC_DIR_READ, alloc);
	cmd->cdb[2] = format & 0x0F;	/* byte 1 MSF=0: addresses come back as LBAs */
	cmd->cdb[6] = track;
	mmc_put16(&cmd->cdb[7], alloc);
}

void mmc_build_read_disc_structure(struct mmc_cmd *cmd, uint8_t media_type, uint8_t format, uint16_t alloc)
{
	cmd_start(cmd, MMC_READ_DISC_STRUCTURE, MMC_DIR_READ, alloc);
	cmd->cdb[1] = media_type & 0x0F;
	cmd->cdb[7] = format;
	mmc_put16(&cmd->cdb[8], alloc);
}

void mmc_build_blank(struct mmc_cmd *cmd, uint8_t type, bool immed)
{
	cmd_start(cmd, MMC_BLANK, MMC_DIR_NONE, 0);
	cmd->cdb[1] = (uint8_t)((immed ? 0x10 : 0x00) | (type & 0x07));
}

void mmc_build_format_unit(struct mmc_cmd *cmd)
{
	cmd_start(cmd, MMC_FORMAT_UNIT, MMC_DIR_WRITE, FORMAT_PARAM_LIST_LEN);
	cmd->cdb[1] = FORMAT_UNIT_FMTDATA_CODE1;
}

void mmc_build_format_descriptor(uint8_t out[12], uint32_t blocks, uint8_t format_type, uint32_t type_param,
				 bool immed)
{
	memset(out, 0, FORMAT_PARAM_LIST_LEN);
	out[1] = immed ? 0x02 : 0x00;
	mmc_put16(&out[2], 8);	/* Format Descriptor Length */
	mmc_put32(&out[4], blocks);
	out[8] = (uint8_t)(format_type << 2);
	out[9] = (uint8_t)(type_param >> 16);
	out[10] = (uint8_t)(type_param >> 8);
	out[11] = (uint8_t)type_param;
}

void mmc_build_start_stop(struct mmc_cmd *cmd, bool load_eject, bool start, bool immed)
{
	cmd_start(cmd, MMC_START_STOP_UNIT, MMC_DIR_NONE, 0);
	cmd->cdb[1] = immed ? 0x01 : 0x00;
	cmd->cdb[4] = (uint8_t)((load_eject ? 0x02 : 0x00) | (start ? 0x01 : 0x00));
}

void mmc_build_prevent_allow(struct mmc_cmd *cmd, bool prevent)
{
	cmd_start(cmd, MMC_PREVENT_ALLOW, MMC_DIR_NONE, 0);
	cmd->cdb[4] = prevent ? 0x01 : 0x00;
}

void mmc_build_send_opc(struct mmc_cmd *cmd)
{
	cmd_start(cmd, MMC_SEND_OPC, MMC_DIR_NONE, 0);
	cmd->cdb[1] = 0x01;	/* DoOPC: calibrate now, no OPC table sent */
}
