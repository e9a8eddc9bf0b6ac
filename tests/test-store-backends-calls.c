// SPDX-License-Identifier: GPL-3.0-or-later
/* test-store-backends-calls.c: calls through the same store API on a
 * SQLite file and on PostgreSQL (a table of backends; PostgreSQL's cases
 * skip without CITYDESK_TEST_PG): calls appended once and read back, the
 * missed calls and their state after callbacks and a later answered call,
 * the call statistics equal on both for the same calls, the tickets
 * registered during a call, a complaint about a call naming its
 * operator; the server's role writing calls and callbacks on PostgreSQL
 * (its grants, the triggers run with its rights); and the demo city
 * with its calls generated on both, the same journal to the last hash */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cd-call-tickets.h"
#include "cd-journal-db.h"
#include "cd-store-calls.h"
#include "cd-store-complaints.h"
#include "cd-test.h"
#include "cd-test-backends.h"
#include "cd-test-ctl.h"

/* 2026-01-01 06:46:40 UTC: every call of the city below enters after. */
#define T 1767250000

#define ANNA "PJSIP/101"
#define BORIS "PJSIP/102"

/* The journal's length and last hash. */
#define JOURNAL_HEAD_SQL "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"

/* A call that has ended. @answered is 0 for none; @caller may be NULL. */
static CdCall *
make_call (const char    *pbx_id,
           const char    *caller,
           gint64         entered,
           gint64         answered,
           gint64         ended,
           CdCallOutcome  outcome,
           const char    *agent)
{
  CdCall *call = cd_call_new (pbx_id, "city", entered);

  call->caller = g_strdup (caller);
  call->answered_at = answered;
  call->agent = g_strdup (agent);
  if (answered != 0)
    call->ended_by = g_strdup ("caller");
  cd_call_end (call, outcome, ended);
  return call;
}

/* Adds @call in a transaction of its own; returns whether it was new. */
static gboolean
add_call (CdStore *store,
          CdCall  *call)
{
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  return added;
}

/* The city's calls, the same on every backend: two answered (one after
 * another operator let it ring twice), an abandon and a timeout with a
 * number, an abandon without one; the timeout's caller gets through
 * later. Returns the journal ids by PBX id. */
static GHashTable *
add_city_calls (CdStore *store)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(CdCall) c1 = make_call ("1767250000.1", "+375291111111", T, T + 20, T + 200,
                                    CD_CALL_ANSWERED, ANNA);
  g_autoptr(CdCall) c2 = make_call ("1767250060.2", "+375292222222", T + 60, 0, T + 120,
                                    CD_CALL_ABANDONED, NULL);
  g_autoptr(CdCall) c3 = make_call ("1767250100.3", "+375293333333", T + 100, 0, T + 400,
                                    CD_CALL_TIMEOUT, NULL);
  g_autoptr(CdCall) c4 = make_call ("1767250150.4", NULL, T + 150, 0, T + 160,
                                    CD_CALL_ABANDONED, NULL);
  g_autoptr(CdCall) c5 = make_call ("1767250600.5", "+375293333333", T + 600, T + 610, T + 700,
                                    CD_CALL_ANSWERED, BORIS);
  CdCall *calls[] = { c1, c2, c3, c4, c5 };

  cd_call_add_ring (c1, BORIS);
  cd_call_add_ring (c1, BORIS);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_assert_true (add_call (store, calls[i]));
      g_hash_table_insert (ids, g_strdup (calls[i]->pbx_id), cd_call_dup_entity (calls[i]));
    }
  return ids;
}

static CdMissedCall *
find_missed (GPtrArray  *list,
             const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((CdMissedCall *) list->pdata[i])->call, id))
      return list->pdata[i];
  return NULL;
}

/* Calls appended with their events and rows, each once: offered again
 * (a log imported twice) it adds nothing; read back in entry order with
 * each operator's rings, and per hour. */
static void
test_calls (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "calls");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(CdCall) again = NULL;
  g_autoptr(CdCallHeatmap) heatmap = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  CdCall *first;
  gint64 n = 0, head;
  guint total = 0;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  ids = add_city_calls (store);
  head = cd_store_get_last_seq (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (head, ==, 5);
  g_assert_true (cd_store_count_calls (store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 5);

  again = make_call ("1767250060.2", "+375292222222", T + 60, 0, T + 120, CD_CALL_ABANDONED,
                     NULL);
  g_assert_false (add_call (store, again));
  g_assert_cmpint (cd_store_get_last_seq (store, NULL), ==, head);

  /* The last call entered at T + 600: outside [T, T + 600). */
  g_assert_true (cd_store_list_calls (store, T, T + 600, &calls, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 4);
  first = calls->pdata[0];
  g_assert_cmpstr (first->pbx_id, ==, "1767250000.1");
  g_assert_cmpint (first->outcome, ==, CD_CALL_ANSWERED);
  g_assert_cmpint (first->hold_seconds, ==, 20);
  g_assert_cmpint (first->talk_seconds, ==, 180);
  g_assert_cmpstr (first->agent, ==, ANNA);
  g_assert_cmpuint (cd_call_get_n_rings (first), ==, 2);
  /* The caller's number is not read for the statistics. */
  g_assert_null (first->caller);
  g_assert_cmpstr (((CdCall *) calls->pdata[3])->pbx_id, ==, "1767250150.4");

  g_assert_true (cd_store_call_heatmap (store, T - 3600, T + 3600, utc, &heatmap, &error));
  g_assert_no_error (error);
  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      total += heatmap->offered[d][h];
  g_assert_cmpuint (total, ==, 5);
  /* Thursday, 06:00 UTC. */
  g_assert_cmpuint (heatmap->offered[3][6], ==, 5);

  g_assert_true (cd_store_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* The missed calls with a number wait; a callback that reaches the
 * caller ends one, a later answered call from the same number closes
 * another; refusals change nothing; a call is found by its PBX id. */
static void
test_missed (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "missed");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(CdMissedCall) done = NULL;
  CdMissedCall *one;
  const char *abandoned, *timeout;
  gint64 head;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  ids = add_city_calls (store);
  abandoned = g_hash_table_lookup (ids, "1767250060.2");
  timeout = g_hash_table_lookup (ids, "1767250100.3");

  /* The timeout's caller got through at T + 610: only the abandon waits. */
  g_assert_true (cd_store_list_missed_calls (store, TRUE, T + 300, "admin", &waiting, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 1);
  one = waiting->pdata[0];
  g_assert_cmpstr (one->call, ==, abandoned);
  g_assert_cmpstr (one->caller, ==, "+375292222222");
  g_assert_cmpint (one->state, ==, CD_MISSED_WAITING);
  g_assert_cmpint (one->missed_at, ==, T + 120);
  g_assert_cmpint (one->due, >, one->missed_at);

  g_assert_true (cd_store_list_missed_calls (store, FALSE, T + 300, "admin", &all, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  one = find_missed (all, timeout);
  g_assert_nonnull (one);
  g_assert_cmpint (one->state, ==, CD_MISSED_CLOSED);
  g_assert_cmpstr (one->closed_by, ==, g_hash_table_lookup (ids, "1767250600.5"));
  g_assert_cmpint (one->done_at, ==, T + 610);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* Refused: a role that does not see numbers, a time before the end, a
   * call that is not a missed one; nothing is appended. */
  head = cd_store_get_last_seq (store, NULL);
  g_assert_false (cd_store_record_callback (store, abandoned, CD_CALLBACK_REACHED, "ivan",
                                            "executor", T + 300, NULL, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (cd_store_record_callback (store, abandoned, CD_CALLBACK_REACHED, "anna",
                                            "operator", T + 100, NULL, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (cd_store_record_callback (store, "1767250000.1", CD_CALLBACK_REACHED, "anna",
                                            "operator", T + 300, NULL, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cd_store_record_callback (store, timeout, CD_CALLBACK_REACHED, "anna",
                                            "operator", T + 800, NULL, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (cd_store_get_last_seq (store, NULL), ==, head);

  /* No answer first, by the PBX's call id: still waiting, one attempt. */
  g_assert_true (cd_store_record_callback (store, "1767250060.2", CD_CALLBACK_NO_ANSWER, "anna",
                                           "operator", T + 200, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpint (done->state, ==, CD_MISSED_WAITING);
  g_assert_cmpuint (done->attempts, ==, 1);
  g_clear_pointer (&done, cd_missed_call_free);
  g_assert_true (cd_store_record_callback (store, abandoned, CD_CALLBACK_REACHED, "anna",
                                           "operator", T + 250, &done, &error));
  g_assert_no_error (error);
  g_assert_cmpint (done->state, ==, CD_MISSED_CALLED_BACK);
  g_assert_cmpint (cd_store_get_last_seq (store, NULL), ==, head + 2);

  g_assert_true (cd_store_list_missed_calls (store, TRUE, T + 300, "admin", &after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_true (cd_store_list_missed_calls (store, FALSE, T + 300, "operator", &all, &error));
  g_assert_no_error (error);
  one = find_missed (all, abandoned);
  g_assert_cmpint (one->state, ==, CD_MISSED_CALLED_BACK);
  g_assert_cmpuint (one->attempts, ==, 2);
  g_assert_cmpint (one->done_at, ==, T + 250);
  g_assert_cmpstr (one->done_by, ==, "anna");
  g_assert_cmpstr (one->done_role, ==, "operator");
  g_clear_pointer (&all, g_ptr_array_unref);
  /* A role that does not see phones reads the number masked. */
  g_assert_true (cd_store_list_missed_calls (store, FALSE, T + 300, "executor", &all, &error));
  g_assert_no_error (error);
  one = find_missed (all, abandoned);
  g_assert_cmpstr (one->caller, !=, "+375292222222");
  g_assert_nonnull (strchr (one->caller, '*'));

  g_assert_true (cd_store_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

static char *
stats_text (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Minsk");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  CdCallStatsLimits limits = { 20, 5 };

  g_assert_true (cd_store_call_stats (store, T - 3600, T + 7200, 900, zone, &limits, &stats,
                                      &error));
  g_assert_no_error (error);
  json_node_take_object (node, cd_call_stats_to_json (stats, 900, zone));
  return json_to_string (node, FALSE);
}

/* The statistics of the same calls on a file and on PostgreSQL: the same
 * figures, each operator's rings read from the calls' events. */
static void
test_stats_equal (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("callstats");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "callstats.db", NULL);
  g_autoptr(CdStore) file = NULL;
  g_autoptr(CdStore) pg = NULL;
  g_autoptr(GHashTable) file_ids = NULL;
  g_autoptr(GHashTable) pg_ids = NULL;
  g_autofree char *on_file = NULL;
  g_autofree char *on_pg = NULL;

  if (uri == NULL)
    return;
  file = cd_test_backend_open_store (path);
  pg = cd_test_backend_open_store (uri);
  file_ids = add_city_calls (file);
  pg_ids = add_city_calls (pg);
  on_file = stats_text (file);
  on_pg = stats_text (pg);
  g_test_message ("%s", on_file);
  /* The rings Boris let go, and the calls counted. */
  g_assert_nonnull (strstr (on_file, "\"missed_offers\":2"));
  g_assert_nonnull (strstr (on_file, "\"offered\":5"));
  g_assert_cmpstr (on_pg, ==, on_file);
  g_clear_object (&pg);
  cd_test_pg_drop_database (uri);
}

static JsonObject *
ticket_fields (const char *channel,
               const char *phone)
{
  JsonObject *f = json_object_new ();

  json_object_set_string_member (f, "kind", "routine");
  json_object_set_string_member (f, "category", "housing.lifts");
  json_object_set_string_member (f, "district", "Central");
  json_object_set_string_member (f, "street", "Lenin St");
  json_object_set_string_member (f, "building", "7");
  json_object_set_string_member (f, "channel", channel);
  json_object_set_string_member (f, "phone", phone);
  return f;
}

static CdTicket *
register_ticket (CdStore    *store,
                 JsonObject *fields,
                 gint64      time)
{
  g_autoptr(GError) error = NULL;
  CdTicket *ticket = cd_store_register (store, fields, "olga", "operator", time, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ticket);
  return ticket;
}

/* The tickets registered during an answered call: the caller's phone in
 * another national form, in the window; not one from another channel,
 * nor one after the wrap-up; none for an unanswered call. */
static void
test_call_tickets (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "calltickets");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(JsonObject) during = ticket_fields ("phone", "8 029 111-11-11");
  g_autoptr(JsonObject) web = ticket_fields ("web", "+375291111111");
  g_autoptr(JsonObject) late = ticket_fields ("phone", "+375291111111");
  g_autoptr(CdTicket) t1 = NULL;
  g_autoptr(CdTicket) t2 = NULL;
  g_autoptr(CdTicket) t3 = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) none = NULL;
  CdTicket *found;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);
  ids = add_city_calls (store);
  t1 = register_ticket (store, during, T + 100);
  t2 = register_ticket (store, web, T + 110);
  t3 = register_ticket (store, late, T + 200 + CD_CALL_WRAP_UP_SECONDS + 1);

  g_assert_true (cd_store_list_call_tickets (store, g_hash_table_lookup (ids, "1767250000.1"),
                                             &tickets, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  found = tickets->pdata[0];
  g_assert_cmpstr (found->number, ==, t1->number);
  g_assert_cmpstr (found->channel, ==, "phone");
  g_assert_cmpint (found->created_at, ==, T + 100);
  g_assert_cmpint (found->state, ==, t1->state);

  g_assert_true (cd_store_list_call_tickets (store, g_hash_table_lookup (ids, "1767250060.2"),
                                             &none, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* A complaint about a call, named by its PBX id: linked to the call's
 * journal id, and read with the operator who took it and its times. */
static void
test_complaints (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "callcomplaints");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(JsonObject) fields = ticket_fields ("phone", "+375295555555");
  g_autoptr(JsonObject) nowhere = ticket_fields ("phone", "+375295555555");
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(CdTicket) refused = NULL;
  g_autoptr(GPtrArray) complaints = NULL;
  g_autoptr(CdComplaint) loaded = NULL;
  CdComplaint *c;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);
  ids = add_city_calls (store);
  json_object_set_string_member (fields, "kind", "complaint");
  json_object_set_string_member (fields, "description", "The operator was rude");
  json_object_set_string_member (fields, "about", "1767250600.5");
  ticket = register_ticket (store, fields, T + 3600);

  json_object_set_string_member (nowhere, "kind", "complaint");
  json_object_set_string_member (nowhere, "about", "no-such-call");
  refused = cd_store_register (store, nowhere, "olga", "operator", T + 3700, &error);
  g_assert_null (refused);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  complaints = cd_store_list_complaints (store, T, T + 7200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (complaints->len, ==, 1);
  c = complaints->pdata[0];
  g_assert_cmpstr (c->about_kind, ==, "call");
  g_assert_cmpstr (c->about, ==, g_hash_table_lookup (ids, "1767250600.5"));
  g_assert_cmpstr (c->operator, ==, BORIS);
  g_assert_cmpint (c->call_entered, ==, T + 600);
  g_assert_cmpint (c->call_wait, ==, 10);
  g_assert_cmpint (c->call_talk, ==, 90);

  loaded = cd_store_load_complaint (store, ticket->number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->operator, ==, BORIS);
  g_assert_cmpint (loaded->call_talk, ==, 90);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* The server's role (cd_journal_db_grant()) appends calls and a callback,
 * whose triggers update the calls with its rights, and reads the missed
 * calls; it cannot delete a call or a callback, nor change a call. */
static void
test_grants (void)
{
  g_autofree char *location = cd_test_pg_new_database ("callgrants");
  g_autofree char *role = g_strdup_printf ("cd_callgrants_%d", (int) getpid ());
  g_autofree char *as_role = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  const char * const refused[] = {
    "DELETE FROM calls",
    "DELETE FROM callbacks",
    "TRUNCATE calls",
    "ALTER TABLE calls DISABLE TRIGGER calls_missed_open",
  };

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_clear_object (&store);
  as_role = cd_test_pg_grant_server_role (location, role);
  store = cd_test_backend_open_store (as_role);
  ids = add_city_calls (store);
  g_assert_true (cd_store_record_callback (store, "1767250060.2", CD_CALLBACK_REACHED, "anna",
                                           "operator", T + 200, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_list_missed_calls (store, TRUE, T + 300, "admin", &waiting, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 0);
  g_clear_object (&store);

  cd_test_pg_assert_refused (as_role, refused, G_N_ELEMENTS (refused));

  cd_test_pg_drop_with_role (location, role);
}

/* The output of `citydeskctl calls VERB --db LOCATION --json` with one
 * more option and its value. */
static char *
calls_json (const char *verb,
            const char *location,
            const char *option,
            const char *value)
{
  char *out = NULL;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "calls", verb, "--db", location, "--json", option,
                                value, "--to", "2026-03-02T00:00:00Z", NULL),
                   ==, 0);
  return out;
}

/* `citydeskctl demo generate` on a file and on PostgreSQL: the same
 * seed makes the same journal, calls and callbacks included, to the last
 * event's hash; the same call statistics and missed calls read on both;
 * the chain verified on PostgreSQL. */
static void
test_demo_same (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("democalls");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "democalls.db", NULL);
  g_autofree char *file_head = NULL;
  g_autofree char *pg_head = NULL;
  g_autofree char *file_stats = NULL;
  g_autofree char *pg_stats = NULL;
  g_autofree char *file_missed = NULL;
  g_autofree char *pg_missed = NULL;
  g_autofree char *verified = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *total;

  if (uri == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = NULL;

      g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", i == 0 ? path : uri,
                                    "--days", "2", "--tickets-per-day", "200", "--end",
                                    "2026-03-02T00:00:00Z", NULL),
                       ==, 0);
      g_assert_nonnull (strstr (out, "calls of the simulated PBX"));
    }
  file_head = cd_test_db_rows (path, JOURNAL_HEAD_SQL);
  pg_head = cd_test_db_rows (uri, JOURNAL_HEAD_SQL);
  g_assert_cmpstr (file_head, !=, "");
  g_assert_cmpstr (pg_head, ==, file_head);

  file_stats = calls_json ("stats", path, "--from", "2026-02-28T00:00:00Z");
  pg_stats = calls_json ("stats", uri, "--from", "2026-02-28T00:00:00Z");
  json_parser_load_from_data (parser, file_stats, -1, &error);
  g_assert_no_error (error);
  total = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "total");
  g_assert_cmpint (json_object_get_int_member (total, "offered"), >, 100);
  g_assert_cmpstr (pg_stats, ==, file_stats);

  /* The missed calls take no period: --now judges them. */
  g_assert_cmpint (cd_test_ctl (&file_missed, NULL, "calls", "missed", "--db", path, "--now",
                                "2026-03-02T00:00:00Z", "--all", "--json", NULL), ==, 0);
  g_assert_cmpint (cd_test_ctl (&pg_missed, NULL, "calls", "missed", "--db", uri, "--now",
                                "2026-03-02T00:00:00Z", "--all", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (file_missed, "called_back"));
  g_assert_cmpstr (pg_missed, ==, file_missed);

  g_assert_cmpint (cd_test_ctl (&verified, NULL, "verify", "--db", uri, NULL), ==, 0);
  g_assert_nonnull (strstr (verified, "matches"));
  cd_test_pg_drop_database (uri);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  cd_test_backends_add ("/store-backends-calls", "calls", test_calls);
  cd_test_backends_add ("/store-backends-calls", "missed", test_missed);
  cd_test_backends_add ("/store-backends-calls", "call-tickets", test_call_tickets);
  cd_test_backends_add ("/store-backends-calls", "complaints", test_complaints);
  g_test_add_func ("/store-backends-calls/stats-equal", test_stats_equal);
  g_test_add_func ("/store-backends-calls/demo-same", test_demo_same);
  g_test_add_func ("/store-backends-calls/postgresql/grants", test_grants);
  return g_test_run ();
}
