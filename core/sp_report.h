/*
 * sp_report.h -- the facilitator's report: one self-contained HTML file
 * (inline CSS with print styles, inline SVG charts from sp_svg.h, no
 * script, no external reference) with, beside it, the same numbers as
 * JSON, as one CSV per table and, through the xlsx plugin, as a workbook.
 *
 * Sections, in this order: summary; survey results by neighbourhood and
 * form (radar of the families A-H, table beside each chart); cross-
 * tabulations with their suppression marks; the plan's co-evaluation
 * (profiles, ranking, gaps, agreement); resource use against limits; the
 * consumption meter's distribution; the pact's diffusion against its
 * target; the quarterly synthesis.  Each section uses what the workspace
 * holds and says plainly when a part has no data: a chart with nothing to
 * draw is replaced by a sentence, never left empty.
 *
 * One set of numbers: every figure is put, once, into a result table
 * (sp_table.h), rounded there to the digits it is shown with; the HTML
 * tables, the JSON, the CSV files and the workbook all print those same
 * cells (numbers as the shortest of %.15g..%.17g that reads back exactly,
 * which equals libxlsxwriter's %.16G for numbers so rounded).  The HTML
 * writes French numbers with a decimal comma; nothing else differs.
 * Small cells are withheld (min_cell, default 5) with the marks of the
 * crosstab engine ("x", a note saying why).
 *
 * Every text a citizen or facilitator reads comes from one table of
 * messages in French and English (sp_report_i18n.c).
 */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stddef.h>
#include <apr_pools.h>
#include "sp_error.h"
#include "sp_store.h"
#include "sp_table.h"

typedef enum sp_report_lang_t {
    SP_REPORT_EN = 0,
    SP_REPORT_FR = 1
} sp_report_lang_t;

/* Message ids; the texts are in sp_report_i18n.c. */
#define SP_REPORT_MSGS(X)                                                   \
    X(DOC_TITLE) X(DOC_INTRO) X(SYNTHETIC) X(CONTENTS) X(NOT_FOR_PUB)      \
    X(NO_DATA_CHART) X(SUPPRESSED_NOTE) X(MARK_NOTE) X(PRIMARY_NOTE)       \
    X(S_SUMMARY) X(S_SURVEY) X(S_CROSSTAB) X(S_EVAL) X(S_RESOURCES)        \
    X(S_METER) X(S_PACT) X(S_QUARTERLY)                                     \
    X(FIGURES) X(FIGURE) X(VALUE) X(POPULATION) X(RESPONDENTS_ALL)          \
    X(RESPONDENTS_WAVE) X(FORMS) X(CRITERIA) X(ACTIONS) X(EVALUATIONS)      \
    X(HOUSEHOLDS) X(SIGNATORIES) X(INVITATIONS) X(TRANSFERS) X(KEY_POINTS)  \
    X(TERRITORY_LINE) X(NO_TERRITORY)                                       \
    X(SURVEY_INTRO) X(SURVEY_NONE) X(FAMILY_KEY) X(ALL_PLACES) X(FORM)      \
    X(RESPONDENTS) X(RADAR_TITLE) X(RADAR_DESC) X(SURVEY_TABLE)             \
    X(FAM_A) X(FAM_B) X(FAM_C) X(FAM_D) X(FAM_E) X(FAM_F) X(FAM_G) X(FAM_H) \
    X(HL_SURVEY)                                                            \
    X(XTAB_INTRO) X(XTAB_NONE) X(XTAB_EMPTY) X(XTAB_WEIGHTED) X(XTAB_ROWPCT)             \
    X(NEIGHBOURHOOD) X(XTAB_MISSING_VAR) X(TOTAL)                          \
    X(EVAL_INTRO) X(EVAL_NONE) X(EVAL_PROFILE) X(EVAL_PROFILE_DESC)         \
    X(EX_ANTE) X(EX_POST) X(PHASE) X(EVAL_RANKING) X(EVAL_RANKING_DESC)     \
    X(RANK) X(ACTION) X(TITLE) X(MEAN) X(EVAL_GAPS) X(EVAL_GAPS_NONE)       \
    X(EVAL_DELTA) X(DIFFERENCE) X(EVAL_AGREEMENT) X(EVAL_AGREE_NONE)        \
    X(COMPONENT) X(MIN) X(MAX) X(SPREAD) X(EVAL_AGREE_INTRO) X(HL_EVAL)     \
    X(RES_INTRO) X(RES_NONE) X(RES_CHART) X(RES_CHART_DESC) X(YEAR)         \
    X(AMOUNT) X(LIMIT) X(RATIO) X(TREND) X(RES_WITHIN) X(RES_MEETS)         \
    X(RES_NEVER) X(RES_NO_TREND) X(RES_NO_LIMIT) X(RES_SUMMARY)             \
    X(RESOURCE) X(PLACE) X(LATEST_YEAR) X(LATEST) X(MEETS_IN) X(HL_RES)     \
    X(METER_INTRO) X(METER_NONE) X(METER_CHART) X(METER_CHART_DESC)         \
    X(METER_BIN_0) X(METER_BIN_1) X(METER_BIN_2) X(METER_BIN_3)             \
    X(METER_BIN_4) X(METER_UNIT) X(METER_TABLE) X(METER_SWAP)               \
    X(PACT_INTRO) X(PACT_NONE) X(PACT_CHART) X(PACT_CHART_DESC)             \
    X(QUARTER) X(NEW) X(CUMULATIVE) X(TARGET) X(PACT_COVERED)               \
    X(PACT_NOT_COVERED) X(HL_PACT)                                          \
    X(Q_INTRO) X(Q_NONE) X(Q_CHART) X(Q_CHART_DESC) X(HOURS) X(EUROS)       \
    X(GOODS) X(NEW_SIGNATORIES) X(Q_TABLE) X(NONE_LABEL)

typedef enum sp_report_msg_t {
#define X(id) SP_MSG_##id,
    SP_REPORT_MSGS(X)
#undef X
    SP_MSG_COUNT
} sp_report_msg_t;

/* The text of message id in lang (static).  A message without a text in
 * that language gives "?ID?" so that tests catch it. */
const char *
sp_report_msg(sp_report_msg_t id, sp_report_lang_t lang);

/* 1 when every message has a non-empty French and English text. */
int
sp_report_msgs_complete(void);

typedef struct sp_report_options_t {
    sp_report_lang_t lang;      /* default SP_REPORT_EN */
    const char *plan;           /* plan code; NULL: the plan with the most
                                   evaluations (ties: smallest code) */
    double min_cell;            /* K: counts of 1..K-1 are withheld; default 5 */
    const char *territory;      /* territory code; NULL: the first one */
} sp_report_options_t;

void
sp_report_options_init(sp_report_options_t *o);

typedef struct sp_report_t sp_report_t;

/* Read the workspace and build every section.  Returns SP_OK; SP_EXIT_USAGE
 * when opt->plan names no plan; SP_EXIT_SOFTWARE on SQLite failures.  A
 * workspace without some kind of data is not an error: the section says
 * so.  Everything lives in pool. */
int
sp_report_build(sp_store_t *store, const sp_report_options_t *opt, sp_report_t **out,
                apr_pool_t *pool, sp_error_t **err);

/* The result tables, in report order, and their ids (*ids[i] names
 * report-<id>.csv and the HTML table id "t-<id>"). */
const sp_table_t *const *
sp_report_tables(const sp_report_t *r, const char *const **ids, size_t *n);

/* Notes on sections computed without the module that should compute them
 * (one line each, English, for the program's messages); may be empty. */
const char *const *
sp_report_fallbacks(const sp_report_t *r, size_t *n);

/* The HTML document / the JSON document ({"title", "lang", "min_cell",
 * "sections": [{"id", "title", "tables": [{"id", "title", "columns",
 * "rows", "note", "not_for_publication"}]}]}; a withheld cell is {"mark",
 * "suppressed", "note"}, an empty cell null).  NUL-terminated, in pool. */
const char *
sp_report_html(const sp_report_t *r, apr_pool_t *pool);
const char *
sp_report_json(const sp_report_t *r, apr_pool_t *pool);

/* Write dir/report.html, dir/report.json and dir/report-<id>.csv (dir is
 * created when missing).  SP_EXIT_CANTCREAT / SP_EXIT_IO with the path in
 * *err. */
int
sp_report_write(const sp_report_t *r, const char *dir, apr_pool_t *pool, sp_error_t **err);

/* Write every table to path through the xlsx plugin (sp_plugin.h).
 * Returns SP_OK, or the status of sp_plugin_open (SP_EXIT_NOINPUT when no
 * plugin is found: the message says where it looked) or sp_plugin_write. */
int
sp_report_write_xlsx(const sp_report_t *r, const char *path, apr_pool_t *pool,
                     sp_error_t **err);

#endif
