// SPDX-License-Identifier: GPL-3.0-or-later
//
// An operator's own evaluations through a real citydesk-server over a real
// SQLite file and recordings folder: accounts linked to their PBX agents
// (citydeskctl user agent, the admin API), an operator reads the
// evaluation of their own call through the API, the feed and the stream,
// and hears its recording; a colleague's evaluation comes masked, a
// calibration too, and the colleague's recording is a 404; an operator
// cannot evaluate or read the sample; an account linked to a look-alike of
// a colleague's name (case, spacing) gets nothing of theirs, and names
// with spaces at their ends or twice in a row are refused. `verify` at the
// end.

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"
#include "cd-store-qa.h"
#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"
#include "cd-test-stream.h"

#define PASSWORD "own-evaluations-1"
#define ANSWERS \
  "{\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4," \
  " \"empathy\": 3, \"clarifying-questions\": true, \"information-correct\": \"partly\"," \
  " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true," \
  " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true," \
  " \"next-steps\": true, \"anything-else\": false, \"no-hang-up\": true}"
#define ANNA "Anna K."
#define BORIS "Boris L."

enum { ANNA_OP, BORIS_OP, CASE_TRICK, NO_AGENT, QC, ADMIN, N_USERS };

static const struct
{
  const char *name;
  const char *role;
  const char *agent;
} users[] = {
  [ANNA_OP] = { "anna", "operator", ANNA },
  [BORIS_OP] = { "boris", "operator", BORIS },
  [CASE_TRICK] = { "trick", "operator", "anna k." },
  [NO_AGENT] = { "nolink", "operator", NULL },
  [QC] = { "quality", "qc", NULL },
  [ADMIN] = { "root", "admin", NULL },
};

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *folder;
  char         *calls[2];        /* Anna's, Boris's */
  GBytes       *wavs[2];
  char         *evaluations[3];  /* Anna's, Boris's, Anna's in a calibration */
  char         *tokens[N_USERS];
} Fixture;

static int
ctl (const char * const *args,
     char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) cd_test_program ("CITYDESK_CTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

static char *
add_call (CdStore    *store,
          const char *uniqueid,
          const char *agent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCall) call = cd_call_new (uniqueid, "city", 1767225600);
  gboolean added = FALSE;

  call->answered_at = call->entered_at + 10;
  call->talk_seconds = 20;
  call->agent = g_strdup (agent);
  call->ended_by = g_strdup ("caller");
  cd_call_end (call, CD_CALL_ANSWERED, call->entered_at + 30);
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_no_error (error);
  return cd_call_dup_entity (call);
}

static JsonObject *
get (Fixture    *f,
     const char *path,
     int         who,
     guint       expected)
{
  return cd_test_call (f->session, f->server.url, "GET", path, f->tokens[who], NULL, NULL,
                       expected);
}

static char *
evaluate (Fixture    *f,
          const char *call,
          const char *calibration)
{
  g_autofree char *body = g_strdup_printf (
    "{\"call\": \"%s\", \"form\": \"contact-center\", \"answers\": " ANSWERS
    ", \"comments\": [{\"at_ms\": 4000, \"text\": \"Greeting on time\"}]%s%s%s}",
    call, calibration != NULL ? ", \"calibration\": \"" : "",
    calibration != NULL ? calibration : "", calibration != NULL ? "\"" : "");
  g_autoptr(JsonObject) answer = cd_test_call (f->session, f->server.url, "POST",
                                               "/api/v1/qa/evaluations", f->tokens[QC], NULL,
                                               body, SOUP_STATUS_CREATED);

  return g_strdup (json_object_get_string_member (
    json_object_get_object_member (answer, "evaluation"), "id"));
}

static guint
get_audio (Fixture     *f,
           const char  *call,
           int          who,
           GBytes     **body)
{
  g_autofree char *url = g_strdup_printf ("%sapi/v1/recordings/%s/audio", f->server.url, call);
  g_autofree char *bearer = g_strconcat ("Bearer ", f->tokens[who], NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                bearer);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (body != NULL)
    *body = g_steal_pointer (&bytes);
  return soup_message_get_status (msg);
}

static gint64
count_listens (Fixture *f)
{
  g_autofree char *text = cd_test_sql_text (f->server.db,
                                            "SELECT count(*) FROM events WHERE type = 'listen'");

  return g_ascii_strtoll (text, NULL, 10);
}

/* The evaluate events of a feed's page or a stream's messages, by entity:
 * whether each came whole. */
static void
check_evaluate_event (Fixture    *f,
                      JsonObject *event,
                      guint       own)
{
  const char *entity = json_object_get_string_member (event, "entity");
  const char *payload = json_object_get_string_member (event, "payload");

  if (g_str_equal (json_object_get_string_member (event, "type"), "calibrate"))
    {
      g_assert_cmpstr (payload, ==, "{}");
      return;
    }
  if (!g_str_equal (json_object_get_string_member (event, "type"), "evaluate"))
    return;
  if (own < G_N_ELEMENTS (f->evaluations) && g_str_equal (entity, f->evaluations[own]))
    {
      g_assert_nonnull (strstr (payload, "\"answers\""));
      g_assert_nonnull (strstr (payload, "Greeting on time"));
      g_assert_false (json_object_has_member (event, "masked"));
      g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, users[QC].name);
    }
  else
    {
      g_assert_cmpstr (payload, ==, "{}");
      g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, "");
      g_assert_true (json_object_has_member (event, "masked"));
    }
}

static void
test_api (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr(JsonObject) anna = get (f, "/api/v1/qa/evaluations", ANNA_OP, SOUP_STATUS_OK);
  g_autoptr(JsonObject) boris = get (f, "/api/v1/qa/evaluations", BORIS_OP, SOUP_STATUS_OK);
  g_autoptr(JsonObject) trick = get (f, "/api/v1/qa/evaluations", CASE_TRICK, SOUP_STATUS_OK);
  g_autoptr(JsonObject) forms = get (f, "/api/v1/qa/forms", ANNA_OP, SOUP_STATUS_OK);
  g_autoptr(JsonObject) all = get (f, "/api/v1/qa/evaluations", QC, SOUP_STATUS_OK);
  JsonArray *list = json_object_get_array_member (anna, "evaluations");
  JsonObject *mine;
  g_autofree char *body = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", "
                                           "\"answers\": " ANSWERS "}", f->calls[0]);
  g_autofree char *events_before = cd_test_sql_text (f->server.db, "SELECT count(*) FROM events");
  g_autofree char *events_after = NULL;

  /* Her own, the calibration left out; his; nothing for the look-alike. */
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  mine = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (mine, "id"), ==, f->evaluations[0]);
  g_assert_cmpstr (json_object_get_string_member (mine, "operator"), ==, ANNA);
  g_assert_true (json_object_has_member (mine, "score"));
  list = json_object_get_array_member (boris, "evaluations");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "id"),
                   ==, f->evaluations[1]);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (trick, "evaluations")),
                    ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (all, "evaluations")),
                    ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (forms, "forms")), >,
                    0);

  /* Asking for a colleague's, the sample, evaluating, an account with no
   * agent: refused, each with its reason. */
  {
    const struct {
      const char *path;
      int         who;
    } refused[] = {
      { "/api/v1/qa/evaluations?operator=Boris%20L.", ANNA_OP },
      { "/api/v1/qa/evaluations?operator=Anna%20K.", CASE_TRICK },
      { "/api/v1/qa/sample?week=2026-W01", ANNA_OP },
      { "/api/v1/qa/evaluations", NO_AGENT },
      { "/api/v1/qa/forms", NO_AGENT },
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(JsonObject) answer = get (f, refused[i].path, refused[i].who,
                                            SOUP_STATUS_FORBIDDEN);

        cd_test_assert_error (answer, "forbidden", NULL);
      }
  }
  {
    g_autoptr(JsonObject) answer = get (f, "/api/v1/qa/evaluations", NO_AGENT,
                                        SOUP_STATUS_FORBIDDEN);
    JsonObject *error = json_object_get_object_member (answer, "error");

    g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "agent"));
  }
  for (int who = ANNA_OP; who <= NO_AGENT; who++)
    {
      g_autoptr(JsonObject) answer = cd_test_call (f->session, f->server.url, "POST",
                                                   "/api/v1/qa/evaluations", f->tokens[who],
                                                   NULL, body, SOUP_STATUS_FORBIDDEN);
    }
  events_after = cd_test_sql_text (f->server.db, "SELECT count(*) FROM events");
  g_assert_cmpstr (events_after, ==, events_before);
}

static void
test_feed (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const struct {
    int   who;
    guint own;
  } readers[] = {
    { ANNA_OP, 0 }, { BORIS_OP, 1 }, { CASE_TRICK, G_MAXUINT }, { NO_AGENT, G_MAXUINT },
  };

  for (guint r = 0; r < G_N_ELEMENTS (readers); r++)
    {
      g_autoptr(JsonObject) feed = get (f, "/api/v1/events?after=0&limit=10000", readers[r].who,
                                        SOUP_STATUS_OK);
      JsonArray *events = json_object_get_array_member (feed, "events");
      guint seen = 0;

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);

          check_evaluate_event (f, e, readers[r].own);
          if (g_str_equal (json_object_get_string_member (e, "type"), "evaluate"))
            seen++;
        }
      g_assert_cmpuint (seen, ==, 3);
    }
}

static void
test_stream (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const struct {
    int   who;
    guint own;
  } readers[] = {
    { ANNA_OP, 0 }, { CASE_TRICK, G_MAXUINT },
  };

  for (guint r = 0; r < G_N_ELEMENTS (readers); r++)
    {
      CdTestStream stream = { 0 };
      gboolean timed_out = FALSE;
      guint timeout_id, seen = 0;

      cd_test_stream_open (&stream, f->session, f->server.url, "?after=0",
                           f->tokens[readers[r].who]);
      g_assert_no_error (stream.error);
      timeout_id = g_timeout_add_seconds (CD_TEST_WAIT_SECONDS, cd_test_on_timeout, &timed_out);
      /* Every event is in the journal before the stream opens: the three
       * evaluations arrive with the backlog. */
      while (seen < 3)
        {
          seen = 0;
          for (guint i = 0; i < stream.messages->len; i++)
            {
              const char *text = g_ptr_array_index (stream.messages, i);

              for (guint e = 0; e < G_N_ELEMENTS (f->evaluations); e++)
                if (strstr (text, f->evaluations[e]) != NULL)
                  seen++;
            }
          if (seen >= 3)
            break;
          g_assert_false (timed_out);
          g_main_context_iteration (NULL, TRUE);
        }
      g_source_remove (timeout_id);
      for (guint i = 0; i < stream.messages->len; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *message;

          g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (stream.messages, i),
                                                     -1, NULL));
          message = json_node_get_object (json_parser_get_root (parser));
          if (g_str_equal (json_object_get_string_member (message, "type"), "event"))
            check_evaluate_event (f, json_object_get_object_member (message, "event"),
                                  readers[r].own);
        }
      cd_test_stream_clear (&stream);
    }
}

static void
test_audio (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr(GBytes) whole = NULL;
  gint64 listens = count_listens (f);

  /* Her own call: served whole and journaled as a listen. */
  g_assert_cmpuint (get_audio (f, f->calls[0], ANNA_OP, &whole), ==, SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (whole, f->wavs[0]));
  g_assert_cmpint (count_listens (f), ==, listens + 1);

  /* A colleague's, and hers for the look-alike: as if not recorded. */
  g_assert_cmpuint (get_audio (f, f->calls[1], ANNA_OP, NULL), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (get_audio (f, f->calls[0], BORIS_OP, NULL), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (get_audio (f, f->calls[0], CASE_TRICK, NULL), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (get_audio (f, f->calls[0], NO_AGENT, NULL), ==, SOUP_STATUS_FORBIDDEN);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/recordings/%s", f->calls[1]);
    g_autoptr(JsonObject) answer = get (f, path, ANNA_OP, SOUP_STATUS_NOT_FOUND);
  }
  g_assert_cmpint (count_listens (f), ==, listens + 1);
  g_assert_cmpuint (get_audio (f, f->calls[1], BORIS_OP, NULL), ==, SOUP_STATUS_OK);

  /* The period's list names her own recorded calls, not a colleague's. */
  {
    g_autoptr(JsonObject) answer = get (f, "/api/v1/recordings?from=2026-01-01T00:00:00Z"
                                           "&to=2026-01-02T00:00:00Z",
                                        ANNA_OP, SOUP_STATUS_OK);
    JsonArray *found = json_object_get_array_member (answer, "recordings");

    g_assert_cmpuint (json_array_get_length (found), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0),
                                                    "call"),
                     ==, f->calls[0]);
  }
}

/* Names that only look like a colleague's are refused or match nothing;
 * one account per agent; relinking closes the account's sessions. */
static void
test_linking (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autofree char *err = NULL;
  const char *bad[] = { " " ANNA, ANNA " ", "Anna  K.", "Anna\tK.", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *args[] = { "user", "agent", "--db", f->server.db, "--set", bad[i], "nolink",
                             NULL };

      g_clear_pointer (&err, g_free);
      g_assert_cmpint (ctl (args, &err), !=, 0);
      g_assert_nonnull (strstr (err, "agent"));
    }
  {
    const char *args[] = { "user", "agent", "--db", f->server.db, "--set", ANNA, "nolink", NULL };

    g_clear_pointer (&err, g_free);
    g_assert_cmpint (ctl (args, &err), !=, 0);
    g_assert_nonnull (strstr (err, ANNA));
  }
  {
    g_autoptr(JsonObject) taken = cd_test_call (f->session, f->server.url, "POST",
                                                "/api/v1/users/nolink/agent", f->tokens[ADMIN],
                                                NULL, "{\"agent\": \"" BORIS "\"}",
                                                SOUP_STATUS_CONFLICT);
    g_autoptr(JsonObject) spaced = cd_test_call (f->session, f->server.url, "POST",
                                                 "/api/v1/users/nolink/agent", f->tokens[ADMIN],
                                                 NULL, "{\"agent\": \"Boris  L.\"}",
                                                 SOUP_STATUS_BAD_REQUEST);
    g_autoptr(JsonObject) by_operator = cd_test_call (f->session, f->server.url, "POST",
                                                      "/api/v1/users/anna/agent",
                                                      f->tokens[ANNA_OP], NULL,
                                                      "{\"agent\": \"" BORIS "\"}",
                                                      SOUP_STATUS_FORBIDDEN);
    g_autoptr(JsonObject) shown = get (f, "/api/v1/users/anna", ADMIN, SOUP_STATUS_OK);

    cd_test_assert_error (spaced, "bad_request", "agent");
    g_assert_cmpstr (json_object_get_string_member (shown, "agent"), ==, ANNA);
  }
  /* Hostile bodies: bad UTF-8, a control character, another member, a
   * number, deep nesting, a huge name: each refused, Anna's link kept. */
  {
    g_autofree char *opens = g_strnfill (2000, '[');
    g_autofree char *closes = g_strnfill (2000, ']');
    g_autofree char *long_name = g_strnfill (4096, 'A');
    g_autofree char *deep = g_strdup_printf ("{\"agent\": %s\"x\"%s}", opens, closes);
    g_autofree char *huge = g_strdup_printf ("{\"agent\": \"%s\"}", long_name);
    const char *bodies[] = { "{\"agent\": \"Anna \xff\"}", "{\"agent\": \"Anna\\u0007\"}",
                             "{\"agent\": \"Anna K.\", \"role\": \"admin\"}",
                             "{\"agent\": 7}", deep, huge, "[]", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(JsonObject) refused = cd_test_call (f->session, f->server.url, "POST",
                                                      "/api/v1/users/anna/agent",
                                                      f->tokens[ADMIN], NULL, bodies[i],
                                                      SOUP_STATUS_BAD_REQUEST);
        g_autoptr(JsonObject) shown = get (f, "/api/v1/users/anna", ADMIN, SOUP_STATUS_OK);

        g_assert_nonnull (refused);
        g_assert_true (json_object_has_member (refused, "error"));
        g_assert_cmpstr (json_object_get_string_member (shown, "agent"), ==, ANNA);
      }
  }
  /* Unlinking Boris ends his sessions: what they read was his. */
  {
    g_autoptr(JsonObject) unlinked = cd_test_call (f->session, f->server.url, "POST",
                                                   "/api/v1/users/boris/agent",
                                                   f->tokens[ADMIN], NULL, "{\"agent\": null}",
                                                   SOUP_STATUS_OK);
    g_autoptr(JsonObject) gone = get (f, "/api/v1/qa/evaluations", BORIS_OP,
                                      SOUP_STATUS_UNAUTHORIZED);

    g_assert_false (json_object_has_member (unlinked, "agent"));
    g_assert_cmpint (json_object_get_int_member (unlinked, "revoked"), ==, 1);
  }
}

static void
set_up (Fixture    *f,
        const char *db)
{
  g_autofree char *dir = g_path_get_dirname (db);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  const char *uniqueids[] = { "1767225600.11", "1767225600.12" };
  const char *agents[] = { ANNA, BORIS };

  for (guint i = 0; i < N_USERS; i++)
    {
      cd_test_add_user (db, users[i].name, users[i].role, NULL, PASSWORD);
      if (users[i].agent != NULL)
        {
          const char *args[] = { "user", "agent", "--db", db, "--set", users[i].agent,
                                 users[i].name, NULL };
          g_autofree char *err = NULL;

          g_assert_cmpint (ctl (args, &err), ==, 0);
        }
    }

  f->folder = g_build_filename (dir, "recordings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->folder, 0700), ==, 0);
  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (store, &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strconcat (uniqueids[i], ".wav", NULL);
      g_autofree char *file = g_build_filename (f->folder, name, NULL);

      f->calls[i] = add_call (store, uniqueids[i], agents[i]);
      f->wavs[i] = cd_demo_recording_synthesize (uniqueids[i], 6, NULL);
      g_assert_true (g_file_set_contents (file, g_bytes_get_data (f->wavs[i], NULL),
                                          g_bytes_get_size (f->wavs[i]), &error));
    }
  g_assert_true (cd_store_open_qa_calibration (store, "cal-1", f->calls[0], NULL,
                                               users[QC].name, "qc", 1767300000, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
}

/* The server links its folder while it answers: wait for both. */
static void
wait_for_scan (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + CD_TEST_WAIT_SECONDS * G_USEC_PER_SEC;

  for (guint i = 0; i < 2; i++)
    for (;;)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM recordings "
                                                "WHERE call = '%s'", f->calls[i]);
        g_autofree char *n = cd_test_sql_text (f->server.db, sql);

        if (g_str_equal (n, "1"))
          break;
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (20000);
      }
}

int
main (int    argc,
      char **argv)
{
  Fixture f = { 0 };
  g_autofree char *db = NULL;
  const char *extra[] = { "--recordings", NULL, NULL };
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  db = cd_test_new_db_path ();
  set_up (&f, db);
  extra[1] = f.folder;
  cd_test_server_start_full (&f.server, db, extra, FALSE);
  f.session = soup_session_new ();
  for (guint i = 0; i < N_USERS; i++)
    f.tokens[i] = cd_test_login (f.session, f.server.url, users[i].name, PASSWORD);
  wait_for_scan (&f);
  f.evaluations[0] = evaluate (&f, f.calls[0], NULL);
  f.evaluations[1] = evaluate (&f, f.calls[1], NULL);
  f.evaluations[2] = evaluate (&f, f.calls[0], "cal-1");

  g_test_add_data_func ("/qa-own/api", &f, test_api);
  g_test_add_data_func ("/qa-own/feed", &f, test_feed);
  g_test_add_data_func ("/qa-own/stream", &f, test_stream);
  g_test_add_data_func ("/qa-own/audio", &f, test_audio);
  g_test_add_data_func ("/qa-own/linking", &f, test_linking);
  status = g_test_run ();

  cd_test_server_stop (&f.server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&f.server);
  g_clear_object (&f.session);
  for (guint i = 0; i < N_USERS; i++)
    g_free (f.tokens[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_free (f.calls[i]);
      g_bytes_unref (f.wavs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (f.evaluations); i++)
    g_free (f.evaluations[i]);
  g_free (f.folder);
  return status;
}
