/*
 * xtab_check.c -- test helper for tests/e2e/crosstab.sh: compares the JSON
 * of `spiral crosstab --format json` with reference values written by R or
 * PSPP (tests/fixtures/xtab/<case>.r and .pspp, see the README there), at
 * 1e-9 relative.
 *
 * usage: xtab_check OUT.json REF...
 *        xtab_check --agg OUT.json EXPECTED.csv   (spiral aggregate's JSON
 *            against tests/fixtures/agg/expected_*.csv: group,variable,
 *            statistic,value; dist_share_K is element K of dist_share)
 *        xtab_check --margins OUT.json   (every margin of n and weighted,
 *            in every table, equals the sum of the cells shown)
 * Reference lines: "ref T KIND ROW COL VALUE" (T a layer index or "all",
 * ROW/COL an index or "T" for the margin) and "stat T NAME FIELD VALUE".
 * Margins of percentages are not in the JSON and are skipped.  Prints one
 * line per mismatch and a summary; exit 0 when every value checked agrees
 * and at least one was checked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

static int
close_enough(double a, double b)
{
    double m = fmax(fabs(a), fabs(b));

    return a == b || fabs(a - b) <= 1e-9 * m || (m < 1e-300);
}

static json_t *
table(json_t *root, const char *t)
{
    json_t *layers = json_object_get(root, "layers");

    if (strcmp(t, "all") == 0 || layers == NULL)
        return root;
    return json_array_get(layers, (size_t)atol(t));
}

static int
check_agg(const char *out, const char *expected)
{
    json_error_t je;
    json_t *root = json_load_file(out, 0, &je), *results;
    FILE *f = fopen(expected, "r");
    char line[512];
    long checked = 0, bad = 0;

    if (root == NULL || f == NULL) {
        fprintf(stderr, "cannot read %s or %s\n", out, expected);
        return 2;
    }
    results = json_object_get(root, "results");
    while (fgets(line, sizeof line, f)) {
        char g[64], var[64], stat[64];
        double want, got;
        json_t *v = NULL;
        size_t i;

        if (sscanf(line, "%63[^,],%63[^,],%63[^,],%lf", g, var, stat, &want) != 4)
            continue;
        for (i = 0; i < json_array_size(results); i++) {
            json_t *r = json_array_get(results, i);
            json_t *grp = json_object_get(r, "group");
            const char *gk = json_string_value(json_object_iter_value(json_object_iter(grp)));

            if (gk && strcmp(gk, g) == 0
                && strcmp(json_string_value(json_object_get(r, "variable")), var) == 0) {
                if (strncmp(stat, "dist_share_", 11) == 0)
                    v = json_array_get(json_object_get(r, "dist_share"), (size_t)atol(stat + 11) - 1);
                else
                    v = json_object_get(r, stat);
                break;
            }
        }
        if (!json_is_number(v)) {
            printf("%s %s %s: missing in the JSON\n", g, var, stat);
            bad++;
            continue;
        }
        got = json_number_value(v);
        checked++;
        if (!close_enough(got, want)) {
            printf("%s %s %s: got %.17g, want %.17g\n", g, var, stat, got, want);
            bad++;
        }
    }
    fclose(f);
    json_decref(root);
    printf("%ld values checked, %ld differ\n", checked, bad);
    return bad == 0 && checked > 0 ? 0 : 1;
}

static long
margins_of(json_t *tab, const char *cells, const char *rows, const char *cols, const char *total)
{
    json_t *m = json_object_get(tab, cells);
    size_t nr = json_array_size(m), nc = json_array_size(json_array_get(m, 0)), r, c;
    double all = 0;
    long bad = 0;

    for (r = 0; r < nr; r++) {
        double s = 0;

        for (c = 0; c < nc; c++)
            s += json_number_value(json_array_get(json_array_get(m, r), c));
        bad += !close_enough(s, json_number_value(json_array_get(json_object_get(tab, rows), r)));
        all += s;
    }
    for (c = 0; c < nc; c++) {
        double s = 0;

        for (r = 0; r < nr; r++)
            s += json_number_value(json_array_get(json_array_get(m, r), c));
        bad += !close_enough(s, json_number_value(json_array_get(json_object_get(tab, cols), c)));
    }
    bad += !close_enough(all, json_number_value(json_object_get(tab, total)));
    bad += nr == 0 || nc == 0;
    return bad;
}

static int
check_margins(const char *out)
{
    json_error_t je;
    json_t *root = json_load_file(out, 0, &je), *layers;
    long bad = 0;
    size_t i;

    if (root == NULL) {
        fprintf(stderr, "%s:%d: %s\n", out, je.line, je.text);
        return 2;
    }
    bad += margins_of(root, "n", "row_totals_n", "col_totals_n", "total_n");
    bad += margins_of(root, "weighted", "row_totals", "col_totals", "total");
    layers = json_object_get(root, "layers");
    for (i = 0; i < json_array_size(layers); i++) {
        bad += margins_of(json_array_get(layers, i), "n", "row_totals_n", "col_totals_n", "total_n");
        bad += margins_of(json_array_get(layers, i), "weighted", "row_totals", "col_totals", "total");
    }
    json_decref(root);
    printf("%ld margins differ from the sums of their cells\n", bad);
    return bad == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
    json_error_t je;
    json_t *root;
    long checked = 0, bad = 0, skipped = 0;
    int i;

    if (argc == 4 && strcmp(argv[1], "--agg") == 0)
        return check_agg(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "--margins") == 0)
        return check_margins(argv[2]);
    if (argc < 3) {
        fprintf(stderr, "usage: xtab_check OUT.json REF...\n");
        return 2;
    }
    if ((root = json_load_file(argv[1], 0, &je)) == NULL) {
        fprintf(stderr, "%s:%d: %s\n", argv[1], je.line, je.text);
        return 2;
    }
    for (i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        char line[512];

        if (f == NULL) {
            perror(argv[i]);
            return 2;
        }
        while (fgets(line, sizeof line, f)) {
            char a[32], t[32], k[64], r[32], c[32];
            double want, got;
            json_t *tab, *v = NULL;

            if (sscanf(line, "ref %31s %63s %31s %31s %lf", t, k, r, c, &want) == 5) {
                int rt = strcmp(r, "T") == 0, ct = strcmp(c, "T") == 0;
                const char *suffix = strcmp(k, "n") == 0 ? "_n" : "";
                char key[96];

                tab = table(root, t);
                if (!rt && !ct) {
                    v = json_array_get(json_array_get(json_object_get(tab, k), (size_t)atol(r)),
                                       (size_t)atol(c));
                } else if (strcmp(k, "n") == 0 || strcmp(k, "weighted") == 0) {
                    if (rt && ct) {
                        snprintf(key, sizeof key, "total%s", suffix);
                        v = json_object_get(tab, key);
                    } else {
                        snprintf(key, sizeof key, "%s_totals%s", rt ? "col" : "row", suffix);
                        v = json_array_get(json_object_get(tab, key), (size_t)atol(rt ? c : r));
                    }
                } else {
                    skipped++;
                    continue;
                }
            } else if (sscanf(line, "stat %31s %63s %31s %lf", t, k, a, &want) == 4) {
                tab = table(root, t);
                if (strcmp(k, "pearson") == 0 || strcmp(k, "lr") == 0 || strcmp(k, "yates") == 0)
                    v = json_object_get(json_object_get(json_object_get(tab, "chi2"), k), a);
                else if (strcmp(a, "value") == 0)
                    v = json_object_get(tab, k);
                else
                    v = json_object_get(json_object_get(tab, k), a);
                snprintf(r, sizeof r, "-");
                snprintf(c, sizeof c, "%s", a);
            } else {
                continue;
            }
            if (!json_is_number(v)) {
                if (strcmp(k, "fisher") == 0) {
                    skipped++;
                    continue;
                }
                printf("%s: table %s %s %s %s: missing in the JSON\n", argv[i], t, k, r, c);
                bad++;
                continue;
            }
            got = json_number_value(v);
            checked++;
            if (!close_enough(got, want)) {
                printf("%s: table %s %s %s %s: got %.17g, want %.17g\n", argv[i], t, k, r, c, got,
                       want);
                bad++;
            }
        }
        fclose(f);
    }
    json_decref(root);
    printf("%ld values checked, %ld differ, %ld skipped\n", checked, bad, skipped);
    return bad == 0 && checked > 0 ? 0 : 1;
}
