// SPDX-License-Identifier: GPL-3.0-or-later
//
// Nothing acknowledged is lost, nothing is done twice: eight clients post
// 1,000 actions while the server is killed with SIGKILL; after a restart
// every action that got a 2xx is in the journal exactly once (found by its
// Idempotency-Key, which each comment also carries as its note), retrying
// the unanswered ones never doubles an action, and the chain verifies. On a
// SQLite file, on PostgreSQL (skipped without CITYDESK_TEST_PG), and on
// PostgreSQL with two server processes, one of them killed while the
// other goes on serving half of the clients.

#include "config.h"

#include "cd-test.h"
#include "cd-test-pg.h"
#include "cd-test-server.h"

#define N_CLIENTS 8
#define PER_CLIENT 125
#define N_ACTIONS (N_CLIENTS * PER_CLIENT)
/* Kill the server once this many actions were answered. */
#define KILL_AFTER 350

typedef struct
{
  const char *name;
  gboolean    postgresql;
  guint       n_servers;
} Layout;

static const Layout layouts[] = {
  { "sqlite", FALSE, 1 },
  { "postgresql", TRUE, 1 },
  { "postgresql-two-processes", TRUE, 2 },
};

typedef struct
{
  char  *urls[2];
  guint  n_urls;
  char  *token;
  char  *numbers[N_CLIENTS];
  guint  status[N_ACTIONS];
  gint   answered;
} Run;

typedef struct
{
  Run  *run;
  guint client;
} Client;

static char *
action_key (guint i)
{
  return g_strdup_printf ("durable-%04u", i);
}

static char *
action_body (guint i)
{
  return g_strdup_printf ("{\"action\":\"comment\",\"note\":\"durable-%04u\"}", i);
}

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  Run *run = client->run;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions",
                                           run->numbers[client->client]);

  soup_session_set_timeout (session, 10);
  for (guint j = 0; j < PER_CLIENT; j++)
    {
      guint i = client->client * PER_CLIENT + j;
      g_autofree char *key = action_key (i);
      g_autofree char *body = action_body (i);
      g_autofree char *text = NULL;
      guint status = 0;

      text = cd_test_request (session, run->urls[client->client % run->n_urls], "POST", path,
                              run->token, key, body, (gsize) -1, &status);
      run->status[i] = status;
      if (status >= 200 && status < 300)
        g_atomic_int_inc (&run->answered);
    }
  return NULL;
}

/* How many comment events carry each key, from the whole feed. */
static GHashTable *
count_comments (SoupSession *session,
                const char  *url,
                const char  *token)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 after = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events?after=%" G_GINT64_FORMAT
                                               "&limit=10000",
                                               after);
      g_autoptr(JsonObject) page = cd_test_call (session, url, "GET", path, token, NULL, NULL,
                                                  SOUP_STATUS_OK);
      JsonArray *events = json_object_get_array_member (page, "events");

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);
          g_autoptr(JsonObject) payload = NULL;
          const char *note;

          if (!g_str_equal (json_object_get_string_member (event, "type"), "comment"))
            continue;
          payload = cd_test_parse_object (json_object_get_string_member (event, "payload"));
          note = json_object_get_string_member (payload, "note");
          g_hash_table_replace (counts, g_strdup (note),
                                GUINT_TO_POINTER (
                                    GPOINTER_TO_UINT (g_hash_table_lookup (counts, note)) + 1));
        }
      after = json_object_get_int_member (page, "last");
      more = json_object_get_boolean_member (page, "more");
    }
  return counts;
}

static void
test_sigkill (gconstpointer data)
{
  const Layout *layout = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char *db = layout->postgresql ? cd_test_pg_new_database ("durable")
                                           : cd_test_new_db_path ();
  CdTestServer server = { 0 };
  CdTestServer other = { 0 };
  Client clients[N_CLIENTS];
  GThread *threads[N_CLIENTS];
  Run run = { 0 };
  guint acknowledged = 0, unanswered = 0;

  if (db == NULL)
    return;
  cd_test_add_user (db, "sup", "supervisor", NULL, "password-1");
  cd_test_server_start (&server, db);
  run.urls[0] = g_strdup (server.url);
  run.n_urls = 1;
  if (layout->n_servers == 2)
    {
      cd_test_server_start (&other, db);
      run.urls[run.n_urls++] = g_strdup (other.url);
    }
  run.token = cd_test_login (session, server.url, "sup", "password-1");
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_autofree char *key = g_strdup_printf ("register-%u", c);
      g_autoptr(JsonObject) answer = NULL;

      answer = cd_test_call (
          session, server.url, "POST", "/api/v1/tickets", run.token, key,
          "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
          "\"street\":\"Lenina\",\"building\":\"9\"}",
          SOUP_STATUS_CREATED);
      run.numbers[c] = g_strdup (
          json_object_get_string_member (json_object_get_object_member (answer, "ticket"),
                                         "number"));
    }

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      clients[c].run = &run;
      clients[c].client = c;
      threads[c] = g_thread_new ("client", client_thread, &clients[c]);
    }
  while (g_atomic_int_get (&run.answered) < KILL_AFTER)
    g_usleep (1000);
  cd_test_server_kill (&server);
  for (guint c = 0; c < N_CLIENTS; c++)
    g_thread_join (threads[c]);

  for (guint i = 0; i < N_ACTIONS; i++)
    {
      if (run.status[i] >= 200 && run.status[i] < 300)
        acknowledged++;
      else
        {
          /* Killed mid-flight: no answer at all, never a refusal. */
          g_assert_cmpuint (run.status[i], ==, 0);
          unanswered++;
        }
    }
  g_test_message ("%u actions acknowledged before SIGKILL, %u unanswered", acknowledged,
                  unanswered);
  g_assert_cmpuint (acknowledged, >=, KILL_AFTER);

  /* Restart: every acknowledged action is there exactly once. */
  cd_test_server_start (&server, db);
  counts = count_comments (session, server.url, run.token);
  for (guint i = 0; i < N_ACTIONS; i++)
    {
      g_autofree char *key = action_key (i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      if (run.status[i] >= 200 && run.status[i] < 300)
        g_assert_cmpuint (n, ==, 1);
      else
        g_assert_cmpuint (n, <=, 1);
    }

  /* Retrying what got no answer: each action exactly once in the end,
   * whether the first attempt had committed or not. */
  for (guint i = 0; i < N_ACTIONS; i++)
    {
      g_autofree char *key = action_key (i);
      g_autofree char *body = action_body (i);
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions",
                                               run.numbers[i / PER_CLIENT]);
      g_autoptr(JsonObject) answer = NULL;

      if (run.status[i] >= 200 && run.status[i] < 300)
        continue;
      answer = cd_test_call (session, server.url, "POST", path, run.token, key, body,
                             SOUP_STATUS_OK);
    }
  g_clear_pointer (&counts, g_hash_table_unref);
  counts = count_comments (session, server.url, run.token);
  g_assert_cmpuint (g_hash_table_size (counts), ==, N_ACTIONS);
  for (guint i = 0; i < N_ACTIONS; i++)
    {
      g_autofree char *key = action_key (i);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)), ==, 1);
    }

  cd_test_server_stop (&server);
  cd_test_server_stop (&other);
  g_assert_cmpint (cd_test_verify (db), ==, 0);

  for (guint c = 0; c < N_CLIENTS; c++)
    g_free (run.numbers[c]);
  for (guint u = 0; u < run.n_urls; u++)
    g_free (run.urls[u]);
  g_free (run.token);
  cd_test_server_clear (&server);
  cd_test_server_clear (&other);
  if (layout->postgresql)
    cd_test_pg_drop_database (db);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/server-durability/%s/sigkill", layouts[i].name);

      g_test_add_data_func (path, &layouts[i], test_sigkill);
    }

  return g_test_run ();
}
