// server/base/check.h
//
// CONSTELLATION_CHECK: assertions for programmer errors, on in every build type (STYLE.md).
// A failed check prints the condition and location to stderr and aborts.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CONSTELLATION_CHECK(cond)                                                   \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)
