/*
 * sp_where.c -- the --where parser and the order of levels (sp_where.h).
 *
 * Both work on the text of values.  The scans test each term when a
 * dictionary meets a new value (sp_scan_dict.c for a CSV file,
 * sp_scan_store.c for the workspace's dictionaries) and sort the merged
 * levels with sp_scan_sort_levels (sp_scan.c); so do the Lua analyses.
 */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include "sp_csv.h"
#include "sp_where.h"

/* ---- --where --------------------------------------------------------------- */

static char *
trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

int
sp_where_parse(const char *text, sp_where_t **out, apr_pool_t *pool, sp_error_t **err)
{
    char *copy = apr_pstrdup(pool, text), *term, *state = NULL;
    apr_array_header_t *terms = apr_array_make(pool, 4, sizeof(sp_where_term_t));
    sp_where_t *w;

    for (term = apr_strtok(copy, ",", &state); term; term = apr_strtok(NULL, ",", &state)) {
        sp_where_term_t *t = &APR_ARRAY_PUSH(terms, sp_where_term_t);
        char *s = trim(term), *op, *in = NULL;
        const char **vals;

        memset(t, 0, sizeof *t);
        /* " in " (or tab-separated) is the IN operator. */
        for (op = s; *op; op++)
            if ((op[0] == ' ' || op[0] == '\t') && (op[1] == 'i' || op[1] == 'I')
                && (op[2] == 'n' || op[2] == 'N') && (op[3] == ' ' || op[3] == '\t')) {
                in = op;
                break;
            }
        if (in && strchr(s, '=') == NULL) {
            char *v, *vs = NULL;
            apr_array_header_t *list = apr_array_make(pool, 4, sizeof(const char *));

            *in = '\0';
            t->var = trim(s);
            t->op = SP_WHERE_IN;
            for (v = apr_strtok(in + 4, "|", &vs); v; v = apr_strtok(NULL, "|", &vs))
                APR_ARRAY_PUSH(list, const char *) = trim(v);
            t->nvalues = (size_t)list->nelts;
            t->values = (const char *const *)list->elts;
            if (t->nvalues == 0)
                goto bad;
        } else if ((op = strchr(s, '=')) != NULL) {
            if (op > s && op[-1] == '!') {
                t->op = SP_WHERE_NE;
                op[-1] = '\0';
            } else {
                t->op = SP_WHERE_EQ;
            }
            *op = '\0';
            t->var = trim(s);
            vals = apr_palloc(pool, sizeof *vals);
            vals[0] = trim(op + 1);
            t->values = vals;
            t->nvalues = 1;
        } else {
            goto bad;
        }
        if (*t->var == '\0' || strpbrk(t->var, " \t=!|") != NULL)
            goto bad;
        continue;
bad:
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0,
                            "--where: cannot read '%s' (VAR=VALUE, VAR!=VALUE or "
                            "VAR in A|B|C, joined by ',')", term);
    }
    if (terms->nelts == 0)
        return sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "--where: empty filter");
    w = apr_palloc(pool, sizeof *w);
    w->nterms = (size_t)terms->nelts;
    w->terms = (const sp_where_term_t *)terms->elts;
    *out = w;
    return SP_OK;
}

int
sp_where_term_test(const sp_where_term_t *t, const char *value, size_t len)
{
    size_t i;
    int hit = 0;

    for (i = 0; i < t->nvalues && !hit; i++)
        hit = strlen(t->values[i]) == len && memcmp(t->values[i], value, len) == 0;
    return t->op == SP_WHERE_NE ? !hit : hit;
}

/* ---- level order ------------------------------------------------------------ */

typedef struct lvl_t {
    const char *s;
    double v;
} lvl_t;

static int
cmp_num(const void *a, const void *b)
{
    const lvl_t *x = a, *y = b;

    if (x->v < y->v)
        return -1;
    if (x->v > y->v)
        return 1;
    return strcmp(x->s, y->s);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(((const lvl_t *)a)->s, ((const lvl_t *)b)->s);
}

void
sp_scan_sort_levels(const char **values, size_t n, int decimal_comma)
{
    lvl_t *l = malloc((n ? n : 1) * sizeof *l);
    int numeric = 1;
    size_t i;

    for (i = 0; i < n; i++) {
        l[i].s = values[i];
        if (numeric && !sp_parse_real(values[i], 0, &l[i].v)
            && !(decimal_comma && sp_parse_real(values[i], 1, &l[i].v)))
            numeric = 0;
    }
    qsort(l, n, sizeof *l, numeric ? cmp_num : cmp_str);
    for (i = 0; i < n; i++)
        values[i] = l[i].s;
    free(l);
}
