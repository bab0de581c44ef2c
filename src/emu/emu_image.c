/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The image file behind the emulated medium: sector I/O and ISO detection. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/volume.h"
#include "emu_internal.h"

int emu_image_open(const char *path)
{
	int fd;

	if (path) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		return fd < 0 ? -errno : fd;
	}
	const char *dir = getenv("TMPDIR");
	char name[4096];
	size_t len;

	if (!dir || !*dir)
		dir = "/tmp";
	len = strlen(dir);
	if (len + sizeof("/discfs-emu-XXXXXX") > sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, dir, len);
	memcpy(name + len, "/discfs-emu-XXXXXX", sizeof("/discfs-emu-XXXXXX"));
	fd = mkostemp(name, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Nobody else needs the name, and an unlinked file cannot be left behind. */
	unlink(name);
	return fd;
}

uint32_t emu_image_iso_sectors(int fd)
{
	uint8_t pvd[MMC_SECTOR_SIZE];
	uint32_t size;

	if (pread(fd, pvd, sizeof(pvd), (off_t)VOLUME_ISO_PVD_LBA * MMC_SECTOR_SIZE) != (ssize_t)sizeof(pvd))
		return 0;
	size = volume_iso9660_sectors(pvd);
	return size > VOLUME_ISO_PVD_LBA ? size : 0;
}

/* Sectors the image never held read as zeros, as on a sparse file. */
int emu_image_read(int fd, uint32_t lba, uint32_t blocks, uint8_t *buf)
{
	size_t len = (size_t)blocks * MMC_SECTOR_SIZE, done = 0;
	off_t off = (off_t)lba * MMC_SECTOR_SIZE;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			memset(buf + done, 0, len - done);
			break;
		}
		done += (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

static bool zero_sector(const uint8_t *sector)
{
	/* Equal to itself shifted by one byte, and the first byte zero: all zero. */
	return sector[0] == 0 && memcmp(sector, sector + 1, MMC_SECTOR_SIZE - 1) == 0;
}

/* Zeros over what the image holds: a hole where the file system makes
 * one, the zeros themselves where it cannot. */
static int zero_range(int fd, off_t off, size_t len)
{
	static const uint8_t zeros[MMC_SECTOR_SIZE];
	int rc = 0;

	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, (off_t)len) == 0)
		return 0;
	for (size_t done = 0; done < len && rc == 0; done += MMC_SECTOR_SIZE)
		rc = write_all(fd, zeros, MMC_SECTOR_SIZE, off + (off_t)done);
	return rc;
}

/* All-zero sectors are kept as holes (a sparse image), so a disc of mostly
 * zeros, a large sparse file burned, costs the host little: past the
 * image's end they are not written at all, over its data they are punched
 * out.  Either way they read back as zeros, and the image's size still
 * reaches the last sector written: a reload after a crash takes it for
 * the end of the open track. */
int emu_image_write(int fd, uint32_t lba, uint32_t blocks, const uint8_t *buf)
{
	off_t off = (off_t)lba * MMC_SECTOR_SIZE, end = off + (off_t)blocks * MMC_SECTOR_SIZE;
	struct stat st;
	off_t size;
	uint32_t i = 0;
	int rc = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	/* A device (image=/dev/...) has no holes, nor a size of its own. */
	if (!S_ISREG(st.st_mode))
		return write_all(fd, buf, (size_t)blocks * MMC_SECTOR_SIZE, off);
	size = st.st_size;
	while (i < blocks && rc == 0) {
		const uint8_t *run = buf + (size_t)i * MMC_SECTOR_SIZE;
		off_t run_off = off + (off_t)i * MMC_SECTOR_SIZE, run_end;
		bool zeros = zero_sector(run);
		uint32_t n = 1;

		while (i + n < blocks && zero_sector(run + (size_t)n * MMC_SECTOR_SIZE) == zeros)
			n++;
		i += n;
		run_end = run_off + (off_t)n * MMC_SECTOR_SIZE;
		if (!zeros)
			rc = write_all(fd, run, (size_t)n * MMC_SECTOR_SIZE, run_off);
		else if (run_off < size)
			rc = zero_range(fd, run_off, (size_t)((run_end < size ? run_end : size) - run_off));
		if (!zeros && run_end > size)
			size = run_end;
	}
	if (rc == 0 && size < end && ftruncate(fd, end) < 0)
		rc = -errno;
	return rc;
}

int emu_image_erase(int fd)
{
	return ftruncate(fd, 0) < 0 ? -errno : 0;
}

uint32_t emu_image_sectors(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || st.st_size < 0)
		return 0;
	return st.st_size / MMC_SECTOR_SIZE > UINT32_MAX ? UINT32_MAX : (uint32_t)(st.st_size / MMC_SECTOR_SIZE);
}
