/*
 * tiny.c -- a program built against the *installed* libspiral, through
 * pkg-config, by tests/e2e/install.sh: proof that the header, the library
 * and spiral.pc are enough for someone embedding the engine.
 */
#include <stdio.h>
#include <apr_general.h>
#include <spiral.h>

int
main(int argc, char **argv)
{
    apr_pool_t *pool;
    sp_store_t *store;
    sp_error_t *err = NULL;
    int status;

    if (argc != 2)
        return 64;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    status = sp_store_open(&store, argv[1], 0, pool, &err);
    if (status == SP_OK)
        printf("libspiral %s, schema %d\n", sp_version(), sp_store_version(store->db));
    else
        sp_error_print(err, "tiny", stderr);
    apr_pool_destroy(pool);
    apr_terminate();
    return status;
}
