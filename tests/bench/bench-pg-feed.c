// SPDX-License-Identifier: GPL-3.0-or-later
/* bench-pg-feed.c: events per second through the feed (issue 22's
 * figure): one client pages `GET /api/v1/events` through a journal of
 * some 50,000 events, as a desktop's first sync does (pages of 10,000),
 * from a server on a SQLite file (the baseline), on PostgreSQL, and on
 * PostgreSQL with --read-db on the test cluster's streaming replica; the
 * same journal each time (built on the file, then moved by `citydeskctl
 * migrate`). Skips (exit 77) without CITYDESK_TEST_PG; the replica's row
 * without CITYDESK_TEST_PG_REPLICA. */

#include "config.h"

#include "cd-bench.h"
#include "cd-store.h"
#include "../cd-test-pg.h"
#include "../cd-test-server.h"

#define PASSWORD "password-1"
#define PAGE 10000

/* Each ticket at a building of its own: tickets at one address would be
 * repeats and a mass incident, a dispatch question, not the feed's. */
static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"0\",\"description\":\"No heating in the flat\"}";

/* A file of @n_tickets tickets, each registered and commented on twice:
 * four events a ticket, 50,000 for the full run. */
static void
fill_file (const char *path,
           guint       n_tickets)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (path, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) note = json_object_new ();
  JsonObject *fields;
  gint64 now = 1764547200;

  g_assert_no_error (error);
  json_parser_load_from_data (parser, registration, -1, &error);
  g_assert_no_error (error);
  fields = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (note, "note", "Called the resident back");

  for (guint i = 0; i < n_tickets; i += 500)
    {
      cd_store_begin (store, &error);
      g_assert_no_error (error);
      for (guint j = i; j < MIN (i + 500, n_tickets); j++)
        {
          g_autofree char *building = g_strdup_printf ("%u", j + 1);
          g_autoptr(CdTicket) ticket = NULL;

          json_object_set_string_member (fields, "building", building);
          ticket = cd_store_register (store, fields, "oper", "operator", now + j, &error);
          g_assert_no_error (error);
          for (guint k = 0; k < 2; k++)
            {
              g_autoptr(CdTicket) acted = cd_store_act (store, ticket->number, "comment", "oper",
                                                        "operator", note, now + j, &error);

              g_assert_no_error (error);
            }
        }
      cd_store_commit (store, &error);
      g_assert_no_error (error);
    }
}

static void
migrate (const char *from,
         const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                                  cd_test_program ("CITYDESK_CTL"), "migrate",
                                                  "--from", from, "--to", to, NULL);

  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

static gint64
head_of (const char *location,
         gboolean    replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = replica ? cd_store_open_replica (location, &error)
                                     : cd_store_open (location, &error);

  if (store == NULL)
    return -1;
  return cd_store_get_last_seq (store, NULL);
}

/* Events a second, the best of @rounds walks through the whole feed; the
 * pages the replica answered go to @from_replica. */
static double
measure (const char *label,
         const char *db,
         const char *read_db,
         guint       rounds,
         gint64      head)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  CdTestServer server = { 0 };
  const char * const extra[] = { "--read-db", read_db, NULL };
  double best = 0;
  guint pages = 0, from_replica = 0;

  cd_test_server_start_full (&server, db, read_db != NULL ? extra : NULL, FALSE);
  token = cd_test_login (session, server.url, "sup", PASSWORD);
  for (guint round = 0; round < rounds; round++)
    {
      gint64 after = 0, events = 0, start = g_get_monotonic_time ();
      gboolean more = TRUE;
      double rate;

      while (more)
        {
          g_autofree char *url = g_strdup_printf ("%sapi/v1/events?after=%" G_GINT64_FORMAT
                                                  "&limit=%d", server.url, after, PAGE);
          g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
          g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
          g_autoptr(GBytes) body = NULL;
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();
          g_autoptr(GError) error = NULL;
          JsonObject *page;

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                        bearer);
          body = soup_session_send_and_read (session, msg, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
          json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), &error);
          g_assert_no_error (error);
          page = json_node_get_object (json_parser_get_root (parser));
          events += json_array_get_length (json_object_get_array_member (page, "events"));
          after = json_object_get_int_member (page, "last");
          more = json_object_get_boolean_member (page, "more");
          pages++;
          if (g_strcmp0 (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "X-Citydesk-Read"),
                         "replica") == 0)
            from_replica++;
        }
      g_assert_cmpint (events, ==, head);
      rate = events / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      best = MAX (best, rate);
    }
  g_print ("%-22s %8.0f events/s through the feed (%" G_GINT64_FORMAT " events, pages of %d, "
           "best of %u; %u of %u pages from the replica)\n",
           label, best, head, PAGE, rounds, from_replica, pages);
  if (read_db != NULL)
    g_assert_cmpuint (from_replica, ==, pages);
  cd_test_server_clear (&server);
  return best;
}

int
main (int    argc,
      char **argv)
{
  gboolean small = cd_bench_small ();
  guint n_tickets = small ? 1000 : 12500;
  guint rounds = small ? 1 : 3;
  const char *replica_base = g_getenv ("CITYDESK_TEST_PG_REPLICA");
  g_autofree char *file = NULL;
  g_autofree char *pg = NULL;
  g_autofree char *replica = NULL;
  double sqlite, primary, via_replica = 0;
  gint64 head;

  cd_test_init (&argc, &argv, NULL);
  if (g_getenv ("CITYDESK_TEST_PG") == NULL || *g_getenv ("CITYDESK_TEST_PG") == '\0')
    {
      g_print ("CITYDESK_TEST_PG is not set: no PostgreSQL to measure "
               "(build-aux/with-postgresql starts one)\n");
      return 77;
    }

  file = cd_test_new_db_path ();
  fill_file (file, n_tickets);
  pg = cd_test_pg_new_database ("benchfeed");
  migrate (file, pg);
  cd_test_add_user (file, "sup", "supervisor", NULL, PASSWORD);
  cd_test_add_user (pg, "sup", "supervisor", NULL, PASSWORD);
  head = head_of (file, FALSE);
  g_assert_cmpint (head_of (pg, FALSE), ==, head);

  sqlite = measure ("SQLite", file, NULL, rounds, head);
  primary = measure ("PostgreSQL primary", pg, NULL, rounds, head);
  if (replica_base != NULL && *replica_base != '\0')
    {
      const char *path = strchr (strstr (pg, "://") + 3, '/') + 1;
      g_autofree char *name = g_strndup (path, strcspn (path, "?"));

      replica = cd_test_pg_uri_for (replica_base, name);
      for (guint i = 0; i < 3000 && head_of (replica, TRUE) < head; i++)
        g_usleep (20 * 1000);
      via_replica = measure ("PostgreSQL via replica", pg, replica, rounds, head);
    }

  g_print ("ratio: PostgreSQL primary / SQLite: %.2f\n", primary / sqlite);
  if (replica != NULL)
    g_print ("ratio: PostgreSQL via --read-db replica / SQLite: %.2f "
             "(/ primary: %.2f)\n", via_replica / sqlite, via_replica / primary);

  cd_test_pg_drop_database (pg);
  {
    g_autofree char *dir = g_path_get_dirname (file);
    g_autofree char *wal = g_strconcat (file, "-wal", NULL);
    g_autofree char *shm = g_strconcat (file, "-shm", NULL);

    g_remove (file);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
  return 0;
}
