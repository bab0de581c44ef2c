/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ioctls of /dev/srN, answered as Linux answers them: SG_IO and
 * CDROM_SEND_PACKET with the conventions of drivers/scsi/scsi_ioctl.c, and
 * the cdrom.c and block-layer ioctls by sending the MMC commands sr and
 * cdrom.c send.  Errors are the ones those drivers return, so programs take
 * the same paths they take with a real recorder.
 */
#include <errno.h>
#include <linux/cdrom.h>
#include <linux/fs.h>
#include <pthread.h>
#include <scsi/scsi.h>
#include <scsi/scsi_ioctl.h>
#include <scsi/sg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vdrive_client.h"

#define SG_DRIVER_SENSE 0x08		/* driver_status when sense data came back */
#define SG_HOST_NO_CONNECT 0x01		/* host_status DID_NO_CONNECT: the server is gone */
#define SG_DXFER_UNKNOWN_DIRECTION (-5)
#define SG_VERSION 30527
#define SG_DEFAULT_TIMEOUT_TICKS (60 * 100)	/* BLK_DEFAULT_SG_TIMEOUT in USER_HZ */
#define SR_BLOCK_SIZE 2048
#define MMC_READ_SUBCHANNEL 0x42
#define CD_MSF_OFFSET 150
#define CD_FRAMES_PER_SECOND 75

/* Queue settings a program can change; per drive, as the kernel keeps them per queue. */
static struct {
	pthread_mutex_t lock;
	int sg_timeout[VDRIVE_MAX_DEVICES];
	int sg_reserved[VDRIVE_MAX_DEVICES];
	bool generation_known[VDRIVE_MAX_DEVICES];
	uint32_t generation_seen[VDRIVE_MAX_DEVICES];	/* for CDROM_MEDIA_CHANGED */
	bool initialised;
} queue = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void queue_lock(void)
{
	pthread_mutex_lock(&queue.lock);
	if (!queue.initialised) {
		for (int i = 0; i < VDRIVE_MAX_DEVICES; i++) {
			queue.sg_timeout[i] = SG_DEFAULT_TIMEOUT_TICKS;
			queue.sg_reserved[i] = VDRIVE_MAX_TRANSFER;
		}
		queue.initialised = true;
	}
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static uint8_t sense_key(const struct vdrive_result *r)
{
	return r->sense_len > 2 ? r->sense[2] & 0x0F : 0;
}

static uint8_t sense_asc(const struct vdrive_result *r)
{
	return r->sense_len > 12 ? r->sense[12] : 0;
}

/* A command as sr_do_ioctl runs it: 0 on GOOD; -ENOMEDIUM for "medium not
 * present"; -EIO for any other failure.  A unit attention is retried once,
 * as the SCSI midlayer retries it. */
static int run(unsigned index, const uint8_t *cdb, size_t cdb_len, enum mmc_dir dir, void *data, size_t len,
	       struct vdrive_result *r)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		vdrive_client_exec(index, cdb, cdb_len, dir, data, len, r);
		if (r->transport_error)
			return -EIO;
		if (r->status == 0)
			return 0;
		if (sense_key(r) != SK_UNIT_ATTENTION)
			break;
	}
	if (sense_key(r) == 0x02 && sense_asc(r) == 0x3A)
		return -ENOMEDIUM;
	return -EIO;
}

/* ---- Pass-through ---- */

static int sg_direction(const struct sg_io_hdr *hdr, enum mmc_dir *dir)
{
	if (!hdr->dxfer_len) {
		*dir = MMC_DIR_NONE;
		return 0;
	}
	switch (hdr->dxfer_direction) {
	case SG_DXFER_TO_DEV:
		*dir = MMC_DIR_WRITE;
		return 0;
	case SG_DXFER_FROM_DEV:
	case SG_DXFER_TO_FROM_DEV:
		*dir = MMC_DIR_READ;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Copies between a scatter list and a flat buffer, at most len bytes. */
static void scatter_gather(const struct sg_iovec *iov, unsigned count, uint8_t *flat, size_t len, bool to_flat)
{
	for (unsigned i = 0; i < count && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;

		if (to_flat)
			memcpy(flat, iov[i].iov_base, n);
		else
			memcpy(iov[i].iov_base, flat, n);
		flat += n;
		len -= n;
	}
}

static unsigned elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (unsigned)((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* SG_IO returns 0 even on CHECK CONDITION: the outcome is in the header. */
static int sg_io(unsigned index, struct sg_io_hdr *hdr)
{
	struct vdrive_result r;
	struct timespec start;
	enum mmc_dir dir;
	uint8_t *data;

	if (!hdr)
		return fail(EFAULT);
	if (hdr->interface_id != 'S')
		return fail(EINVAL);
	if (hdr->cmd_len < 6)
		return fail(EMSGSIZE);
	if (hdr->cmd_len > VDRIVE_CDB_MAX)
		return fail(EINVAL);
	if (!hdr->cmdp || (hdr->dxfer_len && !hdr->dxferp))
		return fail(EFAULT);
	if (hdr->dxfer_len > VDRIVE_MAX_TRANSFER)
		return fail(EIO);
	if (sg_direction(hdr, &dir) < 0)
		return fail(EINVAL);

	data = hdr->dxferp;
	if (hdr->iovec_count) {
		data = calloc(1, hdr->dxfer_len);
		if (!data)
			return fail(ENOMEM);
		if (dir == MMC_DIR_WRITE)
			scatter_gather(hdr->dxferp, hdr->iovec_count, data, hdr->dxfer_len, true);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	vdrive_client_exec(index, hdr->cmdp, hdr->cmd_len, dir, data, hdr->dxfer_len, &r);
	if (hdr->iovec_count) {
		if (dir == MMC_DIR_READ)
			scatter_gather(hdr->dxferp, hdr->iovec_count, data, r.transferred, false);
		free(data);
	}

	hdr->status = r.status;
	hdr->masked_status = (r.status >> 1) & 0x7F;
	hdr->msg_status = 0;
	hdr->host_status = r.transport_error ? SG_HOST_NO_CONNECT : 0;
	hdr->driver_status = r.status == MMC_CHECK_CONDITION ? SG_DRIVER_SENSE : 0;
	hdr->sb_len_wr = 0;
	if (hdr->sbp && r.sense_len) {
		hdr->sb_len_wr = r.sense_len < hdr->mx_sb_len ? r.sense_len : hdr->mx_sb_len;
		memcpy(hdr->sbp, r.sense, hdr->sb_len_wr);
	}
	hdr->resid = (int)(hdr->dxfer_len - r.transferred);
	hdr->duration = elapsed_ms(&start);
	hdr->info = (hdr->masked_status || hdr->host_status || hdr->driver_status) ? SG_INFO_CHECK : 0;
	return 0;
}

/* Always a 12-byte CDB; -1/EIO on any non-GOOD status with the sense in cgc->sense. */
static int send_packet(unsigned index, struct cdrom_generic_command *cgc)
{
	struct vdrive_result r;
	enum mmc_dir dir;

	if (!cgc)
		return fail(EFAULT);
	switch (cgc->data_direction) {
	case CGC_DATA_WRITE:
		dir = MMC_DIR_WRITE;
		break;
	case CGC_DATA_READ:
		dir = MMC_DIR_READ;
		break;
	case CGC_DATA_NONE:
		dir = MMC_DIR_NONE;
		break;
	case CGC_DATA_UNKNOWN:
		/* sg_io refuses SG_DXFER_UNKNOWN with data; without data nothing moves. */
		if (cgc->buflen)
			return fail(EINVAL);
		dir = MMC_DIR_NONE;
		break;
	default:
		return fail(EINVAL);
	}
	if (dir == MMC_DIR_NONE)
		cgc->buflen = 0;
	if (cgc->buflen && !cgc->buffer)
		return fail(EFAULT);
	if (cgc->buflen > VDRIVE_MAX_TRANSFER)
		return fail(EIO);
	vdrive_client_exec(index, cgc->cmd, CDROM_PACKET_SIZE, dir, cgc->buffer, cgc->buflen, &r);
	if (r.transport_error)
		return fail(EIO);
	if (cgc->sense && r.sense_len)
		memcpy(cgc->sense, r.sense, r.sense_len < sizeof(*cgc->sense) ? r.sense_len : sizeof(*cgc->sense));
	if (r.status)
		return fail(EIO);
	cgc->stat = 0;
	cgc->buflen = (unsigned)(cgc->buflen - r.transferred);
	return 0;
}

/* ---- cdrom.c on top of MMC ---- */

/* The block device's size, as the kernel keeps it (the server's, set at open):
 * a READ CAPACITY here would take a pending unit attention. */
static uint64_t capacity_bytes(int fd)
{
	return vdrive_client_medium_size(fd);
}

/* What sr's get_capabilities concludes from mode page 2Ah. */
static int capabilities(unsigned index)
{
	uint8_t cdb[10] = { MMC_MODE_SENSE10, 0, 0x2A }, reply[64] = { 0 };
	int caps = CDC_CLOSE_TRAY | CDC_OPEN_TRAY | CDC_LOCK | CDC_SELECT_SPEED | CDC_MULTI_SESSION | CDC_MCN |
		   CDC_MEDIA_CHANGED | CDC_PLAY_AUDIO | CDC_RESET | CDC_DRIVE_STATUS | CDC_GENERIC_PACKET | CDC_CD_R |
		   CDC_CD_RW | CDC_DVD | CDC_DVD_R | CDC_DVD_RAM | CDC_RAM;
	struct vdrive_result r;
	const uint8_t *page;
	size_t offset;

	mmc_put16(cdb + 7, sizeof(reply));
	if (run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), &r) < 0 ||
	    (offset = 8 + (size_t)mmc_get16(reply + 6)) + 8 > r.transferred || (reply[offset] & 0x3F) != 0x2A)
		return caps & ~(CDC_CD_R | CDC_CD_RW | CDC_DVD_R | CDC_DVD | CDC_DVD_RAM | CDC_SELECT_SPEED | CDC_RAM);
	page = reply + offset;
	if (!(page[2] & 0x08))
		caps &= ~CDC_DVD;
	if (!(page[3] & 0x20))
		caps &= ~CDC_DVD_RAM;
	if (!(page[3] & 0x10))
		caps &= ~CDC_DVD_R;
	if (!(page[3] & 0x02))
		caps &= ~CDC_CD_RW;
	if (!(page[3] & 0x01))
		caps &= ~CDC_CD_R;
	if (!(page[6] & 0x08))
		caps &= ~CDC_OPEN_TRAY;
	if (!(page[6] & 0x01))
		caps &= ~CDC_LOCK;
	if ((page[6] >> 5) == 0)	/* a caddy cannot close a tray */
		caps &= ~CDC_CLOSE_TRAY;
	if (!(caps & (CDC_DVD_RAM | CDC_CD_RW)))
		caps &= ~CDC_RAM;
	return caps;
}

/* sr_drive_status: TEST UNIT READY, then the media event for why not. */
static int drive_status(unsigned index)
{
	uint8_t tur[6] = { MMC_TEST_UNIT_READY };
	uint8_t gesn[10] = { MMC_GET_EVENT_STATUS, 0x01, 0, 0, 0x10 }, event[8] = { 0 };
	struct vdrive_result r, e;
	int ret = run(index, tur, sizeof(tur), MMC_DIR_NONE, NULL, 0, &r);

	if (ret == 0)
		return CDS_DISC_OK;
	if (r.transport_error)
		return fail(EIO);
	if (sense_key(&r) == 0x02 && sense_asc(&r) == 0x04 && r.sense[13] == 0x01)
		return CDS_DRIVE_NOT_READY;
	mmc_put16(gesn + 7, sizeof(event));
	if (run(index, gesn, sizeof(gesn), MMC_DIR_READ, event, sizeof(event), &e) == 0 && e.transferred >= 6 &&
	    !(event[2] & 0x80) && (event[2] & 0x07) == 0x04) {
		if (event[5] & 0x02)
			return CDS_DISC_OK;
		return event[5] & 0x01 ? CDS_TRAY_OPEN : CDS_NO_DISC;
	}
	if (sense_key(&r) == 0x02 && sense_asc(&r) == 0x3A)
		return r.sense[13] == 0x02 ? CDS_TRAY_OPEN : CDS_NO_DISC;
	return CDS_DRIVE_NOT_READY;
}

/* READ TOC format 0 for one track (or CDROM_LEADOUT): sr_read_tocentry. */
static int toc_entry(unsigned index, uint8_t track, uint8_t *ctrl_adr, uint32_t *lba)
{
	uint8_t cdb[10] = { MMC_READ_TOC }, reply[12] = { 0 };
	struct vdrive_result r;
	int ret;

	cdb[6] = track;
	mmc_put16(cdb + 7, sizeof(reply));
	ret = run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), &r);
	if (ret < 0)
		return ret;
	if (r.transferred < sizeof(reply))
		return -EIO;
	*ctrl_adr = reply[5];
	*lba = mmc_get32(reply + 8);
	return 0;
}

static int toc_header(unsigned index, struct cdrom_tochdr *hdr)
{
	uint8_t cdb[10] = { MMC_READ_TOC }, reply[12] = { 0 };
	struct vdrive_result r;
	int ret;

	mmc_put16(cdb + 7, sizeof(reply));
	ret = run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), &r);
	if (ret < 0)
		return ret;
	if (r.transferred < 4)
		return -EIO;
	hdr->cdth_trk0 = reply[2];
	hdr->cdth_trk1 = reply[3];
	return 0;
}

static void lba_to_addr(uint32_t lba, uint8_t format, union cdrom_addr *addr)
{
	if (format == CDROM_MSF) {
		uint32_t frames = lba + CD_MSF_OFFSET;

		addr->msf.minute = (uint8_t)(frames / (60 * CD_FRAMES_PER_SECOND));
		addr->msf.second = (uint8_t)(frames / CD_FRAMES_PER_SECOND % 60);
		addr->msf.frame = (uint8_t)(frames % CD_FRAMES_PER_SECOND);
	} else {
		addr->lba = (int)lba;
	}
}

static int read_toc_entry(unsigned index, struct cdrom_tocentry *entry)
{
	uint8_t ctrl_adr;
	uint32_t lba;
	int ret;

	if (entry->cdte_format != CDROM_MSF && entry->cdte_format != CDROM_LBA)
		return fail(EINVAL);
	ret = toc_entry(index, entry->cdte_track, &ctrl_adr, &lba);
	if (ret < 0)
		return fail(-ret);
	entry->cdte_ctrl = ctrl_adr & 0x0F;
	entry->cdte_adr = ctrl_adr >> 4;
	entry->cdte_datamode = (entry->cdte_ctrl & CDROM_DATA_TRACK) ? 1 : 0;
	lba_to_addr(lba, entry->cdte_format, &entry->cdte_addr);
	return 0;
}

/* cdrom_count_tracks and cdrom_ioctl_disc_status: from the TOC alone. */
static int disc_status(unsigned index)
{
	struct cdrom_tochdr hdr;
	unsigned audio = 0, data = 0;
	int ret = toc_header(index, &hdr);

	if (ret < 0)
		return ret == -ENOMEDIUM ? CDS_NO_DISC : CDS_NO_INFO;
	for (unsigned track = hdr.cdth_trk0; track && track <= hdr.cdth_trk1; track++) {
		uint8_t ctrl_adr;
		uint32_t lba;

		if (toc_entry(index, (uint8_t)track, &ctrl_adr, &lba) < 0)
			return CDS_NO_INFO;
		if (ctrl_adr & CDROM_DATA_TRACK)
			data++;
		else
			audio++;
	}
	if (audio)
		return data ? CDS_MIXED : CDS_AUDIO;
	return data ? CDS_DATA_1 : CDS_NO_INFO;
}

/* READ TOC format 1: the first track of the last session; 0 for a single session. */
static int multisession(unsigned index, struct cdrom_multisession *ms)
{
	uint8_t cdb[10] = { MMC_READ_TOC, 0, 0x01 }, reply[12] = { 0 };
	struct vdrive_result r;
	uint32_t lba = 0;

	if (ms->addr_format != CDROM_MSF && ms->addr_format != CDROM_LBA)
		return fail(EINVAL);
	mmc_put16(cdb + 7, sizeof(reply));
	if (run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), &r) == 0 &&
	    r.transferred >= sizeof(reply) && reply[3] > 1)
		lba = mmc_get32(reply + 8);
	ms->xa_flag = lba != 0;
	lba_to_addr(lba, ms->addr_format, &ms->addr);
	return 0;
}

static int get_mcn(unsigned index, struct cdrom_mcn *mcn)
{
	uint8_t cdb[10] = { MMC_READ_SUBCHANNEL, 0, 0x40, 0x02 }, reply[24] = { 0 };
	struct vdrive_result r;
	int ret;

	mmc_put16(cdb + 7, sizeof(reply));
	ret = run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), &r);
	if (ret < 0)
		return fail(-ret);
	memcpy(mcn->medium_catalog_number, reply + 9, 13);
	mcn->medium_catalog_number[13] = 0;
	return 0;
}

/* dvd_read_physical: READ DISC STRUCTURE format 0 for one layer. */
static int dvd_read_struct(unsigned index, dvd_struct *s)
{
	uint8_t cdb[12] = { MMC_READ_DISC_STRUCTURE }, reply[21] = { 0 };
	struct dvd_layer *layer;
	const uint8_t *base = reply + 4;
	struct vdrive_result r;
	int ret;

	if (s->type != DVD_STRUCT_PHYSICAL)
		return fail(s->type <= DVD_STRUCT_MANUFACT ? EIO : EINVAL);
	if (s->physical.layer_num >= DVD_LAYERS)
		return fail(EINVAL);
	cdb[6] = s->physical.layer_num;
	mmc_put16(cdb + 8, sizeof(reply));
	ret = run(index, cdb, sizeof(cdb), MMC_DIR_READ, reply, sizeof(reply), &r);
	if (ret < 0)
		return fail(-ret);
	if (r.transferred < sizeof(reply))
		return fail(EIO);
	layer = &s->physical.layer[s->physical.layer_num];
	layer->book_version = base[0] & 0x0F;
	layer->book_type = base[0] >> 4;
	layer->min_rate = base[1] & 0x0F;
	layer->disc_size = base[1] >> 4;
	layer->layer_type = base[2] & 0x0F;
	layer->track_path = (base[2] >> 4) & 1;
	layer->nlayers = (base[2] >> 5) & 3;
	layer->track_density = base[3] & 0x0F;
	layer->linear_density = base[3] >> 4;
	layer->start_sector = (uint32_t)base[5] << 16 | (uint32_t)base[6] << 8 | base[7];
	layer->end_sector = (uint32_t)base[9] << 16 | (uint32_t)base[10] << 8 | base[11];
	layer->end_sector_l0 = (uint32_t)base[13] << 16 | (uint32_t)base[14] << 8 | base[15];
	layer->bca = base[16] >> 7;
	return 0;
}

static int simple_command(unsigned index, const uint8_t *cdb, size_t cdb_len)
{
	struct vdrive_result r;
	int ret = run(index, cdb, cdb_len, MMC_DIR_NONE, NULL, 0, &r);

	return ret < 0 ? fail(-ret) : 0;
}

static int lock_door(unsigned index, bool lock)
{
	uint8_t cdb[6] = { MMC_PREVENT_ALLOW, 0, 0, 0, lock };

	return simple_command(index, cdb, sizeof(cdb));
}

static int move_tray(unsigned index, bool eject)
{
	uint8_t cdb[6] = { MMC_START_STOP_UNIT, 0, 0, 0, eject ? 0x02 : 0x03 };

	return simple_command(index, cdb, sizeof(cdb));
}

/* cdrom.c refuses to eject or unlock a drive another open file still uses. */
static bool drive_shared(unsigned index)
{
	struct vdrive_reply info;

	return vdrive_client_info(index, &info) < 0 || info.opens != 1;
}

static int eject(unsigned index)
{
	if (drive_shared(index))
		return fail(EBUSY);
	if (lock_door(index, false) < 0)
		return -1;
	return move_tray(index, true);
}

static int select_speed(unsigned index, int xfactor)
{
	uint8_t cdb[12] = { MMC_SET_CD_SPEED };
	uint16_t kbps = xfactor > 0 && xfactor < 0xFFFF / 177 ? (uint16_t)(xfactor * 177) : 0xFFFF;

	mmc_put16(cdb + 2, kbps);
	mmc_put16(cdb + 4, 0xFFFF);
	return simple_command(index, cdb, sizeof(cdb));
}

/* 1 once per media change seen by this process since its previous question. */
static int media_changed(unsigned index)
{
	struct vdrive_reply info;
	int changed;

	if (vdrive_client_info(index, &info) < 0)
		return fail(EIO);
	queue_lock();
	changed = queue.generation_known[index] && queue.generation_seen[index] != info.generation;
	queue.generation_known[index] = true;
	queue.generation_seen[index] = info.generation;
	pthread_mutex_unlock(&queue.lock);
	return changed;
}

/* ---- Dispatch ---- */

#define NEED(arg) do { if (!(arg)) return fail(EFAULT); } while (0)

int vdrive_ioctl(int fd, unsigned index, unsigned long request, void *arg)
{
	unsigned host = vdrive_client_minor(index);
	int *int_arg = arg, value;

	switch (request) {
	case SG_IO:
		return sg_io(index, arg);
	case CDROM_SEND_PACKET:
		return send_packet(index, arg);

	case SG_GET_VERSION_NUM:
		NEED(arg);
		*int_arg = SG_VERSION;
		return 0;
	case SG_EMULATED_HOST:
		NEED(arg);
		*int_arg = 1;
		return 0;
	case SG_SET_TIMEOUT:
		NEED(arg);
		queue_lock();
		queue.sg_timeout[index] = *int_arg;
		pthread_mutex_unlock(&queue.lock);
		return 0;
	case SG_GET_TIMEOUT:
		queue_lock();
		value = queue.sg_timeout[index];
		pthread_mutex_unlock(&queue.lock);
		return value;
	case SG_GET_RESERVED_SIZE:
		NEED(arg);
		queue_lock();
		*int_arg = queue.sg_reserved[index];
		pthread_mutex_unlock(&queue.lock);
		return 0;
	case SG_SET_RESERVED_SIZE:
		NEED(arg);
		if (*int_arg < 0)
			return fail(EINVAL);
		queue_lock();
		queue.sg_reserved[index] = *int_arg < VDRIVE_MAX_TRANSFER ? *int_arg : VDRIVE_MAX_TRANSFER;
		pthread_mutex_unlock(&queue.lock);
		return 0;
	case SG_SCSI_RESET:
		return 0;
	case SCSI_IOCTL_GET_IDLUN:
		/* Each drive alone on its own host adapter: channel, id and lun 0. */
		NEED(arg);
		int_arg[0] = (int)(host << 24);
		int_arg[1] = (int)host;
		return 0;
	case SCSI_IOCTL_GET_BUS_NUMBER:
		NEED(arg);
		*int_arg = (int)host;
		return 0;
	case SCSI_IOCTL_DOORLOCK:
	case SCSI_IOCTL_DOORUNLOCK:
		return lock_door(index, request == SCSI_IOCTL_DOORLOCK);

	case CDROM_GET_CAPABILITY:
		return capabilities(index);
	case CDROM_DRIVE_STATUS:
		return drive_status(index);
	case CDROM_MEDIA_CHANGED:
		return media_changed(index);
	case CDROM_DISC_STATUS:
		return disc_status(index);
	case CDROMEJECT:
		return eject(index);
	case CDROMCLOSETRAY:
		return move_tray(index, false);
	case CDROM_LOCKDOOR:
		if (!arg && drive_shared(index) && geteuid() != 0)
			return fail(EBUSY);
		return lock_door(index, arg != NULL);
	case CDROM_SELECT_SPEED:
		return select_speed(index, (int)(intptr_t)arg);
	case CDROMREADTOCHDR: {
		int ret;

		NEED(arg);
		ret = toc_header(index, arg);
		return ret < 0 ? fail(-ret) : 0;
	}
	case CDROMREADTOCENTRY:
		NEED(arg);
		return read_toc_entry(index, arg);
	case CDROMMULTISESSION:
		NEED(arg);
		return multisession(index, arg);
	case CDROM_GET_MCN:
		NEED(arg);
		return get_mcn(index, arg);
	case DVD_READ_STRUCT:
		NEED(arg);
		return dvd_read_struct(index, arg);

	case BLKFLSBUF:
		return 0;
	case BLKGETSIZE:
		NEED(arg);
		*(unsigned long *)arg = (unsigned long)(capacity_bytes(fd) / 512);
		return 0;
	case BLKGETSIZE64:
		NEED(arg);
		*(uint64_t *)arg = capacity_bytes(fd);
		return 0;
	case BLKSSZGET:
	case BLKBSZGET:
		NEED(arg);
		*int_arg = SR_BLOCK_SIZE;
		return 0;
	case BLKRRPART:
		return fail(EINVAL);	/* sr has no partition scanning */

	default:
		/* Including SG_GET_SCSI_ID (sg only) and HDIO_GET_IDENTITY (not ATA). */
		return fail(ENOTTY);
	}
}
