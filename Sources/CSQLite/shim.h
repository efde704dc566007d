#ifndef ARRAKIS_CSQLITE_SHIM_H
#define ARRAKIS_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, a macro Swift cannot import: these bind a copy of
// the caller's bytes, which Swift may free as soon as the call returns.
static inline int arrakis_sqlite3_bind_text(sqlite3_stmt *statement, int index, const char *text, int length) {
  return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}
static inline int arrakis_sqlite3_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int length) {
  return sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}

// sqlite3_db_config is variadic, which Swift cannot call. Double-quoted text that names no column is an
// error, not a string literal, as SQLite's documentation recommends: a misspelled column fails instead of
// comparing with its own name.
static inline void arrakis_sqlite3_refuse_double_quoted_strings(sqlite3 *db) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
}
#endif
