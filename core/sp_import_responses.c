/*
 * sp_import_responses.c -- self-survey answers: one row per respondent.
 *
 * Fixed columns describe the respondent (pseudonymised id, wave, form,
 * neighbourhood, age band, gender, social category, weight, life project);
 * every other column must be an item of the respondent's form, whose
 * answer is a level of the item's indicator (1..nlevels) or empty for a
 * missing answer.  Answers are stored as one byte per item in
 * respondent.levels; this is the hot path of large imports, so lookups are
 * cached and nothing is allocated per row.
 */
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/stat.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include "sp_import.h"

enum { C_ID, C_WAVE, C_FORM, C_NEIGHBOURHOOD, C_AGE, C_GENDER, C_SOCIAL, C_WEIGHT,
       C_NEEDS, C_OFFERS, C_COMMENT };

static const sp_import_column_t columns[] = {
    {"id", "identifiant", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"wave", "vague", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"form", "formulaire", SP_VAL_TEXT, SP_COL_NONEMPTY, 0, -1, NULL},
    {"neighbourhood", "quartier", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"age_band", "tranche_age", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"gender", "genre", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"social_category", "categorie_sociale", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"weight", "poids", SP_VAL_REAL, 0, 0, 1e9, NULL},
    {"needs", "besoins", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"offers", "offres", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"comment", "commentaire", SP_VAL_TEXT, 0, 0, -1, NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

static const char *const offer_kinds[] = {"hours", "project", "money", "goods", "other", NULL};

/* One form's items as they appear in this file's header. */
typedef struct form_map_t {
    sqlite3_int64 id;
    int nitems;                 /* items defined for the form */
    int *field_of_item;         /* header field of item k (0-based), -1 if absent */
    int *nlevels;               /* of item k's indicator */
    const char **names;
} form_map_t;

typedef struct state_t {
    apr_hash_t *waves;          /* code -> sqlite3_int64 id */
    apr_hash_t *neighbourhoods; /* name -> id */
    apr_hash_t *forms;          /* code -> form_map_t */
    form_map_t *default_form;
    sqlite3_stmt *insert, *dup, *wave_find, *wave_add, *need, *offer, *text;
    unsigned char *levels;
    int max_items;
    long new_waves;
    int rebuild_index;          /* the pseudonym index is rebuilt at the end */
} state_t;

/* Above this size, inserting into the unique pseudonym index row by row
 * (random keys) costs more than rebuilding it with one sort at the end. */
#define BULK_INDEX_BYTES (4 << 20)
#define CREATE_INDEX "CREATE INDEX respondent_pkey ON respondent(pkey, wave_id, form_id)"

static apr_status_t
finalize_all(void *data)
{
    state_t *st = data;

    sqlite3_finalize(st->insert);
    sqlite3_finalize(st->dup);
    sqlite3_finalize(st->wave_find);
    sqlite3_finalize(st->wave_add);
    sqlite3_finalize(st->need);
    sqlite3_finalize(st->offer);
    sqlite3_finalize(st->text);
    return APR_SUCCESS;
}

static int
load_form(sp_import_ctx_t *ctx, state_t *st, const char *code, form_map_t **out)
{
    sqlite3 *db = ctx->store->db;
    sqlite3_stmt *stmt;
    form_map_t *fm;
    size_t f;
    int k, rc, used = 0;

    if ((fm = apr_hash_get(st->forms, code, APR_HASH_KEY_STRING)) != NULL) {
        *out = fm;
        return SP_OK;
    }
    fm = apr_pcalloc(ctx->pool, sizeof *fm);
    if (sqlite3_prepare_v2(db, "SELECT f.id, i.position, i.name, d.nlevels FROM survey_form f "
                           "JOIN form_item i ON i.form_id = f.id "
                           "JOIN indicator d ON d.id = i.indicator_id "
                           "WHERE f.code = ?1 ORDER BY i.position", -1, &stmt, NULL) != SQLITE_OK)
        return sp_store_fail(db, "form lookup", ctx->pool, ctx->err);
    sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int pos = sqlite3_column_int(stmt, 1);

        fm->id = sqlite3_column_int64(stmt, 0);
        if (pos > fm->nitems)
            fm->nitems = pos;
    }
    sqlite3_reset(stmt);
    if (fm->nitems == 0) {
        sqlite3_finalize(stmt);
        return SP_EXIT_DATA;    /* the caller names the place */
    }
    fm->field_of_item = apr_palloc(ctx->pool, sizeof(int) * (size_t)fm->nitems);
    fm->nlevels = apr_pcalloc(ctx->pool, sizeof(int) * (size_t)fm->nitems);
    fm->names = apr_pcalloc(ctx->pool, sizeof(char *) * (size_t)fm->nitems);
    for (k = 0; k < fm->nitems; k++)
        fm->field_of_item[k] = -1;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        int pos = sqlite3_column_int(stmt, 1) - 1;
        const char *name = (const char *)sqlite3_column_text(stmt, 2);

        fm->names[pos] = apr_pstrdup(ctx->pool, name);
        fm->nlevels[pos] = sqlite3_column_int(stmt, 3);
        for (f = 0; f < ctx->header->nfields; f++)
            if (ctx->column_of_field[f] < 0 && strcasecmp(ctx->header->field[f], name) == 0) {
                fm->field_of_item[pos] = (int)f;
                used++;
            }
    }
    sqlite3_finalize(stmt);
    /* Every extra column must be an item of this form: a typo is an error. */
    for (f = 0; f < ctx->header->nfields; f++) {
        if (ctx->column_of_field[f] >= 0)
            continue;
        for (k = 0; k < fm->nitems; k++)
            if (fm->field_of_item[k] == (int)f)
                break;
        if (k == fm->nitems)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, ctx->header->line,
                                (long)f + 1, "column '%s' is not an item of form '%s'",
                                ctx->header->field[f], code);
    }
    if (used == 0)
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, ctx->header->line, 0,
                            "no column of this file is an item of form '%s'", code);
    if (fm->nitems > st->max_items) {
        st->max_items = fm->nitems;
        st->levels = apr_palloc(ctx->pool, (size_t)st->max_items);
    }
    apr_hash_set(st->forms, apr_pstrdup(ctx->pool, code), APR_HASH_KEY_STRING, fm);
    *out = fm;
    return SP_OK;
}

static int
responses_begin(sp_import_ctx_t *ctx)
{
    sqlite3 *db = ctx->store->db;
    state_t *st = apr_pcalloc(ctx->pool, sizeof *st);
    struct stat sb;
    int status;

    if (ctx->territory_id == 0)
        return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, 0, 0,
                            "the workspace has no territory yet: run `spiral init` first");
    ctx->kind_data = st;
    st->waves = apr_hash_make(ctx->pool);
    st->neighbourhoods = apr_hash_make(ctx->pool);
    st->forms = apr_hash_make(ctx->pool);
    apr_pool_cleanup_register(ctx->pool, st, finalize_all, apr_pool_cleanup_null);
    if (sqlite3_prepare_v2(db, "INSERT INTO respondent (wave_id, form_id, pseudonym, "
                           "neighbourhood_id, age_band, gender, social_category, weight, levels, "
                           "import_id, pkey) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           -1, &st->insert, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "SELECT 1 FROM respondent WHERE pkey = ?1 AND wave_id = ?2 "
                              "AND form_id = ?3 AND pseudonym = ?4", -1, &st->dup, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "SELECT id FROM survey_wave WHERE territory_id = ?1 AND code = ?2",
                              -1, &st->wave_find, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO survey_wave (territory_id, code) VALUES (?1, ?2)",
                              -1, &st->wave_add, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO life_need (respondent_id, kind, theme) "
                              "VALUES (?1, ?2, ?3)", -1, &st->need, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO life_offer (respondent_id, kind, amount, theme) "
                              "VALUES (?1, ?2, ?3, ?4)", -1, &st->offer, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "INSERT INTO free_text (respondent_id, field, text) "
                              "VALUES (?1, ?2, ?3)", -1, &st->text, NULL) != SQLITE_OK)
        return sp_store_fail(db, "preparing the responses import", ctx->pool, ctx->err);
    if (!ctx->options->skip_bad && stat(ctx->path, &sb) == 0 && sb.st_size >= BULK_INDEX_BYTES) {
        if ((status = sp_store_exec(ctx->store, "DROP INDEX respondent_pkey", ctx->pool,
                                    ctx->err)) != SP_OK)
            return status;
        st->rebuild_index = 1;
    }
    /* A 'form' column means forms are read from the database row by row:
     * that only the one-thread path may do. */
    if (ctx->field_of_column[C_FORM] >= 0)
        ctx->serial = 1;
    if (ctx->field_of_column[C_FORM] < 0) {
        if (ctx->options->target == NULL)
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_USAGE, ctx->path, 0, 0,
                                "the file has no 'form' column: name the form with --form");
        status = load_form(ctx, st, ctx->options->target, &st->default_form);
        if (status == SP_EXIT_DATA && (ctx->err == NULL || *ctx->err == NULL))
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, 0, 0,
                                "unknown form '%s', or a form without items (define it first)",
                                ctx->options->target);
        return status;
    }
    return SP_OK;
}

static int
cached_wave(sp_import_ctx_t *ctx, state_t *st, const char *code, sqlite3_int64 *id)
{
    sqlite3_int64 *hit = apr_hash_get(st->waves, code, APR_HASH_KEY_STRING);

    if (hit == NULL) {
        hit = apr_palloc(ctx->pool, sizeof *hit);
        sqlite3_reset(st->wave_find);
        sqlite3_bind_int64(st->wave_find, 1, ctx->territory_id);
        sqlite3_bind_text(st->wave_find, 2, code, -1, SQLITE_STATIC);
        if (sqlite3_step(st->wave_find) == SQLITE_ROW) {
            *hit = sqlite3_column_int64(st->wave_find, 0);
        } else {
            sqlite3_reset(st->wave_add);
            sqlite3_bind_int64(st->wave_add, 1, ctx->territory_id);
            sqlite3_bind_text(st->wave_add, 2, code, -1, SQLITE_STATIC);
            if (sqlite3_step(st->wave_add) != SQLITE_DONE)
                return sp_store_fail(ctx->store->db, "wave insert", ctx->pool, ctx->err);
            *hit = sqlite3_last_insert_rowid(ctx->store->db);
            st->new_waves++;
        }
        sqlite3_reset(st->wave_find);
        apr_hash_set(st->waves, apr_pstrdup(ctx->pool, code), APR_HASH_KEY_STRING, hit);
    }
    *id = *hit;
    return SP_OK;
}

static int
cached_neighbourhood(sp_import_ctx_t *ctx, state_t *st, const char *name, sqlite3_int64 *id)
{
    sqlite3_int64 *hit = apr_hash_get(st->neighbourhoods, name, APR_HASH_KEY_STRING);
    int status;

    if (hit == NULL) {
        hit = apr_palloc(ctx->pool, sizeof *hit);
        if ((status = sp_import_neighbourhood(ctx, name, hit)) != SP_OK)
            return status;
        apr_hash_set(st->neighbourhoods, apr_pstrdup(ctx->pool, name), APR_HASH_KEY_STRING, hit);
    }
    *id = *hit;
    return SP_OK;
}

/* An encoded row: this header, then the levels (one byte per item), then
 * the texts in the order of enum text_t, each with its NUL. */
enum { T_ID, T_WAVE, T_NEIGHBOURHOOD, T_AGE, T_GENDER, T_SOCIAL, T_NEEDS, T_OFFERS, T_COMMENT,
       NTEXTS };
static const int text_column[NTEXTS] = {C_ID, C_WAVE, C_NEIGHBOURHOOD, C_AGE, C_GENDER, C_SOCIAL,
                                         C_NEEDS, C_OFFERS, C_COMMENT};

typedef struct rec_t {
    double weight;
    sqlite3_int64 form_id;
    sqlite3_int64 pkey;             /* the pseudonym's first 8 bytes */
    unsigned char pseudonym[SP_PSEUDO_LEN];
    unsigned nitems;
    unsigned present;               /* bit t: text t was given */
    size_t len[NTEXTS];
} rec_t;

/* Offers are checked here, in the reading thread, so that storing cannot
 * fail on them: kind[=amount][:theme], '|'-separated. */
static int
check_offers(sp_import_ctx_t *ctx, const char *text)
{
    char *items[64];
    int n, i, k;

    n = sp_import_split(apr_pstrdup(ctx->row_pool, text), items, 64);
    for (i = 0; i < n; i++) {
        char *theme = strchr(items[i], ':'), *amount = strchr(items[i], '=');
        double value;

        if (theme != NULL)
            *theme = '\0';
        if (amount != NULL)
            *amount++ = '\0';
        for (k = 0; offer_kinds[k] != NULL && strcmp(offer_kinds[k], items[i]) != 0; k++)
            ;
        if (offer_kinds[k] == NULL)
            return sp_import_reject(ctx, C_OFFERS, -1, "offers: unknown kind '%s' "
                                    "(expected hours, project, money, goods or other, "
                                    "written kind[=amount][:theme])", items[i]);
        if (amount != NULL && (!sp_parse_real(amount, ctx->decimal_comma, &value) || value < 0))
            return sp_import_reject(ctx, C_OFFERS, -1, "offers: '%s' is not a valid "
                                    "amount: expected a number >= 0", amount);
    }
    return SP_OK;
}

static int
responses_encode(sp_import_ctx_t *ctx, const sp_import_value_t *values, sp_import_buf_t *out)
{
    state_t *st = ctx->kind_data;
    const sp_csv_record_t *rec = ctx->record;
    form_map_t *fm = st->default_form;
    unsigned char *levels;
    rec_t head;
    int k, t, status;

    /* Only the one-thread path (ctx->serial) reads forms here. */
    if (values[C_FORM].present) {
        status = load_form(ctx, st, values[C_FORM].text, &fm);
        if (status == SP_EXIT_DATA && (ctx->err == NULL || *ctx->err == NULL))
            return sp_import_reject(ctx, C_FORM, -1, "form: unknown form '%s'",
                                    values[C_FORM].text);
        if (status != SP_OK)
            return status;
    }
    memset(&head, 0, sizeof head);
    head.form_id = fm->id;
    head.nitems = (unsigned)fm->nitems;
    head.weight = values[C_WEIGHT].present ? values[C_WEIGHT].r : 1.0;
    if (values[C_OFFERS].present && (status = check_offers(ctx, values[C_OFFERS].text)) != SP_OK)
        return status;
    sp_pseudo_id(ctx->pseudo, "respondent", values[C_ID].text, values[C_ID].len, head.pseudonym);
    for (k = 0; k < 8; k++)
        head.pkey = (sqlite3_int64)(((uint64_t)head.pkey << 8) | head.pseudonym[k]);
    for (t = 0; t < NTEXTS; t++) {
        const sp_import_value_t *v = &values[text_column[t]];

        head.len[t] = v->len;
        if (v->present)
            head.present |= 1u << t;
    }
    memcpy(sp_import_buf_add(out, sizeof head), &head, sizeof head);
    levels = sp_import_buf_add(out, (size_t)fm->nitems);
    for (k = 0; k < fm->nitems; k++) {
        int f = fm->field_of_item[k];
        long long level;

        levels[k] = 0;
        if (f < 0 || rec->len[f] == 0)
            continue;
        if (!sp_parse_int(rec->field[f], &level) || level < 1 || level > fm->nlevels[k])
            return sp_import_reject(ctx, -1, f, "%s: '%s' is not valid: expected a level "
                                    "from 1 to %d, or empty when not answered", fm->names[k],
                                    rec->field[f], fm->nlevels[k]);
        levels[k] = (unsigned char)level;
    }
    for (t = 0; t < NTEXTS; t++)
        memcpy(sp_import_buf_add(out, head.len[t] + 1), values[text_column[t]].text,
               head.len[t] + 1);
    return SP_OK;
}

static int
add_life_project(sp_import_ctx_t *ctx, state_t *st, sqlite3_int64 rid, const char *needs,
                 const char *offers)
{
    char *items[64];
    int n, i;

    n = needs ? sp_import_split(apr_pstrdup(ctx->row_pool, needs), items, 64) : 0;
    for (i = 0; i < n; i++) {
        char *theme = strchr(items[i], ':');

        if (theme != NULL)
            *theme++ = '\0';
        sqlite3_reset(st->need);
        sqlite3_bind_int64(st->need, 1, rid);
        sqlite3_bind_text(st->need, 2, items[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st->need, 3, theme ? theme : "", -1, SQLITE_STATIC);
        if (sqlite3_step(st->need) != SQLITE_DONE)
            return sp_store_fail(ctx->store->db, "need insert", ctx->pool, ctx->err);
    }
    n = offers ? sp_import_split(apr_pstrdup(ctx->row_pool, offers), items, 64) : 0;
    for (i = 0; i < n; i++) {
        char *theme = strchr(items[i], ':'), *amount = strchr(items[i], '=');
        double value = 0;

        if (theme != NULL)
            *theme++ = '\0';
        if (amount != NULL) {
            *amount++ = '\0';
            sp_parse_real(amount, ctx->decimal_comma, &value);   /* checked by encode */
        }
        sqlite3_reset(st->offer);
        sqlite3_bind_int64(st->offer, 1, rid);
        sqlite3_bind_text(st->offer, 2, items[i], -1, SQLITE_STATIC);
        if (amount != NULL)
            sqlite3_bind_double(st->offer, 3, value);
        else
            sqlite3_bind_null(st->offer, 3);
        sqlite3_bind_text(st->offer, 4, theme ? theme : "", -1, SQLITE_STATIC);
        if (sqlite3_step(st->offer) != SQLITE_DONE)
            return sp_store_fail(ctx->store->db, "offer insert", ctx->pool, ctx->err);
    }
    return SP_OK;
}

static void
bind_text(sqlite3_stmt *stmt, int i, const rec_t *head, const char *const *text, int t)
{
    if (head->present & (1u << t))
        sqlite3_bind_text(stmt, i, text[t], (int)head->len[t], SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, i);
}

static int
responses_store(sp_import_ctx_t *ctx, const void *record, size_t len)
{
    state_t *st = ctx->kind_data;
    const char *text[NTEXTS], *p;
    const unsigned char *levels;
    sqlite3_int64 wave_id = 0, nb_id = 0, rid;
    rec_t head;
    int t, rc, status;

    (void)len;
    memcpy(&head, record, sizeof head);
    levels = (const unsigned char *)record + sizeof head;
    p = (const char *)levels + head.nitems;
    for (t = 0; t < NTEXTS; t++) {
        text[t] = p;
        p += head.len[t] + 1;
    }
    if ((status = cached_wave(ctx, st, text[T_WAVE], &wave_id)) != SP_OK)
        return status;
    if ((head.present & (1u << T_NEIGHBOURHOOD))
        && (status = cached_neighbourhood(ctx, st, text[T_NEIGHBOURHOOD], &nb_id)) != SP_OK)
        return status;

    /* Small files keep the index and find a respondent twice here; a bulk
     * import looks for them once, in responses_end. */
    if (!st->rebuild_index) {
        sqlite3_reset(st->dup);
        sqlite3_bind_int64(st->dup, 1, head.pkey);
        sqlite3_bind_int64(st->dup, 2, wave_id);
        sqlite3_bind_int64(st->dup, 3, head.form_id);
        sqlite3_bind_blob(st->dup, 4, head.pseudonym, SP_PSEUDO_LEN, SQLITE_STATIC);
        rc = sqlite3_step(st->dup);
        sqlite3_reset(st->dup);
        if (rc == SQLITE_ROW)
            return sp_import_reject(ctx, C_ID, -1, "id: respondent '%s' appears twice in "
                                    "wave '%s'", text[T_ID], text[T_WAVE]);
        if (rc != SQLITE_DONE)
            return sp_store_fail(ctx->store->db, "duplicate check", ctx->pool, ctx->err);
    }
    sqlite3_reset(st->insert);
    sqlite3_bind_int64(st->insert, 1, wave_id);
    sqlite3_bind_int64(st->insert, 2, head.form_id);
    sqlite3_bind_blob(st->insert, 3, head.pseudonym, SP_PSEUDO_LEN, SQLITE_STATIC);
    if (nb_id)
        sqlite3_bind_int64(st->insert, 4, nb_id);
    else
        sqlite3_bind_null(st->insert, 4);
    bind_text(st->insert, 5, &head, text, T_AGE);
    bind_text(st->insert, 6, &head, text, T_GENDER);
    bind_text(st->insert, 7, &head, text, T_SOCIAL);
    sqlite3_bind_double(st->insert, 8, head.weight);
    sqlite3_bind_blob(st->insert, 9, levels, (int)head.nitems, SQLITE_STATIC);
    sqlite3_bind_int64(st->insert, 10, ctx->import_id);
    sqlite3_bind_int64(st->insert, 11, head.pkey);
    rc = sqlite3_step(st->insert);
    if (rc != SQLITE_DONE)
        return sp_store_fail(ctx->store->db, "respondent insert", ctx->pool, ctx->err);
    rid = sqlite3_last_insert_rowid(ctx->store->db);
    if ((head.present & ((1u << T_NEEDS) | (1u << T_OFFERS)))
        && (status = add_life_project(ctx, st, rid,
                                      head.present & (1u << T_NEEDS) ? text[T_NEEDS] : NULL,
                                      head.present & (1u << T_OFFERS) ? text[T_OFFERS] : NULL))
           != SP_OK)
        return status;
    if (head.present & (1u << T_COMMENT)) {
        sqlite3_reset(st->text);
        sqlite3_bind_int64(st->text, 1, rid);
        sqlite3_bind_text(st->text, 2, "comment", -1, SQLITE_STATIC);
        sqlite3_bind_text(st->text, 3, text[T_COMMENT], (int)head.len[T_COMMENT], SQLITE_STATIC);
        if (sqlite3_step(st->text) != SQLITE_DONE)
            return sp_store_fail(ctx->store->db, "free text insert", ctx->pool, ctx->err);
    }
    return SP_OK;
}

/* The rebuilt index found a respondent twice: name the lines in the file
 * (read again: this is the rare path) so the user can mend it. */
static int
report_duplicate(sp_import_ctx_t *ctx, const char *wave, const unsigned char *dup)
{
    unsigned char p[SP_PSEUDO_LEN];
    sp_csv_t *csv;
    sp_csv_record_t rec;
    long first = 0;
    int fid = ctx->field_of_column[C_ID], fwave = ctx->field_of_column[C_WAVE];
    apr_pool_t *scratch;

    apr_pool_create(&scratch, ctx->pool);
    if (sp_csv_open(&csv, ctx->path, &ctx->options->csv, scratch, ctx->err) == SP_OK
        && sp_csv_next(csv, &rec, ctx->err) == 1) {
        while (sp_csv_next(csv, &rec, ctx->err) == 1) {
            if (rec.nfields <= (size_t)fid || rec.nfields <= (size_t)fwave
                || strcmp(rec.field[fwave], wave) != 0)
                continue;
            sp_pseudo_id(ctx->pseudo, "respondent", rec.field[fid], rec.len[fid], p);
            if (memcmp(p, dup, SP_PSEUDO_LEN) != 0)
                continue;
            if (first == 0) {
                first = rec.line;
                continue;
            }
            return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, rec.line, fid + 1,
                                "id: respondent '%s' appears twice in wave '%s' (also on line %ld)",
                                rec.field[fid], wave, first);
        }
    }
    return sp_error_set(ctx->err, ctx->pool, SP_EXIT_DATA, ctx->path, first, fid + 1,
                        "id: a respondent of this file is already in wave '%s' of the workspace",
                        wave);
}

/* Rebuild the pseudonym index in one sort, then walk it once in order:
 * rows with equal keys are compared by full pseudonym, so a respondent
 * found twice in a wave and form is refused with the lines concerned. */
static int
rebuild_and_check(sp_import_ctx_t *ctx)
{
    sqlite3 *db = ctx->store->db;
    sqlite3_stmt *groups = NULL, *same = NULL;
    int rc, status = SP_OK;

    /* The reading thread is done: let SQLite's sorter use both cores. */
    sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, 2);
    sqlite3_exec(db, "PRAGMA threads = 2", NULL, NULL, NULL);
    rc = sqlite3_exec(db, CREATE_INDEX, NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA threads = 0", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sp_store_fail(db, "pseudonym index", ctx->pool, ctx->err);
    if (sqlite3_prepare_v2(db, "SELECT pkey, wave_id, form_id FROM respondent "
                           "WHERE pkey IS NOT NULL GROUP BY pkey, wave_id, form_id "
                           "HAVING count(*) > 1", -1, &groups, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(db, "SELECT w.code, r.pseudonym FROM respondent r "
                              "JOIN survey_wave w ON w.id = r.wave_id "
                              "WHERE r.pkey = ?1 AND r.wave_id = ?2 AND r.form_id = ?3 "
                              "GROUP BY r.pseudonym HAVING count(*) > 1", -1, &same,
                              NULL) != SQLITE_OK) {
        status = sp_store_fail(db, "duplicate search", ctx->pool, ctx->err);
        goto done;
    }
    while (status == SP_OK && (rc = sqlite3_step(groups)) == SQLITE_ROW) {
        int k;

        for (k = 1; k <= 3; k++)
            sqlite3_bind_int64(same, k, sqlite3_column_int64(groups, k - 1));
        if (sqlite3_step(same) == SQLITE_ROW)
            status = report_duplicate(ctx, apr_pstrdup(ctx->pool,
                                                       (const char *)sqlite3_column_text(same, 0)),
                                      sqlite3_column_blob(same, 1));
        sqlite3_reset(same);
    }
    if (status == SP_OK && rc != SQLITE_DONE)
        status = sp_store_fail(db, "duplicate search", ctx->pool, ctx->err);
done:
    sqlite3_finalize(groups);
    sqlite3_finalize(same);
    return status;
}

static int
responses_end(sp_import_ctx_t *ctx)
{
    state_t *st = ctx->kind_data;
    int status;

    if (st->rebuild_index && (status = rebuild_and_check(ctx)) != SP_OK)
        return status;
    /* One bump per import tells the columnar copy that rows changed. */
    if ((status = sp_store_exec(ctx->store, "UPDATE survey_generation SET value = value + 1",
                                ctx->pool, ctx->err)) != SP_OK)
        return status;

    if (st->new_waves || ctx->neighbourhoods_created)
        ctx->note = apr_psprintf(ctx->pool, "%ld new wave(s), %ld new neighbourhood(s)",
                                 st->new_waves, ctx->neighbourhoods_created);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_responses = {
    .name = "responses",
    .summary = "self-survey answers, one row per respondent",
    .columns = columns,
    .extra_columns = 1,
    .begin = responses_begin,
    .end = responses_end,
    .flags = SP_KIND_BULK,
    .encode = responses_encode,
    .store = responses_store,
};
