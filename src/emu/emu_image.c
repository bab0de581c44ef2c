/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The image file behind the emulated medium: sector I/O and ISO detection. */
#include <errno.h>
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

int emu_image_write(int fd, uint32_t lba, uint32_t blocks, const uint8_t *buf)
{
	size_t len = (size_t)blocks * MMC_SECTOR_SIZE, done = 0;
	off_t off = (off_t)lba * MMC_SECTOR_SIZE;

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
