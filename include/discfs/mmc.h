/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MMC commands: CDB builders and response parsers.
 *
 * Everything here is a pure function over byte arrays: no I/O, no global
 * state, so each one is unit-tested on bytes a drive sends.  Layouts follow
 * MMC-5 (T10/1675-D) clause 6, one subclause per command, and SPC-4 for the
 * commands every SCSI device has (INQUIRY, MODE SENSE/SELECT, sense data).
 *
 * Parsers never trust a length field: they bound every read by the number of
 * bytes actually received and return -EPROTO ("invalid response from device")
 * when a reply is too short to hold what it claims.
 */
#ifndef DISCFS_MMC_H
#define DISCFS_MMC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opcodes we send or emulate. */
enum mmc_opcode {
	MMC_TEST_UNIT_READY = 0x00,
	MMC_REZERO_UNIT = 0x01,
	MMC_REQUEST_SENSE = 0x03,
	MMC_FORMAT_UNIT = 0x04,
	MMC_INQUIRY = 0x12,
	MMC_START_STOP_UNIT = 0x1B,
	MMC_PREVENT_ALLOW = 0x1E,
	MMC_READ_FORMAT_CAPACITIES = 0x23,
	MMC_READ_CAPACITY = 0x25,
	MMC_READ10 = 0x28,
	MMC_WRITE10 = 0x2A,
	MMC_SYNC_CACHE = 0x35,
	MMC_READ_BUFFER = 0x3C,
	MMC_READ_TOC = 0x43,
	MMC_GET_CONFIGURATION = 0x46,
	MMC_GET_EVENT_STATUS = 0x4A,
	MMC_READ_DISC_INFO = 0x51,
	MMC_READ_TRACK_INFO = 0x52,
	MMC_RESERVE_TRACK = 0x53,
	MMC_SEND_OPC = 0x54,
	MMC_MODE_SELECT10 = 0x55,
	MMC_CLOSE_TRACK_SESSION = 0x5B,
	MMC_READ_BUFFER_CAPACITY = 0x5C,
	MMC_SEND_CUE_SHEET = 0x5D,
	MMC_MODE_SENSE10 = 0x5A,
	MMC_BLANK = 0xA1,
	MMC_GET_PERFORMANCE = 0xAC,
	MMC_WRITE12 = 0xAA,
	MMC_READ_DISC_STRUCTURE = 0xAD,
	MMC_SET_STREAMING = 0xB6,
	MMC_SET_CD_SPEED = 0xBB,
};

/* SCSI status of a command (SAM-5, status codes). */
#define MMC_GOOD 0x00
#define MMC_CHECK_CONDITION 0x02

/* Sense keys (SPC-4, sense key descriptions). */
enum mmc_sense_key {
	SK_NO_SENSE = 0x0,
	SK_NOT_READY = 0x2,
	SK_MEDIUM_ERROR = 0x3,
	SK_HARDWARE_ERROR = 0x4,
	SK_ILLEGAL_REQUEST = 0x5,
	SK_UNIT_ATTENTION = 0x6,
	SK_DATA_PROTECT = 0x7,
};

/* Additional sense codes (SPC-4 lists them all with their qualifiers; MMC-5
 * names the ones a recorder reports for each command). */
enum mmc_asc {
	ASC_NOT_READY = 0x04,			/* 01 becoming ready, 04 formatting, 07 operation, 08 long write */
	ASC_WRITE_ERROR = 0x0C,			/* 09 loss of streaming */
	ASC_UNRECOVERED_READ_ERROR = 0x11,
	ASC_INVALID_OPCODE = 0x20,
	ASC_LBA_OUT_OF_RANGE = 0x21,
	ASC_INVALID_FIELD_IN_CDB = 0x24,
	ASC_INVALID_FIELD_IN_PARAMETERS = 0x26,
	ASC_WRITE_PROTECTED = 0x27,
	ASC_MEDIUM_CHANGED = 0x28,		/* not ready to ready change, medium may have changed */
	ASC_RESET = 0x29,
	ASC_COMMAND_SEQUENCE_ERROR = 0x2C,
	ASC_INCOMPATIBLE_MEDIUM = 0x30,
	ASC_SAVING_PARAMETERS_NOT_SUPPORTED = 0x39,
	ASC_MEDIUM_NOT_PRESENT = 0x3A,		/* 01 tray closed, 02 tray open */
	ASC_MEDIUM_REMOVAL_PREVENTED = 0x53,	/* with ASCQ 02 */
	ASC_INVALID_TRACK_MODE = 0x64,
	ASC_SESSION_FIXATION_ERROR = 0x72,
	ASC_POWER_CALIBRATION_ERROR = 0x73,
};
#define ASCQ_BECOMING_READY 0x01		/* with ASC_NOT_READY */
#define ASCQ_LONG_WRITE_IN_PROGRESS 0x08	/* with ASC_NOT_READY */
#define ASCQ_TRAY_OPEN 0x02			/* with ASC_MEDIUM_NOT_PRESENT */

/* Feature codes of GET CONFIGURATION (MMC-5 clause 5, feature definitions). */
enum mmc_feature_code {
	MMC_FEATURE_PROFILE_LIST = 0x0000,
	MMC_FEATURE_CORE = 0x0001,
	MMC_FEATURE_MORPHING = 0x0002,
	MMC_FEATURE_REMOVABLE_MEDIUM = 0x0003,
	MMC_FEATURE_WRITE_PROTECT = 0x0004,
	MMC_FEATURE_RANDOM_READABLE = 0x0010,
	MMC_FEATURE_MULTI_READ = 0x001D,
	MMC_FEATURE_CD_READ = 0x001E,
	MMC_FEATURE_DVD_READ = 0x001F,
	MMC_FEATURE_RANDOM_WRITABLE = 0x0020,
	MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE = 0x0021,
	MMC_FEATURE_FORMATTABLE = 0x0023,
	MMC_FEATURE_HARDWARE_DEFECT_MANAGEMENT = 0x0024,
	MMC_FEATURE_WRITE_ONCE = 0x0025,
	MMC_FEATURE_RESTRICTED_OVERWRITE = 0x0026,
	MMC_FEATURE_CD_RW_CAV_WRITE = 0x0027,
	MMC_FEATURE_MRW = 0x0028,
	MMC_FEATURE_DVD_PLUS_RW = 0x002A,
	MMC_FEATURE_DVD_PLUS_R = 0x002B,
	MMC_FEATURE_RIGID_RESTRICTED_OVERWRITE = 0x002C,
	MMC_FEATURE_CD_TRACK_AT_ONCE = 0x002D,
	MMC_FEATURE_CD_MASTERING = 0x002E,
	MMC_FEATURE_DVD_R_RW_WRITE = 0x002F,
	MMC_FEATURE_LAYER_JUMP_RECORDING = 0x0033,
	MMC_FEATURE_CD_RW_MEDIA_WRITE_SUPPORT = 0x0037,
	MMC_FEATURE_DVD_PLUS_RW_DUAL_LAYER = 0x003A,
	MMC_FEATURE_DVD_PLUS_R_DUAL_LAYER = 0x003B,
	MMC_FEATURE_BD_READ = 0x0040,
	MMC_FEATURE_BD_WRITE = 0x0041,
	MMC_FEATURE_POWER_MANAGEMENT = 0x0100,
	MMC_FEATURE_CD_EXTERNAL_AUDIO_PLAY = 0x0103,
	MMC_FEATURE_MICROCODE_UPGRADE = 0x0104,
	MMC_FEATURE_TIMEOUT = 0x0105,
	MMC_FEATURE_DVD_CSS = 0x0106,
	MMC_FEATURE_REAL_TIME_STREAMING = 0x0107,
	MMC_FEATURE_DRIVE_SERIAL_NUMBER = 0x0108,
	MMC_FEATURE_DISC_CONTROL_BLOCKS = 0x010A,
	MMC_FEATURE_DVD_CPRM = 0x010B,
};

/* READ DISC INFORMATION byte 2: Disc Status (bits 1-0) and State of Last
 * Session (bits 3-2), MMC-5 6.22.3.1. */
enum mmc_disc_status {
	MMC_DISC_EMPTY = 0,
	MMC_DISC_INCOMPLETE = 1,	/* appendable */
	MMC_DISC_COMPLETE = 2,		/* finalized */
	MMC_DISC_OTHERS = 3,		/* random access media, formatted */
};
enum mmc_session_state {
	MMC_SESSION_EMPTY = 0,
	MMC_SESSION_INCOMPLETE = 1,
	MMC_SESSION_DAMAGED = 2,
	MMC_SESSION_COMPLETE = 3,
};

/* Longest CDB we build: libcdio on Linux sends 12 bytes at most. */
#define MMC_CDB_MAX 12
#define MMC_SENSE_MAX 32
#define MMC_SECTOR_SIZE 2048

enum mmc_dir { MMC_DIR_NONE, MMC_DIR_READ, MMC_DIR_WRITE };

/* A command ready to send: the CDB, its length, the data direction and the
 * number of data bytes to transfer (allocation or parameter list length). */
struct mmc_cmd {
	uint8_t cdb[MMC_CDB_MAX];
	uint8_t cdb_len;
	enum mmc_dir dir;
	uint32_t xfer_len;
};

/* What came back for a command: the status, the sense bytes, the data moved.
 * A transport fills it in; the drive model and the -d trace read it. */
struct mmc_reply {
	/* 0: GOOD.  -EIO: CHECK CONDITION, sense[] holds the sense data.
	 * Other negative errno: the command did not reach the drive or did
	 * not come back (-ETIMEDOUT, -ENODEV, -EPERM, ...). */
	int status;
	uint8_t sense[MMC_SENSE_MAX];
	size_t sense_len;
	size_t transferred;	/* data bytes moved, when the transport knows */
};

/* Length of the CDB for an opcode by its group code (SPC-4):
 * 00h-1Fh 6, 20h-5Fh 10, 80h-9Fh 16, A0h-BFh 12; 0 for 60h-7Fh (reserved,
 * variable length) and C0h-FFh (vendor specific). */
size_t mmc_cdb_length(uint8_t opcode);

/* Name of an opcode as MMC-6 spells it ("READ TRACK INFORMATION") and as one
 * word ("READ_TRACK_INFO", the emulator's log); "UNKNOWN" for an opcode
 * outside the table. */
const char *mmc_opcode_name(uint8_t opcode);
const char *mmc_opcode_word(uint8_t opcode);

/* ---- CDB builders: each fills *cmd completely (zeroing unused bytes). ---- */
void mmc_build_test_unit_ready(struct mmc_cmd *cmd);
void mmc_build_request_sense(struct mmc_cmd *cmd, uint8_t alloc);
void mmc_build_inquiry(struct mmc_cmd *cmd, uint8_t alloc);
/* rt: 0 all features, 1 current only, 2 the one feature at start_feature. */
void mmc_build_get_configuration(struct mmc_cmd *cmd, uint8_t rt, uint16_t start_feature, uint16_t alloc);
void mmc_build_get_event_status(struct mmc_cmd *cmd, uint8_t class_mask, uint16_t alloc);
void mmc_build_read_disc_info(struct mmc_cmd *cmd, uint16_t alloc);
/* addr_type: 0 LBA, 1 track number, 2 session number. */
void mmc_build_read_track_info(struct mmc_cmd *cmd, uint8_t addr_type, uint32_t number, uint16_t alloc);
void mmc_build_read_capacity(struct mmc_cmd *cmd);
void mmc_build_read_format_capacities(struct mmc_cmd *cmd, uint16_t alloc);
/* pc: 0 current, 1 changeable, 2 default, 3 saved. */
void mmc_build_mode_sense10(struct mmc_cmd *cmd, uint8_t page, uint8_t pc, uint16_t alloc);
/* PF=1; the parameter list (8-byte header with zero length fields, then the
 * page with its PS bit cleared) is param_len bytes. */
void mmc_build_mode_select10(struct mmc_cmd *cmd, uint16_t param_len);
/* type 0x00 with data_type 0x14 (write, nominal) or 0x10 (read), or type 0x03
 * write speed descriptors (data_type ignored). */
void mmc_build_get_performance(struct mmc_cmd *cmd, uint8_t type, uint8_t data_type, uint32_t start_lba,
			       uint16_t max_descriptors);
void mmc_build_set_streaming(struct mmc_cmd *cmd);	/* type 0, 28-byte descriptor */
/* The 28-byte SET STREAMING performance descriptor: Write Size = write_kbps,
 * Write Time = 1000 ms, Read likewise; cav sets WRC=01b. */
void mmc_build_streaming_descriptor(uint8_t out[28], uint32_t start_lba, uint32_t end_lba, uint32_t read_kbps,
				    uint32_t write_kbps, bool cav);
/* kbps 0xFFFF means "as fast as possible". */
void mmc_build_set_cd_speed(struct mmc_cmd *cmd, uint16_t read_kbps, uint16_t write_kbps, bool pure_cav);
void mmc_build_read_buffer_capacity(struct mmc_cmd *cmd, bool block);
void mmc_build_read10(struct mmc_cmd *cmd, uint32_t lba, uint16_t blocks);
void mmc_build_write10(struct mmc_cmd *cmd, uint32_t lba, uint16_t blocks);
void mmc_build_sync_cache(struct mmc_cmd *cmd, bool immed);
/* func: 1 close track, 2 close session, 5 finalize DVD+R, 6 finalize BD-R. */
void mmc_build_close_track_session(struct mmc_cmd *cmd, uint8_t func, uint16_t track, bool immed);
/* format 1: multisession info (first track of the last complete session). */
void mmc_build_read_toc(struct mmc_cmd *cmd, uint8_t format, uint8_t track, uint16_t alloc);
/* READ DISC STRUCTURE: media type 0 (DVD) or 1 (BD), layer 0, address 0. */
void mmc_build_read_disc_structure(struct mmc_cmd *cmd, uint8_t media_type, uint8_t format, uint16_t alloc);
/* type: 0 full, 1 minimal. */
void mmc_build_blank(struct mmc_cmd *cmd, uint8_t type, bool immed);
/* FORMAT UNIT with FmtData=1, format code 001b; the 12-byte parameter list
 * is built by mmc_build_format_descriptor. */
void mmc_build_format_unit(struct mmc_cmd *cmd);
void mmc_build_format_descriptor(uint8_t out[12], uint32_t blocks, uint8_t format_type, uint32_t type_param,
				 bool immed);
void mmc_build_start_stop(struct mmc_cmd *cmd, bool load_eject, bool start, bool immed);
void mmc_build_prevent_allow(struct mmc_cmd *cmd, bool prevent);
void mmc_build_send_opc(struct mmc_cmd *cmd);

/* ---- Response parsers: 0 on success, -EPROTO on a malformed reply. ---- */

struct mmc_sense {
	uint8_t key, asc, ascq;
	bool progress_valid;	/* SKSV set with a progress indication */
	uint16_t progress;	/* bytes 16-17: fraction done, of 65536 */
};
/* Fixed (70h/71h) or descriptor (72h/73h) format sense data.  A buffer of
 * zero bytes or an unknown response code gives -EPROTO. */
int mmc_parse_sense(const uint8_t *buf, size_t len, struct mmc_sense *out);

struct mmc_inquiry {
	uint8_t peripheral_type;	/* 05h for CD/DVD */
	char vendor[9], product[17], revision[5];	/* trailing blanks trimmed */
};
int mmc_parse_inquiry(const uint8_t *buf, size_t len, struct mmc_inquiry *out);

#define MMC_MAX_PROFILES 32
#define MMC_MAX_FEATURES 64
struct mmc_feature {
	uint16_t code;
	bool current;
	uint8_t data[8];	/* the first additional bytes (descriptor byte 4 on) */
	uint8_t data_len;	/* how many of them the drive sent, at most 8 */
};
struct mmc_config {
	uint16_t current_profile;
	size_t nprofiles;
	uint16_t profiles[MMC_MAX_PROFILES];
	bool profile_current[MMC_MAX_PROFILES];
	size_t nfeatures;
	struct mmc_feature features[MMC_MAX_FEATURES];
};
int mmc_parse_configuration(const uint8_t *buf, size_t len, struct mmc_config *out);
/* The feature with that code, or NULL. */
const struct mmc_feature *mmc_config_feature(const struct mmc_config *cfg, uint16_t code);

/* GET EVENT STATUS NOTIFICATION, media class: mask bit 4 (10h), class value 4. */
struct mmc_media_event {
	bool no_event_available;	/* NEA bit: the class is not supported */
	uint8_t event;			/* 0 none, 1 eject request, 2 new media, 3 removal, 4 changed */
	bool door_open, media_present;
};
int mmc_parse_media_event(const uint8_t *buf, size_t len, struct mmc_media_event *out);

struct mmc_disc_info {
	bool erasable;
	uint8_t last_session_state;	/* 0 empty, 1 incomplete, 2 damaged, 3 complete */
	uint8_t disc_status;		/* 0 blank, 1 incomplete, 2 complete, 3 others */
	uint16_t first_track;
	uint16_t sessions;
	uint16_t first_track_last_session, last_track_last_session;
	uint8_t bg_format_status;	/* 0 none, 1 incomplete, 2 running, 3 complete */
	uint8_t disc_type;
	uint32_t last_session_leadin;	/* raw bytes 16-19 (MSF on CD) */
	uint32_t last_possible_leadout;	/* raw bytes 20-23 (MSF on CD) */
};
int mmc_parse_disc_info(const uint8_t *buf, size_t len, struct mmc_disc_info *out);
/* A CD address field as sent in disc information (00 MM SS FF) to an LBA. */
int32_t mmc_msf_field_to_lba(uint32_t field);

struct mmc_track_info {
	uint16_t track, session;
	bool damage, copy, blank, rt, packet, fixed_packet, nwa_valid, lra_valid;
	uint8_t track_mode, data_mode;
	uint32_t start, nwa, free_blocks, packet_size, size, last_recorded;
};
int mmc_parse_track_info(const uint8_t *buf, size_t len, struct mmc_track_info *out);

struct mmc_capacity {
	uint32_t last_lba, block_len;
};
int mmc_parse_read_capacity(const uint8_t *buf, size_t len, struct mmc_capacity *out);

/* READ DISC STRUCTURE C0h (write protection), byte 4. */
enum mmc_write_protection {
	MMC_WP_SWPP = 0x01,	/* software write protect until power down */
	MMC_WP_PWP = 0x02,	/* persistent write protect: on the medium */
	MMC_WP_CWP = 0x04,	/* the cartridge's tab */
	MMC_WP_MSWI = 0x08,	/* media specific write inhibit */
};
int mmc_parse_write_protection(const uint8_t *buf, size_t len, uint8_t *flags);

#define MMC_MAX_FORMATS 16
struct mmc_format_capacities {
	uint32_t current_blocks;
	uint8_t current_type;	/* 1 unformatted, 2 formatted, 3 no media */
	size_t nformats;
	struct {
		uint32_t blocks;
		uint8_t format_type;	/* bits 7-2 of byte 4 */
		uint32_t type_param;
	} formats[MMC_MAX_FORMATS];
};
int mmc_parse_format_capacities(const uint8_t *buf, size_t len, struct mmc_format_capacities *out);

#define MMC_MAX_SPEEDS 32
/* GET PERFORMANCE type 00h nominal descriptors. */
struct mmc_performance {
	uint32_t start_lba, start_kbps, end_lba, end_kbps;
};
/* Parses up to max descriptors; *count gets how many were parsed (at most max). */
int mmc_parse_performance(const uint8_t *buf, size_t len, struct mmc_performance *out, size_t max, size_t *count);

/* GET PERFORMANCE type 03h write speed descriptors. */
struct mmc_write_speed {
	uint8_t wrc;	/* 0 default rotation (CLV), 1 CAV */
	bool rdd, exact, mrw;
	uint32_t end_lba, read_kbps, write_kbps;
};
int mmc_parse_write_speeds(const uint8_t *buf, size_t len, struct mmc_write_speed *out, size_t max,
			   size_t *count);

struct mmc_buffer_capacity {
	uint32_t length, blank;	/* bytes; blank clamped to length */
};
int mmc_parse_buffer_capacity(const uint8_t *buf, size_t len, struct mmc_buffer_capacity *out);

/* READ TOC format 1: the first track of the last complete session. */
struct mmc_toc_session {
	uint8_t first_session, last_session;
	uint8_t first_track_last_session;
	uint32_t start_lba;
};
int mmc_parse_toc_session(const uint8_t *buf, size_t len, struct mmc_toc_session *out);

/* READ TOC format 0: the lead-out's LBA (sent with MSF=0). */
int mmc_parse_toc_leadout(const uint8_t *buf, size_t len, uint32_t *lba);

/* Locates a mode page inside a MODE SENSE(10) reply (header + block
 * descriptors skipped).  *page points at the page code byte.  -ENOENT when
 * the page is not there, -EPROTO when the reply is malformed. */
int mmc_find_mode_page(const uint8_t *buf, size_t len, uint8_t page_code, const uint8_t **page, size_t *page_len);

/* Mode page 2Ah (capabilities) fields we use. */
struct mmc_caps_page {
	bool buf;	/* byte 4 bit 7: buffer underrun protection */
	bool writes_cdr, writes_cdrw, writes_dvdr, writes_dvdram;
	uint16_t buffer_kib;
	uint16_t current_write_kbps;
	uint16_t max_read_kbps;
};
int mmc_parse_caps_page(const uint8_t *page, size_t page_len, struct mmc_caps_page *out);

/* Mode page 05h (write parameters) fields we read and change. */
struct mmc_write_params {
	bool bufe, test_write, ls_v;
	uint8_t write_type, multi_session, track_mode, data_block_type, link_size;
	uint32_t packet_size;
	bool fixed_packet;
};
int mmc_parse_write_params(const uint8_t *page, size_t page_len, struct mmc_write_params *out);
/* Writes the fields above into an existing page (template from MODE SENSE). */
int mmc_store_write_params(uint8_t *page, size_t page_len, const struct mmc_write_params *in);

/* Big-endian helpers, shared by builders, parsers and the emulator. */
static inline uint16_t mmc_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t mmc_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void mmc_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void mmc_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
