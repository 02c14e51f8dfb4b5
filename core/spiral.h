/*
 * spiral.h -- the public interface of libspiral.
 *
 * Programs that embed the engine include this one header and link with
 * `pkg-config --cflags --libs spiral`.  Every function takes an APR pool
 * last and reports failures through sp_error_t (sp_error.h).
 */
#ifndef SPIRAL_H
#define SPIRAL_H

#define SPIRAL_VERSION_MAJOR 0
#define SPIRAL_VERSION_MINOR 1

#include "sp_error.h"
#include "sp_store.h"

/* The library's version as "MAJOR.MINOR.PATCH". */
const char *sp_version(void);

#endif
