/*
 * discfs: optical recorders as a tree of files.
 *
 *   discfs [options] MOUNTPOINT
 *
 * Recorders come from --device (repeatable), --emulate (repeatable), or,
 * with neither, every recorder libcdio finds; they appear as /drive0,
 * /drive1, ... in the order given.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cdio/version.h>

#include "discfs/burn.h"
#include "discfs/emu.h"
#include "discfs/fs.h"

#define DISCFS_VERSION "0.1.0"
#define DEFAULT_POLL_MS 1000
#define DEFAULT_FIFO_MIB 32
#define MIN_FIFO_MIB 1
#define MAX_FIFO_MIB 4096

enum source_kind { SOURCE_DEVICE, SOURCE_EMULATE };

struct source {
	enum source_kind kind;
	char *spec;
};

struct options {
	struct source *sources;
	size_t nsources;
	char *emulate_if_none;
	unsigned poll_ms;
	unsigned fifo_mib;
	int show_help;
	int show_version;
};

enum { KEY_DEVICE, KEY_EMULATE, KEY_HELP, KEY_VERSION };

#define OPTION(t, p, v) { t, offsetof(struct options, p), v }
static const struct fuse_opt option_spec[] = {
	FUSE_OPT_KEY("--device=", KEY_DEVICE),
	FUSE_OPT_KEY("--emulate=", KEY_EMULATE),
	OPTION("--emulate-if-none=%s", emulate_if_none, 0),
	OPTION("--poll-ms=%u", poll_ms, 0),
	OPTION("--fifo-mib=%u", fifo_mib, 0),
	OPTION("-h", show_help, 1),
	OPTION("--help", show_help, 1),
	OPTION("-V", show_version, 1),
	OPTION("--version", show_version, 1),
	FUSE_OPT_END,
};

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

static int option_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct options *o = data;

	(void)outargs;
	switch (key) {
	case KEY_DEVICE:
		return add_source(o, SOURCE_DEVICE, arg + strlen("--device="));
	case KEY_EMULATE:
		return add_source(o, SOURCE_EMULATE, arg + strlen("--emulate="));
	default:
		return 1;
	}
}

static void usage(const char *program)
{
	printf("usage: %s [options] MOUNTPOINT\n"
	       "\n"
	       "Mounts optical recorders as a tree of files: MOUNTPOINT/drive0, drive1, ...\n"
	       "\n"
	       "discfs options:\n"
	       "    --device=/dev/srN          a recorder (repeatable); default: every one libcdio finds\n"
	       "    --emulate=MEDIA[,image=PATH][,timescale=N][,state=blank|appendable|closed][,log=PATH]\n"
	       "                               an emulated recorder (repeatable); MEDIA is cd-r, cd-rw,\n"
	       "                               dvd-r, dvd-rw, dvd+r, dvd+rw, bd-r, bd-re, cd-rom, dvd-rom\n"
	       "                               or none (empty tray)\n"
	       "    --emulate-if-none=MEDIA    emulate MEDIA when no recorder is found\n"
	       "    --poll-ms=N                media-change poll interval (default %d, 0: never)\n"
	       "    --fifo-mib=N               host buffer per recorder for burns, MiB (default %d)\n"
	       "    -h, --help                 this help, then libfuse's options\n"
	       "    -V, --version              versions of discfs, libfuse and libcdio\n"
	       "\n",
	       program, DEFAULT_POLL_MS, DEFAULT_FIFO_MIB);
}

static struct transport *open_emulated(const char *spec)
{
	struct emu_config cfg;
	const char *error = NULL;
	char *storage = NULL;
	struct transport *t = NULL;
	struct emu *emu;

	if (emu_parse_spec(spec, &cfg, &storage, &error) < 0) {
		fprintf(stderr, "discfs: --emulate=%s: %s\n", spec, error ? error : "invalid");
		free(storage);
		return NULL;
	}
	emu = emu_create(&cfg);
	if (!emu)
		fprintf(stderr, "discfs: --emulate=%s: %s\n", spec, strerror(errno));
	else if (!(t = transport_emu_open(emu)))
		emu_destroy(emu);
	free(storage);
	return t;
}

static void destroy_drive(struct drive *d)
{
	if (d->burn) {
		burn_destroy(d->burn);
		free(d->burn);
	}
	drive_destroy(d);
}

static int add_drive(struct discfs *fs, struct transport *t, const struct options *o)
{
	char device[sizeof(t->device)];
	struct drive **grown;
	struct drive *d;

	if (!t)
		return -1;
	snprintf(device, sizeof(device), "%s", t->device);
	d = drive_create((unsigned)fs->ndrives, t, o->poll_ms);
	if (!d) {
		fprintf(stderr, "discfs: %s does not answer as a recorder: %s\n", device, strerror(errno));
		return -1;
	}
	d->burn = malloc(sizeof(*d->burn));
	if (!d->burn || burn_init(d->burn, d, (size_t)o->fifo_mib << 20) < 0) {
		free(d->burn);
		d->burn = NULL;
		fprintf(stderr, "discfs: no memory for a %u MiB burn buffer\n", o->fifo_mib);
		drive_destroy(d);
		return -1;
	}
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
		fprintf(stderr, "discfs: cannot open %s: %s\n", path, strerror(errno));
	return t;
}

static int open_drives(struct discfs *fs, const struct options *o)
{
	char **found;

	for (size_t i = 0; i < o->nsources; i++) {
		const struct source *s = &o->sources[i];
		struct transport *t = s->kind == SOURCE_DEVICE ? open_device(s->spec) : open_emulated(s->spec);

		if (add_drive(fs, t, o) < 0)
			return -1;
	}
	if (o->nsources)
		return 0;
	found = transport_cdio_list();
	for (size_t i = 0; found && found[i]; i++)
		if (add_drive(fs, open_device(found[i]), o) < 0)
			fprintf(stderr, "discfs: skipping %s\n", found[i]);
	transport_cdio_free_list(found);
	if (fs->ndrives == 0 && o->emulate_if_none) {
		fprintf(stderr, "discfs: no recorder found, emulating %s\n", o->emulate_if_none);
		return add_drive(fs, open_emulated(o->emulate_if_none), o);
	}
	if (fs->ndrives == 0) {
		fprintf(stderr, "discfs: no recorder found; --emulate=dvd+rw tries discfs without one\n");
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
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct options opts = { .poll_ms = DEFAULT_POLL_MS, .fifo_mib = DEFAULT_FIFO_MIB };
	struct discfs fs = { .mounted_at = time(NULL) };
	int rc = 1;

	if (fuse_opt_parse(&args, &opts, option_spec, option_proc) == -1)
		return 1;
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
	if (opts.fifo_mib < MIN_FIFO_MIB || opts.fifo_mib > MAX_FIFO_MIB) {
		fprintf(stderr, "discfs: --fifo-mib takes %d to %d\n", MIN_FIFO_MIB, MAX_FIFO_MIB);
		goto out;
	}
	if (open_drives(&fs, &opts) < 0)
		goto out;
	fuse_opt_add_arg(&args, "-odefault_permissions,fsname=discfs,subtype=discfs");
	rc = fuse_main(args.argc, args.argv, &discfs_operations, &fs);
out:
	/* A burn still running is cancelled cleanly: cache synchronized,
	 * track closed, tray unlocked. */
	for (size_t i = 0; i < fs.ndrives; i++)
		destroy_drive(fs.drives[i]);
	free(fs.drives);
	free_options(&opts);
	fuse_opt_free_args(&args);
	return rc;
}
