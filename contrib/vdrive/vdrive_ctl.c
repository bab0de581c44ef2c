/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * vdrive-ctl: what a person at the drive does, for a running vdrive-server.
 *
 *   vdrive-ctl [--socket=PATH] load /dev/srN MEDIA [blank|appendable|closed]
 *   vdrive-ctl [--socket=PATH] eject /dev/srN
 *   vdrive-ctl [--socket=PATH] status
 *
 * The socket defaults to $VDRIVE_SOCKET, so it works unchanged inside vdrive-run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discfs/emu.h"
#include "vdrive_proto.h"

static void usage(void)
{
	fputs("usage: vdrive-ctl [--socket=PATH] load /dev/srN MEDIA [blank|appendable|closed]\n"
	      "       vdrive-ctl [--socket=PATH] eject /dev/srN\n"
	      "       vdrive-ctl [--socket=PATH] status\n",
	      stderr);
	exit(2);
}

static int call(int sock, const struct vdrive_request *req, struct vdrive_reply *reply, char *text, size_t cap)
{
	int ret = vdrive_send(sock, req, sizeof(*req), NULL, 0);

	if (!ret)
		ret = vdrive_recv_header(sock, reply, sizeof(*reply));
	if (!ret && reply->data_len >= cap)
		ret = -EPROTO;
	if (!ret)
		ret = vdrive_recv_data(sock, text, reply->data_len);
	if (!ret)
		text[reply->data_len] = '\0';
	return ret ? ret : reply->error;
}

/* "/dev/srN" to the server's index for it. */
static int find_drive(int sock, const char *path, uint32_t *index)
{
	struct vdrive_request req = { .version = VDRIVE_PROTO_VERSION, .op = VDRIVE_OP_HELLO };
	struct vdrive_reply reply;
	unsigned minor;
	char text[1], rest;
	int ret = call(sock, &req, &reply, text, sizeof(text));

	if (ret < 0)
		return ret;
	if (sscanf(path, "/dev/sr%u%c", &minor, &rest) != 1)
		return -ENODEV;
	for (uint32_t i = 0; i < reply.ndevices && i < VDRIVE_MAX_DEVICES; i++) {
		if (reply.minors[i] == minor) {
			*index = i;
			return 0;
		}
	}
	return -ENODEV;
}

static int parse_state(const char *word, uint32_t *state)
{
	static const char *const names[] = {
		[EMU_STATE_BLANK] = "blank",
		[EMU_STATE_APPENDABLE] = "appendable",
		[EMU_STATE_CLOSED] = "closed",
	};

	for (uint32_t i = EMU_STATE_BLANK; i <= EMU_STATE_CLOSED; i++) {
		if (!strcmp(word, names[i])) {
			*state = i;
			return 0;
		}
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	const char *socket_path = getenv("VDRIVE_SOCKET");
	/* Without a state, the disc a person puts in, as emulator/media loads it:
	 * a new one, blank (dvd+rw, bd-re formatted), or none. */
	struct vdrive_request req = { .version = VDRIVE_PROTO_VERSION, .state = EMU_STATE_DEFAULT };
	struct vdrive_reply reply;
	static char text[VDRIVE_MAX_TRANSFER + 1];
	int arg = 1, sock, ret;

	if (arg < argc && !strncmp(argv[arg], "--socket=", 9))
		socket_path = argv[arg++] + 9;
	if (!socket_path || arg >= argc)
		usage();
	sock = vdrive_connect(socket_path);
	if (sock < 0) {
		fprintf(stderr, "vdrive-ctl: %s: %s\n", socket_path, strerror(-sock));
		return 1;
	}

	if (!strcmp(argv[arg], "status") && argc == arg + 1) {
		req.op = VDRIVE_OP_STATUS;
	} else if (!strcmp(argv[arg], "eject") && argc == arg + 2) {
		req.op = VDRIVE_OP_EJECT;
	} else if (!strcmp(argv[arg], "load") && (argc == arg + 3 || argc == arg + 4)) {
		req.op = VDRIVE_OP_LOAD;
		if (strlen(argv[arg + 2]) >= sizeof(req.media))
			usage();
		strcpy(req.media, argv[arg + 2]);
		if (argc == arg + 4 && parse_state(argv[arg + 3], &req.state) < 0)
			usage();
	} else {
		usage();
	}
	ret = req.op == VDRIVE_OP_STATUS ? 0 : find_drive(sock, argv[arg + 1], &req.device);
	if (!ret)
		ret = call(sock, &req, &reply, text, sizeof(text));
	close(sock);
	if (ret < 0) {
		fprintf(stderr, "vdrive-ctl: %s%s%s: %s\n", argv[arg], arg + 1 < argc ? " " : "",
			arg + 1 < argc ? argv[arg + 1] : "", strerror(-ret));
		return 1;
	}
	fputs(text, stdout);
	return 0;
}
