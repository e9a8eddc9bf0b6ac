// SPDX-License-Identifier: GPL-3.0-or-later
//
// The city's reference data end to end: the strict reader of its format
// (good and malformed documents), `citydeskctl reference import` (a good
// file in, a bad one refused with exit status 2 and nothing changed),
// `GET /api/v1/reference` of a real citydesk-server for every role (an
// executor organization and a role the server does not know read no more
// than the access table allows), and a real sync bringing the names into
// the desktop's cache, where they stay when the server is gone.

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-client.h"
#include "cd-reference.h"
#include "cd-store-reference.h"
#include "cd-sync.h"
#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"

/* An organization with no ticket and no account: only the reference data
 * knows it. */
#define CITY_FILE \
  "{\"executors\":[" \
  "{\"code\":\"quiet-org\",\"names\":{\"en\":\"Quiet Works\",\"ru\":\"Тихие работы\"," \
  "\"uk\":\"Тихі роботи\",\"be\":\"Ціхія работы\",\"kk\":\"Тыныш жұмыстар\"}}," \
  "{\"code\":\"org-a\",\"names\":{\"en\":\"Org A\",\"ru\":\"Организация А\"}}," \
  "{\"code\":\"org-b\",\"names\":{\"en\":\"Org B\",\"ru\":\"Организация Б\"}}]," \
  "\"districts\":[{\"code\":\"Central\",\"names\":{\"en\":\"Central\",\"ru\":\"Центральный\"}}]," \
  "\"categories\":[{\"code\":\"housing.heating\",\"names\":{\"kk\":\"Жылыту\"}}]}"

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *dir;
} Fixture;

static Fixture fx;

/* Helpers {{{1 */

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
write_file (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fx.dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonObject *
find_entry (JsonObject *answer,
            const char *section,
            const char *code)
{
  JsonArray *entries = json_object_get_array_member (answer, section);

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "code"), code))
        return entry;
    }
  return NULL;
}

static const char *
name_in (JsonObject *entry,
         const char *language)
{
  JsonObject *names = json_object_get_object_member (entry, "names");

  return json_object_get_string_member_with_default (names, language, NULL);
}

static JsonObject *
get_reference (const char *user,
               guint       expected)
{
  g_autofree char *token = cd_test_login (fx.session, fx.server.url, user, "demo-password");

  return cd_test_call (fx.session, fx.server.url, "GET", "/api/v1/reference", token, NULL, NULL,
                       expected);
}

/* The strict reader {{{1 */

static void
test_parse (void)
{
  static const struct {
    const char *text;
    const char *where;  /* NULL: the document is good */
  } cases[] = {
    { CITY_FILE, NULL },
    { "{}", NULL },
    { "{\"executors\":[{\"code\":\"x\"}]}", NULL },
    { "{\"executors\":[{\"code\":\"x\",\"names\":{\"pt-BR\":\"X\"}}]}", NULL },
    { "[]", "the document" },
    { "{\"executors\":[{\"code\":\"x\",\"names\":{}}],}", "the document" },
    { "{\"executors\":[{\"code\":\"x\"}]} trailing", "the document" },
    { "{\"organisations\":[]}", "organisations" },
    { "{\"executors\":{}}", "executors" },
    { "{\"executors\":[{\"names\":{\"en\":\"X\"}}]}", "executors[0]" },
    { "{\"executors\":[{\"code\":\"\"}]}", "executors[0].code" },
    { "{\"executors\":[{\"code\":7}]}", "executors[0].code" },
    { "{\"executors\":[{\"code\":\"x\",\"colour\":\"red\"}]}", "executors[0].colour" },
    { "{\"executors\":[{\"code\":\"x\",\"names\":{\"Russian\":\"X\"}}]}",
      "executors[0].names.Russian" },
    { "{\"executors\":[{\"code\":\"x\",\"names\":{\"ru\":\"\"}}]}", "executors[0].names.ru" },
    { "{\"executors\":[{\"code\":\"x\",\"names\":{\"ru\":\"a\\nb\"}}]}", "executors[0].names.ru" },
    { "{\"executors\":[{\"code\":\"x\",\"names\":{\"ru\":\"A\",\"ru\":\"B\"}}]}",
      "executors[0].names.ru" },
    { "{\"executors\":[{\"code\":\"x\",\"code\":\"y\"}]}", "executors[0].code" },
    { "{\"executors\":[{\"code\":\"x\"},{\"code\":\"x\"}]}", "executors[1]" },
    { "{\"districts\":[{\"code\":\"a\"}],\"districts\":[]}", "districts" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdReferenceData) data = cd_reference_data_parse (cases[i].text,
                                                                 strlen (cases[i].text), &error);

      g_test_message ("%s", cases[i].text);
      if (cases[i].where == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (data);
          continue;
        }
      g_assert_null (data);
      g_assert_error (error, CD_REFERENCE_ERROR, CD_REFERENCE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
    }

  /* What is read is what is written back. */
  {
    g_autoptr(CdReferenceData) data = cd_reference_data_parse (CITY_FILE, strlen (CITY_FILE), NULL);
    g_autofree char *json = cd_reference_data_to_json (data);
    g_autoptr(CdReferenceData) again = cd_reference_data_parse (json, strlen (json), NULL);
    g_autofree char *json_again = cd_reference_data_to_json (again);
    const char * const ru[] = { "ru_RU.UTF-8", NULL };
    const char * const kk_then_uk[] = { "kk", "uk", NULL };
    const char * const de[] = { "de_DE", NULL };
    const CdReferenceEntry *quiet;

    g_assert_cmpstr (json, ==, json_again);
    g_assert_null (data->entries[CD_REFERENCE_POLICY]);
    g_assert_cmpuint (data->entries[CD_REFERENCE_EXECUTOR]->len, ==, 3);
    /* Sorted by code. */
    quiet = g_ptr_array_index (data->entries[CD_REFERENCE_EXECUTOR], 2);
    g_assert_cmpstr (quiet->code, ==, "quiet-org");
    g_assert_cmpstr (cd_reference_entry_get_name (quiet, ru), ==, "Тихие работы");
    g_assert_cmpstr (cd_reference_entry_get_name (quiet, kk_then_uk), ==, "Тыныш жұмыстар");
    g_assert_cmpstr (cd_reference_entry_get_name (quiet, de), ==, "Quiet Works");
  }
}

/* citydeskctl reference import {{{1 */

static void
test_import (void)
{
  g_autofree char *db = g_build_filename (fx.dir, "import.db", NULL);
  g_autofree char *good = write_file ("good.json", CITY_FILE);
  g_autofree char *bad = write_file ("bad.json",
                                     "{\"executors\":[{\"code\":\"x\",\"names\":{\"ru\":7}}]}");
  g_autofree char *broken = write_file ("broken.json", "{\"executors\":[{\"code\":\"x\"");
  g_autofree char *missing = g_build_filename (fx.dir, "missing.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *listed = NULL;
  g_autoptr(CdReferenceData) data = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "reference", "import", good, "--db", db, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "5"));
  g_clear_pointer (&out, g_free);

  /* Malformed: refused with the place of the fault, status 2. */
  g_assert_cmpint (cd_test_ctl (&out, &err, "reference", "import", bad, "--db", db, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "executors[0].names.ru"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&out, &err, "reference", "import", broken, "--db", db, NULL), ==,
                   2);
  g_assert_nonnull (strstr (err, "broken.json"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&out, &err, "reference", "import", missing, "--db", db, NULL), ==,
                   2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&out, &err, "reference", "import", good, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--db"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The refused files changed nothing: the good one's names are there. */
  g_assert_cmpint (cd_test_ctl (&listed, NULL, "reference", "list", "--db", db, NULL), ==, 0);
  data = cd_reference_data_parse (listed, strlen (listed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (data->entries[CD_REFERENCE_EXECUTOR]->len, ==, 3);
  g_assert_cmpuint (data->entries[CD_REFERENCE_DISTRICT]->len, ==, 1);
  g_assert_cmpuint (data->entries[CD_REFERENCE_POLICY]->len, ==, 0);
  g_assert_null (strstr (listed, "\"x\""));
}

/* GET /api/v1/reference per role {{{1 */

static void
test_server_roles (void)
{
  static const char * const city_roles[] = { "operator", "supervisor", "qc", "feedback", "admin" };

  for (guint r = 0; r < G_N_ELEMENTS (city_roles); r++)
    {
      g_autoptr(JsonObject) answer = get_reference (city_roles[r], SOUP_STATUS_OK);
      JsonObject *quiet = find_entry (answer, "executors", "quiet-org");
      JsonObject *heating = find_entry (answer, "categories", "housing.heating");
      JsonObject *lifts = find_entry (answer, "policies", "city-housing-lifts");

      g_test_message ("%s", city_roles[r]);
      /* Every organization, one without any ticket too, with its names. */
      g_assert_nonnull (quiet);
      g_assert_cmpstr (name_in (quiet, "ru"), ==, "Тихие работы");
      g_assert_cmpstr (name_in (quiet, "kk"), ==, "Тыныш жұмыстар");
      g_assert_nonnull (find_entry (answer, "executors", "org-a"));
      g_assert_nonnull (find_entry (answer, "executors", "org-b"));
      /* One known only from its account. */
      g_assert_nonnull (find_entry (answer, "executors", "org-c"));
      g_assert_cmpstr (name_in (find_entry (answer, "districts", "Central"), "ru"), ==,
                       "Центральный");
      /* The classifier's English name, and the city's Kazakh one. */
      g_assert_nonnull (heating);
      g_assert_cmpstr (name_in (heating, "en"), ==, "Heating");
      g_assert_cmpstr (name_in (heating, "kk"), ==, "Жылыту");
      g_assert_nonnull (find_entry (answer, "categories", "roads"));
      /* The policy files' names. */
      g_assert_nonnull (lifts);
      g_assert_nonnull (name_in (lifts, "ru"));
      g_assert_nonnull (name_in (lifts, "en"));
    }

  /* An executor organization: its own name, not the others'; the rest of
   * the reference data is the same for every organization. */
  {
    g_autoptr(JsonObject) answer = get_reference ("exec-a", SOUP_STATUS_OK);
    JsonArray *executors = json_object_get_array_member (answer, "executors");

    g_assert_cmpuint (json_array_get_length (executors), ==, 1);
    g_assert_cmpstr (name_in (find_entry (answer, "executors", "org-a"), "ru"), ==,
                     "Организация А");
    g_assert_null (find_entry (answer, "executors", "quiet-org"));
    g_assert_nonnull (find_entry (answer, "categories", "housing.heating"));
    g_assert_nonnull (find_entry (answer, "districts", "Central"));
    g_assert_nonnull (find_entry (answer, "policies", "city-housing-lifts"));
  }

  /* An executor account without an organization has no executors to read. */
  {
    g_autoptr(JsonObject) answer = get_reference ("exec-none", SOUP_STATUS_OK);

    g_assert_false (json_object_has_member (answer, "executors"));
    g_assert_nonnull (find_entry (answer, "categories", "roads"));
  }

  /* A role the server does not know reads nothing; nor does no token. */
  {
    g_autoptr(JsonObject) answer = get_reference ("visitor", SOUP_STATUS_FORBIDDEN);
    guint status = 0;
    g_autofree char *text = NULL;

    cd_test_assert_error (answer, "forbidden", NULL);
    text = cd_test_request (fx.session, fx.server.url, "GET", "/api/v1/reference", NULL, NULL, NULL,
                            0, &status);
    g_assert_cmpuint (status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_null (strstr (text, "quiet-org"));
  }

  /* /executors reads the same names. */
  {
    g_autofree char *token = NULL;
    g_autofree char *text = NULL;
    guint status = 0;

    token = cd_test_login (fx.session, fx.server.url, "supervisor", "demo-password");
    text = cd_test_request (fx.session, fx.server.url, "GET", "/api/v1/executors", token, NULL,
                            NULL, 0, &status);
    g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
    g_assert_nonnull (strstr (text, "\"Тихие работы\""));
  }
}

/* A reference organization may be assigned a ticket: it is one the
 * server knows. */
static void
test_assign_to_reference_org (void)
{
  g_autofree char *token = cd_test_login (fx.session, fx.server.url, "operator", "demo-password");
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonObject) answer = NULL;

  answer = cd_test_call (fx.session, fx.server.url, "POST", "/api/v1/tickets", token, key,
                         "{\"kind\":\"routine\",\"category\":\"roads\",\"district\":\"Central\","
                         "\"street\":\"Mira\",\"building\":\"2\",\"executor\":\"quiet-org\"}",
                         SOUP_STATUS_CREATED);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "ticket"),
                                                  "executor"), ==, "quiet-org");
  g_assert_cmpint (cd_test_verify (fx.server.db), ==, 0);
}

/* The names through a real sync into the desktop's cache {{{1 */

typedef struct
{
  CdSync *sync;
  guint   changes;
} Watch;

static void
on_reference_changed (CdSync *sync,
                      Watch  *watch)
{
  watch->changes++;
}

static gboolean
reference_arrived (gpointer data)
{
  return ((Watch *) data)->changes > 0;
}

static CdStore *
sync_cache (const char *user,
            const char *cache_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (fx.server.url, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdStore) cache = NULL;
  g_autoptr(CdSync) sync = NULL;
  Watch watch = { NULL, 0 };

  g_assert_no_error (error);
  cd_client_login_async (client, user, "demo-password", NULL, cd_test_store_result, &result);
  cd_test_wait_for (cd_test_result_ready, &result, "the login");
  g_assert_true (cd_client_login_finish (client, result, &error));
  g_assert_no_error (error);

  cache = cd_store_open (cache_path, &error);
  g_assert_no_error (error);
  sync = cd_sync_new (client, cache, &error);
  g_assert_no_error (error);
  watch.sync = sync;
  g_signal_connect (sync, "reference-changed", G_CALLBACK (on_reference_changed), &watch);
  cd_sync_start (sync);
  cd_test_wait_for (reference_arrived, &watch, "the reference data");
  cd_sync_stop (sync);
  g_signal_handlers_disconnect_by_data (sync, &watch);
  return g_steal_pointer (&cache);
}

static void
test_sync (void)
{
  g_autofree char *cache_path = g_build_filename (fx.dir, "cache.db", NULL);
  g_autofree char *exec_path = g_build_filename (fx.dir, "exec-cache.db", NULL);
  g_autoptr(GPtrArray) executors = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("LANGUAGE", "ru", TRUE);
  {
    g_autoptr(CdStore) cache = sync_cache ("supervisor", cache_path);

    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_EXECUTOR, "quiet-org"), ==,
                     "Тихие работы");
    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_DISTRICT, "Central"), ==,
                     "Центральный");
    /* A code nobody names stays visible as it is. */
    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_EXECUTOR, "nobody"), ==,
                     "nobody");
    /* No Russian name from the city: the policy's own, from its file. */
    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_POLICY, "city-housing-lifts"), !=,
                     "city-housing-lifts");
    executors = cd_store_reference_list (cache, CD_REFERENCE_EXECUTOR, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (executors->len, >=, 4);
  }

  /* The server is gone: the cache keeps the last names. */
  cd_test_server_stop (&fx.server);
  {
    g_autoptr(CdStore) cache = cd_store_open (cache_path, &error);

    g_assert_no_error (error);
    g_setenv ("LANGUAGE", "en", TRUE);
    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_EXECUTOR, "quiet-org"), ==,
                     "Quiet Works");
    /* English, the fallback, where the city gives no Ukrainian name. */
    g_setenv ("LANGUAGE", "uk", TRUE);
    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_DISTRICT, "Central"), ==,
                     "Central");
  }
  cd_test_server_start (&fx.server, fx.server.db);

  /* An executor's cache holds its own organization's name only. */
  {
    g_autoptr(CdStore) cache = sync_cache ("exec-a", exec_path);

    g_clear_pointer (&executors, g_ptr_array_unref);
    executors = cd_store_reference_list (cache, CD_REFERENCE_EXECUTOR, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (executors->len, ==, 1);
    g_assert_cmpstr (((CdReferenceEntry *) g_ptr_array_index (executors, 0))->code, ==, "org-a");
    g_assert_cmpstr (cd_store_reference_name (cache, CD_REFERENCE_EXECUTOR, "quiet-org"), ==,
                     "quiet-org");
  }
  g_unsetenv ("LANGUAGE");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *city = NULL;
  g_autofree char *out = NULL;
  int status;

  cd_test_init (&argc, &argv, NULL);

  fx.dir = g_strdup (g_get_tmp_dir ());
  db = cd_test_new_db_path ();
  cd_test_add_user (db, "operator", "operator", NULL, "demo-password");
  cd_test_add_user (db, "supervisor", "supervisor", NULL, "demo-password");
  cd_test_add_user (db, "qc", "qc", NULL, "demo-password");
  cd_test_add_user (db, "feedback", "feedback", NULL, "demo-password");
  cd_test_add_user (db, "admin", "admin", NULL, "demo-password");
  cd_test_add_user (db, "exec-a", "executor", "org-a", "demo-password");
  cd_test_add_user (db, "exec-c", "executor", "org-c", "demo-password");
  /* An executor account without an organization, as an older tool let
   * one be written. */
  cd_test_add_user (db, "exec-none", "operator", NULL, "demo-password");
  sql_exec (db, "UPDATE users SET role = 'executor', org = NULL WHERE name = 'exec-none'");
  /* A role written by a newer or a broken tool: it must read nothing. */
  cd_test_add_user (db, "visitor", "operator", NULL, "demo-password");
  sql_exec (db, "UPDATE users SET role = 'visitor' WHERE name = 'visitor'");
  city = write_file ("city.json", CITY_FILE);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "reference", "import", city, "--db", db, NULL), ==, 0);

  cd_test_server_start (&fx.server, db);
  fx.session = soup_session_new ();

  g_test_add_func ("/reference/parse", test_parse);
  g_test_add_func ("/reference/import", test_import);
  g_test_add_func ("/reference/server-roles", test_server_roles);
  g_test_add_func ("/reference/assign", test_assign_to_reference_org);
  g_test_add_func ("/reference/sync", test_sync);
  status = g_test_run ();

  g_clear_object (&fx.session);
  cd_test_server_clear (&fx.server);
  g_free (fx.dir);
  return status;
}
