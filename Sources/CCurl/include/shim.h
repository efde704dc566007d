#ifndef ARRAKIS_CCURL_SHIM_H
#define ARRAKIS_CCURL_SHIM_H
#include <curl/curl.h>

// libcurl is not linked: Loader.c loads it on the first call (see there), so commands that never send a
// request do not pay for loading it and its libraries at start-up.

// curl_easy_setopt / curl_easy_getinfo are variadic and cannot be imported into Swift:
// one typed wrapper per argument kind.
CURLcode arrakis_curl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode arrakis_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode arrakis_curl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode arrakis_curl_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode arrakis_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode arrakis_curl_setopt_write(CURL *h, CURLoption o, curl_write_callback v);
CURLcode arrakis_curl_setopt_xferinfo(CURL *h, CURLoption o, curl_xferinfo_callback v);
CURLcode arrakis_curl_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode arrakis_curl_getinfo_double(CURL *h, CURLINFO i, double *v);
#endif
