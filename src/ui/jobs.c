/* jobs.c - background work as child processes: `hark update`, `hark
 * download`, `hark add`, `hark transcript --json`, `hark chapters --json`.
 * The interface never waits for them: their pipes are in the main poll(),
 * each line they print becomes a message naming the item, and when one ends
 * the interface re-reads the store. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "ui.h"

#define MAX_JOBS 16
#define MAX_RUNNING 4 /* more wait in line */

struct job {
	bool used;
	bool pending;    /* not started yet */
	bool after_draw; /* ... and not before the screen is drawn */
	char *argv[16];
	enum ui_job_kind kind;
	int64_t id;
	char *label;
	pid_t pid;
	int out, err; /* -1 once at EOF */
	struct buf obuf, ebuf;
	char *first_error;
};

static struct job jobs[MAX_JOBS];

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static int running(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_JOBS; i++)
		n += jobs[i].used && !jobs[i].pending;
	return n;
}

static void argv_free(struct job *j)
{
	int i;

	for (i = 0; j->argv[i]; i++)
		free(j->argv[i]);
	memset(j->argv, 0, sizeof j->argv);
}

/* Fork and exec the job's command with its pipes. */
static int spawn(struct job *j)
{
	int po[2], pe[2];
	pid_t pid;

	if (pipe(po) < 0)
		return -1;
	if (pipe(pe) < 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv("/proc/self/exe", j->argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	set_nonblock(po[0]);
	set_nonblock(pe[0]);
	j->pending = false;
	j->pid = pid;
	j->out = po[0];
	j->err = pe[0];
	log_msg("ui: job %d started: %s %s", (int)pid, j->argv[cli_global.demo ? 2 : 1], j->label);
	return 0;
}

/* Start a waiting job if there is room; one that cannot start is dropped. */
static void start_pending(struct job *j)
{
	if (running() < MAX_RUNNING && spawn(j) < 0) {
		ui_message(true, "%s: cannot start hark", j->label);
		argv_free(j);
		free(j->label);
		memset(j, 0, sizeof *j);
	}
}

static int job_start(enum ui_job_kind kind, int64_t id, const char *label, const char *const *args,
                     bool after_draw)
{
	struct job *j = NULL;
	int i, k, n = 0;

	for (i = 0; i < MAX_JOBS; i++)
		if (!jobs[i].used) {
			j = &jobs[i];
			break;
		}
	if (j == NULL)
		return -1;
	memset(j, 0, sizeof *j);
	j->argv[n++] = str_dup("hark");
	if (cli_global.demo)
		j->argv[n++] = str_dup("--demo");
	for (k = 0; args[k] && n < 15; k++)
		j->argv[n++] = str_dup(args[k]);
	j->used = true;
	j->pending = true;
	j->kind = kind;
	j->id = id;
	j->label = str_dup(label);
	j->out = j->err = -1;
	j->after_draw = after_draw;
	if (after_draw || running() >= MAX_RUNNING)
		return 0; /* starts after the draw / when another one ends */
	if (spawn(j) < 0) {
		argv_free(j);
		free(j->label);
		memset(j, 0, sizeof *j);
		return -1;
	}
	return 0;
}

int ui_job_start(enum ui_job_kind kind, int64_t id, const char *label, const char *const *args)
{
	return job_start(kind, id, label, args, false);
}

int ui_job_start_after_draw(enum ui_job_kind kind, int64_t id, const char *label,
                            const char *const *args)
{
	return job_start(kind, id, label, args, true);
}

void ui_jobs_drawn(void)
{
	int i;

	for (i = 0; i < MAX_JOBS; i++)
		if (jobs[i].after_draw) {
			jobs[i].after_draw = false;
			start_pending(&jobs[i]);
		}
}

int ui_jobs_fds(struct pollfd *fds, int max)
{
	int i, n = 0;

	for (i = 0; i < MAX_JOBS && n < max; i++) {
		if (!jobs[i].used)
			continue;
		if (jobs[i].out >= 0 && n < max) {
			fds[n].fd = jobs[i].out;
			fds[n].events = POLLIN;
			fds[n++].revents = 0;
		}
		if (jobs[i].err >= 0 && n < max) {
			fds[n].fd = jobs[i].err;
			fds[n].events = POLLIN;
			fds[n++].revents = 0;
		}
	}
	return n;
}

/* Show each complete stderr/progress line of a job as a message. */
static void job_lines(struct job *j, struct buf *b, bool is_err, bool flush)
{
	char *nl, *line;

	if (b->data == NULL)
		return;
	while ((nl = strchr(b->data, '\n')) != NULL || (flush && b->len > 0)) {
		size_t n = nl ? (size_t)(nl - b->data) : b->len;
		line = str_ndup(b->data, n);
		memmove(b->data, b->data + n + (nl ? 1 : 0), b->len - n - (nl ? 1 : 0) + 1);
		b->len -= n + (nl ? 1 : 0);
		char *clean = text_sanitize(line, false);
		free(line);
		if (clean && clean[0]) {
			bool err = is_err && (str_starts_with(clean, "hark:") ||
			                      strstr(clean, "error") || strstr(clean, "fail"));
			const char *text = str_starts_with(clean, "hark: ") ? clean + 6 : clean;
			if (err && j->first_error == NULL)
				j->first_error = str_dup(text);
			/* every message names its feed or episode */
			if (j->label && strstr(text, j->label) == NULL)
				ui_message(err, "%s: %s", j->label, text);
			else
				ui_message(err, "%s", text);
		}
		free(clean);
	}
}

/* Read what is there; returns false at EOF. */
static bool drain(int fd, struct buf *b)
{
	char tmp[4096];
	ssize_t r;

	for (;;) {
		r = read(fd, tmp, sizeof tmp);
		if (r > 0) {
			if (b->len < (64u << 20))
				buf_append(b, tmp, (size_t)r);
			continue;
		}
		if (r == 0)
			return false;
		return errno == EAGAIN || errno == EINTR;
	}
}

static void job_done(struct job *j, int status)
{
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;

	job_lines(j, &j->ebuf, true, true);
	switch (j->kind) {
	case UI_JOB_REFRESH:
	case UI_JOB_ADD:
		if (ok)
			ui_message(false, "%s %s: done",
			           j->kind == UI_JOB_ADD ? "added" : "refreshed", j->label);
		else if (j->first_error == NULL)
			ui_message(true, "refresh %s: failed (status %d)", j->label, code);
		ui_reload_feeds();
		/* the stored error says why, in the feed's own words */
		for (size_t k = 0; !ok && k < ui_st.feeds.n; k++)
			if (ui_st.feeds.v[k].id == j->id && ui_st.feeds.v[k].last_error &&
			    j->first_error == NULL)
				ui_message(true, "%s: %s", j->label, ui_st.feeds.v[k].last_error);
		break;
	case UI_JOB_DOWNLOAD:
		if (ok)
			ui_message(false, "downloaded: %s", j->label);
		else if (j->first_error == NULL)
			ui_message(true, "download %s: failed (status %d)", j->label, code);
		ui_reload_feeds();
		break;
	case UI_JOB_TRANSCRIPT:
	case UI_JOB_CHAPTERS:
		ui_details_job_done((int)j->kind, j->id, ok ? 0 : code, j->obuf.data);
		break;
	}
	argv_free(j);
	free(j->label);
	free(j->first_error);
	buf_free(&j->obuf);
	buf_free(&j->ebuf);
	memset(j, 0, sizeof *j);
}

void ui_jobs_handle(void)
{
	int i, status;

	for (i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		if (!j->used)
			continue;
		if (j->pending) {
			if (!j->after_draw)
				start_pending(j);
			continue;
		}
		ui_st.dirty = true;
		if (j->out >= 0 && !drain(j->out, &j->obuf)) {
			close(j->out);
			j->out = -1;
		}
		if (j->kind != UI_JOB_TRANSCRIPT && j->kind != UI_JOB_CHAPTERS && j->obuf.len > 0)
			job_lines(j, &j->obuf, false, false);
		if (j->err >= 0 && !drain(j->err, &j->ebuf)) {
			close(j->err);
			j->err = -1;
		}
		job_lines(j, &j->ebuf, true, false);
		if (j->out < 0 && j->err < 0 && waitpid(j->pid, &status, WNOHANG) == j->pid)
			job_done(j, status);
	}
}

int ui_jobs_running(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_JOBS; i++)
		n += jobs[i].used;
	return n;
}

bool ui_job_busy(enum ui_job_kind kind, int64_t id)
{
	int i;

	for (i = 0; i < MAX_JOBS; i++)
		if (jobs[i].used && jobs[i].kind == kind && jobs[i].id == id)
			return true;
	return false;
}

void ui_jobs_kill(void)
{
	int i, status;

	for (i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];
		if (!j->used)
			continue;
		if (!j->pending) {
			kill(j->pid, SIGTERM);
			waitpid(j->pid, &status, 0);
		}
		argv_free(j);
		if (j->out >= 0)
			close(j->out);
		if (j->err >= 0)
			close(j->err);
		free(j->label);
		free(j->first_error);
		buf_free(&j->obuf);
		buf_free(&j->ebuf);
		memset(j, 0, sizeof *j);
	}
}
