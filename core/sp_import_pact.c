/*
 * sp_import_pact.c -- signatories of the territorial pact and the charter,
 * and the invitations that spread them.
 *
 * Persons stay pseudonymous: their ids are pseudonymised with the workspace
 * key in the "signatory" domain and only organisations, which sign
 * publicly, carry a name.  Each signatory is to invite new people every
 * quarter; chains stall, so the invitations made are kept, and an
 * invitation is marked accepted by the signatory it brought in -- whichever
 * of the two is imported first.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_import_kit.h"

#define PSEUDO_DOMAIN "signatory"

/* --- signatories ------------------------------------------------------------- */

enum { P_SIGNATORY, P_KIND, P_NAME, P_NEIGHBOURHOOD, P_SIGNED_ON, P_INVITED_BY, P_DOCUMENT };

/* Canonical spellings first; the French ones map back by index. */
static const char *const kinds[] = {"person", "organisation", "personne", "organization", NULL};
static const char *const canonical_kind[] = {"person", "organisation", "person", "organisation"};
static const char *const documents[] = {"pact", "charter", "pacte", "charte", NULL};

static const sp_import_column_t pact_columns[] = {
    {"signatory", "signataire", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"kind", "type", SP_VAL_CHOICE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, kinds},
    {"name", "nom", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"neighbourhood", "quartier", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"signed_on", "date_signature", SP_VAL_DATE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"invited_by", "invite_par", SP_VAL_TEXT, 0, 0, -1, NULL},
    {"document", NULL, SP_VAL_CHOICE, 0, 0, -1, documents},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SG_FIND, SG_INSERT, SG_ACCEPT, SG_COUNT };
static const char *const pact_sql[SG_COUNT] = {
    "SELECT id FROM pact_signatory WHERE pseudonym = ?1",
    "INSERT INTO pact_signatory (pseudonym, kind, display_name, neighbourhood_id, signed_on, "
    "invited_by, document, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "UPDATE pact_invitation SET accepted_by = ?2 WHERE invitee = ?1 AND accepted_by IS NULL"
};

typedef struct pact_t {
    sqlite3_stmt **s;
    long accepted;
} pact_t;

static int
pact_begin(sp_import_ctx_t *ctx)
{
    pact_t *st = apr_pcalloc(ctx->pool, sizeof *st);
    int status;

    if (ctx->field_of_column[P_NEIGHBOURHOOD] >= 0
        && (status = sp_import_need_territory(ctx, "neighbourhoods belong to a territory")) != SP_OK)
        return status;
    ctx->kind_data = st;
    return sp_import_prepare(ctx, pact_sql, SG_COUNT, "preparing the pact import", &st->s);
}

static int
pact_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    pact_t *st = ctx->kind_data;
    sqlite3_stmt *ins = st->s[SG_INSERT];
    unsigned char me[SP_PSEUDO_LEN], inviter[SP_PSEUDO_LEN];
    const char *kind = canonical_kind[v[P_KIND].i];
    sqlite3_int64 id, inviter_id = 0, nb = 0;
    int status, found;

    if (strcmp(kind, "person") == 0 && v[P_NAME].present)
        return sp_import_reject(ctx, P_NAME, -1, "name: signatory '%s' is a person: persons "
                                "stay pseudonymous, only organisations are named",
                                v[P_SIGNATORY].text);
    sp_pseudo_id(ctx->pseudo, PSEUDO_DOMAIN, v[P_SIGNATORY].text, v[P_SIGNATORY].len, me);
    sqlite3_bind_blob(st->s[SG_FIND], 1, me, SP_PSEUDO_LEN, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, st->s[SG_FIND], &id, &found)) != SP_OK)
        return status;
    if (found)
        return sp_import_reject(ctx, P_SIGNATORY, -1, "signatory: '%s' has already signed",
                                v[P_SIGNATORY].text);
    if (v[P_INVITED_BY].present) {
        sp_pseudo_id(ctx->pseudo, PSEUDO_DOMAIN, v[P_INVITED_BY].text, v[P_INVITED_BY].len,
                     inviter);
        sqlite3_bind_blob(st->s[SG_FIND], 1, inviter, SP_PSEUDO_LEN, SQLITE_STATIC);
        if ((status = sp_import_lookup(ctx, st->s[SG_FIND], &inviter_id, &found)) != SP_OK)
            return status;
        if (!found)
            return sp_import_reject(ctx, P_INVITED_BY, -1, "invited_by: inviter not (yet) a "
                                    "signatory: '%s' (inviters must sign on an earlier line "
                                    "or in an earlier import)", v[P_INVITED_BY].text);
    }
    if (v[P_NEIGHBOURHOOD].present
        && (status = sp_import_neighbourhood(ctx, v[P_NEIGHBOURHOOD].text, &nb)) != SP_OK)
        return status;

    sqlite3_bind_blob(ins, 1, me, SP_PSEUDO_LEN, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, kind, -1, SQLITE_STATIC);
    sp_import_bind_optional(ins, 3, &v[P_NAME]);
    if (nb)
        sqlite3_bind_int64(ins, 4, nb);
    else
        sqlite3_bind_null(ins, 4);
    sqlite3_bind_text(ins, 5, v[P_SIGNED_ON].text, -1, SQLITE_STATIC);
    if (inviter_id)
        sqlite3_bind_int64(ins, 6, inviter_id);
    else
        sqlite3_bind_null(ins, 6);
    sqlite3_bind_text(ins, 7, v[P_DOCUMENT].present && v[P_DOCUMENT].i % 2 ? "charter" : "pact",
                      -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 8, ctx->import_id);
    if ((status = sp_import_exec(ctx, ins, "signatory insert")) != SP_OK)
        return status;
    id = sqlite3_last_insert_rowid(ctx->store->db);
    sqlite3_bind_blob(st->s[SG_ACCEPT], 1, me, SP_PSEUDO_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st->s[SG_ACCEPT], 2, id);
    if ((status = sp_import_exec(ctx, st->s[SG_ACCEPT], "invitation update")) != SP_OK)
        return status;
    st->accepted += sqlite3_changes(ctx->store->db);
    return SP_OK;
}

static int
pact_end(sp_import_ctx_t *ctx)
{
    pact_t *st = ctx->kind_data;

    if (st->accepted)
        ctx->note = apr_psprintf(ctx->pool, "%ld invitation(s) now accepted", st->accepted);
    return SP_OK;
}

const sp_import_kind_t sp_import_kind_pact = {
    .name = "pact",
    .summary = "signatories of the territorial pact or the charter (pseudonymised)",
    .columns = pact_columns,
    .begin = pact_begin,
    .row = pact_row,
    .end = pact_end,
};

/* --- invitations -------------------------------------------------------------- */

enum { I_INVITER, I_INVITEE, I_INVITED_ON };

static const sp_import_column_t invitation_columns[] = {
    {"inviter", "invitant", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"invitee", "invite", SP_VAL_TEXT, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1, NULL},
    {"invited_on", "date_invitation", SP_VAL_DATE, SP_COL_REQUIRED | SP_COL_NONEMPTY, 0, -1,
     NULL},
    {NULL, NULL, 0, 0, 0, 0, NULL}
};

enum { SI_FIND, SI_INSERT, SI_COUNT };
static const char *const invitation_sql[SI_COUNT] = {
    "SELECT id FROM pact_signatory WHERE pseudonym = ?1",
    "INSERT INTO pact_invitation (inviter_id, invitee, invited_on, accepted_by, import_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5)"
};

static int
invitations_begin(sp_import_ctx_t *ctx)
{
    return sp_import_begin_stmts(ctx, invitation_sql, SI_COUNT,
                                 "preparing the invitations import");
}

static int
invitations_row(sp_import_ctx_t *ctx, const sp_import_value_t *v)
{
    sqlite3_stmt **s = ctx->kind_data, *ins = s[SI_INSERT];
    unsigned char inviter[SP_PSEUDO_LEN], invitee[SP_PSEUDO_LEN];
    sqlite3_int64 inviter_id = 0, accepted_by = 0;
    int status, found;

    if (strcmp(v[I_INVITER].text, v[I_INVITEE].text) == 0)
        return sp_import_reject(ctx, I_INVITEE, -1, "invitee: '%s' cannot invite themselves",
                                v[I_INVITEE].text);
    sp_pseudo_id(ctx->pseudo, PSEUDO_DOMAIN, v[I_INVITER].text, v[I_INVITER].len, inviter);
    sp_pseudo_id(ctx->pseudo, PSEUDO_DOMAIN, v[I_INVITEE].text, v[I_INVITEE].len, invitee);
    sqlite3_bind_blob(s[SI_FIND], 1, inviter, SP_PSEUDO_LEN, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[SI_FIND], &inviter_id, &found)) != SP_OK)
        return status;
    if (!found)
        return sp_import_reject(ctx, I_INVITER, -1, "inviter: '%s' is not a signatory (import "
                                "the pact before the invitations)", v[I_INVITER].text);
    sqlite3_bind_blob(s[SI_FIND], 1, invitee, SP_PSEUDO_LEN, SQLITE_STATIC);
    if ((status = sp_import_lookup(ctx, s[SI_FIND], &accepted_by, &found)) != SP_OK)
        return status;
    sqlite3_bind_int64(ins, 1, inviter_id);
    sqlite3_bind_blob(ins, 2, invitee, SP_PSEUDO_LEN, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, v[I_INVITED_ON].text, -1, SQLITE_STATIC);
    if (found)
        sqlite3_bind_int64(ins, 4, accepted_by);
    else
        sqlite3_bind_null(ins, 4);
    sqlite3_bind_int64(ins, 5, ctx->import_id);
    return sp_import_exec(ctx, ins, "invitation insert");
}

const sp_import_kind_t sp_import_kind_invitations = {
    .name = "invitations",
    .summary = "invitations to sign the pact, made and (later) accepted",
    .columns = invitation_columns,
    .begin = invitations_begin,
    .row = invitations_row,
};
