/*
 * sp_test.h -- helpers shared by the cmocka unit tests (include after
 * cmocka.h): a near-equality assertion for floating-point results, and a
 * temporary workspace path removed with its WAL and shared-memory files.
 */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void
sp_test_near(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.17g is not %.17g (within %g)\n", a, b, eps);
        _fail(file, line);
    }
}
#define assert_near(a, b, eps) sp_test_near((a), (b), (eps), __FILE__, __LINE__)

/* Fill path (64 bytes) with a fresh name under /tmp for a workspace that
 * does not exist yet; prefix names the test. */
static inline void
sp_test_tmp_path(char path[64], const char *prefix)
{
    int fd;

    snprintf(path, 64, "/tmp/%s.XXXXXX", prefix);
    fd = mkstemp(path);
    close(fd);
    unlink(path);
}

/* Remove a workspace and the -wal and -shm files SQLite keeps beside it. */
static inline void
sp_test_remove_workspace(const char *path)
{
    char side[80];

    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

#endif
