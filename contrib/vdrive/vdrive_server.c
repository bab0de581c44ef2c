/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vdrive-server: hosts emulated recorders for programs run with libvdrive.so.
 *
 *   vdrive-server --socket=PATH [--emulate=SPEC]... [--medium-dir=DIR]
 *
 * Each --emulate (emu_parse_spec syntax) becomes /dev/sr0, /dev/sr1, ... in
 * that order.  One emulator per drive serves every client process, so what
 * one process burns the next one reads.  The socket appears only once the
 * medium files are mounted: its existence means the server is ready.
 * SIGTERM, SIGINT or SIGHUP stop it and remove the socket and the mount.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vdrive_server.h"

#define DEFAULT_SPEC "dvd+rw"

static struct vdrive_server server = {
	.lifetime = PTHREAD_RWLOCK_INITIALIZER,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vdrive-server: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static bool is_media_move(const uint8_t *cdb, size_t cdb_len)
{
	return cdb_len >= 5 && cdb[0] == MMC_START_STOP_UNIT && (cdb[4] & 0x02);
}

static bool is_write(const uint8_t *cdb)
{
	return cdb[0] == MMC_WRITE10 || cdb[0] == MMC_WRITE12;
}

int vdrive_device_exec(struct vdrive_server *srv, size_t index, const uint8_t *cdb, size_t cdb_len,
		       enum mmc_dir dir, void *data, size_t data_len, size_t *transferred,
		       uint8_t sense[VDRIVE_SENSE_LEN])
{
	struct vdrive_device *dev = &srv->devices[index];
	struct timespec answered;
	int status = -ENXIO;

	*transferred = 0;
	pthread_rwlock_rdlock(&srv->lifetime);
	if (dev->emu)
		status = emu_exec(dev->emu, cdb, cdb_len, dir, data, data_len, transferred, sense);
	pthread_rwlock_unlock(&srv->lifetime);
	if (*transferred > data_len)
		*transferred = data_len;
	clock_gettime(CLOCK_REALTIME, &answered);
	pthread_mutex_lock(&srv->lock);
	if (status == 0 && is_media_move(cdb, cdb_len))
		dev->generation++;
	dev->last_command = answered;
	if (is_write(cdb))
		dev->last_write = answered;
	pthread_mutex_unlock(&srv->lock);
	return status;
}

static void handle_exec(const struct vdrive_request *req, struct vdrive_reply *reply, uint8_t *buf)
{
	size_t transferred;
	int status;

	status = vdrive_device_exec(&server, req->device, req->cdb, req->cdb_len, (enum mmc_dir)req->dir, buf,
				    req->data_len, &transferred, reply->sense);
	if (status < 0) {
		reply->error = status;
		return;
	}
	reply->status = (uint8_t)status;
	reply->sense_len = status ? VDRIVE_SENSE_LEN : 0;
	reply->data_len = req->dir == MMC_DIR_READ ? (uint32_t)transferred : 0;
}

static void handle_info(const struct vdrive_request *req, struct vdrive_reply *reply)
{
	struct vdrive_device *dev = &server.devices[req->device];

	pthread_rwlock_rdlock(&server.lifetime);
	if (dev->emu)
		snprintf(reply->media, sizeof(reply->media), "%s", emu_media_name(dev->emu));
	pthread_rwlock_unlock(&server.lifetime);
	pthread_mutex_lock(&server.lock);
	reply->generation = dev->generation;
	reply->opens = dev->opens;
	pthread_mutex_unlock(&server.lock);
}

static void handle_media_change(const struct vdrive_request *req, struct vdrive_reply *reply)
{
	struct vdrive_device *dev = &server.devices[req->device];
	int ret = -ENXIO;

	pthread_rwlock_rdlock(&server.lifetime);
	if (dev->emu && req->op == VDRIVE_OP_LOAD)
		ret = emu_load_media(dev->emu, req->media, (enum emu_disc_state)req->state);
	else if (dev->emu)
		ret = emu_eject(dev->emu);
	pthread_rwlock_unlock(&server.lifetime);
	if (ret == 0) {
		pthread_mutex_lock(&server.lock);
		dev->generation++;
		pthread_mutex_unlock(&server.lock);
	}
	reply->error = ret < 0 ? ret : 0;
}

/* One line per drive; returns the length written into text (at most cap - 1). */
static size_t format_status(char *text, size_t cap)
{
	size_t len = 0;

	pthread_rwlock_rdlock(&server.lifetime);
	for (size_t i = 0; i < server.ndevices && len < cap; i++) {
		struct vdrive_device *dev = &server.devices[i];
		struct emu_stats stats = { 0 };
		struct timespec last_command, last_write;
		unsigned opens;
		bool exclusive;

		if (!dev->emu)
			continue;
		emu_get_stats(dev->emu, &stats);
		pthread_mutex_lock(&server.lock);
		opens = dev->opens;
		exclusive = dev->exclusive;
		last_command = dev->last_command;
		last_write = dev->last_write;
		pthread_mutex_unlock(&server.lock);
		int n = snprintf(text + len, cap - len,
				 "/dev/sr%u media=%s opens=%u exclusive=%s commands=%llu sectors_written=%llu "
				 "underruns=%llu last_command=%lld.%06ld last_write=%lld.%06ld\n",
				 dev->minor, emu_media_name(dev->emu), opens, exclusive ? "yes" : "no",
				 (unsigned long long)stats.commands, (unsigned long long)stats.sectors_written,
				 (unsigned long long)stats.buffer_underruns, (long long)last_command.tv_sec,
				 last_command.tv_nsec / 1000, (long long)last_write.tv_sec, last_write.tv_nsec / 1000);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	pthread_rwlock_unlock(&server.lifetime);
	return len < cap ? len : cap - 1;
}

static bool request_is_valid(const struct vdrive_request *req)
{
	if (req->version != VDRIVE_PROTO_VERSION)
		return false;
	if (req->op == VDRIVE_OP_HELLO || req->op == VDRIVE_OP_STATUS)
		return true;
	if (req->device >= server.ndevices)
		return false;
	switch (req->op) {
	case VDRIVE_OP_EXEC:
		return req->cdb_len >= 1 && req->cdb_len <= VDRIVE_CDB_MAX && req->dir <= MMC_DIR_WRITE &&
		       req->data_len <= VDRIVE_MAX_TRANSFER;
	case VDRIVE_OP_LOAD:
		return memchr(req->media, '\0', sizeof(req->media)) && req->state <= EMU_STATE_CLOSED;
	case VDRIVE_OP_INFO:
	case VDRIVE_OP_EJECT:
		return true;
	default:
		return false;
	}
}

/* Serves one client until it hangs up or sends something malformed. */
static void *serve_client(void *arg)
{
	int sock = (int)(intptr_t)arg;
	uint8_t *buf = malloc(VDRIVE_MAX_TRANSFER);
	struct vdrive_request req;
	struct vdrive_reply reply;

	while (buf && vdrive_recv_header(sock, &req, sizeof(req)) == 0 && request_is_valid(&req)) {
		size_t out_len = 0;

		memset(&reply, 0, sizeof(reply));
		switch (req.op) {
		case VDRIVE_OP_HELLO:
			reply.ndevices = (uint32_t)server.ndevices;
			for (size_t i = 0; i < server.ndevices; i++)
				reply.minors[i] = server.devices[i].minor;
			memcpy(reply.medium_dir, server.medium_dir, sizeof(reply.medium_dir));
			break;
		case VDRIVE_OP_EXEC:
			memset(buf, 0, req.data_len);
			if (req.dir == MMC_DIR_WRITE && vdrive_recv_data(sock, buf, req.data_len) < 0)
				goto hang_up;
			handle_exec(&req, &reply, buf);
			out_len = reply.data_len;
			break;
		case VDRIVE_OP_INFO:
			handle_info(&req, &reply);
			break;
		case VDRIVE_OP_LOAD:
		case VDRIVE_OP_EJECT:
			handle_media_change(&req, &reply);
			break;
		case VDRIVE_OP_STATUS:
			out_len = format_status((char *)buf, VDRIVE_MAX_TRANSFER);
			reply.data_len = (uint32_t)out_len;
			break;
		}
		if (vdrive_send(sock, &reply, sizeof(reply), buf, out_len) < 0)
			break;
	}
hang_up:
	free(buf);
	close(sock);
	return NULL;
}

static void *accept_clients(void *arg)
{
	int listener = (int)(intptr_t)arg;

	for (;;) {
		int sock = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		pthread_t thread;

		if (sock < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
				continue;
			die("accept: %s", strerror(errno));
		}
		if (pthread_create(&thread, NULL, serve_client, (void *)(intptr_t)sock) != 0) {
			close(sock);
			continue;
		}
		pthread_detach(thread);
	}
	return NULL;
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char tmp[sizeof(addr.sun_path)];
	int sock;

	/* Bind a temporary name and rename it: the socket path appears only when it accepts. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		die("socket path too long: %s", path);
	strcpy(addr.sun_path, tmp);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		die("socket: %s", strerror(errno));
	unlink(tmp);
	if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(sock, 64) < 0 || rename(tmp, path) < 0)
		die("cannot listen on %s: %s", path, strerror(errno));
	return sock;
}

static void add_drive(const char *spec)
{
	struct emu_config cfg;
	const char *error = NULL;
	char *storage = NULL;
	struct vdrive_device *dev;

	if (server.ndevices == VDRIVE_MAX_DEVICES)
		die("at most %d drives", VDRIVE_MAX_DEVICES);
	if (emu_parse_spec(spec, &cfg, &storage, &error) < 0)
		die("--emulate=%s: %s", spec, error ? error : "invalid");
	dev = &server.devices[server.ndevices];
	dev->emu = emu_create(&cfg);
	free(storage);
	if (!dev->emu)
		die("--emulate=%s: %s", spec, strerror(errno));
	dev->minor = (unsigned)server.ndevices++;
}

static void usage(void)
{
	fputs("usage: vdrive-server --socket=PATH [--emulate=SPEC]... [--medium-dir=DIR]\n"
	      "  SPEC: MEDIA[,image=PATH][,timescale=N][,state=blank|appendable|closed][,log=PATH][,buffer=KiB]\n"
	      "  default: one drive, --emulate=" DEFAULT_SPEC "\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *socket_path = NULL, *medium_dir = NULL;
	bool made_medium_dir = false;
	pthread_t acceptor;
	sigset_t stop_signals;
	int listener, sig;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--socket=", 9))
			socket_path = argv[i] + 9;
		else if (!strncmp(argv[i], "--emulate=", 10))
			add_drive(argv[i] + 10);
		else if (!strncmp(argv[i], "--medium-dir=", 13))
			medium_dir = argv[i] + 13;
		else
			usage();
	}
	if (!socket_path)
		usage();
	if (!server.ndevices)
		add_drive(DEFAULT_SPEC);

	if (medium_dir) {
		snprintf(server.medium_dir, sizeof(server.medium_dir), "%s", medium_dir);
	} else {
		snprintf(server.medium_dir, sizeof(server.medium_dir), "%s/vdrive-medium.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(server.medium_dir))
			die("mkdtemp %s: %s", server.medium_dir, strerror(errno));
		made_medium_dir = true;
	}

	/* Threads inherit the mask: only sigwait below sees the stop signals. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (vdrive_medium_start(&server) < 0) {
		if (made_medium_dir)
			rmdir(server.medium_dir);
		die("cannot mount the medium files on %s", server.medium_dir);
	}
	listener = listen_on(socket_path);
	if (pthread_create(&acceptor, NULL, accept_clients, (void *)(intptr_t)listener) != 0)
		die("cannot start the acceptor thread");

	sigwait(&stop_signals, &sig);
	unlink(socket_path);
	vdrive_medium_stop();
	if (made_medium_dir)
		rmdir(server.medium_dir);
	/* Clients still running get -ENXIO from here on; emu_destroy saves each medium's state. */
	pthread_rwlock_wrlock(&server.lifetime);
	for (size_t i = 0; i < server.ndevices; i++) {
		emu_destroy(server.devices[i].emu);
		server.devices[i].emu = NULL;
	}
	pthread_rwlock_unlock(&server.lifetime);
	return 0;
}
