// SPDX-License-Identifier: GPL-3.0-or-later
//
// The desktop's session against a real citydesk-server --demo on
// 127.0.0.1: errors said plainly, a login that syncs the cache until it
// holds what the server holds, "Try the demo", and the window that follows.

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "cd-action-dialog.h"
#include "cd-application.h"
#include "cd-client.h"
#include "cd-demo-server.h"
#include "cd-overdue-page.h"
#include "cd-session.h"
#include "cd-store-outbox.h"
#include "cd-test-ui.h"
#include "cd-welcome-page.h"
#include "cd-window.h"
#include "cd-store-search.h"

static CdApplication *app;
static CdDemoServer *server;

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
dialog_read (gpointer data)
{
  return !cd_action_dialog_get_loading (data);
}

static void
on_applied (CdActionDialog  *dialog,
            const char      *text,
            char           **summary)
{
  g_free (*summary);
  *summary = g_strdup (text);
}

static gboolean
page_read (gpointer data)
{
  return !cd_overdue_page_get_loading (data);
}

/* Runs the main loop until @done says so, failing after @seconds. */
static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static const char *
server_url (void)
{
  if (server == NULL)
    {
      g_autofree char *db = g_build_filename (g_get_home_dir (), "server.db", NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gboolean started;

      server = cd_demo_server_new (db);
      cd_demo_server_start_async (server, NULL, on_done, &result);
      wait_until (have_result, &result, 120);
      started = cd_demo_server_start_finish (server, result, &error);
      g_assert_no_error (error);
      g_assert_true (started);
    }
  return cd_demo_server_get_url (server);
}

/* A second client of the demo server, logged in as its supervisor, to
 * look at the server's side of things. */
static CdClient *
supervisor_client (void)
{
  g_autoptr(CdClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean logged_in;

  client = cd_client_new (server_url (), &error);
  g_assert_no_error (error);
  cd_client_login_async (client, "supervisor", "demo", NULL, on_done, &result);
  wait_until (have_result, &result, 30);
  logged_in = cd_client_login_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (logged_in);
  return g_steal_pointer (&client);
}

/* The server's ticket, as JSON text. */
static char *
remote_ticket (const char *number)
{
  g_autoptr(CdClient) client = supervisor_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", number);

  cd_client_get_async (client, path, NULL, on_done, &result);
  wait_until (have_result, &result, 30);
  node = cd_client_get_finish (client, result, &error);
  g_assert_no_error (error);
  return json_to_string (node, FALSE);
}

/* The demo server again, on the address the desktop knows. */
static void
restart_server (guint16 port)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean started;

  cd_demo_server_set_port (server, port);
  cd_demo_server_start_async (server, NULL, on_done, &result);
  wait_until (have_result, &result, 120);
  started = cd_demo_server_start_finish (server, result, &error);
  g_assert_no_error (error);
  g_assert_true (started);
}

static GError *
try_connect (const char *url,
             const char *password)
{
  CdSession *session = cd_application_get_session (app);
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;

  cd_session_connect_async (session, url, "supervisor", password, NULL, on_done, &result);
  wait_until (have_result, &result, 60);
  cd_session_connect_finish (session, result, &error);
  return error;
}

static void
test_wrong_password (void)
{
  g_autoptr(GError) error = try_connect (server_url (), "not-the-password");

  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "Wrong user name or password.");
  g_assert_false (cd_session_get_logged_in (cd_application_get_session (app)));
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = try_connect ("http://127.0.0.1:1", "demo");

  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "Cannot reach the server at http://127.0.0.1:1"));
}

static gboolean
session_online (gpointer data)
{
  return cd_session_get_state (data) == CD_CONNECTION_STATE_ONLINE;
}

static JsonNode *
server_stats (CdClient *client,
              gint64    now)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now);
  g_autofree char *iso = g_date_time_format_iso8601 (dt);
  g_autofree char *escaped = g_uri_escape_string (iso, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/stats?now=%s", escaped);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  cd_client_get_async (client, path, NULL, on_done, &result);
  wait_until (have_result, &result, 30);
  node = cd_client_get_finish (client, result, &error);
  g_assert_no_error (error);
  return node;
}

static void
test_login_syncs (void)
{
  CdSession *session = cd_application_get_session (app);
  g_autoptr(GError) error = try_connect (server_url (), "demo");
  g_autoptr(CdClient) client = NULL;
  g_autoptr(JsonNode) remote = NULL;
  g_autoptr(JsonObject) local = NULL;
  g_autofree char *cache = NULL;
  GStatBuf st;
  gint64 now, start;

  g_assert_no_error (error);
  g_assert_true (cd_session_get_logged_in (session));
  g_assert_cmpstr (cd_session_get_role (session), ==, "supervisor");
  start = g_get_monotonic_time ();
  wait_until (session_online, session, 120);
  g_test_message ("first sync: %.1f s", (g_get_monotonic_time () - start) / 1e6);

  /* The cache holds what the server holds: the same counts at one moment.
   * The demo city lives on, so compare at a moment both have passed. */
  client = supervisor_client ();
  now = g_get_real_time () / G_USEC_PER_SEC - 3600;
  remote = server_stats (client, now);
  local = cd_store_get_stats (cd_session_get_store (session), now, &error);
  g_assert_no_error (error);
  g_assert_true (
      json_node_equal (json_object_get_member (json_node_get_object (remote), "by_state"),
                       json_object_get_member (local, "by_state")));

  /* One cache per server, private to the user. */
  cache = cd_session_cache_path (cd_session_get_server_url (session));
  g_assert_cmpint (g_stat (cache, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

static gboolean
outbox_empty (gpointer data)
{
  CdSync *sync = cd_session_get_sync (data);

  return sync != NULL && cd_sync_get_pending_actions (sync) == 0;
}

/* Actions from the dialog go through the outbox to the server; one the
 * transition table refuses is said at once and not queued. */
static void
test_act (void)
{
  CdSession *session = cd_application_get_session (app);
  CdStore *store = cd_session_get_store (session);
  CdTicketFilter open = { .open_only = TRUE };
  CdTicketFilter closed = { .state = "closed" };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdContext) context = cd_context_new (session);
  const char *numbers[4] = { NULL };
  CdActionDialog *dialog;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;

  tickets = cd_store_list_tickets (store, &open, 2, &error);
  g_assert_no_error (error);
  done = cd_store_list_tickets (store, &closed, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 2);
  g_assert_cmpuint (done->len, ==, 1);
  numbers[0] = ((CdTicket *) g_ptr_array_index (tickets, 0))->number;
  numbers[1] = ((CdTicket *) g_ptr_array_index (tickets, 1))->number;
  numbers[2] = ((CdTicket *) g_ptr_array_index (done, 0))->number;

  cd_context_set_role (context, "supervisor");
  dialog = cd_action_dialog_new (context, numbers);
  wait_until (dialog_read, dialog, 60);
  g_signal_connect (dialog, "applied", G_CALLBACK (on_applied), &summary);
  g_assert_true (cd_action_dialog_select (dialog, "escalate"));
  cd_action_dialog_set_note (dialog, "Three days without heating: escalated by the test");
  /* The closed ticket cannot be escalated: two go, one is refused here. */
  g_assert_cmpuint (cd_action_dialog_apply (dialog), ==, 2);
  /* What the window's toast says. */
  g_assert_cmpstr (summary, ==, "“Escalate”: queued for 2 tickets");
  gtk_window_destroy (GTK_WINDOW (dialog));

  wait_until (outbox_empty, session, 60);

  text = remote_ticket (numbers[0]);
  g_assert_nonnull (strstr (text, "escalated by the test"));
}

static gboolean
session_offline (gpointer data)
{
  return cd_session_get_state (data) == CD_CONNECTION_STATE_OFFLINE;
}

/* The server goes away: actions wait in the outbox, counted; it comes
 * back on the same address: they are sent, once each. */
static void
test_offline_replay (void)
{
  CdSession *session = cd_application_get_session (app);
  CdStore *store = cd_session_get_store (session);
  CdTicketFilter open = { .open_only = TRUE };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(CdContext) context = cd_context_new (session);
  const char *numbers[2] = { NULL };
  CdActionDialog *dialog;
  guint16 port = cd_demo_server_get_port (server);
  const char *found;

  tickets = cd_store_list_tickets (store, &open, 1, &error);
  g_assert_no_error (error);
  numbers[0] = ((CdTicket *) g_ptr_array_index (tickets, 0))->number;

  cd_demo_server_stop (server);
  wait_until (session_offline, session, 60);

  cd_context_set_role (context, "supervisor");
  dialog = cd_action_dialog_new (context, numbers);
  wait_until (dialog_read, dialog, 60);
  g_assert_true (cd_action_dialog_select (dialog, "comment"));
  cd_action_dialog_set_note (dialog, "Written while the server was away");
  g_assert_cmpuint (cd_action_dialog_apply (dialog), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (cd_sync_get_pending_actions (cd_session_get_sync (session)), ==, 1);

  restart_server (port);

  wait_until (outbox_empty, session, 120);
  text = remote_ticket (numbers[0]);
  found = strstr (text, "Written while the server was away");
  g_assert_nonnull (found);
  /* Sent once, not once per retry. */
  g_assert_null (strstr (found + 1, "Written while the server was away"));
}

static gboolean
has_refusal (gpointer data)
{
  g_autoptr(GPtrArray) refused = cd_store_outbox_list_refused (data, NULL);

  return refused != NULL && refused->len > 0;
}

/* A refusal by the server stays in the cache, with its reason, until read;
 * reading it keeps the row. */
static void
test_refusal_kept (void)
{
  CdSession *session = cd_application_get_session (app);
  CdStore *store = cd_session_get_store (session);
  CdTicketFilter query = { .state = "in_progress" };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;
  CdOutboxEntry *entry;

  tickets = cd_store_list_tickets (store, &query, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);

  /* Closing needs a resident's confirmation first: the server refuses. */
  g_assert_cmpint (cd_sync_act (cd_session_get_sync (session),
                                ((CdTicket *) g_ptr_array_index (tickets, 0))->number,
                                CD_ACTION_CLOSE, body, &error), >, 0);
  g_assert_no_error (error);
  wait_until (has_refusal, store, 60);

  refused = cd_sync_list_refused (cd_session_get_sync (session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 1);
  entry = g_ptr_array_index (refused, 0);
  g_assert_cmpint (entry->action, ==, CD_ACTION_CLOSE);
  g_assert_cmpint (entry->status, ==, CD_OUTBOX_STATUS_REFUSED);
  g_assert_nonnull (entry->error);
  g_assert_cmpstr (entry->error, !=, "");
  g_test_message ("refused: %s", entry->error);

  g_assert_true (cd_sync_acknowledge_refusal (cd_session_get_sync (session), entry->id, &error));
  g_assert_no_error (error);
  after = cd_store_outbox_list_refused (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 0);
}

/* The dashboard synced from a real demo server shows the tiles that
 * `citydeskctl tickets --overdue` computes from the server's own database
 * at the same moment (the server stopped, so that both hold the same
 * events). */
static void
test_tiles_match_server (void)
{
  static const char * const tiles[CD_OVERDUE_N_TILES] = { NULL, "breached", "at_risk", "stale",
                                                         "reopened" };
  CdSession *session = cd_application_get_session (app);
  g_autofree char *db = g_build_filename (g_get_home_dir (), "server.db", NULL);
  g_autoptr(GDateTime) moment = g_date_time_new_now_utc ();
  g_autofree char *now = g_date_time_format_iso8601 (moment);
  g_autoptr(GSubprocess) ctl = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint16 port = cd_demo_server_get_port (server);
  JsonObject *counts;
  CdOverduePage *page;
  CdWindow *window;

  cd_demo_server_stop (server);
  wait_until (session_offline, session, 60);
  {
    g_autoptr(CdStore) remote = cd_store_open (db, &error);

    g_assert_no_error (error);
    g_assert_cmpint (cd_store_get_last_seq (cd_session_get_store (session), NULL), ==,
                     cd_store_get_last_seq (remote, NULL));
  }

  ctl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("CITYDESK_CTL"),
                          "tickets", "--db", db, "--overdue", "--json", "--now", now, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (ctl, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  counts = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "tiles");

  g_setenv ("CITYDESK_NOW", now, TRUE);
  g_settings_set_string (cd_application_get_settings (app), "last-page", "overdue");
  window = cd_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  page = cd_test_find_one (GTK_WIDGET (window), CD_TYPE_OVERDUE_PAGE);
  cd_overdue_page_refresh (page);
  wait_until (page_read, page, 60);
  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    {
      g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (counts, tiles[i]));

      g_test_message ("%s: %s", tiles[i], want);
      g_assert_cmpstr (cd_overdue_page_get_tile_text (page, i), ==, want);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("CITYDESK_NOW");

  restart_server (port);
}

static void
test_window_follows (void)
{
  CdWindow *window = cd_application_new_window (app);
  CdSession *session = cd_application_get_session (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cd_session_get_logged_in (session));
  g_assert_cmpstr (cd_window_get_visible_page (window), !=, NULL);
  g_assert_false (cd_window_is_welcome_shown (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  g_assert_false (cd_session_get_logged_in (session));
  g_assert_true (cd_window_is_welcome_shown (window));
  gtk_window_close (GTK_WINDOW (window));
}

static gboolean
logged_in (gpointer data)
{
  return cd_session_get_logged_in (data);
}

static void
test_try_demo (void)
{
  CdSession *session = cd_application_get_session (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GSettings *settings = cd_application_get_settings (app);

  cd_session_try_demo_async (session, NULL, on_done, &result);
  wait_until (have_result, &result, 120);
  g_assert_true (cd_session_try_demo_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_true (logged_in (session));
  g_assert_cmpstr (cd_session_get_role (session), ==, "supervisor");
  g_assert_true (g_settings_get_boolean (settings, "demo"));
  g_assert_cmpint (g_settings_get_int (settings, "demo-port"), >, 0);
  g_assert_nonnull (cd_session_get_store (session));
  g_assert_nonnull (cd_session_get_sync (session));

  cd_session_log_out (session);
  g_assert_false (g_settings_get_boolean (settings, "demo"));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  int ret;

  g_unsetenv ("CITYDESK_CACHE");

  setlocale (LC_ALL, "");
  cd_test_init (&argc, &argv, NULL);
  home = cd_test_isolate_home ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("No display: run the ui suite under xvfb-run");
      return g_test_run ();
    }

  app = cd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/session/wrong-password", test_wrong_password);
  g_test_add_func ("/session/unreachable", test_unreachable);
  g_test_add_func ("/session/login-syncs", test_login_syncs);
  g_test_add_func ("/session/act", test_act);
  g_test_add_func ("/session/offline-replay", test_offline_replay);
  g_test_add_func ("/session/refusal-kept", test_refusal_kept);
  g_test_add_func ("/session/tiles-match-server", test_tiles_match_server);
  g_test_add_func ("/session/window-follows", test_window_follows);
  g_test_add_func ("/session/try-demo", test_try_demo);

  ret = g_test_run ();

  g_clear_object (&server);
  g_clear_object (&app);
  return ret;
}
