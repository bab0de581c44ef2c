/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Orderly shutdown on SIGTERM, SIGINT and SIGHUP.  libfuse's own handlers
 * only raise a flag, which a thread blocked in a burn never sees, so a
 * burn would keep the daemon alive.  Instead the signals are blocked in
 * every thread and one thread waits for them: it cancels running burns
 * (cache synchronized, track closed, tray unlocked, writers told) and then
 * ends the FUSE loop.  It does not unmount: fuse_main unmounts once its
 * loop returns, and a second fuse_unmount from this thread raced it (the
 * mount point string freed under the other, the device fd closed twice).
 * The loop's thread sleeps in sem_wait, which a signal with a handler
 * interrupts, so it sees fuse_exit's flag.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "discfs/burn.h"
#include "discfs/fs.h"
#include "discfs/log.h"

/* Not a shutdown request: wakes the watcher when the tree unmounts first. */
#define STOP_WATCHING SIGUSR1
/* Wakes the thread running fuse_main's loop; never blocked there. */
#define WAKE_LOOP SIGUSR2

static pthread_t watcher, loop_thread;
static bool watching;

static void wake_loop(int sig)
{
	(void)sig;
}

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
	struct sigaction sa = { .sa_handler = wake_loop };
	sigset_t set;

	/* No SA_RESTART: the interrupted sem_wait must return. */
	sigemptyset(&sa.sa_mask);
	sigaction(WAKE_LOOP, &sa, NULL);
	loop_thread = pthread_self();
	termination_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

struct watch {
	struct discfs *fs;
	struct fuse *fuse;
};

/* status goes away with the daemon, so where a burn stopped is logged. */
static void cancel_and_log(struct drive *d, int sig)
{
	struct burn_progress p;

	burn_get_progress(drive_burn(d), &p);
	if (p.state != BURN_RUNNING && p.state != BURN_WAITING)
		return;
	burn_cancel(drive_burn(d));
	log_msg(LOG_WARNING, "drive%u: %s stopped a burn after %llu of %u sectors; the disc was synchronized, "
		"its track closed and the tray unlocked", drive_index(d), strsignal(sig),
		(unsigned long long)p.sectors_written, p.sector_count);
}

static void *watch_signals(void *arg)
{
	const struct watch *w = arg;
	const struct timespec retry = { 0, 100000000 };
	sigset_t set, stop;
	int sig = 0;

	termination_signals(&set);
	sigwait(&set, &sig);
	if (sig == STOP_WATCHING)
		return NULL;
	for (size_t i = 0; i < w->fs->ndrives; i++)
		cancel_and_log(w->fs->drives[i], sig);
	fuse_exit(w->fuse);
	/* A wake that lands just before the loop's sem_wait is lost, so it
	 * is repeated until destroy (after the loop) says to stop. */
	sigemptyset(&stop);
	sigaddset(&stop, STOP_WATCHING);
	do
		pthread_kill(loop_thread, WAKE_LOOP);
	while (sigtimedwait(&stop, NULL, &retry) < 0);
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
