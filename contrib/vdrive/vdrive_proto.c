/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Message framing shared by the preload library, the server and vdrive-ctl. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vdrive_proto.h"

/* MSG_NOSIGNAL: a dead server must turn into an error, not kill the client with SIGPIPE. */
static int send_message(int sock, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = send(sock, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EPROTO;
}

/* The length of the message, even when it was longer than len (MSG_TRUNC). */
static ssize_t recv_message(int sock, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(sock, buf, len, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	return n;
}

int vdrive_send(int sock, const void *header, size_t header_len, const void *data, size_t data_len)
{
	const uint8_t *bytes = data;
	int ret = send_message(sock, header, header_len);

	while (!ret && data_len) {
		size_t chunk = data_len < VDRIVE_CHUNK ? data_len : VDRIVE_CHUNK;

		ret = send_message(sock, bytes, chunk);
		bytes += chunk;
		data_len -= chunk;
	}
	return ret;
}

int vdrive_recv_header(int sock, void *header, size_t header_len)
{
	ssize_t n = recv_message(sock, header, header_len);

	if (n < 0)
		return (int)n;
	return (size_t)n == header_len ? 0 : -EPROTO;
}

int vdrive_recv_data(int sock, void *data, size_t data_len)
{
	uint8_t *bytes = data;

	while (data_len) {
		ssize_t n = recv_message(sock, bytes, data_len);

		if (n < 0)
			return (int)n;
		if ((size_t)n > data_len || (size_t)n > VDRIVE_CHUNK)
			return -EPROTO;
		bytes += n;
		data_len -= (size_t)n;
	}
	return 0;
}

int vdrive_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int sock;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = -errno;

		close(sock);
		return err;
	}
	return sock;
}
