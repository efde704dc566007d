#ifndef ARRAKIS_CPOSTGRES_SHIM_H
#define ARRAKIS_CPOSTGRES_SHIM_H
#include <postgresql/libpq-fe.h>

// libpq is not linked: Loader.c loads it on the first call (see there), so commands that never reach a
// PostgreSQL ledger do not pay for loading it and its libraries at start-up.

// The notices libpq prints to stderr by default ("relation ... already exists, skipping") are not the user's
// business: one fixed receiver that drops them, set on every connection.
static void arrakis_pq_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }
static inline void arrakis_pq_silence_notices(PGconn *conn) { PQsetNoticeProcessor(conn, arrakis_pq_ignore_notice, 0); }
#endif
