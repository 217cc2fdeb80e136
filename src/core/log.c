/* log.c - the debug log: a file, never the terminal. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "hark/util.h"

static int logfd = -1;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_open(const char *path)
{
	const char *env = getenv("HARK_LOG");
	char def[4096];

	if (env != NULL && env[0] != '\0')
		path = env;
	if (path == NULL) {
		if (paths_mkdir_p(paths_data_dir(), NULL) < 0)
			return;
		snprintf(def, sizeof def, "%s/hark.log", paths_data_dir());
		path = def;
	}
	pthread_mutex_lock(&log_lock);
	if (logfd >= 0)
		close(logfd);
	logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	pthread_mutex_unlock(&log_lock);
}

void log_msg(const char *fmt, ...)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	if (logfd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ [%ld] ",
	             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	             ts.tv_nsec / 1000000L, (long)getpid());
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	pthread_mutex_lock(&log_lock);
	if (logfd >= 0 && write(logfd, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
	pthread_mutex_unlock(&log_lock);
}

int log_fd(void)
{
	return logfd;
}

void log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (logfd >= 0)
		close(logfd);
	logfd = -1;
	pthread_mutex_unlock(&log_lock);
}
