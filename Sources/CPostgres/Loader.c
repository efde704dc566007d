// libpq, loaded on first use. Linking it would make the dynamic loader map and relocate libpq and the
// libraries it needs (OpenSSL, Kerberos, LDAP, ...) at every start of every command, a SQLite ledger's too:
// about 11 million instructions, twice what `arrakis --version` costs without it. Instead each libpq
// function arrakis calls is defined here with its prototype from libpq-fe.h (the compiler checks each one
// against the header), and forwards to the library's own, looked up once (as Sources/CCurl/Loader.c does).
// A libpq function used anywhere in Sources/Postgres needs its line below: the link fails without it.
#define _GNU_SOURCE
#include "LazyLibrary.h"

// Hidden, not exported: the executable's dynamic symbol table (Swift links it with --export-dynamic) must
// not offer these names, or libpq's calls to its own functions would come back through them.
#pragma GCC visibility push(hidden)
#include <postgresql/libpq-fe.h>

// libpq's soname has been libpq.so.5 since PostgreSQL 8.2; then the development link.
// Without it arrakis exits with the status of a ledger that cannot be opened (ExitStatus.ledger in Sources/ArrakisCore/ExitStatus.swift).
static arrakis_lazy_library library = ARRAKIS_LAZY_LIBRARY_INIT("libpq.so.5", "libpq.so", "libpq.5.dylib", "libpq for the PostgreSQL ledger", "libpq5", "libpq 5", 9);

static void *lazy_symbol(const char *name) { return arrakis_lazy_symbol(&library, name); }

LAZY_VOID(PQclear, (PGresult *res), (res))
LAZY(char *, PQcmdTuples, (PGresult *res), (res))
LAZY(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname))
LAZY(int, PQconnectionNeedsPassword, (const PGconn *conn), (conn))
LAZY(char *, PQdb, (const PGconn *conn), (conn))
LAZY(char *, PQerrorMessage, (const PGconn *conn), (conn))
LAZY(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
LAZY(PGresult *, PQexecParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
LAZY_VOID(PQfinish, (PGconn *conn), (conn))
LAZY(char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
LAZY(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))
LAZY(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
LAZY(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
LAZY(char *, PQhost, (const PGconn *conn), (conn))
LAZY(int, PQnfields, (const PGresult *res), (res))
LAZY(int, PQntuples, (const PGresult *res), (res))
LAZY(char *, PQport, (const PGconn *conn), (conn))
LAZY(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
LAZY(char *, PQresultErrorMessage, (const PGresult *res), (res))
LAZY(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
LAZY(int, PQserverVersion, (const PGconn *conn), (conn))
LAZY(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))
LAZY(ConnStatusType, PQstatus, (const PGconn *conn), (conn))
LAZY(char *, PQuser, (const PGconn *conn), (conn))

#pragma GCC visibility pop
