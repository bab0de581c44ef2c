/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one table of the MMC commands discfs sends and the emulator answers:
 * each opcode's name as MMC-6 spells it (for last_error and the -d trace)
 * and as one word (for the emulator's command log), and the CDB length every
 * command has by its group code (SPC-4, operation code groups).
 */
#include "discfs/mmc.h"

static const struct {
	uint8_t opcode;
	const char *name;
	const char *word;
} opcodes[] = {
	{ MMC_TEST_UNIT_READY, "TEST UNIT READY", "TEST_UNIT_READY" },
	{ MMC_REZERO_UNIT, "REZERO UNIT", "REZERO_UNIT" },
	{ MMC_REQUEST_SENSE, "REQUEST SENSE", "REQUEST_SENSE" },
	{ MMC_FORMAT_UNIT, "FORMAT UNIT", "FORMAT_UNIT" },
	{ MMC_INQUIRY, "INQUIRY", "INQUIRY" },
	{ MMC_START_STOP_UNIT, "START STOP UNIT", "START_STOP_UNIT" },
	{ MMC_PREVENT_ALLOW, "PREVENT ALLOW MEDIUM REMOVAL", "PREVENT_ALLOW" },
	{ MMC_READ_FORMAT_CAPACITIES, "READ FORMAT CAPACITIES", "READ_FORMAT_CAPACITIES" },
	{ MMC_READ_CAPACITY, "READ CAPACITY", "READ_CAPACITY" },
	{ MMC_READ10, "READ(10)", "READ10" },
	{ MMC_WRITE10, "WRITE(10)", "WRITE10" },
	{ MMC_SYNC_CACHE, "SYNCHRONIZE CACHE", "SYNC_CACHE" },
	{ MMC_READ_BUFFER, "READ BUFFER", "READ_BUFFER" },
	{ MMC_READ_TOC, "READ TOC/PMA/ATIP", "READ_TOC" },
	{ MMC_GET_CONFIGURATION, "GET CONFIGURATION", "GET_CONFIGURATION" },
	{ MMC_GET_EVENT_STATUS, "GET EVENT STATUS NOTIFICATION", "GET_EVENT_STATUS" },
	{ MMC_READ_DISC_INFO, "READ DISC INFORMATION", "READ_DISC_INFO" },
	{ MMC_READ_TRACK_INFO, "READ TRACK INFORMATION", "READ_TRACK_INFO" },
	{ MMC_RESERVE_TRACK, "RESERVE TRACK", "RESERVE_TRACK" },
	{ MMC_SEND_OPC, "SEND OPC INFORMATION", "SEND_OPC" },
	{ MMC_MODE_SELECT10, "MODE SELECT(10)", "MODE_SELECT10" },
	{ MMC_CLOSE_TRACK_SESSION, "CLOSE TRACK/SESSION", "CLOSE_TRACK_SESSION" },
	{ MMC_READ_BUFFER_CAPACITY, "READ BUFFER CAPACITY", "READ_BUFFER_CAPACITY" },
	{ MMC_SEND_CUE_SHEET, "SEND CUE SHEET", "SEND_CUE_SHEET" },
	{ MMC_MODE_SENSE10, "MODE SENSE(10)", "MODE_SENSE10" },
	{ MMC_BLANK, "BLANK", "BLANK" },
	{ MMC_GET_PERFORMANCE, "GET PERFORMANCE", "GET_PERFORMANCE" },
	{ MMC_WRITE12, "WRITE(12)", "WRITE12" },
	{ MMC_READ_DISC_STRUCTURE, "READ DISC STRUCTURE", "READ_DISC_STRUCTURE" },
	{ MMC_SET_STREAMING, "SET STREAMING", "SET_STREAMING" },
	{ MMC_SET_CD_SPEED, "SET CD SPEED", "SET_CD_SPEED" },
};

size_t mmc_cdb_length(uint8_t opcode)
{
	switch (opcode >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;	/* 3: reserved or variable length; 6, 7: vendor specific */
	}
}

static int find(uint8_t opcode)
{
	for (size_t i = 0; i < sizeof(opcodes) / sizeof(opcodes[0]); i++)
		if (opcodes[i].opcode == opcode)
			return (int)i;
	return -1;
}

const char *mmc_opcode_name(uint8_t opcode)
{
	int i = find(opcode);

	return i < 0 ? "UNKNOWN" : opcodes[i].name;
}

const char *mmc_opcode_word(uint8_t opcode)
{
	int i = find(opcode);

	return i < 0 ? "UNKNOWN" : opcodes[i].word;
}
