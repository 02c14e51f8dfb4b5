/*
 * sp_forms.h -- self-survey forms on paper and in a spreadsheet.
 *
 * Many people answer a self-survey on paper, and facilitators type the
 * answers into a spreadsheet.  This module writes both ends from the
 * workspace's definition of a form (survey_form, form_item, indicator,
 * indicator_level): a printable, self-contained HTML page -- each item's
 * wording and its ladder of levels as tick boxes, then the life-project
 * part (needs, offers, themes), print CSS, no external resource -- and a
 * CSV template whose header is exactly what the `responses` import expects
 * (import the filled copy with `--form CODE`).
 */
#ifndef SP_FORMS_H
#define SP_FORMS_H

#include <stdio.h>
#include <jansson.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"

/* The form code as {"code", "label", "lang", "items": [{"position",
 * "name", "indicator", "wording", "levels": [label...]}...], "needs":
 * [kind...], "offers": [{"kind", "label"}...], "themes": [label...]} in
 * lang ("fr" or "en"): wordings fall back to the indicator's label;
 * needs are the kinds of need already recorded in the workspace, themes
 * the coordination groups' labels (else the themes already recorded).
 * *form lives in pool.  SP_EXIT_USAGE for an unknown form (the message
 * lists the known ones). */
int sp_forms_load(sp_store_t *store, const char *code, const char *lang, json_t **form,
                  apr_pool_t *pool, sp_error_t **err);

/* Write form (from sp_forms_load) as one HTML page to out.  Everything is
 * escaped; the page links to nothing.  SP_EXIT_IO on a write error. */
int sp_forms_write_html(const json_t *form, FILE *out, apr_pool_t *pool, sp_error_t **err);

/* Write the CSV template of form: the header id, wave, neighbourhood,
 * age_band, gender, social_category, weight, the items' names by
 * position, needs, offers, comment.  SP_EXIT_IO on a write error. */
int sp_forms_write_csv(const json_t *form, FILE *out, apr_pool_t *pool, sp_error_t **err);

#endif
