/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The yardstick for reading: the emulated recorder alone, with nothing of
 * discfs above it.  Reads SECTORS sectors of a DVD+RW whose image is IMAGE
 * with READ(10) of 32 sectors (what discfs sends) on a virtual clock, and
 * prints the MB/s and the CPU seconds per GB (10^9 bytes) it took.
 *
 *   emu_read IMAGE SECTORS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "discfs/emu.h"

#define CHUNK 32

static double seconds(struct timespec t)
{
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
	       (double)u.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct emu_config cfg = { .media = "dvd+rw", .timescale = 1, .virtual_clock = true };
	static uint8_t buf[CHUNK * MMC_SECTOR_SIZE];
	struct timespec t0, t1;
	uint8_t cdb[10] = { MMC_READ10 }, sense[18];
	unsigned long sectors;
	double cpu0, bytes;
	struct emu *emu;
	size_t moved;

	if (argc != 3) {
		fprintf(stderr, "usage: emu_read IMAGE SECTORS\n");
		return 2;
	}
	cfg.image = argv[1];
	sectors = strtoul(argv[2], NULL, 10);
	emu = emu_create(&cfg);
	if (!emu) {
		perror("emu_create");
		return 1;
	}
	cpu0 = cpu_seconds();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long lba = 0; lba < sectors; lba += CHUNK) {
		unsigned long n = sectors - lba < CHUNK ? sectors - lba : CHUNK;

		mmc_put32(cdb + 2, (uint32_t)lba);
		mmc_put16(cdb + 7, (uint16_t)n);
		if (emu_exec(emu, cdb, sizeof(cdb), MMC_DIR_READ, buf, n * MMC_SECTOR_SIZE, &moved, sense) != 0) {
			fprintf(stderr, "READ(10) at %lu failed: %X/%02X/%02X\n", lba, sense[2], sense[12], sense[13]);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	bytes = (double)sectors * MMC_SECTOR_SIZE;
	printf("%.1f %.3f\n", bytes / 1e6 / (seconds(t1) - seconds(t0)), (cpu_seconds() - cpu0) / (bytes / 1e9));
	emu_destroy(emu);
	return 0;
}
