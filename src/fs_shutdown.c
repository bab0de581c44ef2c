/*
 * Orderly shutdown on SIGTERM, SIGINT and SIGHUP.  libfuse's own handlers
 * only raise a flag, which a thread blocked in a burn never sees, so a
 * burn would keep the daemon alive.  Instead the signals are blocked in
 * every thread and one thread waits for them: it cancels running burns
 * (cache synchronized, track closed, tray unlocked, writers told) and then
 * unmounts, which ends the FUSE loop.
 */
#include <pthread.h>
#include <signal.h>

#include "discfs/burn.h"
#include "discfs/fs.h"

/* Not a shutdown request: wakes the watcher when the tree unmounts first. */
#define STOP_WATCHING SIGUSR1

static pthread_t watcher;
static bool watching;

static void termination_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, STOP_WATCHING);
}

void fs_block_signals(void)
{
	sigset_t set;

	termination_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

struct watch {
	struct discfs *fs;
	struct fuse *fuse;
};

static void *watch_signals(void *arg)
{
	const struct watch *w = arg;
	sigset_t set;
	int sig = 0;

	termination_signals(&set);
	sigwait(&set, &sig);
	if (sig == STOP_WATCHING)
		return NULL;
	for (size_t i = 0; i < w->fs->ndrives; i++)
		burn_cancel(w->fs->drives[i]->burn);
	fuse_exit(w->fuse);
	fuse_unmount(w->fuse);
	return NULL;
}

int fs_shutdown_start(struct discfs *fs, struct fuse *fuse)
{
	static struct watch w;
	int rc;

	w = (struct watch){ fs, fuse };
	rc = pthread_create(&watcher, NULL, watch_signals, &w);
	watching = rc == 0;
	return -rc;
}

void fs_shutdown_stop(void)
{
	if (!watching)
		return;
	pthread_kill(watcher, STOP_WATCHING);
	pthread_join(watcher, NULL);
	watching = false;
}
