/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The write engine's thread while it paces: its wake-ups must be on time
 * whatever else the host runs.  Timer slack goes down to 1 ns (the kernel
 * otherwise may defer a wake-up by 50 µs to batch it with others), and the
 * thread asks for SCHED_FIFO, or failing that a better nice value; where
 * neither is permitted (no CAP_SYS_NICE, no RLIMIT_RTPRIO) it keeps the
 * default, silently: pacing against absolute deadlines still catches up
 * after a late wake-up.  The engine blocks on the FIFO, the drive or a
 * deadline, never spins, so a real-time priority cannot starve the host.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "drive_internal.h"

#define PACING_RT_PRIORITY 10	/* low among real-time threads: IRQ threads run at 50 */
#define PACING_NICE (-10)

void pacing_thread_enter(struct pacing_thread *saved)
{
	struct sched_param rt = { .sched_priority = PACING_RT_PRIORITY };

	saved->raised_rt = false;
	saved->nice = getpriority(PRIO_PROCESS, (id_t)gettid());
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &rt) == 0)
		saved->raised_rt = true;
	else
		setpriority(PRIO_PROCESS, (id_t)gettid(), PACING_NICE);
}

void pacing_thread_leave(const struct pacing_thread *saved)
{
	struct sched_param normal = { .sched_priority = 0 };

	if (saved->raised_rt)
		pthread_setschedparam(pthread_self(), SCHED_OTHER, &normal);
	else
		setpriority(PRIO_PROCESS, (id_t)gettid(), saved->nice);
	/* 0: the thread's default slack again. */
	prctl(PR_SET_TIMERSLACK, 0UL, 0UL, 0UL, 0UL);
}
