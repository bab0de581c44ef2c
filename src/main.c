/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * discfs: optical recorders as a tree of files.
 *
 *   discfs [options] MOUNTPOINT
 *
 * Recorders come from --device (repeatable), --emulate (repeatable), or,
 * with neither, every recorder libcdio finds; they appear as /drive0,
 * /drive1, ... in the order given.
 *
 * Every discfs option also has a mount-option form (-o device=/dev/sr0,
 * emulate=dvd+rw:timescale=10, emulate_if_none=, poll_ms=, fifo_mib=), so
 * `mount -t fuse.discfs SOURCE DIR -o ...` and /etc/fstab work through
 * mount.fuse3, which runs `discfs SOURCE DIR -o OPTIONS`.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <cdio/version.h>

#include "discfs/emu.h"
#include "discfs/fs.h"
#include "discfs/log.h"
#include "discfs/master.h"
#include "discfs/tower.h"
#include "discfs/transport.h"

#define DISCFS_VERSION "0.1.0"
#define DEFAULT_POLL_MS 1000
#define DEFAULT_FIFO_MIB 32
#define MIN_FIFO_MIB 1
#define MAX_FIFO_MIB 4096
#define MAX_POLL_MS 3600000

enum source_kind { SOURCE_DEVICE, SOURCE_EMULATE };

struct source {
	enum source_kind kind;
	char *spec;
};

struct options {
	struct source *sources;
	size_t nsources;
	char *emulate_if_none;
	char *poll_ms_text, *fifo_mib_text;	/* as given; checked by parse_count */
	unsigned poll_ms;
	unsigned fifo_mib;
	char *staging_dir;
	int show_help;
	int show_version;
	bool foreground;	/* -f, -d or -o debug: libfuse will not detach */
	bool debug;		/* -d or -o debug: trace MMC commands too */
	char *positional[2];	/* [SOURCE] MOUNTPOINT */
	size_t npositional;
	bool too_many_positional;
};

enum {
	KEY_DEVICE,
	KEY_DEVICE_OPT,
	KEY_EMULATE,
	KEY_EMULATE_OPT,
	KEY_EMULATE_IF_NONE_OPT,
	KEY_FOREGROUND,
	KEY_DEBUG,
};

#define OPTION(t, p, v) { t, offsetof(struct options, p), v }
static const struct fuse_opt option_spec[] = {
	FUSE_OPT_KEY("--device=", KEY_DEVICE),
	FUSE_OPT_KEY("device=", KEY_DEVICE_OPT),
	FUSE_OPT_KEY("--emulate=", KEY_EMULATE),
	FUSE_OPT_KEY("emulate=", KEY_EMULATE_OPT),
	OPTION("--emulate-if-none=%s", emulate_if_none, 0),
	FUSE_OPT_KEY("emulate_if_none=", KEY_EMULATE_IF_NONE_OPT),
	/* Numbers are taken as text: fuse_opt's %u reads "-5" as 4294967291
	 * and "5x" as 5. */
	OPTION("--poll-ms=%s", poll_ms_text, 0),
	OPTION("poll_ms=%s", poll_ms_text, 0),
	OPTION("--fifo-mib=%s", fifo_mib_text, 0),
	OPTION("fifo_mib=%s", fifo_mib_text, 0),
	OPTION("--staging-dir=%s", staging_dir, 0),
	OPTION("staging_dir=%s", staging_dir, 0),
	OPTION("-h", show_help, 1),
	OPTION("--help", show_help, 1),
	OPTION("-V", show_version, 1),
	OPTION("--version", show_version, 1),
	/* Seen, then passed on to libfuse, which acts on them. */
	FUSE_OPT_KEY("-f", KEY_FOREGROUND),
	FUSE_OPT_KEY("-d", KEY_DEBUG),
	FUSE_OPT_KEY("debug", KEY_DEBUG),
	/* fstab's own words: mount(8) normally keeps them from the helper, but
	 * `discfs SOURCE DIR -o` copied from an fstab line must not fail on
	 * them.  x-* and comment= are dropped in option_proc. */
	FUSE_OPT_KEY("defaults", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("auto", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("noauto", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("user", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nouser", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("users", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("owner", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("group", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("_netdev", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_KEY("nofail", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_END,
};

/* mount(8) and fuse_opt split an option list at every comma, so in the -o
 * form an emulator spec writes its commas as ':' (emulate=cd-r:timescale=10).
 * A value that still holds a comma had it escaped as \, (which fuse_opt
 * unescapes) and is taken as it stands, so paths with ':' stay possible. */
static char *spec_from_mount_option(const char *value)
{
	char *spec = strdup(value);

	if (spec && !strchr(spec, ','))
		for (char *p = spec; *p; p++)
			if (*p == ':')
				*p = ',';
	return spec;
}

static int add_source(struct options *o, enum source_kind kind, const char *spec)
{
	struct source *grown = realloc(o->sources, (o->nsources + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	o->sources = grown;
	grown[o->nsources].kind = kind;
	grown[o->nsources].spec = strdup(spec);
	if (!grown[o->nsources].spec)
		return -1;
	o->nsources++;
	return 0;
}

static int add_mount_option_source(struct options *o, enum source_kind kind, const char *value)
{
	char *spec = spec_from_mount_option(value);
	int rc = spec ? add_source(o, kind, spec) : -1;

	free(spec);
	return rc;
}

/* mount.fuse3 runs `discfs SOURCE MOUNTPOINT -o ...`; a user runs `discfs
 * MOUNTPOINT`.  Both are kept here and sorted out once all are seen. */
static int keep_positional(struct options *o, const char *arg)
{
	if (o->npositional == sizeof(o->positional) / sizeof(o->positional[0])) {
		o->too_many_positional = true;
		return 0;
	}
	if (!(o->positional[o->npositional] = strdup(arg)))
		return -1;
	o->npositional++;
	return 0;
}

static int option_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct options *o = data;

	(void)outargs;
	switch (key) {
	case KEY_DEVICE:
		return add_source(o, SOURCE_DEVICE, arg + strlen("--device="));
	case KEY_DEVICE_OPT:
		return add_source(o, SOURCE_DEVICE, arg + strlen("device="));
	case KEY_EMULATE:
		return add_source(o, SOURCE_EMULATE, arg + strlen("--emulate="));
	case KEY_EMULATE_OPT:
		return add_mount_option_source(o, SOURCE_EMULATE, arg + strlen("emulate="));
	case KEY_EMULATE_IF_NONE_OPT:
		free(o->emulate_if_none);
		o->emulate_if_none = spec_from_mount_option(arg + strlen("emulate_if_none="));
		return o->emulate_if_none ? 0 : -1;
	case KEY_DEBUG:
		o->debug = true;
		o->foreground = true;
		return 1;
	case KEY_FOREGROUND:
		o->foreground = true;
		return 1;
	case FUSE_OPT_KEY_NONOPT:
		return keep_positional(o, arg);
	case FUSE_OPT_KEY_OPT:
		/* systemd's x-systemd.* and fstab's comment= are for other readers. */
		if (strncmp(arg, "x-", 2) == 0 || strncmp(arg, "comment=", 8) == 0)
			return 0;
		return 1;
	default:
		return 1;
	}
}

/* A SOURCE under /dev, or any device node, is a recorder.  Nothing looser:
 * mount(8) turns a source that happens to exist as a file in its working
 * directory ("discfs" run in the build tree) into an absolute path. */
static bool source_is_device(const char *source)
{
	struct stat st;

	if (strncmp(source, "/dev/", 5) == 0)
		return true;
	return stat(source, &st) == 0 && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode));
}

/* The positional arguments: MOUNTPOINT, or SOURCE MOUNTPOINT as mount(8)
 * passes them.  A SOURCE that is a device ("/dev/sr0") is the recorder to
 * mount, as with --device, ahead of any other; any other SOURCE ("discfs",
 * "none") names nothing.  The mount point goes back to libfuse; a device
 * source becomes the fsname mount(8) lists, else "discfs" does. */
static int place_positional(struct options *o, struct fuse_args *args, const char **fsname)
{
	const char *source = o->npositional == 2 ? o->positional[0] : NULL;

	if (o->too_many_positional) {
		log_msg(LOG_ERR, "too many arguments: at most SOURCE and MOUNTPOINT ('%s --help' explains)",
			args->argv[0]);
		return -1;
	}
	if (o->npositional)
		fuse_opt_add_arg(args, o->positional[o->npositional - 1]);
	if (source && source_is_device(source)) {
		struct source added;

		if (add_source(o, SOURCE_DEVICE, source) < 0)
			return -1;
		/* First: mount(8) names it before any -o device=. */
		added = o->sources[o->nsources - 1];
		memmove(&o->sources[1], &o->sources[0], (o->nsources - 1) * sizeof(*o->sources));
		o->sources[0] = added;
		*fsname = source;
	}
	return 0;
}

static void usage(const char *program)
{
	printf("usage: %s [options] [SOURCE] MOUNTPOINT\n"
	       "\n"
	       "Mounts optical recorders as a tree of files: MOUNTPOINT/drive0, drive1, ...\n"
	       "SOURCE (as mount(8) passes it) is a recorder when it is a device (/dev/...), else ignored.\n"
	       "\n"
	       "discfs options (the -o form in brackets, for mount -t fuse.discfs and fstab):\n"
	       "    --device=/dev/srN          a recorder (repeatable); default: every one libcdio finds\n"
	       "                               [-o device=/dev/srN]\n"
	       "    --emulate=MEDIA[,image=PATH][,timescale=N|virtual][,state=blank|appendable|closed][,log=PATH]\n"
	       "            [,buffer=KiB][,fault=KIND[@SECTORS]|unreadable@LBA[-LBA]|stall@LBA[-LBA]]\n"
	       "                               an emulated recorder (repeatable); MEDIA is cd-r, cd-rw,\n"
	       "                               dvd-r, dvd-rw, dvd+r, dvd+rw, bd-r, bd-re, cd-rom, dvd-rom\n"
	       "                               or none (empty tray)\n"
	       "                               [-o emulate=MEDIA:timescale=N:...  ':' stands for ',',\n"
	       "                               unless the value holds an escaped comma '\\,']\n"
	       "    --emulate-if-none=MEDIA    emulate MEDIA when no recorder is found [-o emulate_if_none=]\n"
	       "    --poll-ms=N                media-change poll interval, ms (default %d, 0: never, at most 3600000)\n"
	       "                               [-o poll_ms=]\n"
	       "    --fifo-mib=N               host buffer per recorder for burns, MiB (default %d) [-o fifo_mib=]\n"
	       "    --staging-dir=DIR          where files staged in driveN/files are kept, one folder per\n"
	       "                               recorder (default $XDG_STATE_HOME/discfs, ~/.local/state/discfs,\n"
	       "                               /var/lib/discfs for root) [-o staging_dir=]\n"
	       "    -d                         debug: libfuse's trace and every MMC command (implies -f)\n"
	       "    -h, --help                 this help, then libfuse's options\n"
	       "    -V, --version              versions of discfs, libfuse and libcdio\n"
	       "\n",
	       program, DEFAULT_POLL_MS, DEFAULT_FIFO_MIB);
}

/* A decimal count from min to max, digits only; the option named in the
 * error.  text NULL: the option was not given, *out keeps its default. */
static int parse_count(const char *option, const char *text, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;

	if (!text)
		return 0;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || v < min || v > max) {
		log_msg(LOG_ERR, "%s takes a whole number from %u to %u, not '%s'", option, min, max, text);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Why emu_create refused an image it was given: its .state beside it. */
static void explain_image(const char *spec, const struct emu_config *cfg, int err)
{
	char recorded[32];

	if (err == EMEDIUMTYPE && emu_state_medium(cfg->image, recorded, sizeof(recorded)) == 0)
		log_msg(LOG_ERR,
			"--emulate=%s: %s.state says the image holds a %s, not a %s: emulate %s, or remove %s.state "
			"to start a blank %s on it",
			spec, cfg->image, recorded, cfg->media, recorded, cfg->image, cfg->media);
	else if (err == EBADMSG)
		log_msg(LOG_ERR, "--emulate=%s: %s.state is not a layout a %s can have: remove it to start a blank disc",
			spec, cfg->image, cfg->media);
	else
		log_msg(LOG_ERR, "--emulate=%s: %s", spec, strerror(err));
}

/* The spec is checked even when it is not used, so a mistake in it is
 * told at once rather than on the day no recorder is found. */
static int check_spec(const char *spec)
{
	struct emu_config cfg;
	const char *error = NULL;
	char *storage = NULL;
	int rc = emu_parse_spec(spec, &cfg, &storage, &error);

	if (rc < 0)
		log_msg(LOG_ERR, "--emulate-if-none=%s: %s", spec, error ? error : "invalid");
	free(storage);
	return rc;
}

/* The transport to an emulated recorder, and in *emu the recorder (which
 * the transport owns). */
static struct transport *open_emulated(const char *spec, struct emu **emu)
{
	struct emu_config cfg;
	const char *error = NULL;
	char *storage = NULL;
	struct transport *t = NULL;

	if (emu_parse_spec(spec, &cfg, &storage, &error) < 0) {
		log_msg(LOG_ERR, "--emulate=%s: %s", spec, error ? error : "invalid");
		free(storage);
		return NULL;
	}
	*emu = emu_create(&cfg);
	if (!*emu)
		explain_image(spec, &cfg, errno);
	else if (!(t = transport_emu_open(*emu)))
		emu_destroy(*emu);
	free(storage);
	return t;
}

/* The staged files refer to their drive: they close first. */
static void destroy_drive(struct drive *d)
{
	master_close(drive_master(d));
	drive_set_master(d, NULL);
	drive_destroy(d);
}

/* What names a recorder's staging area: its device path, or its emulator
 * spec less what only changes how the emulator runs (its clock, log and
 * injected faults), so a rerun with another clock finds what was staged. */
static void staging_key(enum source_kind kind, const char *spec, char *out, size_t size)
{
	static const char *const how[] = { "timescale=", "log=", "fault=" };
	char copy[4096], *save = NULL;
	size_t used;

	if (kind == SOURCE_DEVICE) {
		snprintf(out, size, "%s", spec);
		return;
	}
	snprintf(copy, sizeof(copy), "%s", spec);
	used = (size_t)snprintf(out, size, "emulated");
	for (char *opt = strtok_r(copy, ",", &save); opt && used < size; opt = strtok_r(NULL, ",", &save)) {
		bool keep = true;

		for (size_t i = 0; i < sizeof(how) / sizeof(how[0]); i++)
			keep = keep && strncmp(opt, how[i], strlen(how[i])) != 0;
		if (keep)
			used += (size_t)snprintf(out + used, size - used, ":%s", opt);
	}
}

/* The recorder's staging area, keyed by its device path or emulator spec
 * so that a restart finds what was staged.  Without one the drive still
 * burns images; files/ is missing. */
static void open_staging(struct drive *d, const char *key, const struct options *o)
{
	char dir[4096];
	int rc = o->staging_dir ? 0 : master_default_dir(dir, sizeof(dir));

	if (rc) {
		log_msg(LOG_WARNING, "no staging directory (%s): --staging-dir=DIR gives one", strerror(-rc));
		return;
	}
	drive_set_master(d, master_open(d, o->staging_dir ? o->staging_dir : dir, key));
	if (!drive_master(d))
		log_msg(LOG_WARNING, "cannot stage files for drive%u in %s: %s", drive_index(d),
			o->staging_dir ? o->staging_dir : dir, strerror(errno));
}

/* all/files: the tower's staging area, keyed by its recorders' areas (the
 * tower is its set of recorders), so a restart with the same recorders
 * finds what was staged for them.  Without it all/ burns images only. */
static void open_tower_staging(struct discfs *fs, const struct options *o)
{
	char dir[4096], key[8192] = "all";
	size_t used = strlen(key);

	if (!o->staging_dir && master_default_dir(dir, sizeof(dir)) != 0)
		return;
	for (size_t i = 0; i < fs->ndrives && used < sizeof(key); i++) {
		struct master *m = drive_master(fs->drives[i]);

		if (!m)
			return;
		used += (size_t)snprintf(key + used, sizeof(key) - used, ":%s", strrchr(m->dir, '/') + 1);
	}
	fs->tower_master = master_open_tower(fs->tower, o->staging_dir ? o->staging_dir : dir, key);
	if (!fs->tower_master)
		log_msg(LOG_WARNING, "cannot stage files for all/ in %s: %s", o->staging_dir ? o->staging_dir : dir,
			strerror(errno));
}

static int add_drive(struct discfs *fs, struct transport *t, struct emu *emu, const char *key,
		     const struct options *o)
{
	char device[sizeof(t->device)];
	struct drive **grown;
	struct drive *d;

	if (!t)
		return -1;
	snprintf(device, sizeof(device), "%s", t->device);
	d = drive_create((unsigned)fs->ndrives, t, emu, o->poll_ms, (size_t)o->fifo_mib << 20);
	if (!d && errno == ENOMEM) {
		log_msg(LOG_ERR, "no memory for a %u MiB burn buffer", o->fifo_mib);
		return -1;
	}
	if (!d) {
		log_msg(LOG_ERR, "%s does not answer as a recorder: %s", device, strerror(errno));
		return -1;
	}
	open_staging(d, key, o);
	grown = realloc(fs->drives, (fs->ndrives + 1) * sizeof(*grown));
	if (!grown) {
		destroy_drive(d);
		return -1;
	}
	fs->drives = grown;
	fs->drives[fs->ndrives++] = d;
	return 0;
}

static struct transport *open_device(const char *path)
{
	struct transport *t = transport_cdio_open(path);

	if (!t)
		log_msg(LOG_ERR, "cannot open %s: %s", path, strerror(errno));
	return t;
}

static int open_drives(struct discfs *fs, const struct options *o)
{
	char **found;

	for (size_t i = 0; i < o->nsources; i++) {
		const struct source *s = &o->sources[i];
		struct emu *emu = NULL;
		struct transport *t = s->kind == SOURCE_DEVICE ? open_device(s->spec) : open_emulated(s->spec, &emu);
		char key[4200];

		staging_key(s->kind, s->spec, key, sizeof(key));
		if (add_drive(fs, t, emu, key, o) < 0)
			return -1;
	}
	if (o->nsources)
		return 0;
	found = transport_cdio_list();
	for (size_t i = 0; found && found[i]; i++)
		if (add_drive(fs, open_device(found[i]), NULL, found[i], o) < 0)
			log_msg(LOG_WARNING, "skipping %s", found[i]);
	transport_cdio_free_list(found);
	if (fs->ndrives == 0 && o->emulate_if_none) {
		struct emu *emu = NULL;
		struct transport *t;

		log_msg(LOG_NOTICE, "no recorder found, emulating %s", o->emulate_if_none);
		char key[4200];

		staging_key(SOURCE_EMULATE, o->emulate_if_none, key, sizeof(key));
		t = open_emulated(o->emulate_if_none, &emu);
		return add_drive(fs, t, emu, key, o);
	}
	if (fs->ndrives == 0) {
		log_msg(LOG_ERR, "no recorder found; --emulate=dvd+rw tries discfs without one");
		return -1;
	}
	return 0;
}

static void free_options(struct options *o)
{
	for (size_t i = 0; i < o->nsources; i++)
		free(o->sources[i].spec);
	free(o->sources);
	free(o->emulate_if_none);
	free(o->staging_dir);
	free(o->poll_ms_text);
	free(o->fifo_mib_text);
	for (size_t i = 0; i < o->npositional; i++)
		free(o->positional[i]);
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options opts = { .poll_ms = DEFAULT_POLL_MS, .fifo_mib = DEFAULT_FIFO_MIB };
	struct discfs fs = { .mounted_at = time(NULL) };
	const char *fsname = "discfs";
	char *mount_opts = NULL, *fsname_opt = NULL;
	char threads_opt[48];
	int rc = 1;

	if (fuse_opt_parse(&args, &opts, option_spec, option_proc) == -1) {
		free_options(&opts);
		fuse_opt_free_args(&args);
		return 1;
	}
	if (opts.show_version) {
		printf("discfs %s\nlibfuse %s\nlibcdio %s\n", DISCFS_VERSION, fuse_pkgversion(), CDIO_VERSION);
		rc = 0;
		goto out;
	}
	if (opts.show_help) {
		usage(argv[0]);
		/* libfuse prints its own options after ours. */
		fuse_opt_add_arg(&args, "--help");
		args.argv[0][0] = '\0';
		fuse_main(args.argc, args.argv, &discfs_operations, NULL);
		rc = 0;
		goto out;
	}
	/* Before any recorder is opened: -d traces the very first INQUIRY. */
	log_setup(!opts.foreground, opts.debug);
	if (place_positional(&opts, &args, &fsname) < 0)
		goto out;
	if (parse_count("--poll-ms", opts.poll_ms_text, 0, MAX_POLL_MS, &opts.poll_ms) < 0 ||
	    parse_count("--fifo-mib", opts.fifo_mib_text, MIN_FIFO_MIB, MAX_FIFO_MIB, &opts.fifo_mib) < 0)
		goto out;
	if (opts.emulate_if_none && check_spec(opts.emulate_if_none) < 0)
		goto out;
	if (open_drives(&fs, &opts) < 0)
		goto out;
	/* Before fuse_main daemonizes into "/": the burn stream recognises
	 * its own descriptors in other processes by this path. */
	if (opts.npositional)
		fs.mountpoint = realpath(opts.positional[opts.npositional - 1], NULL);
	fs.tower = tower_create(fs.drives, fs.ndrives, (size_t)opts.fifo_mib << 20);
	if (!fs.tower) {
		log_msg(LOG_ERR, "no memory for a %u MiB burn buffer", opts.fifo_mib);
		goto out;
	}
	open_tower_staging(&fs, &opts);
	/* subtype: /proc/mounts says fuse.discfs, the type fstab and mount -t use. */
	if (asprintf(&fsname_opt, "fsname=%s", fsname) < 0) {
		fsname_opt = NULL;
		goto out;
	}
	if (fuse_opt_add_opt(&mount_opts, "default_permissions,subtype=discfs") < 0 ||
	    fuse_opt_add_opt_escaped(&mount_opts, fsname_opt) < 0 || fuse_opt_add_arg(&args, "-o") < 0 ||
	    fuse_opt_add_arg(&args, mount_opts) < 0)
		goto out;
	/* libfuse 3.14.0 warns about its own "unset" idle-thread count unless
	 * one is given; a -o max_idle_threads of the user's, later, wins. */
	if (fuse_opt_insert_arg(&args, 1, "-omax_idle_threads=10") < 0)
		goto out;
	/* Each recorder can hold a worker thread for long: a write blocked on
	 * its full FIFO, a close() waiting out the session close.  With
	 * libfuse's 10 workers, 16 recorders burning at once left the rest of
	 * the tree (another drive's close, status) queued behind them for
	 * seconds.  Two per recorder and the 10 besides; a -o max_threads of
	 * the user's, later, wins. */
	snprintf(threads_opt, sizeof(threads_opt), "-omax_threads=%zu", 10 + 2 * fs.ndrives);
	if (fuse_opt_insert_arg(&args, 1, threads_opt) < 0)
		goto out;
	fs_block_signals();
	rc = fuse_main(args.argc, args.argv, &discfs_operations, &fs);
out:
	/* A burn still running is cancelled cleanly: cache synchronized,
	 * track closed, tray unlocked.  The staged files refer to the tower
	 * and its drives: they close first. */
	master_close(fs.tower_master);
	for (size_t i = 0; i < fs.ndrives; i++)
		destroy_drive(fs.drives[i]);
	/* After the drives: their cancelled engines let go of its FIFO. */
	tower_destroy(fs.tower);
	free(fs.drives);
	free(fs.mountpoint);
	free_options(&opts);
	free(mount_opts);
	free(fsname_opt);
	fuse_opt_free_args(&args);
	return rc;
}
