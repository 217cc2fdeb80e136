/* paths.c - where hark keeps its files, and small file helpers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hark/util.h"

static char config_dir[PATH_MAX], data_dir[PATH_MAX], cache_dir[PATH_MAX];
static char runtime_dir[PATH_MAX], pkgdata_dir[PATH_MAX];

/* Fill dst with $HARK_HOME/sub, else $XDG_VAR/hark, else $HOME/fallback/hark. */
static const char *resolve(char *dst, const char *sub, const char *xdg_var, const char *fallback)
{
	const char *home = getenv("HARK_HOME"), *xdg, *h;

	if (dst[0] != '\0')
		return dst;
	if (home != NULL && home[0] != '\0') {
		snprintf(dst, PATH_MAX, "%s/%s", home, sub);
		return dst;
	}
	xdg = getenv(xdg_var);
	if (xdg != NULL && xdg[0] == '/') {
		snprintf(dst, PATH_MAX, "%s/hark", xdg);
		return dst;
	}
	h = getenv("HOME");
	snprintf(dst, PATH_MAX, "%s/%s/hark", h && h[0] ? h : "/tmp", fallback);
	return dst;
}

const char *paths_config_dir(void)
{
	return resolve(config_dir, "config", "XDG_CONFIG_HOME", ".config");
}

const char *paths_data_dir(void)
{
	return resolve(data_dir, "data", "XDG_DATA_HOME", ".local/share");
}

const char *paths_cache_dir(void)
{
	return resolve(cache_dir, "cache", "XDG_CACHE_HOME", ".cache");
}

const char *paths_runtime_dir(void)
{
	const char *home = getenv("HARK_HOME"), *xdg = getenv("XDG_RUNTIME_DIR");

	if (runtime_dir[0] != '\0')
		return runtime_dir;
	if (home != NULL && home[0] != '\0')
		snprintf(runtime_dir, sizeof runtime_dir, "%s/runtime", home);
	else if (xdg != NULL && xdg[0] == '/')
		snprintf(runtime_dir, sizeof runtime_dir, "%s/hark", xdg);
	else
		snprintf(runtime_dir, sizeof runtime_dir, "/tmp/hark-%ld", (long)getuid());
	return runtime_dir;
}

const char *paths_pkgdata_dir(void)
{
	const char *env = getenv("HARK_DATADIR");
	struct stat st;

	if (pkgdata_dir[0] != '\0')
		return pkgdata_dir;
	if (env != NULL && env[0] != '\0')
		snprintf(pkgdata_dir, sizeof pkgdata_dir, "%s", env);
	else if (stat(ABS_BUILDDIR "/data/demo", &st) == 0 &&
	         access(ABS_BUILDDIR "/hark", X_OK) == 0 && stat(PKGDATADIR "/demo", &st) != 0)
		snprintf(pkgdata_dir, sizeof pkgdata_dir, "%s/data", ABS_BUILDDIR);
	else
		snprintf(pkgdata_dir, sizeof pkgdata_dir, "%s", PKGDATADIR);
	return pkgdata_dir;
}

char *paths_data_file(const char *name)
{
	char *p = str_printf("%s/%s", paths_pkgdata_dir(), name), *src;

	if (p == NULL || access(p, R_OK) == 0 || access(ABS_BUILDDIR "/hark", X_OK) != 0)
		return p;
	src = str_printf("%s/data/%s", ABS_SRCDIR, name);
	if (src != NULL && access(src, R_OK) == 0) {
		free(p);
		return src;
	}
	free(src);
	return p;
}

int paths_mkdir_p(const char *path, struct err *e)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof tmp) {
		err_set(e, "%s: path too long", path);
		return -1;
	}
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
			err_set(e, "%s: %s", tmp, strerror(errno));
			return -1;
		}
		tmp[i] = path[i];
	}
	return 0;
}

int file_read_all(const char *path, size_t max, struct buf *out, struct err *e)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, "%s: %s", path, strerror(errno));
			break;
		}
		if (n == 0) {
			close(fd);
			if (out->data == NULL && buf_reserve(out, 0) < 0)
				return -1;
			return 0;
		}
		if (max > 0 && out->len + (size_t)n > max) {
			err_set(e, "%s: larger than %zu bytes", path, max);
			break;
		}
		if (buf_append(out, chunk, (size_t)n) < 0) {
			err_set(e, "%s: out of memory", path);
			break;
		}
	}
	close(fd);
	return -1;
}

int file_write_atomic(const char *path, const void *data, size_t len, struct err *e)
{
	char tmp[PATH_MAX];
	const char *p = data;
	ssize_t n;
	int fd;

	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
		err_set(e, "%s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(e, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		err_set(e, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
