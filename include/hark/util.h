/* util.h - small helpers shared by every module: growable buffers, errors,
 * text sanitising, paths, logging and time. */
#ifndef HARK_UTIL_H
#define HARK_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HARK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define HARK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HARK_PRINTF(f, a)
#endif

/* An error message filled by a failing call: "what: why". */
struct err {
	char msg[512];
};
void err_set(struct err *e, const char *fmt, ...) HARK_PRINTF(2, 3);
void err_clear(struct err *e);

/* A growable byte buffer, always NUL-terminated when data != NULL. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) HARK_PRINTF(2, 3);
/* Hand the data to the caller (never NULL on success: "" for empty). */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* strdup that accepts NULL (returns NULL). */
char *str_dup(const char *s);
char *str_ndup(const char *s, size_t n);
/* malloc'd printf. */
char *str_printf(const char *fmt, ...) HARK_PRINTF(1, 2);
/* Trim ASCII whitespace at both ends, in place; returns s. */
char *str_trim(char *s);
bool str_starts_with(const char *s, const char *prefix);
bool str_case_starts_with(const char *s, const char *prefix);

/* Text that can reach a screen: a malloc'd copy of UTF-8 s with every C0/C1
 * control character, DEL, bidi override/isolate and invisible format character
 * (ZWSP, LRM/RLM/ALM, U+2060-2064, U+FEFF; ZWNJ and ZWJ are kept) removed and
 * invalid UTF-8 replaced by U+FFFD. With keep_newlines, '\n' survives (and '\t' becomes a
 * space); otherwise runs of whitespace collapse into one space. */
char *text_sanitize(const char *s, bool keep_newlines);
/* The same for the n bytes at s (no NUL needed), appended to b: b gains what
 * text_sanitize() of those bytes alone would return. -1 when out of memory. */
int text_sanitize_append(struct buf *b, const char *s, size_t n, bool keep_newlines);
/* True when s is valid UTF-8. */
bool text_utf8_valid(const char *s, size_t n);

/* Files and folders. HARK_HOME, when set, holds config/, data/, cache/ and
 * runtime/; otherwise the XDG base directories are used. Returned strings are
 * static and stay valid for the life of the process. */
const char *paths_config_dir(void);  /* $XDG_CONFIG_HOME/hark */
const char *paths_data_dir(void);    /* $XDG_DATA_HOME/hark */
const char *paths_cache_dir(void);   /* $XDG_CACHE_HOME/hark */
const char *paths_runtime_dir(void); /* $XDG_RUNTIME_DIR/hark-UID */
/* Where shipped files (data/) live: $HARK_DATADIR, else the build tree's
 * data/ when running uninstalled, else PKGDATADIR. */
const char *paths_pkgdata_dir(void);
/* A shipped file (e.g. "hark.conf"): malloc'd path under paths_pkgdata_dir(),
 * or, when it is not there and hark runs from a build outside the source
 * tree, the source tree's data/ copy. NULL when out of memory. */
char *paths_data_file(const char *name);
/* mkdir -p with mode 0700 for new folders. */
int paths_mkdir_p(const char *path, struct err *e);
/* Read a whole file (at most max bytes; 0 = no limit). */
int file_read_all(const char *path, size_t max, struct buf *out, struct err *e);
/* Write atomically: temp file in the same folder, fsync, rename. */
int file_write_atomic(const char *path, const void *data, size_t len, struct err *e);

/* Debug log into paths_data_dir()/hark.log (or $HARK_LOG); never the tty. */
void log_open(const char *path);
void log_msg(const char *fmt, ...) HARK_PRINTF(1, 2);
int log_fd(void); /* -1 when closed; stderr of noisy libraries goes here */
void log_close(void);

/* Seconds on the monotonic clock. */
double time_mono(void);
/* "25:43", "1:02:03"; negative or NaN gives "--:--". buf >= 16 bytes. */
const char *time_format(double secs, char *buf, size_t len);
/* "90", "1:30", "01:02:03", "1:02:03.5" -> seconds; -1 on error. */
double time_parse_clock(const char *s);

#endif
