/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Injected faults: what a recorder does in the field that a healthy
 * emulator never would, so the tests can watch discfs cope with it.  One
 * fault is armed at a time and fires once; a vanished drive stays gone
 * until EMU_FAULT_NONE is armed (a drive plugged back in).  Damaged sectors
 * and stalling WRITEs are kept apart, by sector.
 */
#include <errno.h>
#include <string.h>

#include "emu_internal.h"

static const char *const fault_names[] = {
	[EMU_FAULT_NONE] = "none",
	[EMU_FAULT_MEDIUM_REMOVED] = "medium-removed",
	[EMU_FAULT_WRITE_ERROR] = "write-error",
	[EMU_FAULT_LOSS_OF_STREAMING] = "loss-of-streaming",
	[EMU_FAULT_POWER_CALIBRATION] = "power-calibration",
	[EMU_FAULT_UNIT_ATTENTION] = "unit-attention",
	[EMU_FAULT_BECOMING_READY] = "becoming-ready",
	[EMU_FAULT_TIMEOUT] = "timeout",
	[EMU_FAULT_VANISH] = "vanish",
	[EMU_FAULT_UNREADABLE] = "unreadable",
	[EMU_FAULT_STALL] = "stall",
};

#define NFAULTS (sizeof(fault_names) / sizeof(fault_names[0]))

int emu_fault_by_name(const char *name, enum emu_fault *out)
{
	for (size_t i = 0; name && i < NFAULTS; i++) {
		if (strcmp(name, fault_names[i]) == 0) {
			*out = (enum emu_fault)i;
			return 0;
		}
	}
	return -EINVAL;
}

int emu_inject_fault(struct emu *emu, enum emu_fault fault, uint32_t after_sectors)
{
	if ((unsigned)fault >= NFAULTS || fault == EMU_FAULT_UNREADABLE || fault == EMU_FAULT_STALL)
		return -EINVAL;
	pthread_mutex_lock(&emu->lock);
	emu->fault = fault;
	emu->fault_at_sectors = emu->stats.sectors_written + after_sectors;
	emu->fault_mid_write = after_sectors > 0;
	if (fault == EMU_FAULT_NONE) {
		emu->vanished = false;
		emu->stalled.armed = false;
		pthread_cond_broadcast(&emu->stall_released);
	}
	pthread_mutex_unlock(&emu->lock);
	return 0;
}

static bool touches(const struct emu_sectors *sectors, uint32_t lba, uint32_t blocks)
{
	return sectors->armed && blocks > 0 && lba <= sectors->last && (uint64_t)lba + blocks - 1 >= sectors->first;
}

/* The lock is let go meanwhile, so the emulator's owner can still look at
 * it (its counters, its log) and disarm the fault. */
int emu_fault_stall(struct emu *e)
{
	while (e->stalled.armed)
		pthread_cond_wait(&e->stall_released, &e->lock);
	return -ETIMEDOUT;
}

/* Someone pulls the tray open mid-burn (the emergency eject hole): the
 * lock the host holds does not stop it, and stays set in the drive until
 * the host allows removal. */
static void tray_forced_open(struct emu *e)
{
	bool prevent = e->prevent;

	e->prevent = false;
	emu_tray_open(e);
	e->prevent = prevent;
}

int emu_fault_fire(struct emu *e, struct emu_cmd *c)
{
	uint8_t opcode = c->cdb[0];
	bool write = opcode == MMC_WRITE10 || opcode == MMC_WRITE12;
	enum emu_fault fault = e->fault;

	if (write) {
		c->lba = mmc_get32(c->cdb + 2);
		c->blocks = opcode == MMC_WRITE12 ? mmc_get32(c->cdb + 6) : mmc_get16(c->cdb + 7);
	}
	if (write && touches(&e->stalled, c->lba, c->blocks)) {
		e->stats.faults_fired++;
		c->logs_lba = true;
		return EMU_STALLED;
	}
	if (fault == EMU_FAULT_NONE || e->stats.sectors_written < e->fault_at_sectors)
		return MMC_GOOD;
	/* Calibration happens at SEND OPC, before the first sector; after N
	 * sectors it is the drive's running calibration that fails, on a WRITE. */
	if (fault == EMU_FAULT_POWER_CALIBRATION && !e->fault_mid_write ? opcode != MMC_SEND_OPC : !write)
		return MMC_GOOD;
	e->fault = EMU_FAULT_NONE;
	e->stats.faults_fired++;
	/* The log shows where the burn was hit. */
	c->logs_lba = write;
	switch (fault) {
	case EMU_FAULT_MEDIUM_REMOVED:
		tray_forced_open(e);
		return emu_check(c, SK_NOT_READY, ASC_MEDIUM_NOT_PRESENT, 0x02);
	case EMU_FAULT_WRITE_ERROR:
		return emu_check(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, 0x00);
	case EMU_FAULT_LOSS_OF_STREAMING:
		return emu_check(c, SK_MEDIUM_ERROR, ASC_WRITE_ERROR, 0x09);
	case EMU_FAULT_POWER_CALIBRATION:
		return emu_check(c, SK_MEDIUM_ERROR, ASC_POWER_CALIBRATION_ERROR, 0x03);
	case EMU_FAULT_UNIT_ATTENTION:
		return emu_check(c, SK_UNIT_ATTENTION, ASC_RESET, 0x00);
	case EMU_FAULT_BECOMING_READY:
		return emu_check(c, SK_NOT_READY, ASC_NOT_READY, 0x01);
	case EMU_FAULT_TIMEOUT:
		return -ETIMEDOUT;
	case EMU_FAULT_VANISH:
		e->vanished = true;
		return -ENODEV;
	case EMU_FAULT_NONE:
	case EMU_FAULT_UNREADABLE:
	case EMU_FAULT_STALL:
		break;
	}
	return MMC_GOOD;
}

static int arm(struct emu *emu, struct emu_sectors *sectors, uint32_t first, uint32_t last)
{
	if (last < first)
		return -EINVAL;
	pthread_mutex_lock(&emu->lock);
	*sectors = (struct emu_sectors){ .armed = true, .first = first, .last = last };
	pthread_mutex_unlock(&emu->lock);
	return 0;
}

int emu_damage_sectors(struct emu *emu, uint32_t first, uint32_t last)
{
	return arm(emu, &emu->damaged, first, last);
}

int emu_stall_writes(struct emu *emu, uint32_t first, uint32_t last)
{
	return arm(emu, &emu->stalled, first, last);
}

bool emu_fault_unreadable(const struct emu *e, uint32_t lba, uint32_t blocks)
{
	return touches(&e->damaged, lba, blocks);
}
