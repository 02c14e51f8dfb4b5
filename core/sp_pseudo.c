/*
 * sp_pseudo.c -- the HMAC key file and the pseudonym function.
 *
 * HMAC's inner and outer SHA-256 states are computed once from the key, so
 * each pseudonym costs two compressions and no allocation: an import of a
 * million respondents spends a fraction of a second here.
 */
#define OPENSSL_API_COMPAT 0x10100000L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include "sp_pseudo.h"

struct sp_pseudo_t {
    SHA256_CTX inner;   /* after absorbing key ^ ipad */
    SHA256_CTX outer;   /* after absorbing key ^ opad */
};

static int
read_key(int fd, unsigned char key[32])
{
    ssize_t got = 0, n;

    while (got < 32 && (n = read(fd, key + got, (size_t)(32 - got))) > 0)
        got += n;
    return got == 32 && read(fd, key, 1) == 0;
}

int
sp_pseudo_open(sp_pseudo_t **out, const char *key_path, apr_pool_t *pool,
               sp_error_t **err)
{
    unsigned char key[32], pad[64];
    struct stat st;
    sp_pseudo_t *ps;
    int fd, i;

    fd = open(key_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return sp_error_set(err, pool, SP_EXIT_CANTCREAT, key_path, 0, 0,
                                "cannot create pseudonymisation key: %s", strerror(errno));
        if (RAND_bytes(key, sizeof key) != 1 || write(fd, key, sizeof key) != (ssize_t)sizeof key
            || fsync(fd) != 0) {
            close(fd);
            unlink(key_path);
            return sp_error_set(err, pool, SP_EXIT_IO, key_path, 0, 0,
                                "cannot write pseudonymisation key");
        }
        close(fd);
    } else {
        if (fd < 0)
            return sp_error_set(err, pool, SP_EXIT_NOINPUT, key_path, 0, 0,
                                "cannot open pseudonymisation key: %s", strerror(errno));
        if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
            close(fd);
            return sp_error_set(err, pool, SP_EXIT_DATA, key_path, 0, 0,
                                "pseudonymisation key must be readable by its owner only "
                                "(chmod 600)");
        }
        if (!read_key(fd, key)) {
            close(fd);
            return sp_error_set(err, pool, SP_EXIT_DATA, key_path, 0, 0,
                                "pseudonymisation key must be exactly 32 bytes");
        }
        close(fd);
    }

    ps = apr_pcalloc(pool, sizeof *ps);
    memset(pad, 0x36, sizeof pad);
    for (i = 0; i < 32; i++)
        pad[i] ^= key[i];
    SHA256_Init(&ps->inner);
    SHA256_Update(&ps->inner, pad, sizeof pad);
    memset(pad, 0x5c, sizeof pad);
    for (i = 0; i < 32; i++)
        pad[i] ^= key[i];
    SHA256_Init(&ps->outer);
    SHA256_Update(&ps->outer, pad, sizeof pad);
    memset(key, 0, sizeof key);
    memset(pad, 0, sizeof pad);
    *out = ps;
    return SP_OK;
}

void
sp_pseudo_id(const sp_pseudo_t *ps, const char *domain, const char *id, size_t len,
             unsigned char out[SP_PSEUDO_LEN])
{
    SHA256_CTX ctx = ps->inner;
    unsigned char inner[SHA256_DIGEST_LENGTH];

    SHA256_Update(&ctx, domain, strlen(domain) + 1);   /* with its NUL separator */
    SHA256_Update(&ctx, id, len);
    SHA256_Final(inner, &ctx);
    ctx = ps->outer;
    SHA256_Update(&ctx, inner, sizeof inner);
    SHA256_Final(out, &ctx);
}
