/*
 * sp_forms.c -- a self-survey form as a printable HTML page and as a CSV
 * template for data entry (see sp_forms.h).  The words of the page's own
 * frame (headings, instructions) are here in French and English; every
 * word of the form itself -- labels, wordings, levels, themes -- comes
 * from the workspace.
 */
#include <string.h>
#include <apr_strings.h>
#include "sp_forms.h"
#include "sp_export.h"
#include "sp_grid.h"

/* The page's frame, in French and English. */
enum { W_INTRO, W_WHO, W_ID, W_WAVE, W_NEIGHBOURHOOD, W_AGE, W_GENDER, W_SOCIAL, W_LIFE,
       W_LIFE_INTRO, W_NEEDS, W_OTHER_NEED, W_OFFERS, W_THEMES, W_COMMENT, W_COUNT };
static const char *const words[2][W_COUNT] = {
    {"Pour chaque question, cochez la case qui correspond le mieux à votre situation. "
     "Vous pouvez laisser une question sans réponse.",
     "À remplir par l'animateur", "Identifiant", "Vague", "Quartier", "Tranche d'âge",
     "Genre", "Catégorie sociale", "Projet de vie",
     "Ce dont vous avez besoin, et ce que vous êtes prêt(e) à donner pour le bien-être de tous.",
     "J'ai besoin de", "Autre besoin", "Je suis prêt(e) à donner",
     "Les thèmes qui me concernent", "Commentaire"},
    {"For each question, tick the box that best fits your situation. "
     "You may leave a question unanswered.",
     "For the facilitator", "Identifier", "Wave", "Neighbourhood", "Age band",
     "Gender", "Social category", "Life project",
     "What you need, and what you are ready to give for the well-being of all.",
     "I need", "Other need", "I am ready to give", "Themes that concern me", "Comment"}
};

/* The offer kinds of the life_offer table's CHECK, in its order. */
static const char *const offer_kinds[] = {"hours", "project", "money", "goods", "other"};
static const char *const offer_labels[2][5] = {
    {"Du temps (heures) : ____", "Un projet", "De l'argent (euros) : ____", "Des biens",
     "Autre : ____"},
    {"Time (hours): ____", "A project", "Money (euros): ____", "Goods", "Other: ____"}
};

static int
strings(sp_store_t *store, const char *sql, const char *param, json_t *into)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return 0;
    if (param)
        sqlite3_bind_text(stmt, 1, param, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        json_array_append_new(into, json_string((const char *)sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE;
}

int
sp_forms_load(sp_store_t *store, const char *code, const char *lang, json_t **form,
              apr_pool_t *pool, sp_error_t **err)
{
    int en = strcmp(lang, "en") == 0, rc, k;
    sqlite3_stmt *head = NULL, *items = NULL, *levels = NULL;
    json_t *f, *list, *known;
    int status = SP_OK;
    size_t i;

    *form = NULL;
    f = sp_grid_pool_own(json_object(), pool);
    if (sqlite3_prepare_v2(store->db, en ? "SELECT id, label_en FROM survey_form WHERE code = ?1"
                           : "SELECT id, label_fr FROM survey_form WHERE code = ?1", -1,
                           &head, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(store->db, en
                              ? "SELECT fi.position, fi.name, i.code, coalesce(nullif(fi.wording_en, ''), "
                                "i.label_en), i.id FROM form_item fi JOIN indicator i ON i.id = "
                                "fi.indicator_id WHERE fi.form_id = ?1 ORDER BY fi.position"
                              : "SELECT fi.position, fi.name, i.code, coalesce(nullif(fi.wording_fr, ''), "
                                "i.label_fr), i.id FROM form_item fi JOIN indicator i ON i.id = "
                                "fi.indicator_id WHERE fi.form_id = ?1 ORDER BY fi.position",
                              -1, &items, NULL) != SQLITE_OK
        || sqlite3_prepare_v2(store->db, en ? "SELECT label_en FROM indicator_level WHERE "
                              "indicator_id = ?1 ORDER BY level" : "SELECT label_fr FROM "
                              "indicator_level WHERE indicator_id = ?1 ORDER BY level", -1,
                              &levels, NULL) != SQLITE_OK) {
        status = sp_store_fail(store->db, "form export", pool, err);
        goto done;
    }
    sqlite3_bind_text(head, 1, code, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(head)) != SQLITE_ROW) {
        if (rc != SQLITE_DONE) {
            status = sp_store_fail(store->db, "form export", pool, err);
            goto done;
        }
        known = sp_grid_pool_own(json_array(), pool);
        strings(store, "SELECT code FROM survey_form ORDER BY code", NULL, known);
        {
            const char *names = "";
            json_t *v;

            json_array_foreach(known, i, v)
                names = apr_pstrcat(pool, names, i ? ", " : "", json_string_value(v), NULL);
            status = sp_error_set(err, pool, SP_EXIT_USAGE, NULL, 0, 0, "unknown form '%s' "
                                  "(%s%s)", code, *names ? "forms: " : "no form is defined yet",
                                  names);
        }
        goto done;
    }
    json_object_set_new(f, "code", json_string(code));
    json_object_set_new(f, "label", json_string((const char *)sqlite3_column_text(head, 1)));
    json_object_set_new(f, "lang", json_string(en ? "en" : "fr"));
    list = json_array();
    json_object_set_new(f, "items", list);
    sqlite3_bind_int64(items, 1, sqlite3_column_int64(head, 0));
    while ((rc = sqlite3_step(items)) == SQLITE_ROW) {
        json_t *item = json_object(), *ladder = json_array();

        json_object_set_new(item, "position", json_integer(sqlite3_column_int64(items, 0)));
        json_object_set_new(item, "name", json_string((const char *)sqlite3_column_text(items, 1)));
        json_object_set_new(item, "indicator",
                            json_string((const char *)sqlite3_column_text(items, 2)));
        json_object_set_new(item, "wording",
                            json_string((const char *)sqlite3_column_text(items, 3)));
        sqlite3_bind_int64(levels, 1, sqlite3_column_int64(items, 4));
        while ((rc = sqlite3_step(levels)) == SQLITE_ROW)
            json_array_append_new(ladder, json_string((const char *)sqlite3_column_text(levels, 0)));
        sqlite3_reset(levels);
        json_object_set_new(item, "levels", ladder);
        json_array_append_new(list, item);
        if (rc != SQLITE_DONE)
            break;
    }
    if (rc != SQLITE_DONE) {
        status = sp_store_fail(store->db, "form export", pool, err);
        goto done;
    }

    /* The life-project part. */
    list = json_array();
    json_object_set_new(f, "needs", list);
    if (!strings(store, "SELECT DISTINCT kind FROM life_need ORDER BY kind", NULL, list)) {
        status = sp_store_fail(store->db, "form export", pool, err);
        goto done;
    }
    list = json_array();
    json_object_set_new(f, "offers", list);
    for (k = 0; k < 5; k++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "kind", offer_kinds[k], "label",
                                              offer_labels[en][k]));
    list = json_array();
    json_object_set_new(f, "themes", list);
    if (!strings(store, en ? "SELECT label_en FROM coordination_group WHERE kind <> 'city' "
                 "AND kind <> 'neighbourhood' ORDER BY kind, code"
                 : "SELECT label_fr FROM coordination_group WHERE kind <> 'city' "
                 "AND kind <> 'neighbourhood' ORDER BY kind, code", NULL, list)
        || (json_array_size(list) == 0
            && !strings(store, "SELECT theme FROM life_need WHERE theme <> '' UNION "
                        "SELECT theme FROM life_offer WHERE theme <> '' ORDER BY 1", NULL, list))) {
        status = sp_store_fail(store->db, "form export", pool, err);
        goto done;
    }
    *form = f;
done:
    sqlite3_finalize(head);
    sqlite3_finalize(items);
    sqlite3_finalize(levels);
    return status;
}

/* Write s with &, <, >, " and ' escaped. */
static void
esc(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static const char css[] =
    "body{font-family:sans-serif;font-size:12pt;line-height:1.35;margin:2em auto;max-width:48em;"
    "color:#000;background:#fff}\n"
    "h1{font-size:18pt;margin:0 0 .3em}h2{font-size:14pt;margin:1.2em 0 .4em;"
    "border-bottom:1px solid #000}h3{font-size:12pt;margin:.8em 0 .3em}\n"
    ".who{border:1px solid #000;padding:.4em .8em;margin:1em 0}"
    ".who span{display:inline-block;min-width:14em;margin:.2em 1em .2em 0}\n"
    ".blank{display:inline-block;min-width:8em;border-bottom:1px solid #000}\n"
    "ol.items{padding-left:1.5em}ol.items>li{margin:0 0 .9em;break-inside:avoid;"
    "page-break-inside:avoid}\n"
    ".wording{font-weight:bold;margin:0 0 .3em}\n"
    "ul.ladder,ul.ticks{list-style:none;padding:0;margin:0}"
    "ul.ladder li,ul.ticks li{display:inline-block;margin:.15em 1.2em .15em 0}\n"
    ".box{display:inline-block;width:.9em;height:.9em;border:1.5px solid #000;"
    "vertical-align:-.1em;margin-right:.35em}\n"
    ".lines{border-bottom:1px solid #000;height:1.6em}\n"
    ".life{break-before:page;page-break-before:always}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{margin:0;max-width:none}.who{break-inside:avoid}}\n";

static void
ticks(FILE *out, const json_t *list, const char *key)
{
    const json_t *v;
    size_t i;

    fputs("<ul class=\"ticks\">\n", out);
    json_array_foreach(list, i, v) {
        fputs("<li><span class=\"box\"></span>", out);
        esc(out, key ? json_string_value(json_object_get(v, key)) : json_string_value(v));
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
}

int
sp_forms_write_html(const json_t *form, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    int en = strcmp(json_string_value(json_object_get(form, "lang")), "en") == 0, k;
    const char *const *w = words[en];
    const json_t *item, *level;
    size_t i, j;

    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>", en ? "en" : "fr");
    esc(out, json_string_value(json_object_get(form, "label")));
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    esc(out, json_string_value(json_object_get(form, "label")));
    fputs("</h1>\n<p>", out);
    esc(out, w[W_INTRO]);
    fputs("</p>\n<div class=\"who\"><strong>", out);
    esc(out, w[W_WHO]);
    fputs("</strong><br>\n", out);
    for (k = W_ID; k <= W_SOCIAL; k++) {
        fputs("<span>", out);
        esc(out, w[k]);
        fputs(" : <span class=\"blank\"></span></span>\n", out);
    }
    fputs("</div>\n<ol class=\"items\">\n", out);
    json_array_foreach(json_object_get(form, "items"), i, item) {
        fprintf(out, "<li id=\"item-%ld\"><p class=\"wording\">",
                (long)json_integer_value(json_object_get(item, "position")));
        esc(out, json_string_value(json_object_get(item, "wording")));
        fputs("</p>\n<ul class=\"ladder\">", out);
        json_array_foreach(json_object_get(item, "levels"), j, level) {
            fputs("<li><span class=\"box\"></span>", out);
            esc(out, json_string_value(level));
            fputs("</li>", out);
        }
        fputs("</ul></li>\n", out);
    }
    fputs("</ol>\n<section class=\"life\">\n<h2>", out);
    esc(out, w[W_LIFE]);
    fputs("</h2>\n<p>", out);
    esc(out, w[W_LIFE_INTRO]);
    fputs("</p>\n<h3>", out);
    esc(out, w[W_NEEDS]);
    fputs("</h3>\n", out);
    ticks(out, json_object_get(form, "needs"), NULL);
    fputs("<p>", out);
    esc(out, w[W_OTHER_NEED]);
    fputs(" : <span class=\"blank\"></span></p>\n<h3>", out);
    esc(out, w[W_OFFERS]);
    fputs("</h3>\n", out);
    ticks(out, json_object_get(form, "offers"), "label");
    fputs("<h3>", out);
    esc(out, w[W_THEMES]);
    fputs("</h3>\n", out);
    if (json_array_size(json_object_get(form, "themes")) > 0)
        ticks(out, json_object_get(form, "themes"), NULL);
    else
        fputs("<div class=\"lines\"></div>\n", out);
    fputs("<h3>", out);
    esc(out, w[W_COMMENT]);
    fputs("</h3>\n<div class=\"lines\"></div><div class=\"lines\"></div>"
          "<div class=\"lines\"></div>\n</section>\n</body>\n</html>\n", out);
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the form");
    return SP_OK;
}

int
sp_forms_write_csv(const json_t *form, FILE *out, apr_pool_t *pool, sp_error_t **err)
{
    const json_t *item;
    size_t i;

    fputs("id,wave,neighbourhood,age_band,gender,social_category,weight", out);
    json_array_foreach(json_object_get(form, "items"), i, item) {
        const char *name = json_string_value(json_object_get(item, "name"));

        fputc(',', out);
        sp_export_csv_field(out, name, strlen(name), ',');
    }
    fputs(",needs,offers,comment\n", out);
    if (fflush(out) != 0 || ferror(out))
        return sp_error_set(err, pool, SP_EXIT_IO, NULL, 0, 0, "cannot write the template");
    return SP_OK;
}
