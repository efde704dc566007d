#ifndef ARRAKIS_CGIT2_SHIM_H
#define ARRAKIS_CGIT2_SHIM_H
#include <git2.h>
#endif
