// SPDX-License-Identifier: GPL-3.0-or-later
//
// Requests per second of citydesk-server for GET /api/v1/tickets/{id} and
// for a write action (a comment with its Idempotency-Key), from a small C
// load client of two threads (two cores), each a libsoup session with
// keep-alive. Printed as ratios against GET /api/v1/version measured in
// the same run: the cost of the route over the cost of HTTP itself.

#include "config.h"

#include <stdio.h>

#include "../cd-test-server.h"

#define N_THREADS 2

typedef enum
{
  LOAD_VERSION,
  LOAD_TICKET,
  LOAD_WRITE,
} Load;

typedef struct
{
  const char *url;
  const char *token;
  GPtrArray  *numbers;
  Load        load;
  guint       thread;
  guint       count;
  guint       failures;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  for (guint i = 0; i < w->count; i++)
    {
      const char *number = g_ptr_array_index (w->numbers, (i * N_THREADS + w->thread) % w->numbers->len);
      g_autofree char *ticket_path = g_strdup_printf ("/api/v1/tickets/%s", number);
      g_autofree char *action_path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
      g_autofree char *text = NULL;
      guint status = 0;

      switch (w->load)
        {
        case LOAD_VERSION:
          text = cd_test_request (session, w->url, "GET", "/api/v1/version", NULL, NULL, NULL, 0, &status);
          break;
        case LOAD_TICKET:
          text = cd_test_request (session, w->url, "GET", ticket_path, w->token, NULL, NULL, 0, &status);
          break;
        case LOAD_WRITE:
        default:
          {
            g_autofree char *key = g_strdup_printf ("bench-%u-%u-%" G_GINT64_FORMAT, w->thread, i,
                                                    g_get_real_time ());

            text = cd_test_request (session, w->url, "POST", action_path, w->token, key,
                                    "{\"action\":\"comment\",\"note\":\"bench\"}", (gsize) -1, &status);
          }
          break;
        }
      if (status != 200)
        w->failures++;
    }
  return NULL;
}

static double
requests_per_second (const char *url,
                     const char *token,
                     GPtrArray  *numbers,
                     Load        load,
                     guint       total)
{
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  gint64 start = g_get_monotonic_time ();
  double seconds;

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { url, token, numbers, load, t, total / N_THREADS, 0 };
      threads[t] = g_thread_new ("load", worker_thread, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      g_assert_cmpuint (workers[t].failures, ==, 0);
    }
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  return total / seconds;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GSubprocess) generate = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  CdTestServer server = { 0 };
  double version, ticket, write;
  guint n = 6000;

  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  generate = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                               cd_test_program ("CITYDESK_CTL"), "demo", "generate", "--db", db,
                               "--days", "30", "--tickets-per-day", "1100", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (generate, NULL, &error);
  g_assert_no_error (error);
  cd_test_add_user (db, "bench", "supervisor", NULL, "pw");

  /* The request log is silenced: it would time the terminal. */
  cd_test_server_start (&server, db);
  token = cd_test_login (session, server.url, "bench", "pw");
  /* Reads and writes go round 1,000 tickets of the history. */
  list = cd_test_call (session, server.url, "GET", "/api/v1/tickets?limit=1000&offset=5000", token, NULL, NULL, 200);
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (list, "tickets")); i++)
    g_ptr_array_add (numbers, g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (list, "tickets"), i), "number")));
  g_assert_cmpuint (numbers->len, ==, 1000);

  /* Warm up connections and caches. */
  requests_per_second (server.url, token, numbers, LOAD_VERSION, 200);
  version = requests_per_second (server.url, token, numbers, LOAD_VERSION, n);
  ticket = requests_per_second (server.url, token, numbers, LOAD_TICKET, n);
  write = requests_per_second (server.url, token, numbers, LOAD_WRITE, n / 2);

  printf ("server on a 30-day demo city (%u requests per read load, %u writes, %d client threads)\n",
          n, n / 2, N_THREADS);
  printf ("  GET /api/v1/version (baseline)      %8.0f req/s  1.00\n", version);
  printf ("  GET /api/v1/tickets/{id}            %8.0f req/s  %.2f of baseline\n", ticket, ticket / version);
  printf ("  POST /api/v1/tickets/{id}/actions   %8.0f req/s  %.2f of baseline\n", write, write / version);

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&server);
  return 0;
}
