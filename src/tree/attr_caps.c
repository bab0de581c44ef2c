/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * profiles (IDiscRecorder2 SupportedProfiles, the current one marked),
 * features (SupportedFeaturePages, current ones marked) and write_protect
 * (IDiscFormat2Data WriteProtectStatus).
 */
#include <errno.h>

#include "discfs/tree.h"

static const struct {
	uint16_t code;
	const char *name;
} feature_names[] = {
	{ 0x0000, "profile-list" },
	{ 0x0001, "core" },
	{ 0x0002, "morphing" },
	{ 0x0003, "removable-medium" },
	{ 0x0004, "write-protect" },
	{ 0x0010, "random-readable" },
	{ 0x001D, "multi-read" },
	{ 0x001E, "cd-read" },
	{ 0x001F, "dvd-read" },
	{ 0x0020, "random-writable" },
	{ 0x0021, "incremental-streaming-writable" },
	{ 0x0023, "formattable" },
	{ 0x0024, "hardware-defect-management" },
	{ 0x0025, "write-once" },
	{ 0x0026, "restricted-overwrite" },
	{ 0x0027, "cd-rw-cav-write" },
	{ 0x0028, "mrw" },
	{ 0x002A, "dvd+rw" },
	{ 0x002B, "dvd+r" },
	{ 0x002C, "rigid-restricted-overwrite" },
	{ 0x002D, "cd-track-at-once" },
	{ 0x002E, "cd-mastering" },
	{ 0x002F, "dvd-r-rw-write" },
	{ 0x0033, "layer-jump-recording" },
	{ 0x0037, "cd-rw-media-write-support" },
	{ 0x003A, "dvd+rw-dual-layer" },
	{ 0x003B, "dvd+r-dual-layer" },
	{ 0x0040, "bd-read" },
	{ 0x0041, "bd-write" },
	{ 0x0100, "power-management" },
	{ 0x0103, "cd-external-audio-play" },
	{ 0x0104, "microcode-upgrade" },
	{ 0x0105, "timeout" },
	{ 0x0106, "dvd-css" },
	{ 0x0107, "real-time-streaming" },
	{ 0x0108, "drive-serial-number" },
	{ 0x010A, "disc-control-blocks" },
	{ 0x010B, "dvd-cprm" },
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
	const struct mmc_config *cfg = &d->id.config;
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
	const struct mmc_config *cfg = &d->id.config;
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
