/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * profiles (IDiscRecorder2 SupportedProfiles, the current one marked),
 * features (SupportedFeaturePages, current ones marked) and write_protect
 * (IDiscFormat2Data WriteProtectStatus).
 */
#include <errno.h>

#include "attr.h"

static const struct {
	uint16_t code;
	const char *name;
} feature_names[] = {
	{ MMC_FEATURE_PROFILE_LIST, "profile-list" },
	{ MMC_FEATURE_CORE, "core" },
	{ MMC_FEATURE_MORPHING, "morphing" },
	{ MMC_FEATURE_REMOVABLE_MEDIUM, "removable-medium" },
	{ MMC_FEATURE_WRITE_PROTECT, "write-protect" },
	{ MMC_FEATURE_RANDOM_READABLE, "random-readable" },
	{ MMC_FEATURE_MULTI_READ, "multi-read" },
	{ MMC_FEATURE_CD_READ, "cd-read" },
	{ MMC_FEATURE_DVD_READ, "dvd-read" },
	{ MMC_FEATURE_RANDOM_WRITABLE, "random-writable" },
	{ MMC_FEATURE_INCREMENTAL_STREAMING_WRITABLE, "incremental-streaming-writable" },
	{ MMC_FEATURE_FORMATTABLE, "formattable" },
	{ MMC_FEATURE_HARDWARE_DEFECT_MANAGEMENT, "hardware-defect-management" },
	{ MMC_FEATURE_WRITE_ONCE, "write-once" },
	{ MMC_FEATURE_RESTRICTED_OVERWRITE, "restricted-overwrite" },
	{ MMC_FEATURE_CD_RW_CAV_WRITE, "cd-rw-cav-write" },
	{ MMC_FEATURE_MRW, "mrw" },
	{ MMC_FEATURE_DVD_PLUS_RW, "dvd+rw" },
	{ MMC_FEATURE_DVD_PLUS_R, "dvd+r" },
	{ MMC_FEATURE_RIGID_RESTRICTED_OVERWRITE, "rigid-restricted-overwrite" },
	{ MMC_FEATURE_CD_TRACK_AT_ONCE, "cd-track-at-once" },
	{ MMC_FEATURE_CD_MASTERING, "cd-mastering" },
	{ MMC_FEATURE_DVD_R_RW_WRITE, "dvd-r-rw-write" },
	{ MMC_FEATURE_LAYER_JUMP_RECORDING, "layer-jump-recording" },
	{ MMC_FEATURE_CD_RW_MEDIA_WRITE_SUPPORT, "cd-rw-media-write-support" },
	{ MMC_FEATURE_DVD_PLUS_RW_DUAL_LAYER, "dvd+rw-dual-layer" },
	{ MMC_FEATURE_DVD_PLUS_R_DUAL_LAYER, "dvd+r-dual-layer" },
	{ MMC_FEATURE_BD_READ, "bd-read" },
	{ MMC_FEATURE_BD_WRITE, "bd-write" },
	{ MMC_FEATURE_POWER_MANAGEMENT, "power-management" },
	{ MMC_FEATURE_CD_EXTERNAL_AUDIO_PLAY, "cd-external-audio-play" },
	{ MMC_FEATURE_MICROCODE_UPGRADE, "microcode-upgrade" },
	{ MMC_FEATURE_TIMEOUT, "timeout" },
	{ MMC_FEATURE_DVD_CSS, "dvd-css" },
	{ MMC_FEATURE_REAL_TIME_STREAMING, "real-time-streaming" },
	{ MMC_FEATURE_DRIVE_SERIAL_NUMBER, "drive-serial-number" },
	{ MMC_FEATURE_DISC_CONTROL_BLOCKS, "disc-control-blocks" },
	{ MMC_FEATURE_DVD_CPRM, "dvd-cprm" },
};

static const char *feature_name(uint16_t code)
{
	for (size_t i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (feature_names[i].code == code)
			return feature_names[i].name;
	return "vendor-or-unknown";
}

static bool is_current(const struct media_info *m, uint16_t code)
{
	for (size_t i = 0; i < m->ncurrent_features; i++)
		if (m->current_features[i] == code)
			return true;
	return false;
}

/* "dvd+rw current" for the loaded medium's profile, the word alone for
 * the others the drive supports. */
int show_profiles(struct drive *d, char *out, size_t size)
{
	const struct mmc_config *cfg = &drive_identity(d)->config;
	struct media_info m;
	size_t len = 0;
	int rc = drive_media(d, &m);

	if (rc && rc != -ENOMEDIUM)
		return rc;
	for (size_t i = 0; i < cfg->nprofiles; i++) {
		const struct profile_info *p = profile_by_number(cfg->profiles[i]);
		bool current = rc == 0 && m.profile->profile == cfg->profiles[i];

		if (p->profile == 0xFFFF)
			rc = attr_print(out + len, size - len, "0x%04x%s\n", cfg->profiles[i], current ? " current" : "");
		else
			rc = attr_print(out + len, size - len, "%s%s\n", p->name, current ? " current" : "");
		if (rc < 0)
			return rc;
		len += (size_t)rc;
		rc = 0;
	}
	return (int)len;
}

/* "0x0107 real-time-streaming current", one feature per line. */
int show_features(struct drive *d, char *out, size_t size)
{
	const struct mmc_config *cfg = &drive_identity(d)->config;
	struct media_info m;
	size_t len = 0;
	int rc = drive_media(d, &m);

	if (rc && rc != -ENOMEDIUM)
		return rc;
	if (rc)
		m.ncurrent_features = 0;
	for (size_t i = 0; i < cfg->nfeatures; i++) {
		uint16_t code = cfg->features[i].code;

		rc = attr_print(out + len, size - len, "0x%04x %s%s\n", code, feature_name(code),
				is_current(&m, code) ? " current" : "");
		if (rc < 0)
			return rc;
		len += (size_t)rc;
	}
	return (int)len;
}

/* IMAPI_MEDIA_WRITE_PROTECT_STATE as words, one per reason; "none" when
 * writable.  The drive's reasons come from READ DISC STRUCTURE C0h. */
enum write_protect_state {	/* IMAPI's values */
	WP_UNTIL_POWERDOWN = 0x0001,
	WP_BY_CARTRIDGE = 0x0002,
	WP_BY_MEDIA_SPECIFIC_REASON = 0x0004,
	WP_BY_SOFTWARE_WRITE_PROTECT = 0x0008,
	WP_READ_ONLY_MEDIA = 0x4000,
};

int show_write_protect(struct drive *d, char *out, size_t size)
{
	static const struct attr_word words[] = {
		{ WP_UNTIL_POWERDOWN, "until-powerdown" }, { WP_BY_CARTRIDGE, "cartridge" },
		{ WP_BY_MEDIA_SPECIFIC_REASON, "media-specific-reason" }, { WP_BY_SOFTWARE_WRITE_PROTECT, "software" },
		{ WP_READ_ONLY_MEDIA, "read-only-media" },
	};
	struct media_info m;
	uint32_t state = 0;
	int rc = drive_media(d, &m);

	if (rc)
		return rc;
	state |= m.write_protection & MMC_WP_SWPP ? WP_UNTIL_POWERDOWN : 0;
	state |= m.write_protection & MMC_WP_CWP ? WP_BY_CARTRIDGE : 0;
	state |= m.write_protection & MMC_WP_MSWI ? WP_BY_MEDIA_SPECIFIC_REASON : 0;
	state |= m.write_protection & MMC_WP_PWP ? WP_BY_SOFTWARE_WRITE_PROTECT : 0;
	state |= m.profile->model == WRITE_MODEL_READ_ONLY ? WP_READ_ONLY_MEDIA : 0;
	return attr_print_words(out, size, state, words, sizeof(words) / sizeof(words[0]), "none");
}
