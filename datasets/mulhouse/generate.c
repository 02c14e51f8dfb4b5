/*
 * generate.c -- the deterministic generator of the bundled SYNTHETIC
 * Mulhouse dataset (datasets/mulhouse/data/, described in README.md).
 *
 * It writes every CSV of the dataset into the folder named on the command
 * line: the taxonomy, progress indicators and the four self-survey forms,
 * responses over three waves, criteria of citizen groups over two cycles,
 * the ten pilot actions of the 2013 plan and their co-evaluations,
 * resources with their limits and yearly use, consumption-meter answers,
 * pact signatures with their invitation chains, and the accounts and
 * transfers of the time bank and the fund.  The names of neighbourhoods,
 * pilot actions and coordination groups are those of the plan; every number
 * is invented.  Each file draws from its own xoshiro256** stream seeded by
 * splitmix64 from (seed, file), every model uses integer arithmetic, and
 * numbers are printed from integers, so the output is byte-identical on
 * every machine for a given --seed, and changing one file's model leaves
 * the others as they were.  The column lists follow the import kinds in
 * core/sp_import_*.c; taxonomy.csv is imported with the `taxonomy` kind and is written
 * for territory packs (code, parent, level, labels, provisional).
 *
 * usage: generate [--seed S] OUTDIR
 */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sp_rng.h"

#define DEFAULT_SEED 2013

/* ---- random numbers: bench/sp_rng.h, one stream per file ---- */

/* One stream per file: the seed and the file's number. */
static void
seed_rng(sp_rng_t *r, uint64_t seed, uint64_t stream)
{
    sp_rng_seed(r, seed * 1000003ULL + stream);
}

/* Uniform in [lo, hi]. */
static int
between(sp_rng_t *r, int lo, int hi)
{
    return lo + (int)sp_rng_below(r, (uint32_t)(hi - lo + 1));
}

/* 1 with probability permille/1000. */
static int
chance(sp_rng_t *r, int permille)
{
    return (int)sp_rng_below(r, 1000) < permille;
}

/* An index drawn with probabilities proportional to w[0..n-1]. */
static int
pickw(sp_rng_t *r, const unsigned *w, int n)
{
    uint32_t total = 0, u;
    int i;

    for (i = 0; i < n; i++)
        total += w[i];
    if (total == 0)
        return -1;
    u = sp_rng_below(r, total);
    for (i = 0; i + 1 < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    return n - 1;
}

/* About normal, mean 0, sd about sd thousandths: four uniforms (Irwin-Hall). */
static int
noise(sp_rng_t *r, int sd)
{
    int64_t s = 0;
    int i;

    for (i = 0; i < 4; i++)
        s += sp_rng_below(r, 1000);
    return (int)((s - 2000) * sd / 577);
}

/* Floor division, also for negative numerators. */
static int
fdiv(int a, int b)
{
    int q = a / b;

    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int
clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- dates as days since 1970-01-01 (Hinnant's civil algorithms) ---- */

static long
day_of(int y, int m, int d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
date_text(long z, char out[11])
{
    char tmp[64];
    long era, doe, yoe, y, doy, mp, d, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* First day of quarter q counted from 2013-Q1 (q may pass the year). */
static long
quarter_start(int year0, int q)
{
    return day_of(year0 + q / 4, 1 + 3 * (q % 4), 1);
}

/* ---- CSV output ---- */

typedef struct out_t {
    FILE *f;
    char path[4096];
    int col;
} out_t;

static int
out_open(out_t *o, const char *dir, const char *name)
{
    snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    o->col = 0;
    if ((o->f = fopen(o->path, "wb")) == NULL) {
        fprintf(stderr, "generate: %s: %s\n", o->path, strerror(errno));
        return -1;
    }
    return 0;
}

static int
out_close(out_t *o)
{
    int bad = ferror(o->f);

    if (fclose(o->f) != 0 || bad) {
        fprintf(stderr, "generate: %s: write error\n", o->path);
        return -1;
    }
    return 0;
}

/* One field, quoted when it holds a comma, a quote or a line break. */
static void
cell(out_t *o, const char *s)
{
    if (o->col++)
        fputc(',', o->f);
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, o->f);
        return;
    }
    fputc('"', o->f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', o->f);
        fputc(*s, o->f);
    }
    fputc('"', o->f);
}

static void
celli(out_t *o, long long v)
{
    char b[32];

    snprintf(b, sizeof b, "%lld", v);
    cell(o, b);
}

/* v / 10^dec printed with dec decimals, e.g. (12345, 4) -> 1.2345. */
static void
cellx(out_t *o, long long v, int dec)
{
    char b[48];
    long long p = 1;
    int i;

    for (i = 0; i < dec; i++)
        p *= 10;
    if (dec == 0)
        snprintf(b, sizeof b, "%lld", v);
    else
        snprintf(b, sizeof b, "%s%lld.%0*lld", v < 0 ? "-" : "", llabs(v) / p, dec, llabs(v) % p);
    cell(o, b);
}

/* Half-hours as hours: 3 -> 1.5, 4 -> 2. */
static void
cellh(out_t *o, long halves)
{
    char b[32];

    if (halves % 2)
        snprintf(b, sizeof b, "%ld.5", halves / 2);
    else
        snprintf(b, sizeof b, "%ld", halves / 2);
    cell(o, b);
}

static void
celld(out_t *o, long day)
{
    char b[11];

    date_text(day, b);
    cell(o, b);
}

static void
endrow(out_t *o)
{
    fputc('\n', o->f);
    o->col = 0;
}

static void
header(out_t *o, const char *const *names)
{
    for (; *names; names++)
        cell(o, *names);
    endrow(o);
}

/* Append to a '|'-separated list in buf. */
static void
append(char *buf, size_t size, const char *item)
{
    size_t n = strlen(buf);

    snprintf(buf + n, size - n, "%s%s", n ? "|" : "", item);
}

/* ---- the territory ---- */

#define NNB 12
static const char *const nb_name[NNB] = {
    "Drouot-Barbanègre", "Wolf-Wagner", "Briand", "Coteaux", "Dornach", "Bourtzwiller",
    "Fonderie", "Rebberg", "Vauban-Neppert", "Daguerre", "Franklin-Fridolin", "Haut-Poirier"
};
/* Invented populations summing to 110,000. */
static const unsigned nb_pop[NNB] = {
    9500, 7800, 8600, 11200, 10400, 10900, 7200, 8100, 9800, 7400, 9600, 9500
};
/* Effect on the latent scale of the answers (0..1000), and its change per
 * wave: the answer model, not a statement about the real neighbourhoods. */
static const int nb_effect[NNB] = { -90, -60, -50, -70, 40, -40, 10, 90, -20, 20, -30, 60 };
static const int nb_trend[NNB] = { 25, 20, 10, 5, 0, 0, 0, 0, 0, 0, 0, -5 };

/* ---- taxonomy ---- */

typedef struct node_t {
    const char *code, *parent, *level, *fr, *en;
    int provisional;
} node_t;

static const node_t taxonomy[] = {
    {"A", "", "family", "Accès aux moyens de vie", "Access to means of living", 0},
    {"A01", "A", "component", "Alimentation", "Food", 0},
    {"A01-01", "A01", "subobject", "Qualité de l'alimentation", "Quality of food", 1},
    {"A02", "A", "component", "Soins de santé", "Health care", 0},
    {"A03", "A", "component", "Logement", "Housing", 0},
    {"A03-01", "A03", "subobject", "Taille et confort du logement", "Size and comfort of the dwelling", 1},
    {"A03-02", "A03", "subobject", "Coût du logement", "Cost of housing", 1},
    {"A04", "A", "component", "Habillement", "Clothing", 0},
    {"A05", "A", "component", "Éducation, formation", "Education, training", 0},
    {"A06", "A", "component", "Emploi", "Employment", 0},
    {"A06-01", "A06", "subobject", "Avoir un emploi", "Having a job", 1},
    {"A06-02", "A06", "subobject", "Conditions de travail", "Working conditions", 1},
    {"A07", "A", "component", "Loisirs, culture, sport", "Leisure, culture, sport", 0},
    {"A09", "A", "component", "Services à la personne", "Personal services", 0},
    {"A11", "A", "component", "Information", "Information", 0},
    {"B", "", "family", "Cadre de vie", "Living environment", 0},
    {"B00", "B", "component", "Cadre de vie en général", "Living environment in general", 0},
    {"B02", "B", "component", "Infrastructures de base", "Basic infrastructure", 0},
    {"C", "", "family", "Relations avec et entre les organisations", "Relations with and between organisations", 1},
    {"C01", "C", "component", "Relations avec les institutions publiques", "Relations with public institutions", 1},
    {"C02", "C", "component", "Relations avec les associations et les entreprises", "Relations with associations and businesses", 1},
    {"D", "", "family", "Relations personnelles", "Personal relations", 1},
    {"D01", "D", "component", "Relations familiales", "Family relations", 1},
    {"D02", "D", "component", "Relations d'amitié et de voisinage", "Friends and neighbours", 1},
    {"E", "", "family", "Équilibres sociaux", "Social balance", 1},
    {"E01", "E", "component", "Équité, justice sociale", "Equity, social justice", 1},
    {"E02", "E", "component", "Vivre ensemble, diversité", "Living together, diversity", 1},
    {"F", "", "family", "Équilibre personnel", "Personal balance", 1},
    {"F01", "F", "component", "Équilibre physique", "Physical balance", 1},
    {"F02", "F", "component", "Équilibre psychique", "Mental balance", 1},
    {"F03", "F", "component", "Autonomie", "Autonomy", 1},
    {"G", "", "family", "Sentiments de bien-être ou de mal-être", "Feelings of well-being or ill-being", 1},
    {"G01", "G", "component", "Estime de soi, reconnaissance", "Self-esteem, recognition", 1},
    {"G02", "G", "component", "Sentiment de sécurité", "Feeling safe", 1},
    {"H", "", "family", "Attitudes et initiatives", "Attitudes and initiatives", 1},
    {"H01", "H", "component", "Engagement, responsabilité", "Commitment, responsibility", 1},
    {"H02", "H", "component", "Respect, tolérance", "Respect, tolerance", 1},
};
#define NNODES ((int)(sizeof taxonomy / sizeof taxonomy[0]))

static int
write_taxonomy(const char *dir)
{
    static const char *const cols[] = {"name", "version", "code", "parent", "level",
                                       "label_fr", "label_en", "provisional", NULL};
    out_t o;
    int i;

    if (out_open(&o, dir, "taxonomy.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NNODES; i++) {
        /* the same name and version as scripts/lib/structure.lua */
        cell(&o, "spiral");
        cell(&o, "2013-8");
        cell(&o, taxonomy[i].code);
        cell(&o, taxonomy[i].parent);
        cell(&o, taxonomy[i].level);
        cell(&o, taxonomy[i].fr);
        cell(&o, taxonomy[i].en);
        celli(&o, taxonomy[i].provisional);
        endrow(&o);
    }
    return out_close(&o);
}

/* ---- indicators ---- */

typedef struct indicator_t {
    const char *code, *component, *fr, *en;
    int nlevels;
    int base;           /* mean answer on the latent scale 0..1000 */
} indicator_t;

static const indicator_t indicators[] = {
    {"food", "A01", "Pouvoir bien se nourrir", "Being able to eat well", 5, 640},
    {"health_care", "A02", "Être bien soigné", "Being well cared for", 5, 560},
    {"housing", "A03", "Avoir un logement où l'on se sent bien", "A home where one feels good", 5, 500},
    {"clothing", "A04", "Pouvoir s'habiller comme on le souhaite", "Dressing as one wishes", 4, 620},
    {"education", "A05", "Apprendre et se former", "Learning and training", 5, 540},
    {"employment", "A06", "Avoir un travail qui fait vivre", "A job one can live on", 5, 400},
    {"leisure", "A07", "Avoir des loisirs, de la culture, du sport", "Leisure, culture and sport", 5, 520},
    {"services", "A09", "Trouver de l'aide au quotidien", "Finding help in daily life", 5, 500},
    {"information", "A11", "Être bien informé", "Being well informed", 5, 520},
    {"environment", "B00", "Vivre dans un quartier agréable", "Living in a pleasant neighbourhood", 5, 480},
    {"infrastructure", "B02", "Se déplacer et accéder aux services", "Getting about and reaching services", 5, 600},
    {"institutions", "C01", "Être écouté par les institutions", "Being listened to by institutions", 5, 420},
    {"associations", "C02", "Pouvoir compter sur les associations", "Being able to count on associations", 4, 580},
    {"family", "D01", "S'entendre en famille", "Getting on in the family", 5, 640},
    {"friends", "D02", "Avoir des amis et des voisins sur qui compter", "Friends and neighbours to count on", 5, 580},
    {"equity", "E01", "Avoir les mêmes chances que les autres", "Having the same chances as others", 5, 420},
    {"living_together", "E02", "Bien vivre ensemble", "Living well together", 4, 500},
    {"body", "F01", "Être en forme", "Feeling fit", 5, 580},
    {"mind", "F02", "Avoir l'esprit tranquille", "Peace of mind", 5, 500},
    {"autonomy", "F03", "Décider de sa vie", "Deciding about one's life", 5, 580},
    {"self_esteem", "G01", "Être reconnu, avoir confiance en soi", "Being recognised, self-confidence", 5, 540},
    {"safety", "G02", "Se sentir en sécurité", "Feeling safe", 5, 500},
    {"commitment", "H01", "Se sentir utile aux autres", "Feeling useful to others", 5, 520},
    {"respect", "H02", "Être respecté", "Being respected", 4, 540},
};
#define NIND ((int)(sizeof indicators / sizeof indicators[0]))

static int
indicator_index(const char *code)
{
    int i;

    for (i = 0; i < NIND; i++)
        if (strcmp(indicators[i].code, code) == 0)
            return i;
    fprintf(stderr, "generate: internal error: no indicator '%s'\n", code);
    exit(70);
}

static int
write_indicators(const char *dir)
{
    static const char *const cols[] = {"code", "component", "label_fr", "label_en", "levels_fr",
                                       "levels_en", "bad_at_most", NULL};
    out_t o;
    int i;

    if (out_open(&o, dir, "indicators.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NIND; i++) {
        const indicator_t *d = &indicators[i];

        cell(&o, d->code);
        cell(&o, d->component);
        cell(&o, d->fr);
        cell(&o, d->en);
        if (d->nlevels == 5) {
            cell(&o, "très mauvaise|mauvaise|moyenne|bonne|idéale");
            cell(&o, "very bad|bad|average|good|ideal");
        } else {
            cell(&o, "très mauvaise|mauvaise|bonne|idéale");
            cell(&o, "very bad|bad|good|ideal");
        }
        celli(&o, 2);
        endrow(&o);
    }
    return out_close(&o);
}

/* ---- forms ---- */

typedef struct item_t {
    const char *indicator, *fr, *en;
} item_t;

static const item_t children_items[] = {
    {"food", "Ce que je mange", "What I eat"},
    {"housing", "Ma maison", "My home"},
    {"education", "À l'école, j'apprends bien", "At school I learn well"},
    {"leisure", "Jouer et faire du sport", "Playing and sport"},
    {"family", "Avec ma famille", "With my family"},
    {"friends", "Avec mes copains", "With my friends"},
    {"safety", "Dans mon quartier, je n'ai pas peur", "In my neighbourhood I am not afraid"},
    {"body", "Je me sens en forme", "I feel fit"},
    {"self_esteem", "Je suis content de moi", "I am happy with myself"},
    {"respect", "On me respecte", "People respect me"},
};

static const item_t adolescent_items[] = {
    {"food", "Ce que je mange", "What I eat"},
    {"housing", "Chez moi, je me sens bien", "I feel good at home"},
    {"education", "Mes études, ma formation", "My studies, my training"},
    {"employment", "Mon avenir professionnel", "My future job"},
    {"leisure", "Mes loisirs, le sport, les sorties", "My leisure, sport, going out"},
    {"information", "Je sais où trouver l'information", "I know where to find information"},
    {"environment", "Mon quartier", "My neighbourhood"},
    {"institutions", "Les adultes et les institutions m'écoutent", "Adults and institutions listen to me"},
    {"family", "Avec ma famille", "With my family"},
    {"friends", "Mes amis", "My friends"},
    {"living_together", "Entre jeunes de cultures différentes", "Between young people of different cultures"},
    {"body", "Ma forme physique", "My fitness"},
    {"mind", "Mon moral", "My morale"},
    {"self_esteem", "La confiance en moi", "My self-confidence"},
    {"safety", "Ma sécurité dans la rue", "My safety in the street"},
    {"respect", "Le respect qu'on me porte", "The respect I get"},
};

static const item_t adult_items[] = {
    {"food", "Pouvoir me nourrir correctement", "Being able to eat properly"},
    {"health_care", "L'accès aux soins", "Access to health care"},
    {"housing", "Mon logement", "My housing"},
    {"clothing", "Pouvoir m'habiller comme je le souhaite", "Dressing as I wish"},
    {"education", "Pouvoir apprendre, me former", "Being able to learn and train"},
    {"employment", "Mon travail, mes revenus", "My work, my income"},
    {"leisure", "Mes loisirs, la culture, le sport", "My leisure, culture and sport"},
    {"services", "L'aide dont j'ai besoin au quotidien", "The help I need day to day"},
    {"information", "L'information sur mes droits et sur la ville", "Information on my rights and the city"},
    {"environment", "Mon quartier, mon cadre de vie", "My neighbourhood, my surroundings"},
    {"infrastructure", "Les transports et les équipements", "Transport and facilities"},
    {"institutions", "L'écoute des institutions", "How institutions listen"},
    {"associations", "Les associations et les commerces proches", "Nearby associations and shops"},
    {"family", "Ma vie de famille", "My family life"},
    {"friends", "Mes amis, mes voisins", "My friends, my neighbours"},
    {"equity", "L'égalité des chances", "Equal opportunities"},
    {"living_together", "Le vivre ensemble", "Living together"},
    {"body", "Ma santé, ma forme", "My health, my fitness"},
    {"mind", "Mon moral, ma tranquillité d'esprit", "My morale, my peace of mind"},
    {"autonomy", "Ma liberté de décider", "My freedom to decide"},
    {"self_esteem", "La reconnaissance, la confiance en moi", "Recognition, self-confidence"},
    {"safety", "Ma sécurité", "My safety"},
    {"commitment", "Me sentir utile aux autres", "Feeling useful to others"},
    {"respect", "Le respect entre les gens", "Respect between people"},
};

static const item_t mental_items[] = {
    {"food", "Pouvoir me nourrir correctement", "Being able to eat properly"},
    {"health_care", "Mes soins, mon traitement", "My care, my treatment"},
    {"housing", "Mon logement", "My housing"},
    {"employment", "Avoir une activité, un travail", "Having an activity, a job"},
    {"leisure", "Mes loisirs, mes sorties", "My leisure, going out"},
    {"services", "L'accompagnement dont j'ai besoin", "The support I need"},
    {"institutions", "L'écoute des soignants et des services", "How carers and services listen"},
    {"family", "Les liens avec ma famille", "Ties with my family"},
    {"friends", "Avoir des amis, ne pas être seul", "Having friends, not being alone"},
    {"equity", "Être traité comme les autres", "Being treated like others"},
    {"mind", "Mon moral, mon équilibre", "My morale, my balance"},
    {"autonomy", "Décider de ma vie", "Deciding about my life"},
    {"self_esteem", "Le regard des autres sur moi", "How others see me"},
    {"safety", "Me sentir en sécurité", "Feeling safe"},
};

/* A need or an offer of the life project: kind, theme (a coordination
 * group), and for offers an amount drawn in [lo, hi] (none when hi is 0). */
typedef struct wish_t {
    const char *kind, *theme;
    int lo, hi;
    unsigned weight;
} wish_t;

static const wish_t child_needs[] = {
    {"leisure", "childhood", 0, 0, 5}, {"tutoring", "childhood", 0, 0, 4},
    {"company", "childhood", 0, 0, 2},
};
static const wish_t child_offers[] = {
    {"project", "childhood", 0, 0, 3}, {"goods", "solidarity", 0, 0, 1},
};
static const wish_t teen_needs[] = {
    {"job", "youth", 0, 0, 4}, {"training", "youth", 0, 0, 4}, {"leisure", "culture", 0, 0, 3},
    {"mobility", "youth", 0, 0, 2}, {"listening", "health", 0, 0, 1},
};
static const wish_t teen_offers[] = {
    {"hours", "childhood", 1, 3, 3}, {"project", "culture", 0, 0, 3},
    {"hours", "generations", 1, 4, 2},
};
static const wish_t adult_needs[] = {
    {"job", "employment", 0, 0, 6}, {"training", "training", 0, 0, 4},
    {"housing", "family", 0, 0, 3}, {"childcare", "family", 0, 0, 2},
    {"health", "health", 0, 0, 2}, {"company", "ageing", 0, 0, 2},
    {"language", "cultures", 0, 0, 2}, {"mobility", "space", 0, 0, 1},
};
static const wish_t adult_offers[] = {
    {"hours", "ageing", 1, 6, 4}, {"hours", "childhood", 1, 4, 3},
    {"money", "fund", 5, 100, 3}, {"project", "citizenship", 0, 0, 2},
    {"goods", "solidarity", 0, 0, 2}, {"hours", "time", 2, 10, 2},
};
static const wish_t mental_needs[] = {
    {"company", "health", 0, 0, 5}, {"housing", "reintegration", 0, 0, 3},
    {"job", "reintegration", 0, 0, 3}, {"leisure", "culture", 0, 0, 2},
};
static const wish_t mental_offers[] = {
    {"hours", "culture", 1, 3, 2}, {"goods", "solidarity", 0, 0, 1},
    {"project", "health", 0, 0, 1},
};

static const char *const comments[] = {
    "Un quartier où l'on se parle, enfin",
    "Il faudrait plus de bancs et d'arbres",
    "Merci de nous demander notre avis",
    "Le tram a changé ma vie",
    "Trop de papiers à remplir pour tout",
    "J'aimerais aider, mais je ne sais pas à qui m'adresser",
    "Les jeunes n'ont pas d'endroit pour se retrouver",
    "Le loyer prend la moitié de ce que je gagne",
    "On devrait faire cette enquête chaque année",
    "Mes voisins sont ma deuxième famille",
};
#define NCOMMENTS ((int)(sizeof comments / sizeof comments[0]))

#define MAXBANDS 8
typedef struct form_t {
    const char *code, *prefix, *fr, *en;
    const item_t *items;
    int nitems;
    int per_wave;               /* respondents per wave */
    int share;                  /* per mille of each neighbourhood it speaks for */
    int effect;                 /* on every answer */
    int missing;                /* per mille of unanswered items */
    int needs_pm, offers_pm;    /* per mille of respondents with needs, offers */
    const char *bands[MAXBANDS];
    unsigned band_w[MAXBANDS];
    int band_effect[MAXBANDS];
    const char *socials[MAXBANDS];
    unsigned social_w[MAXBANDS];
    int social_effect[MAXBANDS];
    const wish_t *needs;
    int nneeds;
    const wish_t *offers;
    int noffers;
} form_t;

#define N(a) ((int)(sizeof a / sizeof a[0]))

static const form_t forms[] = {
    {"children", "ENF", "Enfants", "Children", children_items, N(children_items), 150, 75, 60, 20,
     150, 60,
     {"6-8", "9-11"}, {45, 55}, {20, 0},
     {NULL}, {0}, {0},
     child_needs, N(child_needs), child_offers, N(child_offers)},
    {"adolescents", "ADO", "Adolescents", "Adolescents", adolescent_items, N(adolescent_items), 180, 70,
     0, 30, 350, 200,
     {"12-14", "15-17"}, {50, 50}, {10, -10},
     {"collégien", "lycéen", "apprenti", "sans activité"}, {45, 40, 10, 5}, {10, 0, 0, -80},
     teen_needs, N(teen_needs), teen_offers, N(teen_offers)},
    {"adults", "ADU", "Adultes", "Adults", adult_items, N(adult_items), 420, 780, 0, 30, 350, 250,
     {"18-29", "30-44", "45-59", "60-74", "75+"}, {20, 26, 25, 18, 11}, {-20, -20, -10, 20, 10},
     {"actif", "chômeur", "retraité", "étudiant", "au foyer", "autre"},
     {42, 11, 22, 13, 6, 6}, {20, -70, 10, 10, -10, -20},
     adult_needs, N(adult_needs), adult_offers, N(adult_offers)},
    {"mental_health", "SM", "Santé mentale", "Mental health", mental_items, N(mental_items), 80, 12,
     -60, 50, 450, 150,
     {"18-29", "30-44", "45-59", "60+"}, {20, 35, 30, 15}, {0, 0, 0, 0},
     {"suivi ambulatoire", "hôpital de jour", "hébergement accompagné"},
     {60, 25, 15}, {10, -20, 0},
     mental_needs, N(mental_needs), mental_offers, N(mental_offers)},
};
#define NFORMS N(forms)

/* Per form and indicator: answers that the model makes differ. */
typedef struct tilt_t {
    const char *form, *indicator;
    int effect;
} tilt_t;

static const tilt_t tilts[] = {
    {"mental_health", "mind", -140}, {"mental_health", "employment", -160},
    {"mental_health", "friends", -120}, {"mental_health", "self_esteem", -100},
    {"mental_health", "health_care", 60}, {"adolescents", "employment", 40},
    {"adolescents", "institutions", -60}, {"children", "family", 60},
    {"adults", "employment", -20},
};

static int
tilt(const form_t *f, const char *indicator)
{
    int i;

    for (i = 0; i < N(tilts); i++)
        if (strcmp(tilts[i].form, f->code) == 0 && strcmp(tilts[i].indicator, indicator) == 0)
            return tilts[i].effect;
    return 0;
}

static int
write_forms(const char *dir)
{
    static const char *const cols[] = {"form", "form_label_fr", "form_label_en", "item",
                                       "indicator", "wording_fr", "wording_en", NULL};
    out_t o;
    int f, i;

    if (out_open(&o, dir, "forms.csv") != 0)
        return -1;
    header(&o, cols);
    for (f = 0; f < NFORMS; f++)
        for (i = 0; i < forms[f].nitems; i++) {
            (void)indicator_index(forms[f].items[i].indicator);
            cell(&o, forms[f].code);
            cell(&o, forms[f].fr);
            cell(&o, forms[f].en);
            /* An item is named after its indicator, so that the same
             * question can be compared across forms. */
            cell(&o, forms[f].items[i].indicator);
            cell(&o, forms[f].items[i].indicator);
            cell(&o, forms[f].items[i].fr);
            cell(&o, forms[f].items[i].en);
            endrow(&o);
        }
    return out_close(&o);
}

/* ---- responses ---- */

#define NWAVES 3
static const char *const waves[NWAVES] = {"2010", "2011", "2012"};

typedef struct person_t {
    int nb, band, social, gender, effect;
} person_t;

static int
count_bands(const unsigned *w)
{
    int n = 0;

    while (n < MAXBANDS && w[n] > 0)
        n++;
    return n;
}

/* The life project of one respondent: '|'-separated needs and offers. */
static void
wishes(sp_rng_t *r, const wish_t *w, int n, int k, char *buf, size_t size)
{
    unsigned weight[16];
    char item[64];
    int i, j;

    buf[0] = '\0';
    for (i = 0; i < n; i++)
        weight[i] = w[i].weight;
    for (j = 0; j < k; j++) {
        i = pickw(r, weight, n);
        if (i < 0)
            break;
        weight[i] = 0;          /* one of each kind and theme */
        if (w[i].hi > 0)
            snprintf(item, sizeof item, "%s=%d:%s", w[i].kind, between(r, w[i].lo, w[i].hi),
                     w[i].theme);
        else
            snprintf(item, sizeof item, "%s:%s", w[i].kind, w[i].theme);
        append(buf, size, item);
    }
}

static const char *const genders[3] = {"F", "M", "X"};
static const unsigned gender_w[3] = {510, 478, 12};

static int
write_responses(const char *dir, uint64_t seed, const form_t *f, int stream)
{
    /* One file per form, without a 'form' column: import with --form. */
    static const char *const fixed[] = {"id", "wave", "neighbourhood", "age_band", "gender",
                                        "social_category", "weight", NULL};
    int npool = f->per_wave * 8 / 5, nbands = count_bands(f->band_w);
    int nsocial = count_bands(f->social_w);
    person_t *pool = calloc((size_t)npool, sizeof *pool);
    int *order = calloc((size_t)npool, sizeof *order);
    char name[64], buf[256];
    sp_rng_t r;
    out_t o;
    int i, k, w, status = -1;

    if (pool == NULL || order == NULL) {
        fprintf(stderr, "generate: out of memory\n");
        goto done;
    }
    seed_rng(&r, seed, (uint64_t)stream);
    /* Everyone the form could reach; each wave samples from them, so some
     * people answer several waves under the same id (a panel). */
    for (i = 0; i < npool; i++) {
        pool[i].nb = pickw(&r, nb_pop, NNB);
        pool[i].band = pickw(&r, f->band_w, nbands);
        pool[i].social = nsocial ? pickw(&r, f->social_w, nsocial) : -1;
        pool[i].gender = pickw(&r, gender_w, 3);
        pool[i].effect = noise(&r, 80);
        /* Adults: retired people are old and students young. */
        if (strcmp(f->code, "adults") == 0) {
            if (pool[i].band >= 3 && chance(&r, 850))
                pool[i].social = 2;
            else if (pool[i].social == 2 && pool[i].band <= 1)
                pool[i].social = 0;
            else if (pool[i].social == 3 && pool[i].band >= 2)
                pool[i].social = 5;
        }
    }
    snprintf(name, sizeof name, "responses-%s.csv", f->code);
    if (out_open(&o, dir, name) != 0)
        goto done;
    for (i = 0; fixed[i]; i++)
        cell(&o, fixed[i]);
    for (i = 0; i < f->nitems; i++)
        cell(&o, f->items[i].indicator);
    cell(&o, "needs");
    cell(&o, "offers");
    cell(&o, "comment");
    endrow(&o);

    for (w = 0; w < NWAVES; w++) {
        int nsample[NNB] = {0};
        long weight[NNB];

        /* A partial Fisher-Yates shuffle picks this wave's respondents,
         * then they are written in id order. */
        for (i = 0; i < npool; i++)
            order[i] = i;
        for (i = 0; i < f->per_wave; i++) {
            int j = i + (int)sp_rng_below(&r, (uint32_t)(npool - i)), t = order[i];

            order[i] = order[j];
            order[j] = t;
        }
        for (i = 1; i < f->per_wave; i++) {     /* insertion sort: small n */
            int v = order[i], j = i - 1;

            while (j >= 0 && order[j] > v) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
        /* Post-stratification by neighbourhood: each respondent speaks for
         * (population the form covers) / (respondents of the neighbourhood),
         * in 1e-4, so the weights of a wave add up to about that population. */
        for (i = 0; i < f->per_wave; i++)
            nsample[pool[order[i]].nb]++;
        for (k = 0; k < NNB; k++) {
            long target = (long)nb_pop[k] * f->share / 1000;

            weight[k] = nsample[k] ? (target * 10000 + nsample[k] / 2) / nsample[k] : 0;
        }
        for (i = 0; i < f->per_wave; i++) {
            const person_t *p = &pool[order[i]];
            int base = f->effect + nb_effect[p->nb] + w * (nb_trend[p->nb] + 5) + p->effect
                       + f->band_effect[p->band] + (p->social >= 0 ? f->social_effect[p->social] : 0);

            snprintf(buf, sizeof buf, "%s%04d", f->prefix, order[i] + 1);
            cell(&o, buf);
            cell(&o, waves[w]);
            cell(&o, nb_name[p->nb]);
            cell(&o, f->bands[p->band]);
            cell(&o, genders[p->gender]);
            cell(&o, p->social >= 0 ? f->socials[p->social] : "");
            cellx(&o, weight[p->nb], 4);
            for (k = 0; k < f->nitems; k++) {
                const indicator_t *d = &indicators[indicator_index(f->items[k].indicator)];
                int latent = d->base + base + tilt(f, d->code) + noise(&r, 170);
                int level = clamp(1 + fdiv(latent * d->nlevels, 1000), 1, d->nlevels);

                if (chance(&r, f->missing))
                    cell(&o, "");
                else
                    celli(&o, level);
            }
            buf[0] = '\0';
            if (chance(&r, f->needs_pm))
                wishes(&r, f->needs, f->nneeds, chance(&r, 300) ? 2 : 1, buf, sizeof buf);
            cell(&o, buf);
            buf[0] = '\0';
            if (chance(&r, f->offers_pm))
                wishes(&r, f->offers, f->noffers, chance(&r, 250) ? 2 : 1, buf, sizeof buf);
            cell(&o, buf);
            cell(&o, chance(&r, 40) ? comments[sp_rng_below(&r, NCOMMENTS)] : "");
            endrow(&o);
        }
    }
    status = out_close(&o);
done:
    free(pool);
    free(order);
    return status;
}

/* ---- criteria ---- */

/* One idea a group may approve: the question (w well-being, i ill-being,
 * a action), its full code OBJECT/SENSE/BENEFICIARY and its wording.  The
 * sense and beneficiary parts follow the grammar only: P (well-being),
 * N (ill-being), R (action) and a number; i oneself, f family, k children,
 * c the community, g future generations. */
typedef struct idea_t {
    char question;
    const char *code, *text;
} idea_t;

static const idea_t ideas[] = {
    {'w', "A01/P1/i", "Manger à sa faim tous les jours"},
    {'w', "A01-01/P2/k", "Des repas équilibrés pour mes enfants"},
    {'w', "A01/P3/f", "Partager un bon repas en famille"},
    {'i', "A01/N1/f", "Ne pas pouvoir remplir le frigo à la fin du mois"},
    {'i', "A01-01/N2/k", "La malbouffe à la cantine"},
    {'a', "A01/R1/c", "Cultiver un potager partagé avec les voisins"},
    {'a', "A01-01/R2/g", "Acheter des produits locaux et de saison"},
    {'w', "A02/P1/i", "Pouvoir consulter un médecin rapidement"},
    {'w', "A02/P2/i", "Être bien soigné sans avoir peur du coût"},
    {'i', "A02/N1/i", "Les délais pour voir un spécialiste"},
    {'i', "A02/N2/i", "Renoncer aux soins faute d'argent"},
    {'a', "A02/R1/c", "Accompagner un voisin âgé chez le médecin"},
    {'w', "A03-01/P1/f", "Un logement assez grand pour toute la famille"},
    {'w', "A03-02/P2/f", "Un loyer que l'on peut payer"},
    {'w', "A03/P3/i", "Se sentir chez soi"},
    {'i', "A03-01/N1/f", "L'humidité et le froid dans l'appartement"},
    {'i', "A03-02/N2/f", "Les charges qui augmentent sans cesse"},
    {'i', "A03/N3/f", "Attendre des années un logement social"},
    {'a', "A03/R1/c", "Entretenir les parties communes avec les autres locataires"},
    {'w', "A04/P1/k", "Pouvoir habiller correctement ses enfants"},
    {'i', "A04/N1/i", "Être jugé sur ses vêtements"},
    {'a', "A04/R1/c", "Donner les vêtements trop petits à une association"},
    {'w', "A05/P1/k", "Que mes enfants réussissent à l'école"},
    {'w', "A05/P2/i", "Apprendre toute sa vie"},
    {'i', "A05/N1/k", "Le décrochage scolaire des jeunes du quartier"},
    {'i', "A05/N2/i", "Ne pas maîtriser le français"},
    {'a', "A05/R1/k", "Aider les plus jeunes à faire leurs devoirs"},
    {'a', "A05/R2/i", "Suivre une formation pour changer de métier"},
    {'w', "A06-01/P1/i", "Avoir un travail stable"},
    {'w', "A06-02/P2/i", "Un travail où l'on est respecté"},
    {'i', "A06-01/N1/c", "Le chômage des jeunes"},
    {'i', "A06-02/N2/i", "Le stress et la pression au travail"},
    {'i', "A06-01/N3/c", "Les discriminations à l'embauche"},
    {'a', "A06/R1/c", "Parrainer un jeune qui cherche un stage"},
    {'w', "A07/P1/i", "Faire du sport avec des amis"},
    {'w', "A07/P2/i", "Aller au cinéma ou au concert"},
    {'w', "A07/P3/f", "Des vacances au moins une fois par an"},
    {'i', "A07/N1/c", "Rien à faire pour les jeunes le soir"},
    {'i', "A07/N2/k", "Les activités trop chères pour les enfants"},
    {'a', "A07/R1/c", "Animer un atelier de musique au centre social"},
    {'w', "A09/P1/i", "Une aide à domicile quand on vieillit"},
    {'w', "A09/P2/k", "Une place en crèche près de chez moi"},
    {'i', "A09/N1/k", "Ne pas trouver de garde d'enfants"},
    {'i', "A09/N2/i", "Rester seul quand on ne peut plus sortir"},
    {'a', "A09/R1/c", "Rendre des services dans la banque du temps"},
    {'w', "A11/P1/c", "Savoir ce qui se passe dans mon quartier"},
    {'w', "A11/P2/i", "Comprendre mes droits"},
    {'i', "A11/N1/i", "Ne pas être au courant des aides"},
    {'i', "A11/N2/c", "Les fausses rumeurs qui circulent"},
    {'a', "A11/R1/c", "Diffuser les informations du conseil de quartier"},
    {'w', "B00/P1/c", "Un quartier propre et calme"},
    {'w', "B00/P2/c", "Des espaces verts près de chez soi"},
    {'w', "B00/P3/c", "Des immeubles bien entretenus"},
    {'i', "B00/N1/c", "Les déchets dans la rue"},
    {'i', "B00/N2/c", "Le bruit la nuit"},
    {'i', "B00/N3/c", "Un quartier qui a mauvaise réputation"},
    {'a', "B00/R1/c", "Ramasser les papiers avec les voisins"},
    {'a', "B00/R2/c", "Fleurir son balcon"},
    {'w', "B02/P1/c", "Des transports en commun fréquents"},
    {'w', "B02/P2/k", "Des trottoirs praticables avec une poussette"},
    {'i', "B02/N1/c", "Le tram trop loin le soir"},
    {'i', "B02/N2/i", "Les ascenseurs toujours en panne"},
    {'a', "B02/R1/g", "Faire du covoiturage"},
    {'w', "C01/P1/i", "Être bien accueilli à la mairie"},
    {'w', "C01/P2/c", "Des services publics qui écoutent"},
    {'i', "C01/N1/i", "Les démarches administratives trop compliquées"},
    {'i', "C01/N2/i", "Se sentir un numéro au guichet"},
    {'a', "C01/R1/c", "Participer au conseil de quartier"},
    {'w', "C02/P1/c", "Des associations actives dans le quartier"},
    {'w', "C02/P2/c", "Des commerces de proximité"},
    {'i', "C02/N1/c", "Les commerces qui ferment"},
    {'a', "C02/R1/c", "S'engager comme bénévole dans une association"},
    {'w', "D01/P1/f", "Une famille unie"},
    {'w', "D01/P2/k", "Du temps avec mes enfants"},
    {'i', "D01/N1/f", "Les disputes à la maison"},
    {'i', "D01/N2/i", "Être loin de sa famille"},
    {'a', "D01/R1/k", "Prendre le temps d'écouter ses enfants"},
    {'w', "D02/P1/i", "Avoir des amis sur qui compter"},
    {'w', "D02/P2/c", "Dire bonjour à ses voisins"},
    {'i', "D02/N1/i", "La solitude"},
    {'i', "D02/N2/c", "L'indifférence entre voisins"},
    {'a', "D02/R1/c", "Organiser une fête des voisins"},
    {'a', "D02/R2/c", "Rendre visite à une personne seule"},
    {'w', "E01/P1/c", "Les mêmes chances pour tous"},
    {'w', "E01/P2/c", "Que personne ne soit laissé de côté"},
    {'i', "E01/N1/c", "Les inégalités entre les quartiers"},
    {'i', "E01/N2/i", "Être traité différemment à cause de son nom"},
    {'a', "E01/R1/c", "Donner au fonds de coresponsabilité"},
    {'w', "E02/P1/c", "Vivre ensemble entre cultures différentes"},
    {'w', "E02/P2/c", "Que jeunes et anciens se parlent"},
    {'i', "E02/N1/c", "Le racisme"},
    {'i', "E02/N2/c", "Les tensions entre bandes de jeunes"},
    {'a', "E02/R1/c", "Partager les recettes de son pays"},
    {'w', "F01/P1/i", "Être en bonne santé"},
    {'w', "F01/P2/i", "Bien dormir"},
    {'i', "F01/N1/i", "La fatigue"},
    {'i', "F01/N2/f", "La maladie d'un proche"},
    {'a', "F01/R1/i", "Marcher ou faire du vélo tous les jours"},
    {'w', "F02/P1/i", "Avoir l'esprit tranquille"},
    {'w', "F02/P2/i", "Être serein face à l'avenir"},
    {'i', "F02/N1/i", "Le stress permanent"},
    {'i', "F02/N2/i", "La dépression"},
    {'a', "F02/R1/i", "Parler de ses soucis sans honte"},
    {'w', "F03/P1/i", "Décider par soi-même"},
    {'w', "F03/P2/i", "Pouvoir se déplacer seul"},
    {'i', "F03/N1/i", "Dépendre des autres pour tout"},
    {'a', "F03/R1/i", "Apprendre à gérer son budget"},
    {'w', "G01/P1/i", "Être reconnu pour ce que l'on fait"},
    {'w', "G01/P2/i", "Avoir confiance en soi"},
    {'i', "G01/N1/i", "Se sentir inutile"},
    {'i', "G01/N2/i", "Le regard des autres"},
    {'a', "G01/R1/c", "Valoriser ce que chacun sait faire"},
    {'w', "G02/P1/c", "Se sentir en sécurité dans la rue"},
    {'w', "G02/P2/k", "Pouvoir laisser jouer les enfants dehors"},
    {'i', "G02/N1/c", "La peur le soir dans le quartier"},
    {'i', "G02/N2/c", "Le trafic devant l'immeuble"},
    {'a', "G02/R1/c", "Veiller les uns sur les autres"},
    {'w', "H01/P1/c", "Être utile aux autres"},
    {'w', "H01/P2/c", "Participer aux décisions qui nous concernent"},
    {'i', "H01/N1/c", "Que chacun ne pense qu'à soi"},
    {'i', "H01/N2/g", "Le gaspillage"},
    {'a', "H01/R1/g", "Réduire ses déchets"},
    {'a', "H01/R2/c", "Signer le pacte territorial et inviter un voisin"},
    {'a', "H01/R3/g", "Consommer moins d'énergie"},
    {'w', "H02/P1/c", "Le respect entre les gens"},
    {'w', "H02/P2/i", "Être accepté comme on est"},
    {'i', "H02/N1/c", "Les incivilités"},
    {'i', "H02/N2/i", "Les moqueries"},
    {'a', "H02/R1/c", "Dire bonjour et merci"},
};
#define NIDEAS N(ideas)

/* A homogeneous group: its kind, size, age band and place, its interest
 * in each family A..H, the component it cares most about, and the cycles
 * it met in (bit 0: 2006, bit 1: 2009). */
typedef struct group_t {
    const char *name, *kind;
    int size;
    const char *age, *nb;
    unsigned family_w[8];
    const char *favourite;
    int cycles;
} group_t;

static const group_t groups[] = {
    {"Jeunes de 16 à 25 ans", "age", 10, "16-25", "Bourtzwiller",
     {5, 2, 2, 3, 3, 2, 3, 2}, "A06", 3},
    {"Retraités", "age", 11, "65+", "Rebberg", {3, 3, 2, 4, 2, 3, 2, 3}, "D02", 3},
    {"Bénéficiaires des minima sociaux", "social", 9, "", "", {6, 2, 3, 2, 3, 2, 3, 1}, "A03", 3},
    {"Patients du centre hospitalier", "institution", 8, "", "", {3, 1, 3, 4, 2, 5, 3, 1}, "F02", 3},
    {"Parents d'élèves", "social", 12, "30-49", "Briand", {4, 2, 2, 4, 2, 2, 3, 2}, "A05", 3},
    {"Associations de migrants", "social", 10, "", "", {4, 2, 3, 3, 5, 2, 2, 2}, "E02", 3},
    {"Élèves du lycée Albert Schweitzer", "institution", 12, "15-18", "",
     {4, 2, 2, 4, 2, 3, 3, 2}, "A05", 3},
    {"Travailleurs sociaux", "social", 10, "", "", {4, 2, 4, 2, 4, 2, 2, 3}, "C01", 3},
    {"Habitants de Drouot-Barbanègre", "place", 11, "", "Drouot-Barbanègre",
     {3, 5, 2, 3, 3, 2, 3, 2}, "B00", 3},
    {"Habitants de Wolf-Wagner", "place", 9, "", "Wolf-Wagner", {3, 4, 2, 3, 2, 2, 2, 4}, "H01", 3},
    {"Agents du Parc zoologique", "institution", 10, "", "", {4, 2, 4, 2, 2, 2, 4, 3}, "G01", 1},
    {"Femmes des Coteaux", "place", 10, "", "Coteaux", {4, 3, 2, 4, 3, 2, 3, 2}, "G02", 3},
    {"Enfants du centre socioculturel", "age", 10, "8-11", "Haut-Poirier",
     {3, 3, 1, 5, 1, 2, 3, 2}, "A07", 2},
    {"Groupe mixte de la ville", "mixed", 12, "", "", {3, 3, 3, 3, 3, 3, 3, 3}, "H01", 2},
};
#define NGROUPS N(groups)

static int
write_criteria(const char *dir, uint64_t seed)
{
    static const char *const cols[] = {"group", "group_kind", "group_size", "age_band",
                                       "neighbourhood", "met_on", "cycle", "question", "text",
                                       "code", "taxonomy", NULL};
    static const char qs[3] = {'w', 'i', 'a'};
    static const char *const qname[3] = {"wellbeing", "illbeing", "action"};
    unsigned w[NIDEAS];
    char code[32];
    sp_rng_t r;
    out_t o;
    int g, c, q, i, k, n;

    seed_rng(&r, seed, 10);
    if (out_open(&o, dir, "criteria.csv") != 0)
        return -1;
    header(&o, cols);
    for (c = 0; c < 2; c++)
        for (g = 0; g < NGROUPS; g++) {
            const group_t *gr = &groups[g];
            /* One draw per statement: C leaves the order of arguments open. */
            int month = 2 + (int)sp_rng_below(&r, 4);
            int mday = 1 + (int)sp_rng_below(&r, 28);
            long met = day_of(c ? 2009 : 2006, month, mday);

            if (!(gr->cycles & (1 << c)))
                continue;
            for (q = 0; q < 3; q++) {
                n = q == 2 ? between(&r, 3, 6) : between(&r, 7, 12);
                for (i = 0; i < NIDEAS; i++) {
                    w[i] = 0;
                    if (ideas[i].question == qs[q]) {
                        w[i] = gr->family_w[ideas[i].code[0] - 'A'];
                        if (strncmp(ideas[i].code, gr->favourite, 3) == 0)
                            w[i] *= 4;
                    }
                }
                for (k = 0; k < n; k++) {
                    const idea_t *idea;
                    int depth;

                    if ((i = pickw(&r, w, NIDEAS)) < 0)
                        break;
                    w[i] = 0;           /* one idea once per group and question */
                    idea = &ideas[i];
                    cell(&o, gr->name);
                    cell(&o, gr->kind);
                    celli(&o, gr->size);
                    cell(&o, gr->age);
                    cell(&o, gr->nb);
                    celld(&o, met);
                    celli(&o, c + 1);
                    cell(&o, qname[q]);
                    cell(&o, idea->text);
                    /* Facilitators coded most ideas, some only to the object
                     * or the sense; the rest wait for the coding help.  The
                     * second cycle is less coded: it is more recent. */
                    depth = (int)sp_rng_below(&r, 100);
                    strcpy(code, idea->code);
                    if (depth < (c ? 22 : 10))
                        code[0] = '\0';
                    else if (depth < 30)
                        *strchr(code, '/') = '\0';
                    else if (depth < 42)
                        *strrchr(code, '/') = '\0';
                    cell(&o, code);
                    cell(&o, "");
                    endrow(&o);
                }
            }
        }
    return out_close(&o);
}

/* ---- actions and evaluations ---- */

typedef struct impact_t {
    const char *component;
    int expected;               /* ex-ante, in tenths of a point on -2..+2 */
    int after;                  /* ex-post, in tenths */
} impact_t;

typedef struct action_t {
    const char *code, *title, *summary, *nb, *started, *ended;
    const char *themes, *problematiques, *components, *actors, *sectors, *keywords;
    const char *coresp, *impact, *savings, *plan;
    impact_t impacts[6];
    int groups;                 /* bit mask of evaluator groups */
    int ex_post;                /* 1: evaluated after as well */
} action_t;

#define PLAN1 "PAL-2007-2012"
#define PLAN2 "PAL-2013"

/* Summaries paraphrase section II of the plan; dates and scores are invented. */
static const action_t actions[] = {
    {"CSM", "Le Contrat Social Multipartite (CSM)",
     "Parcours d'inclusion de dix mois où des bénéficiaires du RSA, à partir de leurs critères de "
     "bien-être, définissent avec les institutions les engagements de chacun.",
     "", "2007-09-01", "2012-12-31",
     "inclusion|emploi|logement", "vie-10|vie-3|relations-4", "A06|A03|G01|C01|D02",
     "service de l'action sociale|bénéficiaires du RSA|psychologue|metteur en scène|anciens partenaires-bénéficiaires",
     "social|culture", "RSA|parcours|exclusion|contrat",
     "Bénéficiaires, institutions et professionnels signent un contrat où chacun s'engage.",
     "Estime de soi, accès à l'emploi et au logement des personnes les plus exclues.",
     "Meilleur usage des aides existantes, mieux ciblées.", PLAN1,
     {{"A06", 12, 10}, {"A03", 8, 6}, {"G01", 15, 17}, {"C01", 10, 8}, {"D02", 8, 10}, {NULL, 0, 0}},
     0x1f, 1},
    {"IGLOO", "Insertion Globale par le Logement et l'Emploi (IGLOO)",
     "Un projet global pour des familles, dans le cadre d'un contrat multipartite : coups de pouce "
     "aux plus jeunes, ateliers linguistiques, chantiers d'insertion, accès au logement.",
     "Coteaux", "2008-03-01", "2012-06-30",
     "logement|emploi|famille", "vie-5|vie-3|vie-10", "A03|A06|A05|D01",
     "service habitat|bailleurs sociaux|familles|chantiers d'insertion",
     "logement|insertion", "habitat|chantier|famille|langue",
     "Bailleurs, service habitat et familles construisent ensemble le parcours.",
     "Un logement à soi, un emploi, la réussite des enfants.",
     "Logements rénovés par les chantiers, moins de vacance.", PLAN1,
     {{"A03", 16, 14}, {"A06", 10, 6}, {"A05", 6, 6}, {"D01", 5, 8}, {"B00", 3, 3}, {NULL, 0, 0}},
     0x1f, 1},
    {"APPRENDRE", "Apprendre la responsabilité partagée, un enjeu pour les générations futures",
     "Avec des jeunes, un processus de concertation pour inventer de nouvelles formes de "
     "coresponsabilité, générations futures comprises.",
     "", "2008-09-01", "2011-06-30",
     "jeunesse|citoyenneté", "vie-2|relations-2", "H01|A05|A07|E02",
     "service jeunesse|Auberge de jeunesse de Mulhouse|jeunes",
     "jeunesse|éducation populaire", "jeunes|citoyenneté|générations futures",
     "Jeunes, animateurs et service jeunesse décident ensemble des projets.",
     "Engagement des jeunes, loisirs, formation.",
     "Sensibilisation à l'usage des ressources.", PLAN1,
     {{"H01", 14, 0}, {"A05", 6, 0}, {"A07", 8, 0}, {"E02", 6, 0}, {"B00", 2, 0}, {NULL, 0, 0}},
     0x0f, 0},
    {"DROUOT", "Drouot-Barbanègre : Ensemble pour le bien-être de tous !",
     "La méthode du territoire de coresponsabilité à l'échelle d'un quartier, à partir du bien-être "
     "et du mal-être exprimés par les habitants, y compris les habitants silencieux.",
     "Drouot-Barbanègre", "2007-10-01", "2012-12-31",
     "quartier|participation", "vie-4|relations-4", "B00|D02|E02|C01",
     "habitants|conseil de quartier|centre socioculturel|bailleurs sociaux",
     "politique de la ville|social", "quartier|concertation|plan d'action",
     "Habitants et acteurs du quartier élaborent un plan d'action concerté.",
     "Cadre de vie, liens entre voisins, vivre ensemble.",
     "Espaces partagés mieux utilisés.", PLAN1,
     {{"B00", 12, 4}, {"D02", 10, 6}, {"E02", 8, 4}, {"C01", 8, 2}, {"H01", 6, 4}, {NULL, 0, 0}},
     0x1f, 1},
    {"QUARTIER-ENFANT", "Il faut tout un quartier pour éduquer un enfant",
     "Une dynamique de concertation entre acteurs et habitants autour de l'éducation des enfants "
     "et des jeunes trop souvent livrés à eux-mêmes, et du désarroi des parents.",
     "", "2008-01-15", "",
     "éducation|enfance|parentalité", "vie-1|vie-5", "A05|D01|G02|A07",
     "parents|écoles|centres sociaux|associations sportives|habitants",
     "éducation|social", "enfants|parents|éducation partagée",
     "Parents, écoles et associations se partagent l'encadrement des enfants.",
     "Réussite et sécurité des enfants, soutien aux parents.",
     "Locaux scolaires ouverts en dehors des heures de classe.", PLAN1,
     {{"A05", 12, 0}, {"D01", 10, 0}, {"G02", 8, 0}, {"A07", 6, 0}, {NULL, 0, 0}},
     0x1f, 0},
    {"CONSO", "Les rendez-vous de la consommation responsable",
     "Avec des habitants volontaires de Wolf-Wagner, voir si des choix de consommation et "
     "d'épargne différents ont un impact sur le bien-être.",
     "Wolf-Wagner", "2009-02-01", "2011-12-31",
     "consommation|environnement", "vie-4|ressources-1|ressources-4", "A01|H01|B00|E01",
     "habitants volontaires|associations de consommateurs|commerçants",
     "consommation|environnement", "consommation responsable|épargne|circuits courts",
     "Consommateurs et commerçants discutent des choix d'achat.",
     "Alimentation, sentiment d'être utile.",
     "Moins de déchets et d'énergie consommés.", PLAN1,
     {{"A01", 10, 12}, {"H01", 12, 14}, {"B00", 6, 6}, {"E01", 2, 0}, {NULL, 0, 0}},
     0x0f, 1},
    {"OLDS", "L'Observatoire Local Dynamique de Santé",
     "Une image de la santé des habitants à l'échelle du quartier, à partir de la santé "
     "communautaire, avec des indicateurs construits en concertation.",
     "", "2009-06-01", "",
     "santé|observation", "vie-9", "A02|F01|A11",
     "atelier santé ville|habitants|professionnels de santé",
     "santé", "santé communautaire|indicateurs|observatoire",
     "Habitants et professionnels de santé construisent ensemble les indicateurs.",
     "Accès aux soins, information sur la santé.",
     "Prévention plutôt que soins.", PLAN1,
     {{"A02", 10, 0}, {"F01", 8, 0}, {"A11", 12, 0}, {"C01", 4, 0}, {NULL, 0, 0}},
     0x0e, 0},
    {"LAS", "Lycée Albert Schweitzer : lycée de coresponsabilité",
     "Améliorer l'image du lycée, faire adhérer tous ses membres à un projet concerté, améliorer "
     "la réussite et le bien-être de la communauté éducative ; généralisé à tout le lycée.",
     "", "2007-09-01", "",
     "éducation|jeunesse", "vie-1|vie-2", "A05|G01|C01|H02",
     "élèves|enseignants|personnel du lycée|parents",
     "éducation", "lycée|réussite scolaire|projet d'établissement",
     "Élèves, enseignants et personnel définissent ensemble le projet d'établissement.",
     "Réussite scolaire, estime de soi, respect.",
     "Moins de dégradations des locaux.", PLAN1,
     {{"A05", 12, 14}, {"G01", 10, 12}, {"C01", 8, 10}, {"H02", 10, 12}, {NULL, 0, 0}},
     0x1f, 1},
    {"ZOO", "Le Parc zoologique : un service de coresponsabilité",
     "La méthode appliquée à un service de la mairie pour améliorer le bien-être des agents tout "
     "en accroissant leur performance et celle du service.",
     "", "2008-04-01", "",
     "travail|service public", "vie-3", "A06|G01|C01|B00",
     "agents du parc|encadrement|visiteurs|élus",
     "service public|environnement", "agents|bien-être au travail|performance",
     "Agents, encadrement et élus partagent les objectifs du service.",
     "Conditions de travail et reconnaissance des agents.",
     "Meilleure organisation, moins de gaspillage.", PLAN1,
     {{"A06", 10, 12}, {"G01", 12, 16}, {"C01", 6, 8}, {"B00", 4, 4}, {NULL, 0, 0}},
     0x07, 1},
    {"PSY", "Bien-être dans la cité et troubles psychiatriques",
     "La méthode appliquée au centre hospitalier en impliquant patients, professionnels et "
     "familles, puis ouverte vers les quartiers.",
     "", "2008-10-01", "",
     "santé mentale|inclusion", "vie-9|vie-10", "A02|F02|D02|A03",
     "patients|soignants|familles|centre hospitalier",
     "santé|social", "psychiatrie|inclusion|quartier",
     "Patients, soignants et familles partagent les décisions sur le parcours.",
     "Équilibre psychique, liens sociaux, logement.",
     "Moins d'hospitalisations longues.", PLAN1,
     {{"A02", 10, 0}, {"F02", 12, 0}, {"D02", 10, 0}, {"A03", 6, 0}, {"G01", 8, 0}, {NULL, 0, 0}},
     0x1f, 0},
    {"PACTE", "Pacte territorial",
     "Inviter chaque habitant et chaque acteur à signer le pacte et à inviter une personne de plus "
     "chaque trimestre.",
     "", "2013-01-15", "",
     "mobilisation|citoyenneté", "vie-4", "H01|C01",
     "ville|habitants|associations|entreprises",
     "citoyenneté", "pacte|engagement|invitation",
     "Chaque signataire s'engage et invite.",
     "Participation et sentiment d'être utile.",
     "Engagement à rester dans les limites de ressources.", PLAN2,
     {{"H01", 12, 0}, {"C01", 6, 0}, {NULL, 0, 0}},
     0x0f, 0},
    {"BANQUE-TEMPS", "Banque du temps",
     "Échanger des services sur la base du temps passé, une heure valant une heure, avec du temps "
     "donné au projet territorial.",
     "", "2013-03-01", "",
     "temps|solidarité", "ressources-3|relations-4", "D02|A09|H01",
     "habitants|associations|groupe de coordination",
     "solidarité", "banque du temps|échange|bénévolat",
     "Chacun donne et reçoit du temps.",
     "Liens entre voisins, aide au quotidien.",
     "Services rendus sans dépense d'argent.", PLAN2,
     {{"D02", 12, 0}, {"A09", 10, 0}, {"H01", 10, 0}, {NULL, 0, 0}},
     0x0f, 0},
    {"FONDS", "Fonds volontaire de coresponsabilité",
     "Mutualiser fonds publics et épargne privée au service du projet territorial, alloués chaque "
     "trimestre par le groupe de coordination.",
     "", "2013-03-01", "",
     "argent|solidarité", "ressources-4", "E01|H01",
     "ville|épargnants|entreprises|groupe de coordination",
     "finance solidaire", "fonds|épargne|mutualisation",
     "Contributeurs et groupe de coordination décident ensemble des allocations.",
     "Équité, projets des habitants financés.",
     "Ressources existantes mieux utilisées.", PLAN2,
     {{"E01", 10, 0}, {"H01", 8, 0}, {NULL, 0, 0}},
     0x07, 0},
};
#define NACTIONS N(actions)

static int
write_actions(const char *dir)
{
    static const char *const cols[] = {"code", "title", "summary", "country", "town",
                                       "neighbourhood", "started_on", "ended_on", "themes",
                                       "problematiques", "components", "actors", "sectors",
                                       "keywords", "coresponsibility", "wellbeing_impact",
                                       "resource_savings", "plan", NULL};
    out_t o;
    int i;

    if (out_open(&o, dir, "actions.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NACTIONS; i++) {
        const action_t *a = &actions[i];

        cell(&o, a->code);
        cell(&o, a->title);
        cell(&o, a->summary);
        cell(&o, "FR");
        cell(&o, "Mulhouse");
        cell(&o, a->nb);
        cell(&o, a->started);
        cell(&o, a->ended);
        cell(&o, a->themes);
        cell(&o, a->problematiques);
        cell(&o, a->components);
        cell(&o, a->actors);
        cell(&o, a->sectors);
        cell(&o, a->keywords);
        cell(&o, a->coresp);
        cell(&o, a->impact);
        cell(&o, a->savings);
        cell(&o, a->plan);
        endrow(&o);
    }
    return out_close(&o);
}

typedef struct evaluator_t {
    const char *code, *kind;
    int bias;                   /* tenths of a point */
} evaluator_t;

static const evaluator_t evaluators[] = {
    {"HABITANTS", "inhabitants", 0},
    {"PROFESSIONNELS", "professionals", -2},
    {"ELUS", "elected", 5},
    {"ASSOCIATIONS", "associations", 1},
    {"BENEFICIAIRES", "beneficiaries", 2},
};
#define NEVAL N(evaluators)

/* Strong disagreements planted on purpose, so that the co-evaluation tools
 * have something to show: (action, phase, group, component) -> score. */
typedef struct override_t {
    const char *action;
    int post;
    const char *group, *component;
    int score;
    const char *comment;
} override_t;

static const override_t overrides[] = {
    {"DROUOT", 1, "HABITANTS", "B00", -2, "Rien n'a changé dans nos rues"},
    {"DROUOT", 1, "ELUS", "B00", 2, "Nouveaux aménagements réalisés"},
    {"PSY", 0, "BENEFICIAIRES", "D02", -2, "Le regard des voisins reste dur"},
    {"PSY", 0, "PROFESSIONNELS", "D02", 2, "Les sorties dans le quartier se multiplient"},
    {"ZOO", 0, "PROFESSIONNELS", "A06", -1, "Crainte d'une charge de travail accrue"},
    {"ZOO", 0, "ELUS", "A06", 2, "Un service plus efficace"},
    {"CONSO", 0, "HABITANTS", "A01", 2, "Mieux manger pour moins cher"},
    {"CONSO", 0, "ASSOCIATIONS", "A01", -2, "Produits locaux trop chers pour les familles"},
    {"CSM", 1, "BENEFICIAIRES", "A06", -1, "Peu d'emplois durables à la sortie"},
    {"CSM", 1, "ELUS", "A06", 2, "Des contrats signés"},
};

static const override_t *
find_override(const char *action, int post, const char *group, const char *component)
{
    int i;

    for (i = 0; i < N(overrides); i++)
        if (strcmp(overrides[i].action, action) == 0 && overrides[i].post == post
            && strcmp(overrides[i].group, group) == 0
            && strcmp(overrides[i].component, component) == 0)
            return &overrides[i];
    return NULL;
}

static int
write_evaluations(const char *dir, uint64_t seed)
{
    static const char *const cols[] = {"plan", "action", "evaluator_group", "evaluator_kind",
                                       "phase", "grid", "component", "score", "comment",
                                       "evaluated_on", NULL};
    sp_rng_t r;
    out_t o;
    int i, g, k, post;

    seed_rng(&r, seed, 20);
    if (out_open(&o, dir, "evaluations.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NACTIONS; i++) {
        const action_t *a = &actions[i];
        int sy = 0, sm = 0, sd = 0;

        sscanf(a->started, "%d-%d-%d", &sy, &sm, &sd);

        for (post = 0; post <= a->ex_post; post++)
            for (g = 0; g < NEVAL; g++) {
                long day;

                if (!(a->groups & (1 << g)))
                    continue;
                /* Ex-ante in the months before the start; ex-post in 2012. */
                if (post) {
                    int month = between(&r, 9, 12);

                    day = day_of(2012, month, between(&r, 1, 28));
                } else {
                    day = day_of(sy, sm, sd) - between(&r, 20, 120);
                }
                for (k = 0; k < 6 && a->impacts[k].component; k++) {
                    const impact_t *im = &a->impacts[k];
                    const override_t *ov = find_override(a->code, post, evaluators[g].code,
                                                         im->component);
                    int v = (post ? im->after : im->expected) + evaluators[g].bias
                            + noise(&r, 6);
                    int score = clamp(fdiv(v + 5, 10), -2, 2);
                    const char *comment = "";

                    if (ov) {
                        score = ov->score;
                        comment = ov->comment;
                    }
                    cell(&o, a->plan);
                    cell(&o, a->code);
                    cell(&o, evaluators[g].code);
                    cell(&o, evaluators[g].kind);
                    cell(&o, post ? "ex-post" : "ex-ante");
                    cell(&o, "europe");
                    cell(&o, im->component);
                    celli(&o, score);
                    cell(&o, comment);
                    celld(&o, day);
                    endrow(&o);
                }
            }
    }
    return out_close(&o);
}

/* ---- resources, limits, usage ---- */

typedef struct resource_t {
    const char *code, *fr, *en, *unit, *renewable;
    int per_person_2008;        /* in 1/1000 of the unit per person and year */
    int change_per_year;        /* same unit */
} resource_t;

static const resource_t resources[] = {
    {"co2e", "Gaz à effet de serre", "Greenhouse gases", "t CO2e", "yes", 7600, -150},
    {"energy_fossil", "Énergie d'origine fossile", "Fossil energy", "MWh", "no", 19000, -300},
    {"water", "Eau douce (usage consommatif)", "Fresh water (consumptive use)", "m3", "yes",
     620000, -8000},
    {"land", "Biocapacité (empreinte écologique)", "Biocapacity (ecological footprint)", "gha",
     "yes", 4800, -50},
};
#define NRES N(resources)

static int
write_resources(const char *dir)
{
    static const char *const cols[] = {"code", "label_fr", "label_en", "unit", "renewable", NULL};
    out_t o;
    int i;

    if (out_open(&o, dir, "resources.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NRES; i++) {
        cell(&o, resources[i].code);
        cell(&o, resources[i].fr);
        cell(&o, resources[i].en);
        cell(&o, resources[i].unit);
        cell(&o, resources[i].renewable);
        endrow(&o);
    }
    return out_close(&o);
}

static int
write_limits(const char *dir)
{
    static const char *const cols[] = {"resource", "scope", "amount", "unit", "horizon_year",
                                       "source", NULL};
    static const char *const rows[][6] = {
        {"co2e", "person", "2", "t CO2e", "2050",
         "Stratégie nationale bas-carbone (France) et ADEME : 2 t CO2e par personne et par an "
         "en 2050 (fourchette 1,6 à 2,8 t)"},
        {"co2e", "territory", "220000", "t CO2e", "2050",
         "Calculé : 2 t CO2e par personne × 110 000 habitants (population du jeu de données)"},
        {"energy_fossil", "person", "0", "MWh", "",
         "Plan d'action de Mulhouse 2013, pacte territorial (engagement 6) : projet territorial "
         "sans utilisation de ressources non renouvelables"},
        {"water", "person", "500", "m3", "",
         "Limite planétaire de l'eau douce (4 000 km3 par an, Rockström et al. 2009) rapportée à "
         "la population mondiale : environ 500 m3 par personne et par an"},
        {"water", "world", "4000", "km3", "",
         "Limite planétaire de l'eau douce : 4 000 km3 par an (Rockström et al. 2009)"},
        {"land", "person", "1.6", "gha", "",
         "Global Footprint Network : biocapacité de la Terre d'environ 1,6 hectare global par "
         "personne"},
    };
    out_t o;
    int i, k;

    if (out_open(&o, dir, "limits.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < N(rows); i++) {
        for (k = 0; k < 6; k++)
            cell(&o, rows[i][k]);
        endrow(&o);
    }
    return out_close(&o);
}

static int
write_usage(const char *dir, uint64_t seed)
{
    static const char *const cols[] = {"resource", "year", "amount", "neighbourhood", "source",
                                       NULL};
    static const char *const source = "Synthétique (datasets/mulhouse/generate.c)";
    static const int named[4] = {0, 1, 2, 3};   /* the four neighbourhoods the plan names */
    sp_rng_t r;
    out_t o;
    int i, y, k;

    seed_rng(&r, seed, 30);
    if (out_open(&o, dir, "usage.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NRES; i++)
        for (y = 0; y < 6; y++) {
            long long per = resources[i].per_person_2008
                            + (long long)y * resources[i].change_per_year;
            long long total = per * 110000 / 1000;

            /* Territory: a few per mille of year-to-year noise. */
            total += total * noise(&r, 8) / 1000;
            cell(&o, resources[i].code);
            celli(&o, 2008 + y);
            celli(&o, total);
            cell(&o, "");
            cell(&o, source);
            endrow(&o);
            if (i > 1)
                continue;       /* neighbourhood figures: CO2e and fossil energy only */
            for (k = 0; k < 4; k++) {
                long long part = per * nb_pop[named[k]] / 1000;

                part += part * (noise(&r, 40) - 30) / 1000;
                cell(&o, resources[i].code);
                celli(&o, 2008 + y);
                celli(&o, part);
                cell(&o, nb_name[named[k]]);
                cell(&o, source);
                endrow(&o);
            }
        }
    return out_close(&o);
}

/* ---- consumption meter ---- */

#define NHOUSEHOLDS 2000

static int
write_meter(const char *dir, uint64_t seed)
{
    static const char *const cols[] = {"household", "neighbourhood", "household_size",
                                       "answered_on", "car_km_per_week", "flights_per_year",
                                       "meat_meals_per_week", "heating", "surface_m2",
                                       "goods_eur_per_month", NULL};
    static const unsigned size_w[6] = {35, 33, 14, 11, 5, 2};
    static const char *const heating[6] = {"gas", "district", "electric", "fuel_oil", "wood",
                                           "heat_pump"};
    static const unsigned heating_w[6] = {45, 20, 15, 10, 5, 5};
    long first = day_of(2013, 1, 7);
    char id[16];
    sp_rng_t r;
    out_t o;
    int i;

    seed_rng(&r, seed, 40);
    if (out_open(&o, dir, "meter.csv") != 0)
        return -1;
    header(&o, cols);
    for (i = 0; i < NHOUSEHOLDS; i++) {
        int size = 1 + pickw(&r, size_w, 6), nb = pickw(&r, nb_pop, NNB);
        int km = 0, flights, meat, surface, goods;

        /* One draw per statement: C leaves the order of operands open. */
        if (!chance(&r, 300)) {
            int near = between(&r, 10, 150), far = between(&r, 0, 250);

            km = near + far * (int)sp_rng_below(&r, 3);
        }
        flights = chance(&r, 700) ? 0 : chance(&r, 700) ? between(&r, 1, 2) : between(&r, 3, 8);
        meat = 6 + noise(&r, 3000) / 1000;
        if (chance(&r, 80))
            meat -= 6;          /* vegetarians */
        meat = clamp(meat, 0, 14);
        surface = 25 + 15 * size + between(&r, 0, 40) + (nb == 7 || nb == 4 ? 30 : 0);
        goods = 60 + 40 * size + between(&r, 0, 300);

        snprintf(id, sizeof id, "H%04d", i + 1);
        cell(&o, id);
        cell(&o, chance(&r, 10) ? "" : nb_name[nb]);
        celli(&o, size);
        celld(&o, first + (long)sp_rng_below(&r, 350));
        /* About 3% of the answers are left empty. */
        if (chance(&r, 30)) cell(&o, ""); else celli(&o, km);
        if (chance(&r, 30)) cell(&o, ""); else celli(&o, flights);
        if (chance(&r, 30)) cell(&o, ""); else celli(&o, meat);
        if (chance(&r, 30)) cell(&o, ""); else cell(&o, heating[pickw(&r, heating_w, 6)]);
        if (chance(&r, 30)) cell(&o, ""); else celli(&o, surface);
        if (chance(&r, 30)) cell(&o, ""); else celli(&o, goods);
        endrow(&o);
    }
    return out_close(&o);
}

/* ---- pact and invitations ---- */

#define MAXSIGNERS 20000
#define MAXINVITES 60000
#define NFOUNDERS 27
#define NQUARTERS 12            /* 2013-Q1 .. 2015-Q4 */

typedef struct signer_t {
    long day;
    int org, nb, charter;
    const char *name;
    int by;                     /* index of the inviter, -1 for a founder */
    int number;                 /* S-number, in order of signature */
} signer_t;

typedef struct invite_t {
    long day;
    int from, to;               /* to: signer index, or -1 when not accepted */
} invite_t;

static const char *const founder_orgs[] = {
    "Ville de Mulhouse", "Lycée Albert Schweitzer", "Parc zoologique de Mulhouse",
    "Auberge de jeunesse de Mulhouse", "Centre hospitalier (pôle de psychiatrie)",
    "Centre socioculturel de Drouot-Barbanègre", "Association des habitants de Wolf-Wagner",
    "Conseil de quartier de Briand", "Association des locataires des Coteaux",
};
static const char *const org_kinds[] = {
    "Association des habitants", "Club sportif", "Amicale des locataires", "École élémentaire",
    "Association de parents", "Commerces de proximité",
};
#define NORGKINDS N(org_kinds)

/* Sort by date, then by order of creation (stable): inviters come first. */
static int
by_day(const void *a, const void *b)
{
    const signer_t *x = *(const signer_t *const *)a, *y = *(const signer_t *const *)b;

    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int
by_invite_day(const void *a, const void *b)
{
    const invite_t *x = a, *y = b;

    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

static int
write_pact(const char *dir, uint64_t seed)
{
    static const char *const pcols[] = {"signatory", "kind", "name", "neighbourhood", "signed_on",
                                        "invited_by", "document", NULL};
    static const char *const icols[] = {"inviter", "invitee", "invited_on", NULL};
    signer_t *s = calloc(MAXSIGNERS, sizeof *s);
    signer_t **sorted = calloc(MAXSIGNERS, sizeof *sorted);
    invite_t *inv = calloc(MAXINVITES, sizeof *inv);
    char (*orgname)[96] = calloc(NORGKINDS * NNB, sizeof *orgname);
    int used[NORGKINDS * NNB] = {0};
    long horizon = day_of(2015, 12, 31);
    int n = 0, ninv = 0, i, q, pending = 0, status = -1;
    char id[16];
    sp_rng_t r;
    out_t o;

    if (s == NULL || sorted == NULL || inv == NULL || orgname == NULL) {
        fprintf(stderr, "generate: out of memory\n");
        goto done;
    }
    seed_rng(&r, seed, 50);
    for (i = 0; i < NFOUNDERS; i++) {
        s[n].day = day_of(2013, 1, 10) + sp_rng_below(&r, 21);
        s[n].org = i < N(founder_orgs);
        s[n].name = s[n].org ? founder_orgs[i] : NULL;
        s[n].charter = s[n].org && i % 3 == 1;
        s[n].nb = s[n].org && i >= 5 ? (i == 5 ? 0 : i == 6 ? 1 : i == 7 ? 2 : 3)
                : s[n].org ? -1 : pickw(&r, nb_pop, NNB);
        s[n].by = -1;
        n++;
    }
    /* Each quarter, signers still active invite one or two people; they
     * tire (half of them drop out each quarter), and fewer invitees accept
     * as time goes by: the chains double at first, then stall. */
    for (q = 0; q < NQUARTERS; q++) {
        long qs = quarter_start(2013, q), qe = quarter_start(2013, q + 1) - 1;
        int accept = 950 - 110 * q, count = n;

        if (accept < 100)
            accept = 100;
        for (i = 0; i < count; i++) {
            long age_q, first;
            int active = 950, k, m;

            if (s[i].day >= qe)
                continue;
            age_q = (s[i].day >= qs) ? 0 : (qs - s[i].day) / 91;
            for (k = 0; k < age_q; k++)
                active = active / 2;
            if (!chance(&r, active))
                continue;
            m = chance(&r, 450) ? 2 : 1;
            first = s[i].day + 1 > qs ? s[i].day + 1 : qs;
            for (k = 0; k < m && ninv < MAXINVITES; k++) {
                long day = first + sp_rng_below(&r, (uint32_t)(qe - first + 1));
                long signs = day + 1 + sp_rng_below(&r, 45);

                inv[ninv].day = day;
                inv[ninv].from = i;
                inv[ninv].to = -1;
                if (chance(&r, accept) && signs <= horizon && n < MAXSIGNERS) {
                    signer_t *t = &s[n];

                    t->day = signs;
                    t->by = i;
                    t->org = chance(&r, 40);
                    t->nb = pickw(&r, nb_pop, NNB);
                    if (t->org) {
                        int slot = (int)sp_rng_below(&r, NORGKINDS) * NNB + t->nb;

                        if (used[slot]++ == 0) {
                            snprintf(orgname[slot], sizeof orgname[slot], "%s (%s)",
                                     org_kinds[slot / NNB], nb_name[t->nb]);
                            t->name = orgname[slot];
                            t->charter = chance(&r, 500);
                        } else {
                            t->org = 0;     /* that one has signed already */
                        }
                    }
                    if (chance(&r, 80))
                        t->nb = -1;         /* neighbourhood not given */
                    inv[ninv].to = n++;
                } else {
                    pending++;
                }
                ninv++;
            }
        }
    }

    for (i = 0; i < n; i++)
        sorted[i] = &s[i];
    qsort(sorted, (size_t)n, sizeof *sorted, by_day);
    for (i = 0; i < n; i++)
        sorted[i]->number = i + 1;
    if (out_open(&o, dir, "pact.csv") != 0)
        goto done;
    header(&o, pcols);
    for (i = 0; i < n; i++) {
        const signer_t *t = sorted[i];

        snprintf(id, sizeof id, "S%05d", t->number);
        cell(&o, id);
        cell(&o, t->org ? "organisation" : "person");
        cell(&o, t->org ? t->name : "");
        cell(&o, t->nb >= 0 ? nb_name[t->nb] : "");
        celld(&o, t->day);
        if (t->by >= 0) {
            snprintf(id, sizeof id, "S%05d", s[t->by].number);
            cell(&o, id);
        } else {
            cell(&o, "");
        }
        cell(&o, t->charter ? "charter" : "pact");
        endrow(&o);
    }
    if (out_close(&o) != 0)
        goto done;

    qsort(inv, (size_t)ninv, sizeof *inv, by_invite_day);
    if (out_open(&o, dir, "invitations.csv") != 0)
        goto done;
    header(&o, icols);
    pending = 0;
    for (i = 0; i < ninv; i++) {
        snprintf(id, sizeof id, "S%05d", s[inv[i].from].number);
        cell(&o, id);
        if (inv[i].to >= 0)
            snprintf(id, sizeof id, "S%05d", s[inv[i].to].number);
        else
            snprintf(id, sizeof id, "X%05d", ++pending);   /* never signed */
        cell(&o, id);
        celld(&o, inv[i].day);
        endrow(&o);
    }
    status = out_close(&o);
done:
    free(s);
    free(sorted);
    free(inv);
    free(orgname);
    return status;
}

/* ---- time bank and fund ---- */

#define NMEMBERS 120
#define NLQUARTERS 8            /* 2013-Q1 .. 2014-Q4 */

typedef struct project_t {
    const char *code, *label;
} project_t;

static const project_t projects[] = {
    {"p-jardins-partages", "Jardins partagés"},
    {"p-accompagnement-scolaire", "Accompagnement scolaire"},
    {"p-repair-cafe", "Atelier de réparation"},
    {"p-visites-aines", "Visites aux personnes âgées isolées"},
};
#define NPROJECTS N(projects)

static const char *const services[] = {
    "jardinage", "bricolage", "garde d'enfants", "cours de langue", "informatique",
    "accompagnement", "couture", "cuisine", "déménagement", "lecture",
};

/* One transfer of the ledger file. */
typedef struct move_t {
    long day;
    int seq;                    /* order of drawing: breaks ties of day */
    int ledger;                 /* 0 time (half-hours), 1 fund (euros) */
    char from[32], to[32];
    long amount;
    const char *category, *memo;
} move_t;

static void
member_code(int i, char *out, size_t size)
{
    snprintf(out, size, "m-%03d", i + 1);
}

static int
by_move_day(const void *a, const void *b)
{
    const move_t *x = a, *y = b;

    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
write_ledger(const char *dir, uint64_t seed)
{
    static const char *const acols[] = {"ledger", "code", "kind", "label", "min_balance",
                                        "max_balance", NULL};
    static const char *const tcols[] = {"ledger", "date", "from", "to", "amount", "category",
                                        "memo", NULL};
    static const char *const contributors[3][3] = {
        {"c-ville", "organisation", "Ville (fonds publics)"},
        {"c-entreprises", "organisation", "Entreprises partenaires"},
        {"c-epargnants", "member", "Épargnants (collectif)"},
    };
    static const long contributor_floor[3] = {-60000, -20000, -30000};
    long balance[NMEMBERS] = {0}, territorial = 0, fund = 0, given[3] = {0};
    move_t batch[64], *mv;
    char code[32];
    sp_rng_t r;
    out_t o, t;
    int i, q, k, nb;

    seed_rng(&r, seed, 60);
    if (out_open(&o, dir, "accounts.csv") != 0)
        return -1;
    header(&o, acols);
    for (i = 0; i < NMEMBERS; i++) {
        member_code(i, code, sizeof code);
        cell(&o, "time");
        cell(&o, code);
        cell(&o, "member");
        cell(&o, "");           /* members stay anonymous */
        celli(&o, -10);
        cell(&o, "");
        endrow(&o);
    }
    cell(&o, "time"); cell(&o, "projet-territorial"); cell(&o, "territory");
    cell(&o, "Temps donné au projet territorial"); celli(&o, 0); cell(&o, ""); endrow(&o);
    for (i = 0; i < NPROJECTS; i++) {
        cell(&o, "time"); cell(&o, projects[i].code); cell(&o, "project");
        cell(&o, projects[i].label); celli(&o, 0); cell(&o, ""); endrow(&o);
    }
    cell(&o, "fund"); cell(&o, "fonds"); cell(&o, "territory");
    cell(&o, "Fonds volontaire de coresponsabilité"); celli(&o, 0); cell(&o, ""); endrow(&o);
    for (i = 0; i < 3; i++) {
        cell(&o, "fund"); cell(&o, contributors[i][0]); cell(&o, contributors[i][1]);
        cell(&o, contributors[i][2]); celli(&o, contributor_floor[i]); cell(&o, ""); endrow(&o);
    }
    for (i = 0; i < NPROJECTS; i++) {
        cell(&o, "fund"); cell(&o, projects[i].code); cell(&o, "project");
        cell(&o, projects[i].label); celli(&o, 0); cell(&o, ""); endrow(&o);
    }
    if (out_close(&o) != 0)
        return -1;

    if (out_open(&t, dir, "ledger.csv") != 0)
        return -1;
    header(&t, tcols);
    for (q = 0; q < NLQUARTERS; q++) {
        long qs = quarter_start(2013, q), qe = quarter_start(2013, q + 1) - 1;
        int members = 40 + 10 * q;      /* the bank grows by ten members a quarter */

        /* Exchanges and gifts happen through the quarter: draw their days,
         * sort them, then decide each one against the running balances. */
        nb = 15 + 3 * q + 5 + q + 3 + q / 2;
        for (k = 0; k < nb; k++) {
            batch[k].day = qs + sp_rng_below(&r, (uint32_t)(qe - qs));     /* before the last day */
            batch[k].seq = k;
            batch[k].ledger = k < 15 + 3 * q ? 0 : k < 20 + 4 * q ? 2 : 1;
        }
        qsort(batch, (size_t)nb, sizeof *batch, by_move_day);
        for (k = 0; k < nb; k++) {
            mv = &batch[k];
            if (mv->ledger == 0) {              /* one member serves another */
                int from, to, tries;
                long h = between(&r, 1, 8);

                for (tries = 0; tries < 20; tries++) {
                    from = (int)sp_rng_below(&r, (uint32_t)members);
                    if (balance[from] - h >= -20)
                        break;
                }
                if (tries == 20)
                    continue;
                do
                    to = (int)sp_rng_below(&r, (uint32_t)members);
                while (to == from);
                balance[from] -= h;
                balance[to] += h;
                cell(&t, "time");
                celld(&t, mv->day);
                member_code(from, code, sizeof code);
                cell(&t, code);
                member_code(to, code, sizeof code);
                cell(&t, code);
                cellh(&t, h);
                cell(&t, services[sp_rng_below(&r, N(services))]);
                cell(&t, "");
                endrow(&t);
            } else if (mv->ledger == 2) {       /* hours given to the territorial project */
                int from = -1, j;
                long h = between(&r, 2, 6);

                for (j = 0; j < 20; j++) {
                    int c = (int)sp_rng_below(&r, (uint32_t)members);

                    if (balance[c] >= h) {
                        from = c;
                        break;
                    }
                }
                if (from < 0)
                    continue;
                balance[from] -= h;
                territorial += h;
                cell(&t, "time");
                celld(&t, mv->day);
                member_code(from, code, sizeof code);
                cell(&t, code);
                cell(&t, "projet-territorial");
                cellh(&t, h);
                cell(&t, "projet territorial");
                cell(&t, "");
                endrow(&t);
            } else {                            /* a contribution to the fund */
                int c = pickw(&r, (const unsigned[]){2, 1, 5}, 3);
                long eur = c == 0 ? 1000 + 250 * between(&r, 0, 8)
                         : c == 1 ? 100 * between(&r, 2, 20) : 10 * between(&r, 2, 50);

                if (-(given[c] + eur) < contributor_floor[c])
                    continue;
                given[c] += eur;
                fund += eur;
                cell(&t, "fund");
                celld(&t, mv->day);
                cell(&t, contributors[c][0]);
                cell(&t, "fonds");
                celli(&t, eur);
                cell(&t, "contribution");
                cell(&t, "");
                endrow(&t);
            }
        }
        /* On the last day of the quarter the coordination group allocates
         * three quarters of the donated hours and up to 70% of the fund to
         * two projects. */
        {
            long hours = territorial * 3 / 4, eur = fund * 7 / 10 / 100 * 100;
            int p1 = (int)sp_rng_below(&r, NPROJECTS), p2 = (p1 + 1 + (int)sp_rng_below(&r, NPROJECTS - 1)) % NPROJECTS;
            long h1 = hours / 2, e1 = eur / 200 * 100;

            if (hours >= 2) {
                cell(&t, "time"); celld(&t, qe); cell(&t, "projet-territorial");
                cell(&t, projects[p1].code); cellh(&t, h1);
                cell(&t, "allocation"); cell(&t, "Décision trimestrielle du groupe de coordination");
                endrow(&t);
                {
                    cell(&t, "time"); celld(&t, qe); cell(&t, "projet-territorial");
                    cell(&t, projects[p2].code); cellh(&t, hours - h1);
                    cell(&t, "allocation");
                    cell(&t, "Décision trimestrielle du groupe de coordination");
                    endrow(&t);
                }
                territorial -= hours;
            }
            if (eur >= 200) {
                cell(&t, "fund"); celld(&t, qe); cell(&t, "fonds"); cell(&t, projects[p1].code);
                celli(&t, e1); cell(&t, "allocation");
                cell(&t, "Décision trimestrielle du groupe de coordination"); endrow(&t);
                cell(&t, "fund"); celld(&t, qe); cell(&t, "fonds"); cell(&t, projects[p2].code);
                celli(&t, eur - e1); cell(&t, "allocation");
                cell(&t, "Décision trimestrielle du groupe de coordination"); endrow(&t);
                fund -= eur;
            }
        }
    }
    return out_close(&t);
}

/* ---- main ---- */

static void
usage(FILE *f)
{
    fputs("usage: generate [--seed S] OUTDIR\n"
          "Writes the synthetic Mulhouse dataset (every CSV) into OUTDIR (created if\n"
          "missing).  The default seed, " "2013" ", gives the committed files.\n", f);
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    unsigned long long seed = DEFAULT_SEED;
    const char *dir;
    char *end;
    int c, f, rc = 0;

    while ((c = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-' || optarg[0] == '\0') {
                fprintf(stderr, "generate: --seed wants a non-negative integer\n");
                return 64;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 64;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 64;
    }
    dir = argv[optind];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "generate: %s: %s\n", dir, strerror(errno));
        return 73;
    }
    rc |= write_taxonomy(dir);
    rc |= write_indicators(dir);
    rc |= write_forms(dir);
    for (f = 0; f < NFORMS; f++)
        rc |= write_responses(dir, seed, &forms[f], 1 + f);
    rc |= write_criteria(dir, seed);
    rc |= write_actions(dir);
    rc |= write_evaluations(dir, seed);
    rc |= write_resources(dir);
    rc |= write_limits(dir);
    rc |= write_usage(dir, seed);
    rc |= write_meter(dir, seed);
    rc |= write_pact(dir, seed);
    rc |= write_ledger(dir, seed);
    return rc ? 73 : 0;
}
