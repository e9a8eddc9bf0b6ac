// SPDX-License-Identifier: GPL-3.0-or-later
/* test-store-backends-rec.c: the league table, a ticket's relatives, an
 * executor's org and journal, the routing rules saved, and the desktop's
 * cache, the calls' recordings (and the server's role's grants on them),
 * through the same store API on a SQLite file and on PostgreSQL
 * (PostgreSQL's cases skip without CITYDESK_TEST_PG) */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-journal-db.h"
#include "cd-store-calls.h"
#include "cd-store-league.h"
#include "cd-store-outbox.h"
#include "cd-store-recordings.h"
#include "cd-store-private.h"
#include "cd-store-users.h"
#include "cd-test.h"
#include "cd-test-backends.h"
#include "cd-ticket-list-model.h"

/* 2026-01-05 09:00 UTC, a Monday. */
#define T0 1767603600

static JsonObject *
ticket_fields (const char *category,
               const char *street,
               const char *building)
{
  JsonObject *f = json_object_new ();

  json_object_set_string_member (f, "kind", "routine");
  json_object_set_string_member (f, "category", category);
  json_object_set_string_member (f, "district", "Central");
  json_object_set_string_member (f, "street", street);
  json_object_set_string_member (f, "building", building);
  json_object_set_string_member (f, "phone", "+375291234567");
  return f;
}

static CdTicket *
register_at (CdStore    *store,
             const char *category,
             const char *street,
             const char *building,
             gint64      time)
{
  g_autoptr(JsonObject) f = ticket_fields (category, street, building);
  g_autoptr(GError) error = NULL;
  CdTicket *ticket = cd_store_register (store, f, "olga", "operator", time, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ticket);
  return ticket;
}

static void
act_as (CdStore    *store,
        const char *number,
        const char *action,
        const char *actor,
        const char *role,
        gint64      time)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdTicket) ticket = NULL;

  /* A reopen gives its reason; the others accept a note. */
  if (g_str_equal (action, "reopen"))
    json_object_set_string_member (payload, "note", "still broken");
  ticket = cd_store_act (store, number, action, actor, role,
                         json_object_get_size (payload) > 0 ? payload : NULL, time, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ticket);
}

static void
save_routing (CdStore *store)
{
  g_autoptr(CdRouting) routing = cd_routing_new ("city");
  g_autoptr(CdRouting) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_routing_add_rule (routing, "housing.lifts", NULL, "lifts-co", &error));
  g_assert_true (cd_routing_add_rule (routing, "housing.heating", NULL, "heat-co", &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_save_routing (store, routing, &error));
  g_assert_no_error (error);
  /* Saved again inside the caller's transaction: replaced, not added. */
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_save_routing (store, routing, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);

  loaded = cd_store_load_routing (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_routing_get_default (loaded), ==, "city");
  g_assert_cmpuint (cd_routing_get_n_rules (loaded), ==, 2);
  g_assert_cmpstr (cd_routing_route (loaded, "housing.heating", "Central"), ==, "heat-co");
}

/* The league's lines, one text each, in the table's order. */
static char *
league_text (CdStore *store,
             gint64   since,
             gint64   until,
             gint64   now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = cd_store_executor_league (store, since, until, now, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  for (guint i = 0; i < rows->len; i++)
    {
      CdLeagueRow *row = rows->pdata[i];

      g_string_append_printf (text,
                              "%s open=%" G_GINT64_FORMAT " overdue=%" G_GINT64_FORMAT
                              " resolved=%" G_GINT64_FORMAT " judged=%" G_GINT64_FORMAT
                              " on_time=%" G_GINT64_FORMAT " reopened=%" G_GINT64_FORMAT
                              " median=%" G_GINT64_FORMAT "\n",
                              row->executor, row->open, row->overdue, row->resolved,
                              row->judged, row->on_time, row->reopened, row->median_resolve);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The same tickets routed by the saved rules, resolved, one reopened and
 * one left open past its due time: the same league table on both
 * backends, counted by sums of CASEs. */
static void
test_league (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "league");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdTicket) a = NULL;
  g_autoptr(CdTicket) b = NULL;
  g_autoptr(CdTicket) c = NULL;
  g_autoptr(CdTicket) d = NULL;
  g_autoptr(CdTicket) e = NULL;
  g_autofree char *table = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *quiet = NULL;
  gint64 now = T0 + 90 * 86400;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  save_routing (store);

  a = register_at (store, "housing.lifts", "Lenin St", "1", T0);
  b = register_at (store, "housing.lifts", "Lenin St", "2", T0 + 60);
  c = register_at (store, "housing.heating", "Gorky St", "3", T0 + 120);
  d = register_at (store, "housing.heating", "Gorky St", "4", T0 + 180);
  e = register_at (store, "housing.roofs", "Main St", "5", T0 + 240);
  g_assert_cmpstr (a->executor, ==, "lifts-co");
  g_assert_cmpstr (c->executor, ==, "heat-co");
  g_assert_cmpstr (e->executor, ==, "city");

  act_as (store, a->number, "accept", "vera", "admin", T0 + 600);
  act_as (store, a->number, "resolve", "vera", "admin", T0 + 3600);
  act_as (store, b->number, "accept", "vera", "admin", T0 + 600);
  act_as (store, b->number, "resolve", "vera", "admin", T0 + 7260);
  act_as (store, b->number, "reopen", "vera", "admin", T0 + 8000);
  act_as (store, b->number, "accept", "vera", "admin", T0 + 8500);
  act_as (store, b->number, "resolve", "vera", "admin", T0 + 9000);
  act_as (store, c->number, "accept", "vera", "admin", T0 + 600);
  act_as (store, c->number, "resolve", "vera", "admin", T0 + 1320);

  table = league_text (store, T0, T0 + 86400, now);
  /* Resolved is still open until closed. lifts-co: two resolved (3600 s
   * and 8940 s: median 6270), one of them reopened, none overdue;
   * heat-co: one resolved in 1200 s, one not and, 90 days on, overdue;
   * city: one open, overdue. */
  expected = g_strdup_printf (
      "lifts-co open=2 overdue=0 resolved=2 judged=%d on_time=%d reopened=1 median=6270\n"
      "heat-co open=2 overdue=1 resolved=1 judged=%d on_time=%d reopened=0 median=1200\n"
      "city open=1 overdue=1 resolved=0 judged=0 on_time=0 reopened=0 median=-1\n",
      (a->policy != NULL) + (b->policy != NULL), (a->policy != NULL) + (b->policy != NULL),
      c->policy != NULL, c->policy != NULL);
  if (a->policy == NULL || c->policy == NULL)
    {
      /* Without policies no share is on time: the order is by overdue,
       * then by name. */
      g_assert_nonnull (strstr (table, "lifts-co open=2 overdue=0 resolved=2"));
      g_assert_nonnull (strstr (table, "heat-co open=2 overdue=1 resolved=1"));
    }
  else
    g_assert_cmpstr (table, ==, expected);

  /* A period before any resolution counts the open tickets only. */
  quiet = league_text (store, T0 - 86400, T0, now);
  g_assert_nonnull (strstr (quiet, "heat-co open=2 overdue=1 resolved=0"));
  g_assert_nonnull (strstr (quiet, "lifts-co open=2 overdue=0 resolved=0 judged=0 on_time=0 "
                                   "reopened=0 median=-1\n"));
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* A mass incident's tickets and a repeat's series read by the same code
 * on both backends, in order of registration. */
static void
test_relatives (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "relatives");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) a = NULL;
  g_autoptr(CdTicket) b = NULL;
  g_autoptr(CdTicket) c = NULL;
  g_autoptr(CdTicket) d = NULL;
  g_autoptr(GPtrArray) incident = NULL;
  g_autoptr(GPtrArray) repeats = NULL;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_true (cd_store_set_meta (store, "mass-incident-street", "2", &error));
  g_assert_no_error (error);

  a = register_at (store, "housing.cold_water", "Lenin St", "1", T0);
  b = register_at (store, "housing.cold_water", "Lenin St", "9", T0 + 60);
  c = register_at (store, "housing.lifts", "Gorky St", "3", T0 + 120);
  d = register_at (store, "housing.lifts", "Gorky St", "3", T0 + 180);

  incident = cd_store_list_incident (store, a->number, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (incident->len, ==, 2);
  g_assert_cmpstr (((CdTicket *) incident->pdata[0])->number, ==, a->number);
  g_assert_cmpstr (((CdTicket *) incident->pdata[1])->number, ==, b->number);
  g_assert_cmpstr (((CdTicket *) incident->pdata[1])->incident, ==, a->number);
  g_clear_pointer (&incident, g_ptr_array_unref);
  incident = cd_store_list_incident (store, "2026-999999", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (incident->len, ==, 0);

  g_assert_cmpstr (d->repeat_of, ==, c->number);
  repeats = cd_store_list_repeats (store, d, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (repeats->len, ==, 2);
  g_assert_cmpstr (((CdTicket *) repeats->pdata[0])->number, ==, c->number);
  g_assert_cmpstr (((CdTicket *) repeats->pdata[1])->number, ==, d->number);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* An executor acting without naming its org acts for its account's; it
 * reads its tickets' events, each with the hash before it. */
static void
test_executor (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "executor");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) a = NULL;
  g_autoptr(CdTicket) b = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) prevs = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) one = NULL;
  CdEvent *accept;
  gint64 head;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  save_routing (store);
  g_assert_true (cd_store_add_user (store, "ivan", "executor", "lifts-co", NULL, 1000, &error));
  g_assert_no_error (error);
  a = register_at (store, "housing.lifts", "Lenin St", "1", T0);
  b = register_at (store, "housing.heating", "Lenin St", "2", T0 + 60);
  act_as (store, a->number, "accept", "ivan", "executor", T0 + 120);

  head = cd_store_get_last_seq (store, &error);
  g_assert_no_error (error);
  all = cd_store_list_events (store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  accept = all->pdata[all->len - 1];
  g_assert_cmpstr (accept->type, ==, "accept");
  g_assert_nonnull (strstr (accept->payload, "\"org\":\"lifts-co\""));

  events = cd_store_list_org_events (store, "lifts-co", 0, head, 0, &prevs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 2);
  g_assert_cmpuint (prevs->len, ==, events->len);
  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *event = events->pdata[i];
      CdEvent *before = event->seq > 1 ? all->pdata[event->seq - 2] : NULL;

      g_assert_cmpstr (event->entity, ==, a->id);
      g_assert_cmpstr (prevs->pdata[i], ==, before != NULL ? before->hash : CD_JOURNAL_GENESIS);
    }
  one = cd_store_list_org_events (store, "lifts-co", 0, head, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = cd_store_list_org_events (store, "heat-co", 0, head, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  g_assert_cmpstr (((CdEvent *) events->pdata[0])->entity, ==, b->id);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* A call answered by @agent, entered at @entered, as the PBX logged it. */
static char *
add_call (CdStore    *store,
          const char *uniqueid,
          const char *agent,
          gint64      entered)
{
  g_autoptr(CdCall) call = cd_call_new (uniqueid, "city", entered);
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  call->answered_at = entered + 12;
  call->ended_at = entered + 72;
  call->outcome = CD_CALL_ANSWERED;
  call->hold_seconds = 12;
  call->talk_seconds = 60;
  call->agent = g_strdup (agent);
  call->caller = g_strdup ("+375291234567");
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_no_error (error);
  g_assert_true (added);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  return cd_call_dup_entity (call);
}

static void
write_recording (const char *folder,
                 const char *dated,
                 const char *uniqueid,
                 guint       seconds)
{
  g_autofree char *dir = g_build_filename (folder, dated, NULL);
  g_autofree char *name = g_strconcat (uniqueid, ".wav", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize (uniqueid, seconds, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (wav, NULL),
                                      g_bytes_get_size (wav), &error));
  g_assert_no_error (error);
}

static guint
count_events (CdStore    *store,
              const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = cd_store_list_events (store, NULL, 0, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    n += g_str_equal (((CdEvent *) events->pdata[i])->type, type);
  return n;
}

/* A folder scanned: each recording linked to its call by uniqueid,
 * analysed once, listed by the calls' period with the call's agent; a
 * file of no call counted, linked by a later scan once its call came; a
 * listen journaled, a call unknown refused. */
static void
test_recordings (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "recordings");
  g_autofree char *tag = g_strdup_printf ("recordings-%s", backend->name);
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), tag, NULL);
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdRecordingScan) scan = NULL;
  g_autoptr(CdRecording) recording = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *late = NULL;
  gint64 duration;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  first = add_call (store, "1767603600.1", "anna", T0);
  second = add_call (store, "1767607200.2", "boris", T0 + 3600);
  write_recording (folder, "2026/01/05", "1767603600.1", 10);
  write_recording (folder, "2026/01/05", "1767607200.2", 10);
  write_recording (folder, "2026/01/05", "1767610800.3", 10);

  g_assert_true (cd_store_scan_recordings (store, folder, T0 + 7200, NULL, &scan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_files, ==, 3);
  g_assert_cmpuint (scan->n_linked, ==, 2);
  g_assert_cmpuint (scan->n_unmatched, ==, 1);
  g_assert_cmpuint (scan->problems->len, ==, 0);

  g_assert_true (cd_store_get_recording (store, first, &recording, &error));
  g_assert_no_error (error);
  g_assert_nonnull (recording);
  g_assert_cmpstr (recording->path, ==, "2026/01/05/1767603600.1.wav");
  g_assert_cmpstr (recording->format, ==, "wav");
  g_assert_cmpstr (recording->agent, ==, "anna");
  g_assert_cmpint (recording->duration_ms, >, 8000);
  g_assert_cmpint (recording->size, >, 8000 * 4);
  g_assert_nonnull (recording->figures);
  duration = recording->duration_ms;
  g_assert_cmpint (recording->scanned_at, ==, T0 + 7200);
  g_clear_pointer (&recording, cd_recording_free);
  g_assert_true (cd_store_get_recording (store, "no-such-call", &recording, &error));
  g_assert_no_error (error);
  g_assert_null (recording);

  /* By the calls' period, in their order. */
  g_assert_true (cd_store_list_recordings_between (store, T0, T0 + 86400, &listed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (((CdRecording *) listed->pdata[0])->call, ==, first);
  g_assert_cmpstr (((CdRecording *) listed->pdata[1])->call, ==, second);
  g_assert_cmpstr (((CdRecording *) listed->pdata[1])->agent, ==, "boris");
  g_clear_pointer (&listed, g_ptr_array_unref);
  g_assert_true (cd_store_list_recordings_between (store, T0 + 1, T0 + 3601, &listed, &error));
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((CdRecording *) listed->pdata[0])->call, ==, second);
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* The third call's line comes later: the next scan links it and leaves
   * the others as they were. */
  late = add_call (store, "1767610800.3", "anna", T0 + 7200);
  g_clear_pointer (&scan, cd_recording_scan_free);
  g_assert_true (cd_store_scan_recordings (store, folder, T0 + 9000, NULL, &scan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_linked, ==, 1);
  g_assert_cmpuint (scan->n_known, ==, 2);
  g_assert_true (cd_store_list_recordings (store, &listed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpstr (((CdRecording *) listed->pdata[2])->call, ==, late);
  g_assert_cmpint (((CdRecording *) listed->pdata[0])->scanned_at, ==, T0 + 7200);
  g_assert_cmpint (((CdRecording *) listed->pdata[2])->scanned_at, ==, T0 + 9000);

  /* A file that grew is analysed again, its row rewritten. */
  write_recording (folder, "2026/01/05", "1767603600.1", 40);
  g_clear_pointer (&scan, cd_recording_scan_free);
  g_assert_true (cd_store_scan_recordings (store, folder, T0 + 9600, NULL, &scan, &error));
  g_assert_cmpuint (scan->n_linked, ==, 1);
  g_assert_true (cd_store_get_recording (store, first, &recording, &error));
  g_assert_cmpint (recording->duration_ms, >, duration);
  g_assert_cmpint (recording->scanned_at, ==, T0 + 9600);

  g_assert_true (cd_store_record_listen (store, first, "qc1", "qc", T0 + 10000, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_record_listen (store, "no-such-call", "qc1", "qc", T0 + 10001,
                                          &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_events (store, "listen"), ==, 1);
  g_assert_true (cd_store_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  cd_test_remove_tree (folder);
  cd_test_backend_drop_location (backend, location);
}

/* The server's role (cd_journal_db_grant()) links recordings, rewrites a
 * grown one's row and journals a listen, as the server's scanner and
 * routes do; it deletes no recording. */
static void
test_recordings_grants (void)
{
  g_autofree char *location = cd_test_pg_new_database ("recgrants");
  g_autofree char *role = g_strdup_printf ("cd_recgrants_%d", (int) getpid ());
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "recgrants", NULL);
  g_autofree char *as_role = NULL;
  g_autofree char *call = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdRecordingScan) scan = NULL;
  const char * const refused[] = { "DELETE FROM recordings" };

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_clear_object (&store);
  as_role = cd_test_pg_grant_server_role (location, role);
  store = cd_test_backend_open_store (as_role);
  call = add_call (store, "1767603600.1", "anna", T0);
  write_recording (folder, "2026/01/05", "1767603600.1", 10);
  g_assert_true (cd_store_scan_recordings (store, folder, T0 + 100, NULL, &scan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_linked, ==, 1);
  g_clear_pointer (&scan, cd_recording_scan_free);
  write_recording (folder, "2026/01/05", "1767603600.1", 20);
  g_assert_true (cd_store_scan_recordings (store, folder, T0 + 200, NULL, &scan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_linked, ==, 1);
  g_assert_true (cd_store_record_listen (store, call, "qc1", "qc", T0 + 300, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  cd_test_pg_assert_refused (as_role, refused, G_N_ELEMENTS (refused));

  cd_test_remove_tree (folder);
  cd_test_pg_drop_with_role (location, role);
}

static void
assert_not_available (const CdTestBackend *backend,
                      gboolean             ok,
                      GError              *error)
{
  g_assert_true (ok == !backend->postgresql);
  if (backend->postgresql)
    {
      g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_AVAILABLE);
      g_assert_nonnull (strstr (error->message, "PostgreSQL"));
    }
  else
    g_assert_no_error (error);
}

/* The desktop's cache is a SQLite file by design: its sync cursor, its
 * outbox and its ticket list model fail plainly on PostgreSQL; a bulk
 * load's mode and a busy timeout are accepted on both. */
static void
test_desktop_cache (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "cache");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  CdJournalHead head = { 7, "" };
  CdJournalHead read;
  CdTicketFilter filter = { 0 };
  guint total = 0;
  gboolean ok;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_strlcpy (head.hash, CD_JOURNAL_GENESIS, sizeof head.hash);

  ok = cd_store_set_sync_cursor (store, "https://a.example", &head, 1000, &error);
  assert_not_available (backend, ok, error);
  g_clear_error (&error);
  ok = cd_store_get_sync_cursor (store, "https://a.example", &read, &error);
  assert_not_available (backend, ok, error);
  g_clear_error (&error);
  if (!backend->postgresql)
    g_assert_cmpint (read.seq, ==, 7);

  ok = cd_store_outbox_push (store, "key-1", NULL, CD_ACTION_REGISTER, NULL, 1000, &error) > 0;
  assert_not_available (backend, ok, error);
  g_clear_error (&error);

  ids = cd_ticket_list_query (store, &filter, CD_TICKET_SORT_NUMBER, FALSE, &total, &error);
  assert_not_available (backend, ids != NULL, error);
  g_clear_error (&error);

  cd_store_set_busy_timeout (store, 100);
  g_assert_true (cd_store_set_bulk (store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_set_bulk (store, FALSE, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  cd_test_backends_add ("/store-backends-rec", "league", test_league);
  cd_test_backends_add ("/store-backends-rec", "relatives", test_relatives);
  cd_test_backends_add ("/store-backends-rec", "executor", test_executor);
  cd_test_backends_add ("/store-backends-rec", "desktop-cache", test_desktop_cache);
  cd_test_backends_add ("/store-backends-rec", "recordings", test_recordings);
  g_test_add_func ("/store-backends-rec/postgresql/recordings-grants", test_recordings_grants);
  return g_test_run ();
}
