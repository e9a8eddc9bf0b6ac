// SPDX-License-Identifier: GPL-3.0-or-later
//
// Requests per second of citydesk-server for GET /api/v1/tickets/{id} and
// for a write action (a comment with its Idempotency-Key), from a small C
// load client of two threads (two cores), each a libsoup session with
// keep-alive. Printed as ratios against GET /api/v1/version measured in
// the same run: the cost of the route over the cost of HTTP itself.
//
// Then the same thin reads (a ticket by number) while 4 clients page
// through the public Open311 list, and while 4 more try wrong passwords:
// the ratio of those figures to the idle server's is what one client's
// load costs the others (goal: at least 0.7). Also printed: the time of
// the Open311 list's first and of a deep page.
//
// bench-server [REQUESTS]; the small mode (cd-bench.h) serves a 2-day city
// of 600 tickets and 200 requests per load.

#include "config.h"

#include <stdio.h>

#include "../cd-test-server.h"
#include "cd-bench.h"

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
      const char *number = g_ptr_array_index (w->numbers,
                                              (i * N_THREADS + w->thread) % w->numbers->len);
      g_autofree char *ticket_path = g_strdup_printf ("/api/v1/tickets/%s", number);
      g_autofree char *action_path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
      g_autofree char *text = NULL;
      guint status = 0;

      switch (w->load)
        {
        case LOAD_VERSION:
          text = cd_test_request (session, w->url, "GET", "/api/v1/version", NULL, NULL, NULL, 0,
                                  &status);
          break;
        case LOAD_TICKET:
          text = cd_test_request (session, w->url, "GET", ticket_path, w->token, NULL, NULL, 0,
                                  &status);
          break;
        case LOAD_WRITE:
        default:
          {
            g_autofree char *key = g_strdup_printf ("bench-%u-%u-%" G_GINT64_FORMAT, w->thread, i,
                                                    g_get_real_time ());

            text = cd_test_request (session, w->url, "POST", action_path, w->token, key,
                                    "{\"action\":\"comment\",\"note\":\"bench\"}", (gsize) -1,
                                    &status);
          }
          break;
        }
      if (status != 200)
        {
          if (w->failures++ < 3)
            g_printerr ("load %d: %u %s\n", w->load, status, text ? text : "");
        }
    }
  return NULL;
}

#define N_BACKGROUND 4

typedef enum
{
  BACKGROUND_OPEN311,
  BACKGROUND_LOGIN,
} BackgroundKind;

typedef struct
{
  const char     *url;
  BackgroundKind  kind;
  guint           thread;
  gint           *stop;
  guint           done;
  guint           refused;
  guint           failures;
} Background;

/* Open311 pages of 100 over the 30-day city hold about 330 pages: the
 * clients walk them, deep ones included. */
static gpointer
background_thread (gpointer data)
{
  Background *b = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = 0; !g_atomic_int_get (b->stop); i++)
    {
      g_autofree char *text = NULL;
      guint status = 0;

      if (b->kind == BACKGROUND_OPEN311)
        {
          g_autofree char
              *path = g_strdup_printf ("/open311/v2/requests.json?page=%u&page_size=100",
                                       1 + (i * 37 + b->thread * 83) % 330);

          /* They do not wait as Retry-After says: a refusal is what the
           * server pays for a client that pages faster than its share. */
          text = cd_test_request (session, b->url, "GET", path, NULL, NULL, NULL, 0, &status);
          if (status == 429)
            b->refused++;
          else if (status != 200)
            b->failures++;
        }
      else
        {
          g_autofree char *url = g_strconcat (b->url, "api/v1/login", NULL);
          g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
          static const char login[] = "{\"user\":\"bench\",\"password\":\"wrong\"}";
          g_autoptr(GBytes) body = g_bytes_new_static (login, sizeof login - 1);
          g_autoptr(GBytes) answer = NULL;

          /* libsoup opens a new connection for every POST not marked
           * idempotent; a tool that tries passwords keeps its own, and so
           * spends its CPU (which here is the server's too) on logins
           * rather than on TCP handshakes. */
          soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
          soup_message_set_request_body_from_bytes (msg, "application/json", body);
          answer = soup_session_send_and_read (session, msg, NULL, NULL);
          status = answer != NULL ? soup_message_get_status (msg) : 0;
          /* 401, or 429 once a throttle holds the account or address back. */
          if (status != 401 && status != 429)
            b->failures++;
        }
      b->done++;
    }
  return NULL;
}

/* Starts @n threads of @kind; stop them with *@stop = 1 and
 * background_join(). */
static void
background_start (Background     *backgrounds,
                  GThread       **threads,
                  guint           n,
                  const char     *url,
                  BackgroundKind  kind,
                  gint           *stop)
{
  for (guint t = 0; t < n; t++)
    {
      backgrounds[t] = (Background) { url, kind, t, stop, 0, 0 };
      threads[t] = g_thread_new ("background", background_thread, &backgrounds[t]);
    }
}

static guint
background_join (Background *backgrounds,
                 GThread   **threads,
                 guint       n,
                 guint      *refused)
{
  guint done = 0;

  *refused = 0;
  for (guint t = 0; t < n; t++)
    {
      g_thread_join (threads[t]);
      g_assert_cmpuint (backgrounds[t].failures, ==, 0);
      done += backgrounds[t].done - backgrounds[t].refused;
      *refused += backgrounds[t].refused;
    }
  return done;
}

static double
time_request_ms (SoupSession *session,
                 const char  *url,
                 const char  *path)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  guint status = 0;

  text = cd_test_request (session, url, "GET", path, NULL, NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  return (double) (g_get_monotonic_time () - start) / 1000.0;
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
  g_autofree char *db = NULL;
  g_autofree char *token = NULL;
  g_autofree char *page = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  CdTestServer server = { 0 };
  double version, ticket, write;
  double idle, open311_only, logins_only, with_logins, first_page, deep_page;
  Background open311[N_BACKGROUND], logins[N_BACKGROUND];
  GThread *open311_threads[N_BACKGROUND], *login_threads[N_BACKGROUND];
  gint stop = 0;
  guint open311_done, logins_done, open311_refused, logins_refused;
  gint64 start;
  gboolean small = cd_bench_small ();
  guint n = small ? 200 : 6000;
  guint n_numbers = small ? 100 : 1000;

  cd_test_own_tmp_dir ();
  db = cd_test_new_db_path ();
  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  generate = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                               cd_test_program ("CITYDESK_CTL"), "demo", "generate", "--db", db,
                               "--days", small ? "2" : "30",
                               "--tickets-per-day", small ? "300" : "1100", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (generate, NULL, &error);
  g_assert_no_error (error);
  cd_test_add_user (db, "bench", "supervisor", NULL, "password-1");

  /* The request log is silenced: it would time the terminal. */
  cd_test_server_start (&server, db);
  token = cd_test_login (session, server.url, "bench", "password-1");
  /* Reads and writes go round 1,000 tickets of the history (100 in the
   * small mode). */
  page = g_strdup_printf ("/api/v1/tickets?limit=%u&offset=%u", n_numbers, small ? 100 : 5000);
  list = cd_test_call (session, server.url, "GET", page, token, NULL, NULL, 200);
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (list, "tickets")); i++)
    g_ptr_array_add (numbers,
                     g_strdup (json_object_get_string_member (
                         json_array_get_object_element (json_object_get_array_member (list,
                                                                                      "tickets"),
                                                        i),
                         "number")));
  g_assert_cmpuint (numbers->len, ==, n_numbers);

  /* Warm up connections and caches. */
  requests_per_second (server.url, token, numbers, LOAD_VERSION, 200);
  version = requests_per_second (server.url, token, numbers, LOAD_VERSION, n);
  ticket = requests_per_second (server.url, token, numbers, LOAD_TICKET, n);
  write = requests_per_second (server.url, token, numbers, LOAD_WRITE, n / 2);

  /* Thin reads on the idle server, then beside the public list, then
   * beside the list and wrong passwords. */
  first_page = time_request_ms (session, server.url,
                                "/open311/v2/requests.json?page=1&page_size=100");
  deep_page = time_request_ms (session, server.url,
                               "/open311/v2/requests.json?page=320&page_size=100");
  idle = requests_per_second (server.url, token, numbers, LOAD_TICKET, n / 2);

  start = g_get_monotonic_time ();
  background_start (open311, open311_threads, N_BACKGROUND, server.url, BACKGROUND_OPEN311, &stop);
  open311_only = requests_per_second (server.url, token, numbers, LOAD_TICKET, n / 2);
  g_atomic_int_set (&stop, 1);
  open311_done = background_join (open311, open311_threads, N_BACKGROUND, &open311_refused);
  g_test_message ("%u Open311 pages in %.1f s, %u more refused with 429", open311_done,
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, open311_refused);

  g_atomic_int_set (&stop, 0);
  background_start (logins, login_threads, N_BACKGROUND, server.url, BACKGROUND_LOGIN, &stop);
  logins_only = requests_per_second (server.url, token, numbers, LOAD_TICKET, n / 2);
  g_atomic_int_set (&stop, 1);
  logins_done = background_join (logins, login_threads, N_BACKGROUND, &logins_refused);
  g_test_message ("%u logins", logins_done);

  g_atomic_int_set (&stop, 0);
  background_start (open311, open311_threads, N_BACKGROUND, server.url, BACKGROUND_OPEN311, &stop);
  background_start (logins, login_threads, N_BACKGROUND, server.url, BACKGROUND_LOGIN, &stop);
  with_logins = requests_per_second (server.url, token, numbers, LOAD_TICKET, n / 2);
  g_atomic_int_set (&stop, 1);
  open311_done = background_join (open311, open311_threads, N_BACKGROUND, &open311_refused);
  logins_done = background_join (logins, login_threads, N_BACKGROUND, &logins_refused);

  printf (
      "server on a %s-day demo city (%u requests per read load, %u writes, %d client threads)\n",
      small ? "2" : "30", n, n / 2, N_THREADS);
  printf ("  GET /api/v1/version (baseline)      %8.0f req/s  1.00\n", version);
  printf ("  GET /api/v1/tickets/{id}            %8.0f req/s  %.2f of baseline\n", ticket,
          ticket / version);
  printf ("  POST /api/v1/tickets/{id}/actions   %8.0f req/s  %.2f of baseline\n", write,
          write / version);
  printf ("thin reads (GET /api/v1/tickets/{id}) beside other clients' load (goal: at least 0.7 of "
          "idle)\n");
  printf ("  idle server                         %8.0f req/s  1.00\n", idle);
  printf ("  4 clients paging Open311            %8.0f req/s  %.2f of idle\n", open311_only,
          open311_only / idle);
  printf ("  4 clients trying wrong passwords    %8.0f req/s  %.2f of idle\n", logins_only,
          logins_only / idle);
  printf ("  ... and 4 trying wrong passwords    %8.0f req/s  %.2f of idle (%u pages served and %u "
          "refused "
          "by the list's rate limit, %u logins meanwhile)\n",
          with_logins, with_logins / idle, open311_done, open311_refused, logins_done);
  printf ("  Open311 list, page 1 of 100         %8.1f ms\n", first_page);
  printf ("  Open311 list, page 320 of 100       %8.1f ms\n", deep_page);

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&server);
  return 0;
}
