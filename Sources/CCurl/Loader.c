// libcurl, loaded on first use. Linking it would make the dynamic loader map and relocate libcurl and the
// libraries it needs (OpenSSL, GnuTLS, Kerberos, LDAP, libssh2, nghttp2, …: over thirty) at every start,
// about a third of `arrakis --version`'s instructions, for the many commands that never send a request.
// Instead each libcurl function the binary calls (CurlSession in Sources/Claude, and Foundation's
// URLSession, which the MCP SDK links in) is defined here with its prototype from curl.h (the compiler
// checks each one against the header), and forwards to the library's own, looked up once.
// A libcurl function used anywhere needs its definition below: the link fails without it.
#define _GNU_SOURCE
#define CURL_DISABLE_TYPECHECK  // curl.h would otherwise turn curl_easy_setopt into a macro
#include <stdarg.h>
#include "LazyLibrary.h"

// Hidden, not exported: the executable's dynamic symbol table (Swift links it with --export-dynamic) must
// not offer these names, or libcurl's calls to its own functions would come back through them.
#pragma GCC visibility push(hidden)
#include <curl/curl.h>
#include "shim.h"

// libcurl's soname has been libcurl.so.4 since 2006; then the development link.
// Without it arrakis exits with the status of a network failure (ExitStatus.network in Sources/ArrakisCore/ExitStatus.swift).
static arrakis_lazy_library library = ARRAKIS_LAZY_LIBRARY_INIT("libcurl.so.4", "libcurl.so", "libcurl.4.dylib", "libcurl", "libcurl4", "libcurl " LIBCURL_VERSION " or later", 7);

static void *lazy_symbol(const char *name) { return arrakis_lazy_symbol(&library, name); }

LAZY(CURLcode, curl_global_init, (long flags), (flags))
LAZY(char *, curl_version, (void), ())
LAZY(curl_version_info_data *, curl_version_info, (CURLversion age), (age))
LAZY_VOID(curl_free, (void *p), (p))
LAZY(CURL *, curl_easy_init, (void), ())
LAZY_VOID(curl_easy_cleanup, (CURL *curl), (curl))
LAZY_VOID(curl_easy_reset, (CURL *curl), (curl))
LAZY(CURLcode, curl_easy_perform, (CURL *curl), (curl))
LAZY(CURLcode, curl_easy_pause, (CURL *handle, int bitmask), (handle, bitmask))
LAZY(const char *, curl_easy_strerror, (CURLcode code), (code))
LAZY(struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), (list, data))
LAZY_VOID(curl_slist_free_all, (struct curl_slist *list), (list))
LAZY(CURLM *, curl_multi_init, (void), ())
LAZY(CURLMcode, curl_multi_cleanup, (CURLM *multi), (multi))
LAZY(CURLMcode, curl_multi_add_handle, (CURLM *multi, CURL *easy), (multi, easy))
LAZY(CURLMcode, curl_multi_remove_handle, (CURLM *multi, CURL *easy), (multi, easy))
LAZY(CURLMcode, curl_multi_assign, (CURLM *multi, curl_socket_t sockfd, void *sockp), (multi, sockfd, sockp))
LAZY(CURLMsg *, curl_multi_info_read, (CURLM *multi, int *msgs_in_queue), (multi, msgs_in_queue))
LAZY(CURLMcode, curl_multi_socket_action, (CURLM *multi, curl_socket_t s, int ev_bitmask, int *running_handles),
     (multi, s, ev_bitmask, running_handles))
LAZY(CURLU *, curl_url, (void), ())
LAZY(CURLUcode, curl_url_get, (CURLU *handle, CURLUPart what, char **part, unsigned int flags), (handle, what, part, flags))
LAZY(CURLUcode, curl_url_set, (CURLU *handle, CURLUPart what, const char *part, unsigned int flags), (handle, what, part, flags))

// The variadic three take exactly one argument after the option, of the type the option's number says
// (curl.h's CURLOPTTYPE_* ranges, shared by CURLMoption; every CURLINFO takes a pointer): read as that
// type, passed on as that type.
#define FORWARD_BY_OPTION_TYPE(call)                                        \
  va_list ap;                                                               \
  va_start(ap, option);                                                     \
  CURLcode_or_mcode result;                                                 \
  if (option < CURLOPTTYPE_OBJECTPOINT) {                                   \
    long v = va_arg(ap, long);                                              \
    result = call;                                                          \
  } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {                          \
    void *v = va_arg(ap, void *);                                           \
    result = call;                                                          \
  } else if (option < CURLOPTTYPE_OFF_T) {                                  \
    void (*v)(void) = va_arg(ap, void (*)(void));                           \
    result = call;                                                          \
  } else if (option < CURLOPTTYPE_BLOB) {                                   \
    curl_off_t v = va_arg(ap, curl_off_t);                                  \
    result = call;                                                          \
  } else {                                                                  \
    void *v = va_arg(ap, void *);                                           \
    result = call;                                                          \
  }                                                                         \
  va_end(ap);                                                               \
  return result;

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...) {
  RESOLVED(curl_easy_setopt)
  typedef CURLcode CURLcode_or_mcode;
  FORWARD_BY_OPTION_TYPE(f(curl, option, v))
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...) {
  RESOLVED(curl_multi_setopt)
  typedef CURLMcode CURLcode_or_mcode;
  FORWARD_BY_OPTION_TYPE(f(multi, option, v))
}

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...) {
  RESOLVED(curl_easy_getinfo)
  va_list ap;
  va_start(ap, info);
  void *out = va_arg(ap, void *);
  va_end(ap);
  return f(curl, info, out);
}

// The typed wrappers shim.h declares for Swift.
CURLcode arrakis_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_setopt_write(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_setopt_xferinfo(CURL *h, CURLoption o, curl_xferinfo_callback v) { return curl_easy_setopt(h, o, v); }
CURLcode arrakis_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
CURLcode arrakis_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }

#pragma GCC visibility pop
