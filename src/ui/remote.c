/* remote.c - `hark remote CMD`: a running interface listens on a Unix
 * socket (paths_runtime_dir()/socket); each connection sends one command
 * line and gets the output lines back, then "OK" or "ERR why". */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "hark/config.h"
#include "ui.h"

/* The socket path into addr; -1 when it does not fit. */
static int socket_addr(struct sockaddr_un *addr, char **path)
{
	char *p = str_printf("%s/socket", paths_runtime_dir());

	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	if (p == NULL || strlen(p) >= sizeof addr->sun_path) {
		free(p);
		return -1;
	}
	strcpy(addr->sun_path, p);
	*path = p;
	return 0;
}

int ui_remote_listen(void)
{
	struct ui *u = &ui_st;
	struct sockaddr_un addr;
	struct err e;
	char *path;
	int fd;

	u->remote_fd = -1;
	if (socket_addr(&addr, &path) < 0) {
		ui_message(true, "remote: the socket path is too long");
		return -1;
	}
	if (paths_mkdir_p(paths_runtime_dir(), &e) < 0) {
		ui_message(true, "remote: %s", e.msg);
		free(path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		free(path);
		return -1;
	}
	/* another interface already listening? then leave it alone */
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
		close(fd);
		ui_message(true, "remote: another hark interface owns %s", path);
		free(path);
		return -1;
	}
	close(fd);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 8) < 0) {
		ui_message(true, "remote: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return -1;
	}
	chmod(path, 0600);
	u->remote_fd = fd;
	u->remote_path = path;
	return 0;
}

void ui_remote_accept(void)
{
	struct ui *u = &ui_st;
	struct buf in = {0}, out = {0};
	struct pollfd pfd;
	char tmp[1024];
	struct err e;
	int c, rc;
	ssize_t r;

	c = accept4(u->remote_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	/* the client writes its line right after connecting: wait a moment */
	pfd.fd = c;
	pfd.events = POLLIN;
	while (in.len < 4096 && (in.data == NULL || strchr(in.data, '\n') == NULL)) {
		if (poll(&pfd, 1, 200) <= 0)
			break;
		r = read(c, tmp, sizeof tmp);
		if (r <= 0)
			break;
		buf_append(&in, tmp, (size_t)r);
	}
	if (in.data && strchr(in.data, '\n'))
		*strchr(in.data, '\n') = '\0';
	err_clear(&e);
	u->reply = &out;
	rc = in.data ? ui_run_line(in.data, &e) : -1;
	u->reply = NULL;
	if (rc < 0 && e.msg[0] == '\0')
		err_set(&e, "empty command");
	if (rc < 0)
		buf_printf(&out, "ERR %s\n", e.msg);
	else
		buf_puts(&out, "OK\n");
	log_msg("remote: %s -> %s", in.data ? in.data : "", rc < 0 ? e.msg : "OK");
	if (write(c, out.data, out.len) < 0)
		log_msg("remote: reply: %s", strerror(errno));
	close(c);
	buf_free(&in);
	buf_free(&out);
	u->dirty = true;
}

void ui_remote_close(void)
{
	struct ui *u = &ui_st;

	if (u->remote_fd >= 0) {
		close(u->remote_fd);
		unlink(u->remote_path);
	}
	u->remote_fd = -1;
	free(u->remote_path);
	u->remote_path = NULL;
}

int cmd_remote(int argc, char **argv)
{
	struct sockaddr_un addr;
	struct buf line = {0}, in = {0};
	char tmp[4096], *path, *last;
	int fd, i;
	ssize_t r;

	if (argc < 2) {
		cli_usage("remote", true);
		fprintf(stderr, "commands: toggle, pause, play, next, stop, seek +30, seek 12:30, "
		                "speed 1.5, volume 80, sleep 30m, status, and every ':' command\n");
		return CLI_USAGE;
	}
	for (i = 1; i < argc; i++) {
		char *q = config_quote(argv[i]);
		if (i > 1)
			buf_putc(&line, ' ');
		buf_puts(&line, q);
		free(q);
	}
	buf_putc(&line, '\n');
	if (socket_addr(&addr, &path) < 0) {
		cli_error("remote: the socket path is too long");
		buf_free(&line);
		return CLI_FAIL;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		cli_error("remote: no hark interface is running (%s: %s)", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		buf_free(&line);
		return CLI_FAIL;
	}
	free(path);
	if (write(fd, line.data, line.len) != (ssize_t)line.len) {
		cli_error("remote: send: %s", strerror(errno));
		close(fd);
		buf_free(&line);
		return CLI_FAIL;
	}
	buf_free(&line);
	while ((r = read(fd, tmp, sizeof tmp)) > 0)
		buf_append(&in, tmp, (size_t)r);
	close(fd);
	if (in.data == NULL || in.len == 0) {
		cli_error("remote: the interface closed the connection without an answer");
		buf_free(&in);
		return CLI_FAIL;
	}
	/* the last line is the verdict */
	if (in.data[in.len - 1] == '\n')
		in.data[--in.len] = '\0';
	last = strrchr(in.data, '\n');
	if (last) {
		*last++ = '\0';
		printf("%s\n", in.data);
	} else {
		last = in.data;
	}
	if (strncmp(last, "ERR ", 4) == 0) {
		cli_error("remote: %s", last + 4);
		buf_free(&in);
		return CLI_FAIL;
	}
	buf_free(&in);
	return CLI_OK;
}
