/* store_int.h - what the store_*.c files share; not part of the API. */
#ifndef HARK_STORE_INT_H
#define HARK_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "hark/store.h"

struct store {
	sqlite3 *db;
	char *path;
	int depth;         /* nesting of store_begin() */
	bool doomed;       /* an inner level rolled back */
	bool checked;      /* store_open ran PRAGMA quick_check */
	bool record_check; /* ... on a big file: note when, in kv checked_at */
};

/* store_open(), migrating a new or older file only up to schema `version`
 * (tests: a file of an older schema, made by the real migrations). */
struct store *store_open_at(const char *path, int version, struct err *e);
/* e = "library: WHAT: sqlite's message"; returns -1. */
int store_fail(struct store *st, struct err *e, const char *what);
int store_exec(struct store *st, const char *sql, struct err *e);
sqlite3_stmt *store_prepare(struct store *st, const char *sql, struct err *e);
/* malloc'd copy of a text column, NULL for SQL NULL. */
char *store_col_str(sqlite3_stmt *s, int i);
/* Bind text, or NULL when v is NULL. */
void store_bind_str(sqlite3_stmt *s, int i, const char *v);

#endif
