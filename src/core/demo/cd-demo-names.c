// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-names.c: the demo city's organizations and districts by name
 *
 * One row per code, one column per language in the order of `languages`.
 * The codes are those of cd-demo-city.c; test-demo-names checks that every
 * executor and district of the model has a row, so that a new one cannot
 * appear in the interface as a bare code.
 */

#include "config.h"

#include <string.h>

#include "cd-demo-names.h"

enum { EN, RU, UK, BE, KK, N_LANGUAGES };

static const char * const languages[N_LANGUAGES] = { "en", "ru", "uk", "be", "kk" };

typedef struct
{
  const char *code;
  const char *names[N_LANGUAGES];
} NameRow;

static const NameRow executors[] = {
  { "zhes-1", { "ZhES No. 1", "ЖЭС № 1", "ЖЕК № 1", "ЖЭС № 1", "ЖПҚ № 1" } },
  { "zhes-2", { "ZhES No. 2", "ЖЭС № 2", "ЖЕК № 2", "ЖЭС № 2", "ЖПҚ № 2" } },
  { "zhes-3", { "ZhES No. 3", "ЖЭС № 3", "ЖЕК № 3", "ЖЭС № 3", "ЖПҚ № 3" } },
  { "zhes-4", { "ZhES No. 4", "ЖЭС № 4", "ЖЕК № 4", "ЖЭС № 4", "ЖПҚ № 4" } },
  { "zhes-5", { "ZhES No. 5", "ЖЭС № 5", "ЖЕК № 5", "ЖЭС № 5", "ЖПҚ № 5" } },
  { "vodokanal", { "Vodokanal", "Водоканал", "Водоканал", "Водаканал", "Су арнасы" } },
  { "heating", { "Heating network", "Тепловые сети", "Теплові мережі",
                 "Цеплавыя сеткі", "Жылу желілері" } },
  { "power", { "City power grid", "Горэлектросети", "Міські електромережі",
               "Гарадскія электрасеткі", "Қалалық электр желілері" } },
  { "lifts", { "Lift service", "Лифтовая служба", "Ліфтова служба",
               "Ліфтавая служба", "Лифт қызметі" } },
  { "lighting", { "City lighting", "Горсвет", "Міськсвітло",
                  "Гарсвятло", "Қалалық жарықтандыру" } },
  { "roads", { "Road department", "Дорожная служба", "Дорожня служба",
               "Дарожная служба", "Жол қызметі" } },
  { "transport", { "Transport department", "Управление транспорта", "Управління транспорту",
                   "Упраўленне транспарту", "Көлік басқармасы" } },
  { "trade", { "Trade inspection", "Торговая инспекция", "Торговельна інспекція",
               "Гандлёвая інспекцыя", "Сауда инспекциясы" } },
  { "parking", { "Parking service", "Служба парковок", "Служба паркування", "Служба паркоўкі",
                 "Тұрақ қызметі" } },
  { "order", { "Public order service", "Служба охраны порядка", "Служба охорони порядку",
               "Служба аховы парадку", "Қоғамдық тәртіп қызметі" } },
  { "masterservice", { "Master-Service LLC", "ООО «Мастер-Сервис»", "ТОВ «Майстер-Сервіс»",
                       "ТАА «Майстар-Сэрвіс»", "«Мастер-Сервис» ЖШС" } },
};

/* The codes are the districts' names in Latin letters, which is also how
 * English writes them. */
static const NameRow districts[] = {
  { "Tsentralny", { "Tsentralny", "Центральный", "Центральний", "Цэнтральны", "Орталық" } },
  { "Sovetsky", { "Sovetsky", "Советский", "Радянський", "Савецкі", "Советтік" } },
  { "Pervomaisky", { "Pervomaisky", "Первомайский", "Першотравневий", "Першамайскі", "Первомай" } },
  { "Partizansky", { "Partizansky", "Партизанский", "Партизанський", "Партызанскі", "Партизан" } },
  { "Zavodskoy", { "Zavodskoy", "Заводской", "Заводський", "Заводскі", "Зауыт" } },
  { "Leninsky", { "Leninsky", "Ленинский", "Ленінський", "Ленінскі", "Ленин" } },
  { "Oktyabrsky", { "Oktyabrsky", "Октябрьский", "Жовтневий", "Кастрычніцкі", "Октябрь" } },
  { "Frunzensky", { "Frunzensky", "Фрунзенский", "Фрунзенський", "Фрунзенскі", "Фрунзе" } },
};

static int
language_index (const char *language)
{
  for (guint i = 0; language != NULL && i < N_LANGUAGES; i++)
    if (strcmp (languages[i], language) == 0)
      return i;
  return EN;
}

static const char *
lookup (const NameRow *rows,
        guint          n_rows,
        const char    *code,
        const char    *language)
{
  for (guint i = 0; code != NULL && i < n_rows; i++)
    if (strcmp (rows[i].code, code) == 0)
      return rows[i].names[language_index (language)];
  return NULL;
}

static const char **
codes (const NameRow *rows,
       guint          n_rows,
       guint         *n_codes)
{
  const char **out = g_new0 (const char *, n_rows + 1);

  for (guint i = 0; i < n_rows; i++)
    out[i] = rows[i].code;
  *n_codes = n_rows;
  return out;
}

/**
 * cd_demo_names_get_languages:
 * @n_languages: (out): the number of languages
 *
 * Returns: the languages every name is given in, English first
 */
const char * const *
cd_demo_names_get_languages (guint *n_languages)
{
  *n_languages = N_LANGUAGES;
  return languages;
}

/**
 * cd_demo_names_get_executors:
 * @n_executors: (out): the number of codes
 *
 * Returns: (transfer container): the executor codes that have names
 */
const char **
cd_demo_names_get_executors (guint *n_executors)
{
  return codes (executors, G_N_ELEMENTS (executors), n_executors);
}

/**
 * cd_demo_names_get_districts:
 * @n_districts: (out): the number of codes
 *
 * Returns: (transfer container): the district codes that have names
 */
const char **
cd_demo_names_get_districts (guint *n_districts)
{
  return codes (districts, G_N_ELEMENTS (districts), n_districts);
}

/**
 * cd_demo_names_pick_language:
 * @locales: (nullable) (array zero-terminated=1): the user's languages, most
 *   wanted first, as g_get_language_names() or an Accept-Language header
 *   gives them (`ru_RU.UTF-8`, `uk-UA`, `kk`)
 *
 * Returns: the first of the names' languages @locales asks for, or `en`
 */
const char *
cd_demo_names_pick_language (const char * const *locales)
{
  for (guint i = 0; locales != NULL && locales[i] != NULL; i++)
    {
      const char *locale = locales[i];
      gsize n = strcspn (locale, "_-.@;");

      for (guint j = 0; j < N_LANGUAGES; j++)
        if (n == strlen (languages[j]) && g_ascii_strncasecmp (locale, languages[j], n) == 0)
          return languages[j];
    }
  return languages[EN];
}

/**
 * cd_demo_names_executor:
 * @code: (nullable): an executor organization's code, such as `zhes-3`
 * @language: (nullable): one of the names' languages; English otherwise
 *
 * Returns: (nullable): the organization's name ("ЖЭС № 3"), or %NULL when
 *   the demo city has no organization @code
 */
const char *
cd_demo_names_executor (const char *code,
                        const char *language)
{
  return lookup (executors, G_N_ELEMENTS (executors), code, language);
}

/**
 * cd_demo_names_district:
 * @code: (nullable): a district's code, such as `Tsentralny`
 * @language: (nullable): one of the names' languages; English otherwise
 *
 * Returns: (nullable): the district's name ("Центральный"), or %NULL when
 *   the demo city has no district @code
 */
const char *
cd_demo_names_district (const char *code,
                        const char *language)
{
  return lookup (districts, G_N_ELEMENTS (districts), code, language);
}

/**
 * cd_demo_names_executor_label:
 * @code: (nullable): an executor organization's code
 *
 * Returns: (nullable): the organization's name in the user's language
 *   (g_get_language_names()), or @code itself when the demo city has no
 *   such organization: an unknown code stays visible
 */
const char *
cd_demo_names_executor_label (const char *code)
{
  const char *language = cd_demo_names_pick_language (g_get_language_names ());
  const char *name = cd_demo_names_executor (code, language);

  return name != NULL ? name : code;
}

/**
 * cd_demo_names_district_label:
 * @code: (nullable): a district's code
 *
 * Returns: (nullable): the district's name in the user's language, or
 *   @code itself when the demo city has no such district
 */
const char *
cd_demo_names_district_label (const char *code)
{
  const char *language = cd_demo_names_pick_language (g_get_language_names ());
  const char *name = cd_demo_names_district (code, language);

  return name != NULL ? name : code;
}
