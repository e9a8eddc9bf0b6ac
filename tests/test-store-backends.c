// SPDX-License-Identifier: GPL-3.0-or-later
/* test-store-backends.c: the store through the same API on a SQLite file
 * and on PostgreSQL (a table of backends; PostgreSQL's cases skip without
 * CITYDESK_TEST_PG): settings, the journal appended and read through the
 * store, gap-free across a rollback, verified; on PostgreSQL a commit's
 * notification, the queue of messages to residents and the callback
 * tasks a resolve starts, the reference data and the names it gives, the
 * statistics, the server's role's grants, and a clear error for what is
 * not ported yet */

#include "config.h"

#include <string.h>

#include "cd-journal-db.h"
#include "cd-store-demo.h"
#include "cd-store-feedback.h"
#include "cd-store-history.h"
#include "cd-store-notifications.h"
#include "cd-store-outbox.h"
#include "cd-store-overdue.h"
#include "cd-store-search.h"
#include "cd-store-private.h"
#include "cd-store-reference.h"
#include "cd-store-users.h"
#include "cd-test.h"
#include "cd-test-backends.h"

static CdEvent *
make_call_event (int n)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *entity = g_strdup_printf ("call-%d", n);

  json_object_set_int_member (payload, "n", n);
  return cd_event_new (entity, "call", "pbx", "system", 1700000000 + n, payload);
}

/* Appends events @first..@last in one transaction, committed or not. */
static void
append_calls (CdStore  *store,
              int       first,
              int       last,
              gboolean  commit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_store_begin (store, &error));
  g_assert_no_error (error);
  for (int n = first; n <= last; n++)
    {
      g_autoptr(CdEvent) event = make_call_event (n);

      g_assert_true (cd_store_append_entity_event (store, event, &error));
      g_assert_no_error (error);
    }
  if (commit)
    {
      g_assert_true (cd_store_commit (store, &error));
      g_assert_no_error (error);
    }
  else
    cd_store_rollback (store);
}

static void
test_meta (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "meta");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *changed = NULL;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_cmpint (cd_store_get_schema_version (store), >, 0);

  value = cd_store_get_meta (store, "city", &error);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_assert_null (value);
  g_clear_error (&error);

  g_assert_true (cd_store_set_meta (store, "city", "Minsk", &error));
  g_assert_true (cd_store_set_meta (store, "city", "Kyiv", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* Opened again: the schema is not applied twice, the value is kept. */
  store = cd_test_backend_open_store (location);
  changed = cd_store_get_meta (store, "city", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed, ==, "Kyiv");
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

static void
test_journal (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "journal");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gint64 n_checked = 0;
  gint64 bad_seq = -1;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_cmpint (cd_store_get_last_seq (store, &error), ==, 0);

  append_calls (store, 1, 3, TRUE);
  /* A rolled-back transaction takes no number: the next one follows 3. */
  append_calls (store, 100, 101, FALSE);
  g_assert_cmpint (cd_store_get_last_seq (store, &error), ==, 3);
  append_calls (store, 4, 5, TRUE);
  g_assert_no_error (error);

  events = cd_store_list_events (store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 5);
  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *event = events->pdata[i];
      g_autofree char *entity = g_strdup_printf ("call-%u", i + 1);

      g_assert_cmpint (event->seq, ==, i + 1);
      g_assert_cmpstr (event->entity, ==, entity);
      g_assert_cmpint (strlen (event->hash), ==, 64);
    }
  one = cd_store_list_events (store, "call-4", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpint (((CdEvent *) one->pdata[0])->seq, ==, 4);
  page = cd_store_list_events (store, NULL, 2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpint (((CdEvent *) page->pdata[0])->seq, ==, 3);

  /* History is append-only by the database's own rules, on both. */
  {
    g_autoptr(CdDb) db = cd_db_open (location, &error);

    g_assert_no_error (error);
    g_assert_false (cd_db_exec (db, "UPDATE events SET payload = '{}' WHERE seq = 2", &error));
    g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
    g_clear_error (&error);
    g_assert_false (cd_db_exec (db, "DELETE FROM events WHERE seq = 5", &error));
    g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }

  g_assert_true (cd_store_verify (store, &n_checked, &bad_seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_checked, ==, 5);
  g_assert_cmpint (bad_seq, ==, 0);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* Two stores on one database (two processes' connections) make one
 * chain: each reads the head under the write lock. A ticket's part of the
 * chain is checked event by event, as the desktop shows it. */
static void
test_two_writers (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "writers");
  g_autoptr(CdStore) a = NULL;
  g_autoptr(CdStore) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 n_checked = 0;
  gint64 bad_seq = -1;

  if (location == NULL)
    return;
  a = cd_test_backend_open_store (location);
  b = cd_test_backend_open_store (location);
  for (int round = 0; round < 3; round++)
    {
      append_calls (a, 10 * round + 1, 10 * round + 2, TRUE);
      append_calls (b, 10 * round + 3, 10 * round + 3, TRUE);
    }
  g_assert_cmpint (cd_store_get_last_seq (a, &error), ==, 9);
  g_assert_cmpint (cd_store_get_last_seq (b, &error), ==, 9);
  g_assert_true (cd_store_verify (b, &n_checked, &bad_seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_checked, ==, 9);

  history = cd_store_ticket_history (a, "call-23", &bad_seq, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (((CdEvent *) history->pdata[0])->seq, ==, 9);
  g_assert_cmpint (bad_seq, ==, 0);
  g_clear_object (&a);
  g_clear_object (&b);
  cd_test_backend_drop_location (backend, location);
}

static JsonObject *
ticket_fields (const char *category,
               const char *building)
{
  JsonObject *f = json_object_new ();

  json_object_set_string_member (f, "kind", "routine");
  json_object_set_string_member (f, "category", category);
  json_object_set_string_member (f, "district", "Central");
  json_object_set_string_member (f, "street", "Lenin St");
  json_object_set_string_member (f, "building", building);
  json_object_set_string_member (f, "phone", "+375291234567");
  return f;
}

/* A city's history written on a file by the whole dispatch code (routing,
 * repeats, the SLA engine), replayed into a store of each backend by
 * cd_store_import(), the same cd_ticket_apply() and the same rows: the
 * same tickets come out; a replay of an event already there is refused
 * and changes nothing. */
static void
test_replay (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *source_name = g_strdup_printf ("source-%s.db", backend->name);
  g_autofree char *source_path = g_build_filename (g_get_tmp_dir (), source_name, NULL);
  g_autofree char *location = cd_test_backend_new_location (backend, "replay");
  g_autoptr(CdStore) source = NULL;
  g_autoptr(CdStore) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  const char *buildings[] = { "1", "1", "7" };
  gint64 n_checked = 0;

  if (location == NULL)
    return;
  source = cd_test_backend_open_store (source_path);
  for (guint i = 0; i < G_N_ELEMENTS (buildings); i++)
    {
      g_autoptr(JsonObject) f = ticket_fields (i == 2 ? "housing.heating" : "housing.lifts",
                                               buildings[i]);
      g_autoptr(CdTicket) t = cd_store_register (source, f, "olga", "operator",
                                                 1767603600 + 60 * i, &error);

      g_assert_no_error (error);
      g_ptr_array_add (numbers, g_strdup (t->number));
    }
  events = cd_store_list_events (source, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, G_N_ELEMENTS (buildings));

  target = cd_test_backend_open_store (location);
  g_assert_true (cd_store_begin (target, &error));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_true (cd_store_import (target, events->pdata[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (cd_store_commit (target, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr(CdTicket) want = cd_store_load_ticket (source, numbers->pdata[i], &error);
      g_autoptr(CdTicket) got = cd_store_load_ticket (target, numbers->pdata[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (got->id, ==, want->id);
      g_assert_cmpint (got->state, ==, want->state);
      g_assert_cmpstr (got->executor, ==, want->executor);
      g_assert_cmpstr (got->repeat_of, ==, want->repeat_of);
      g_assert_cmpstr (got->policy, ==, want->policy);
      g_assert_cmpint (got->due_at, ==, want->due_at);
      g_assert_cmpint (got->last_seq, ==, want->last_seq);
      g_assert_cmpstr (got->clocks, ==, want->clocks);
    }
  /* Registered as a repeat on the file: the replay keeps the link. */
  {
    g_autoptr(CdTicket) second = cd_store_load_ticket (target, numbers->pdata[1], &error);

    g_assert_cmpstr (second->repeat_of, ==, numbers->pdata[0]);
  }

  /* The same event again does not follow the head: refused, nothing
   * written. */
  g_assert_true (cd_store_begin (target, &error));
  g_assert_false (cd_store_import (target, events->pdata[0], &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_SEQUENCE);
  g_clear_error (&error);
  cd_store_rollback (target);
  g_assert_cmpint (cd_store_get_last_seq (target, &error), ==, events->len);
  g_assert_true (cd_store_verify (target, &n_checked, NULL, &error));
  g_assert_cmpint (n_checked, ==, events->len);
  g_clear_object (&target);
  cd_test_backend_drop_location (backend, location);
}

static gboolean
act (CdStore     *store,
     const char  *number,
     const char  *action,
     gint64       time,
     GError     **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdTicket) ticket = cd_store_load_ticket (store, number, error);
  g_autoptr(CdEvent) event = NULL;

  g_assert_nonnull (ticket);
  json_object_set_string_member (payload, "note", "by phone");
  event = cd_event_new (ticket->id, action, "olga", "operator", time, payload);
  return cd_store_append (store, ticket, event, error);
}

/* Transitions through cd_store_append() on a replayed city: the table
 * allows, the row follows, the table refuses and nothing is written;
 * verify's replay agrees with every row. */
static void
test_transitions (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *source_name = g_strdup_printf ("acts-%s.db", backend->name);
  g_autofree char *source_path = g_build_filename (g_get_tmp_dir (), source_name, NULL);
  g_autofree char *location = cd_test_backend_new_location (backend, "acts");
  g_autoptr(CdStore) source = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(JsonObject) f = ticket_fields ("housing.heating", "9");
  g_autofree char *number = NULL;
  gint64 head, n_tickets = 0;

  if (location == NULL)
    return;
  source = cd_test_backend_open_store (source_path);
  ticket = cd_store_register (source, f, "olga", "operator", 1767603600, &error);
  g_assert_no_error (error);
  number = g_strdup (ticket->number);
  g_clear_pointer (&ticket, cd_ticket_unref);
  events = cd_store_list_events (source, NULL, 0, 0, &error);
  g_assert_no_error (error);

  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_begin (store, &error));
  for (guint i = 0; i < events->len; i++)
    g_assert_true (cd_store_import (store, events->pdata[i], &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);

  g_assert_true (cd_store_begin (store, &error));
  act (store, number, "comment", 1767603700, &error);
  g_assert_no_error (error);
  act (store, number, "escalate", 1767603800, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  head = cd_store_get_last_seq (store, &error);
  g_assert_cmpint (head, ==, events->len + 2);

  /* No executor owes the work of a registered ticket yet: a reminder is
   * refused, the transaction unharmed. */
  g_assert_true (cd_store_begin (store, &error));
  g_assert_false (act (store, number, "remind", 1767603900, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_cmpint (cd_store_get_last_seq (store, &error), ==, head);

  ticket = cd_store_load_ticket (store, number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ticket->state, ==, CD_TICKET_STATE_REGISTERED);
  g_assert_cmpint (ticket->reminders, ==, 0);
  g_assert_cmpint (ticket->updated_at, ==, 1767603800);
  g_assert_cmpint (ticket->escalations, ==, 1);
  g_assert_cmpint (ticket->last_seq, ==, head);

  g_assert_true (cd_store_verify_projection (store, &n_tickets, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_tickets, ==, 1);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* Registration on each backend by the same dispatch code: the year's
 * numbers in order, the routing's default executor, a repeat at the same
 * building linked to the first ticket; an action through cd_store_act(),
 * also in a transaction begun for its ticket; verify's replay agreeing
 * with every row. */
static void
test_register (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "register");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) first = NULL;
  g_autoptr(CdTicket) second = NULL;
  g_autoptr(CdTicket) acted = NULL;
  g_autoptr(JsonObject) f1 = ticket_fields ("housing.lifts", "5");
  g_autoptr(JsonObject) f2 = ticket_fields ("housing.lifts", "5");
  g_autoptr(JsonObject) note = json_object_new ();
  gint64 n_tickets = 0;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);

  first = cd_store_register (store, f1, "olga", "operator", 1767603600, &error);
  g_assert_no_error (error);
  second = cd_store_register (store, f2, "olga", "operator", 1767603660, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->number, ==, "2026-000001");
  g_assert_cmpstr (second->number, ==, "2026-000002");
  g_assert_cmpstr (first->executor, ==, "city");
  g_assert_cmpint (first->state, ==, CD_TICKET_STATE_ASSIGNED);
  g_assert_null (first->repeat_of);
  g_assert_cmpstr (second->repeat_of, ==, "2026-000001");

  json_object_set_string_member (note, "note", "twice a day");
  acted = cd_store_act (store, "2026-000002", "remind", "olga", "operator", note, 1767603720,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (acted->reminders, ==, 1);
  g_clear_pointer (&acted, cd_ticket_unref);
  /* The table refuses: nothing is written. */
  acted = cd_store_act (store, "2026-000002", "resume", "olga", "operator", note, 1767603780,
                        &error);
  g_assert_null (acted);
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE);
  g_clear_error (&error);

  /* A transaction begun for a ticket (its row read with the lock): the
   * action sees the row as it is, by number or by id; another ticket
   * read first does not mix the two up; a missing one is not found. */
  g_assert_true (cd_store_begin_for (store, "2026-000002", &error));
  acted = cd_store_act (store, "2026-000002", "remind", "olga", "operator", note, 1767603840,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (acted->reminders, ==, 2);
  g_assert_true (cd_store_commit (store, &error));
  g_clear_pointer (&acted, cd_ticket_unref);
  g_assert_true (cd_store_begin_for (store, second->number, &error));
  g_clear_pointer (&acted, cd_ticket_unref);
  acted = cd_store_load_ticket (store, first->number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (acted->number, ==, "2026-000001");
  g_clear_pointer (&acted, cd_ticket_unref);
  acted = cd_store_act (store, second->number, "remind", "olga", "operator", note, 1767603900,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (acted->number, ==, "2026-000002");
  g_assert_cmpint (acted->reminders, ==, 3);
  g_clear_pointer (&acted, cd_ticket_unref);
  acted = cd_store_act (store, first->id, "comment", "olga", "operator", note, 1767603960,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (acted->number, ==, "2026-000001");
  g_assert_true (cd_store_commit (store, &error));
  g_clear_pointer (&acted, cd_ticket_unref);
  g_assert_true (cd_store_begin_for (store, first->id, &error));
  acted = cd_store_act (store, first->id, "comment", "olga", "operator", note, 1767604020,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (acted->last_seq, ==, cd_store_get_last_seq (store, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_clear_pointer (&acted, cd_ticket_unref);
  g_assert_true (cd_store_begin_for (store, "2026-000009", &error));
  g_assert_null (cd_store_act (store, "2026-000009", "comment", "olga", "operator", note,
                               1767604080, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  cd_store_rollback (store);
  g_assert_no_error (error);

  g_assert_true (cd_store_verify_projection (store, &n_tickets, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_tickets, ==, 2);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* Accounts, sessions and api keys through the same API on both backends:
 * a session opened is valid, then revoked with its account's disabling. */
static void
test_users (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "users");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  CdSessionState state = CD_SESSION_UNKNOWN;
  guint n_revoked = 0;
  /* Changing an agent revokes the sessions open now. */
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_add_user (store, "olga", "operator", NULL, NULL, 1000, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_add_user (store, "olga", "operator", NULL, NULL, 1000, &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (cd_store_add_user (store, "ivan", "executor", "Vodokanal", NULL, 1000, &error));
  users = cd_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((CdUser *) users->pdata[0])->name, ==, "ivan");
  g_assert_cmpstr (((CdUser *) users->pdata[0])->org, ==, "Vodokanal");

  token = cd_store_create_session (store, "olga", now, 3600, NULL, &error);
  g_assert_no_error (error);
  user = cd_store_check_token (store, token, now + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->role, ==, "operator");
  hash = cd_store_token_hash (token);
  g_assert_true (cd_store_get_session_state (store, hash, now + 1, &state, &error));
  g_assert_cmpint (state, ==, CD_SESSION_VALID);
  g_assert_true (cd_store_get_session_state (store, hash, now + 9000, &state, &error));
  g_assert_cmpint (state, ==, CD_SESSION_EXPIRED);
  g_assert_true (cd_store_set_user_agent (store, "olga", "1001", &n_revoked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_revoked, ==, 1);
  g_assert_true (cd_store_get_session_state (store, hash, now + 2, &state, &error));
  g_assert_cmpint (state, ==, CD_SESSION_REVOKED);
  g_assert_false (cd_store_set_user_agent (store, "ivan", "1001", NULL, &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (cd_store_add_api_key (store, "secret-key", "portal", 1000, &error));
  g_assert_true (cd_store_check_api_key (store, "secret-key", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_revoke_api_keys (store, "portal", 1100, &error), ==, 1);
  g_assert_false (cd_store_check_api_key (store, "secret-key", &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

typedef struct
{
  const char *location;
  GMutex      lock;
  GCond       cond;
  int         n_looked;
  int         n_committed;
  int         n_replayed;
} Race;

/* One process's handling of a write under an Idempotency-Key, as the
 * server does it: look the key up, then act and save the answer in one
 * transaction; a save or commit refused (another process saved the key
 * first) rolls the action back and answers what was saved. */
static gpointer
race_one (gpointer data)
{
  Race *race = data;
  g_autoptr(CdStore) store = cd_test_backend_open_store (race->location);
  g_autoptr(CdIdempotentAnswer) found = NULL;
  g_autoptr(CdEvent) event = make_call_event (1);
  g_autoptr(GError) error = NULL;
  CdIdempotentAnswer answer = { (char *) "hash", 201, (char *) "{}", 0, 0 };

  found = cd_store_find_idempotent_answer (store, "olga", "key-1", &error);
  g_assert_null (found);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Both have looked and found nothing before either acts. */
  g_mutex_lock (&race->lock);
  race->n_looked++;
  g_cond_broadcast (&race->cond);
  while (race->n_looked < 2)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);

  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_append_entity_event (store, event, &error));
  g_assert_no_error (error);
  answer.first_seq = answer.last_seq = event->seq;
  /* On PostgreSQL the save goes with the commit, which is refused. */
  if (cd_store_save_idempotent_answer (store, "olga", "key-1", &answer, 1000, &error) &&
      cd_store_commit (store, &error))
    {
      g_assert_no_error (error);
      g_atomic_int_inc (&race->n_committed);
      return NULL;
    }
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  cd_store_rollback (store);
  g_clear_error (&error);
  found = cd_store_find_idempotent_answer (store, "olga", "key-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->first_seq, ==, 1);
  g_atomic_int_inc (&race->n_replayed);
  return NULL;
}

/* The same Idempotency-Key given to two processes at once acts once: one
 * event in the journal, one answer, the other process replays it. */
static void
test_idempotency_race (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "idempotency");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Race race = { 0 };
  GThread *threads[2];

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  race.location = location;
  g_mutex_init (&race.lock);
  g_cond_init (&race.cond);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("race", race_one, &race);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (race.n_committed, ==, 1);
  g_assert_cmpint (race.n_replayed, ==, 1);
  g_assert_cmpint (cd_store_get_last_seq (store, &error), ==, 1);
  g_assert_no_error (error);
  g_mutex_clear (&race.lock);
  g_cond_clear (&race.cond);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

static GPtrArray *
list_tickets (CdStore              *store,
              const CdTicketFilter *filter)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *tickets = cd_store_list_tickets (store, filter, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tickets);
  return tickets;
}

/* The ticket list, its search (number, address without regard to case,
 * phone by its digits), paging, the overdue tiles and breakdown, the counts
 * by executor, a page's events and an import's references give the same
 * answers on both backends. */
static void
test_search (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "search");
  const char *streets[] = { "Lenin St", "Oak Avenue", "Lenin St" };
  const char *phones[] = { "+375291234567", "+375 25 705-29-02", "+375291112233" };
  const char *categories[] = { "housing.lifts", "housing.heating", "housing.lifts" };
  const gint64 t0 = 1767603600;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GHashTable) refs = NULL;
  g_autoptr(GHashTable) events = NULL;
  g_auto(GStrv) ids = g_new0 (char *, G_N_ELEMENTS (streets) + 1);
  CdOverdueTiles tiles;
  gint64 total = 0;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (streets); i++)
    {
      g_autoptr(JsonObject) f = ticket_fields (categories[i], i == 2 ? "7" : "5");
      g_autoptr(CdTicket) t = NULL;

      json_object_set_string_member (f, "street", streets[i]);
      json_object_set_string_member (f, "phone", phones[i]);
      if (i == 0)
        json_object_set_string_member (f, "external_ref", "open311:42");
      t = cd_store_register (store, f, "olga", "operator", t0 + 60 * i, &error);
      g_assert_no_error (error);
      ids[i] = g_strdup (t->id);
    }

  /* An import's references, and a page of tickets' events at once. */
  refs = cd_store_list_external_refs (store, "open311:", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (refs), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (refs, "open311:42"), ==, ids[0]);
  events = cd_store_list_events_of (store, (const char * const *) ids, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (events), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      GPtrArray *of = g_hash_table_lookup (events, ids[i]);

      g_assert_nonnull (of);
      g_assert_cmpstr (((CdEvent *) of->pdata[0])->type, ==, "register");
      g_assert_cmpstr (((CdEvent *) of->pdata[0])->entity, ==, ids[i]);
    }

  {
    CdTicketFilter by_address = { .search = "LENIN st 5" };
    CdTicketFilter by_number = { .search = "2026-00000" };
    CdTicketFilter by_phone = { .search = "705 29 02" };
    CdTicketFilter by_category = { .category = "housing.heating" };
    CdTicketFilter by_executor = { .executor = "city", .open_only = TRUE };
    const char *numbers[] = { "2026-000003", NULL };
    CdTicketFilter by_numbers = { .numbers = numbers };
    g_autoptr(GPtrArray) address = list_tickets (store, &by_address);
    g_autoptr(GPtrArray) number = list_tickets (store, &by_number);
    g_autoptr(GPtrArray) phone = list_tickets (store, &by_phone);
    g_autoptr(GPtrArray) category = list_tickets (store, &by_category);
    g_autoptr(GPtrArray) executor = list_tickets (store, &by_executor);
    g_autoptr(GPtrArray) listed = list_tickets (store, &by_numbers);

    g_assert_cmpuint (address->len, ==, 1);
    g_assert_cmpstr (((CdTicket *) address->pdata[0])->number, ==, "2026-000001");
    g_assert_cmpuint (number->len, ==, 3);
    g_assert_cmpstr (((CdTicket *) number->pdata[0])->number, ==, "2026-000001");
    g_assert_cmpuint (phone->len, ==, 1);
    g_assert_cmpstr (((CdTicket *) phone->pdata[0])->number, ==, "2026-000002");
    g_assert_cmpuint (category->len, ==, 1);
    g_assert_cmpstr (((CdTicket *) category->pdata[0])->number, ==, "2026-000002");
    g_assert_cmpuint (executor->len, ==, 3);
    g_assert_cmpuint (listed->len, ==, 1);
    g_assert_cmpstr (((CdTicket *) listed->pdata[0])->street, ==, "Lenin St");
  }

  {
    CdTicketFilter all = { .search = "lenin" };

    page = cd_store_search_tickets (store, &all, 1, 1, &total, &error);
    g_assert_no_error (error);
    g_assert_cmpint (total, ==, 2);
    g_assert_cmpuint (page->len, ==, 1);
    /* Newest first: the second of the two on Lenin St is the oldest. */
    g_assert_cmpstr (((CdTicket *) page->pdata[0])->number, ==, "2026-000001");
  }

  /* A month on, every ticket is past its due time. */
  {
    gint64 later = t0 + 30 * 24 * 3600;
    CdTicketFilter breached = { .tile = CD_OVERDUE_TILE_BREACHED, .now = later };
    g_autoptr(GPtrArray) listed = NULL;
    g_autoptr(GPtrArray) groups = NULL;
    g_autoptr(JsonObject) counts = NULL;
    JsonObject *city;

    g_assert_true (cd_store_overdue_tiles (store, later, &tiles, &error));
    g_assert_no_error (error);
    g_assert_cmpint (tiles.open, ==, 3);
    g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_BREACHED], ==, 3);
    g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_STALE], ==, 3);
    g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_REOPENED], ==, 0);
    listed = list_tickets (store, &breached);
    g_assert_cmpuint (listed->len, ==, tiles.counts[CD_OVERDUE_TILE_BREACHED]);

    counts = cd_store_count_by_executor (store, later, &error);
    g_assert_no_error (error);
    city = json_object_get_object_member (counts, "city");
    g_assert_nonnull (city);
    g_assert_cmpint (json_object_get_int_member (city, "total"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (city, "open"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (city, "overdue"), ==, 3);

    /* Past 2038 too: times are 64-bit on both backends, :now included
     * where it meets a constant (`executor_at + limit < :now`). */
    {
      CdOverdueTiles far;

      g_assert_true (cd_store_overdue_tiles (store, G_GINT64_CONSTANT (2208988800), &far,
                                             &error));
      g_assert_no_error (error);
      g_assert_cmpint (far.counts[CD_OVERDUE_TILE_STALE], ==, 3);
    }

    groups = cd_store_overdue_breakdown (store, CD_OVERDUE_BY_CATEGORY, later, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (groups->len, ==, 2);
    g_assert_cmpstr (((CdOverdueGroup *) groups->pdata[0])->key, ==, "housing.lifts");
    g_assert_cmpint (((CdOverdueGroup *) groups->pdata[0])->open, ==, 2);
  }

  /* The address is compared without regard to case (SQLite's NOCASE,
   * PostgreSQL's citext): the same building in other letters repeats
   * (last: it adds a ticket). */
  {
    g_autoptr(JsonObject) f = ticket_fields ("housing.lifts", "5");
    g_autoptr(CdTicket) t = NULL;

    json_object_set_string_member (f, "street", "LENIN st");
    json_object_set_string_member (f, "district", "central");
    t = cd_store_register (store, f, "olga", "operator", t0 + 600, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (t->repeat_of, ==, "2026-000001");
  }
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

static CdTicket *
act_as_admin (CdStore    *store,
              const char *number,
              const char *action,
              JsonObject *payload,
              gint64      time)
{
  g_autoptr(GError) error = NULL;
  CdTicket *ticket = cd_store_act (store, number, action, "vera", "admin", payload,
                                   time, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ticket);
  return ticket;
}

static guint
n_notifications (CdStore *store,
                 int      state)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_store_list_notifications (store, state, "admin", 0, &rows, &error));
  g_assert_no_error (error);
  return rows->len;
}

/* A resolve queues a message to the resident and starts a callback task;
 * the queue's rows are claimed, failed, retried and recovered; a callback
 * is an attempt of the task, a close ends it; the same on both backends. */
static void
test_notifications_feedback (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "feedback");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) f = ticket_fields ("housing.lifts", "7");
  g_autoptr(JsonObject) outcome = json_object_new ();
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(CdFeedbackStats) stats = NULL;
  gint64 t = 1767603600;
  CdNotification *n;
  CdFeedbackTask *task;
  guint recovered = 0;
  gint64 id;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);
  ticket = cd_store_register (store, f, "olga", "operator", t, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = act_as_admin (store, "2026-000001", "accept", NULL, t + 60);
  g_clear_pointer (&ticket, cd_ticket_unref);
  g_assert_cmpuint (n_notifications (store, -1), ==, 0);
  ticket = act_as_admin (store, "2026-000001", "resolve", NULL, t + 120);
  g_assert_cmpint (ticket->state, ==, CD_TICKET_STATE_RESOLVED);

  /* The message: pending, then claimed once, failed, retried, recovered. */
  g_assert_cmpuint (n_notifications (store, CD_NOTIFICATION_PENDING), ==, 1);
  g_assert_true (cd_store_claim_notifications (store, t + 130, 10, &claimed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  n = claimed->pdata[0];
  g_assert_cmpstr (n->kind, ==, "resolved");
  g_assert_cmpstr (n->recipient, ==, "+375291234567");
  g_assert_cmpuint (n->attempts, ==, 1);
  g_assert_cmpint (n->seq, ==, cd_store_get_last_seq (store, NULL));
  id = n->id;
  g_assert_cmpuint (n_notifications (store, CD_NOTIFICATION_PENDING), ==, 0);
  g_assert_true (cd_store_finish_notification (store, id, CD_NOTIFICATION_FAILED, 0,
                                               "no route", t + 131, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_notifications (store, CD_NOTIFICATION_FAILED), ==, 1);
  g_assert_false (cd_store_retry_notification (store, id + 1000, t + 140, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (cd_store_retry_notification (store, id, t + 140, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_retry_notification (store, id, t + 140, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  g_assert_true (cd_store_claim_notifications (store, t + 150, 10, &claimed, &error));
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_true (cd_store_recover_notifications (store, &recovered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (recovered, ==, 1);
  g_assert_true (cd_store_finish_notification (store, id, CD_NOTIFICATION_SENT, 0, NULL,
                                               t + 160, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_notifications (store, CD_NOTIFICATION_SENT), ==, 1);

  /* The callback task the resolve started, then an attempt. */
  g_assert_true (cd_store_list_feedback_tasks (store, t + 200, 0, FALSE, "admin", &tasks,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  task = tasks->pdata[0];
  g_assert_cmpstr (task->number, ==, "2026-000001");
  g_assert_cmpstr (task->policy, ==, "callback-all");
  g_assert_cmpuint (task->attempt, ==, 1);
  g_assert_cmpuint (task->attempts, ==, 3);
  g_clear_pointer (&ticket, cd_ticket_unref);
  json_object_set_string_member (outcome, "outcome", "no_answer");
  ticket = act_as_admin (store, "2026-000001", "callback", outcome, t + 300);
  g_clear_pointer (&ticket, cd_ticket_unref);
  task = NULL; /* tasks' own */
  g_assert_true (cd_store_get_feedback_task (store, "2026-000001", "admin", &task, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (task->attempt, ==, 2);
  g_assert_cmpuint (task->history->len, ==, 1);
  g_assert_cmpint (((CdFeedbackAttempt *) task->history->pdata[0])->outcome, ==,
                   CD_FEEDBACK_NO_ANSWER);
  cd_feedback_task_free (task);
  task = NULL;

  /* A close ends it, confirmed; the close is news to the resident. */
  ticket = act_as_admin (store, "2026-000001", "close", NULL, t + 400);
  g_assert_cmpint (ticket->state, ==, CD_TICKET_STATE_CLOSED);
  g_assert_cmpuint (n_notifications (store, CD_NOTIFICATION_PENDING), ==, 1);
  g_assert_false (cd_store_get_feedback_task (store, "2026-000001", "admin", &task, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (cd_store_feedback_stats (store, t, t + 3600, t + 500, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats->open, ==, 0);
  g_assert_cmpuint (stats->attempts, ==, 1);
  g_assert_cmpuint (stats->confirmed, ==, 1);
  g_assert_cmpuint (stats->executors->len, ==, 1);
  g_assert_cmpuint (((CdFeedbackExecutorStats *) stats->executors->pdata[0])->confirmed, ==, 1);
  g_clear_pointer (&ticket, cd_ticket_unref);
  json_object_set_string_member (outcome, "note", "Still broken");
  ticket = act_as_admin (store, "2026-000001", "reopen", outcome, t + 500);
  g_assert_cmpint (ticket->state, ==, CD_TICKET_STATE_REOPENED);

  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

static GPtrArray *
reference_entries (const char * const *codes_names)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_reference_entry_free);

  for (guint i = 0; codes_names[i] != NULL; i += 2)
    {
      CdReferenceEntry *entry = cd_reference_entry_new (codes_names[i]);

      if (*codes_names[i + 1] != '\0')
        cd_reference_entry_set_name (entry, "en", codes_names[i + 1]);
      g_ptr_array_add (entries, entry);
    }
  return entries;
}

static gint64
stats_int (JsonObject *stats,
           const char *object,
           const char *member)
{
  JsonObject *o = json_object_get_object_member (stats, object);

  g_assert_nonnull (o);
  g_assert_true (json_object_has_member (o, member));
  return json_object_get_int_member (o, member);
}

/* The reference data replaced by kind, in a transaction of its own or in
 * the caller's, listed and naming a district in a callback task's address;
 * the statistics counted from the tickets' rows: the same on both
 * backends. */
static void
test_reference_stats (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "reference");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdReferenceData) districts = cd_reference_data_new ();
  g_autoptr(CdReferenceData) executors = cd_reference_data_new ();
  g_autoptr(CdReferenceData) broken = cd_reference_data_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(JsonObject) f = ticket_fields ("housing.lifts", "7");
  g_autoptr(JsonObject) g = ticket_fields ("housing.lifts", "8");
  g_autoptr(JsonObject) outcome = json_object_new ();
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  CdFeedbackTask *task = NULL;
  const char * const district_names[] = { "Central", "Central district", "North", "", NULL };
  const char * const executor_names[] = { "city", "City services", NULL };
  const char * const twice[] = { "dup", "One", "dup", "Two", NULL };
  gint64 t = 1767603600;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_cmpstr (cd_store_reference_name (store, CD_REFERENCE_DISTRICT, "Central"), ==,
                   "Central");

  districts->entries[CD_REFERENCE_DISTRICT] = reference_entries (district_names);
  g_assert_true (cd_store_reference_replace (store, districts, &error));
  g_assert_no_error (error);
  /* Another kind leaves the districts as they were. */
  executors->entries[CD_REFERENCE_EXECUTOR] = reference_entries (executor_names);
  g_assert_true (cd_store_reference_replace (store, executors, &error));
  g_assert_no_error (error);
  listed = cd_store_reference_list (store, CD_REFERENCE_DISTRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (((CdReferenceEntry *) listed->pdata[0])->code, ==, "Central");
  g_assert_cmpstr (((CdReferenceEntry *) listed->pdata[1])->code, ==, "North");
  g_assert_cmpuint (g_hash_table_size (((CdReferenceEntry *) listed->pdata[1])->names), ==, 0);
  g_assert_cmpstr (cd_store_reference_name (store, CD_REFERENCE_DISTRICT, "Central"), ==,
                   "Central district");
  g_assert_cmpstr (cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, "city"), ==,
                   "City services");
  g_assert_cmpstr (cd_store_reference_name (store, CD_REFERENCE_DISTRICT, "North"), ==,
                   "North");

  /* A refused replacement inside the caller's transaction leaves it
   * usable and the names as they were. */
  broken->entries[CD_REFERENCE_DISTRICT] = reference_entries (twice);
  g_assert_true (cd_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_reference_replace (store, broken, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = cd_store_reference_list (store, CD_REFERENCE_DISTRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_false (cd_store_reference_replace (store, broken, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = cd_store_reference_list (store, CD_REFERENCE_DISTRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);

  /* A callback task's address names the district. */
  ticket = cd_store_register (store, f, "olga", "operator", t, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = cd_store_register (store, g, "olga", "operator", t + 10, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = act_as_admin (store, "2026-000001", "accept", NULL, t + 60);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = act_as_admin (store, "2026-000001", "resolve", NULL, t + 120);
  g_clear_pointer (&ticket, cd_ticket_unref);
  g_assert_true (cd_store_get_feedback_task (store, "2026-000001", "admin", &task, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (task->address, "(Central district)"));
  cd_feedback_task_free (task);

  /* The statistics. */
  stats = cd_store_get_stats (store, t + 200, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);
  g_assert_cmpint (json_object_get_int_member (stats, "total"), ==, 2);
  g_assert_cmpint (stats_int (stats, "by_state",
                              cd_ticket_state_to_string (CD_TICKET_STATE_RESOLVED)), ==, 1);
  g_assert_cmpint (stats_int (stats, "by_kind", "routine"), ==, 2);
  g_assert_true (json_object_has_member (json_object_get_object_member (stats, "by_executor"),
                                         "city"));
  g_assert_cmpfloat (json_object_get_double_member (stats, "reopen_rate"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (stats, "mass_incidents"), ==, 0);
  g_assert_true (json_object_has_member (stats, "on_time_rate"));
  g_assert_true (json_object_has_member (stats, "overdue"));
  g_assert_true (json_object_has_member (stats, "stale"));
  g_assert_true (json_object_has_member (stats, "unacknowledged"));
  json_object_set_string_member (outcome, "note", "Still broken");
  ticket = act_as_admin (store, "2026-000001", "reopen", outcome, t + 300);
  g_clear_pointer (&ticket, cd_ticket_unref);
  g_clear_pointer (&stats, json_object_unref);
  stats = cd_store_get_stats (store, t + 400, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (stats, "reopen_rate"), ==, 1.0);
  g_assert_cmpint (stats_int (stats, "by_state",
                              cd_ticket_state_to_string (CD_TICKET_STATE_REOPENED)), ==, 1);

  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* The server's role (cd_journal_db_grant()) runs the ticket flow through
 * the store, resolve, callback, close and reopen included, and still
 * cannot change or delete an event. */
static void
test_grants (void)
{
  g_autofree char *location = cd_test_pg_new_database ("grants");
  g_autofree char *role = g_strdup_printf ("cd_grants_%d", (int) getpid ());
  g_autofree char *as_role = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) f = ticket_fields ("housing.lifts", "9");
  g_autoptr(JsonObject) outcome = json_object_new ();
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(JsonObject) stats = NULL;
  const char * const refused[] = {
    "UPDATE events SET actor = 'mallory' WHERE seq = 1",
    "DELETE FROM events",
    "DELETE FROM tickets",
    "DELETE FROM notifications",
    "TRUNCATE feedback_tasks",
    "UPDATE routing_rules SET executor = 'mallory'",
    "DELETE FROM reference_names",
    "INSERT INTO reference_entries (kind, code) VALUES ('district', 'mallory')",
  };
  gint64 t = 1767603600;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  g_assert_true (cd_store_set_meta (store, "routing-default", "city", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  as_role = cd_test_pg_grant_server_role (location, role);
  store = cd_test_backend_open_store (as_role);
  ticket = cd_store_register (store, f, "olga", "operator", t, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = act_as_admin (store, "2026-000001", "accept", NULL, t + 60);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = act_as_admin (store, "2026-000001", "resolve", NULL, t + 120);
  g_clear_pointer (&ticket, cd_ticket_unref);
  json_object_set_string_member (outcome, "outcome", "busy");
  ticket = act_as_admin (store, "2026-000001", "callback", outcome, t + 180);
  g_clear_pointer (&ticket, cd_ticket_unref);
  ticket = act_as_admin (store, "2026-000001", "close", NULL, t + 240);
  g_clear_pointer (&ticket, cd_ticket_unref);
  json_object_set_string_member (outcome, "note", "Still broken");
  ticket = act_as_admin (store, "2026-000001", "reopen", outcome, t + 300);
  g_assert_cmpint (ticket->state, ==, CD_TICKET_STATE_REOPENED);
  g_assert_true (cd_store_claim_notifications (store, t + 400, 10, &claimed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 2);
  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
  g_assert_no_error (error);
  /* It reads the reference data and the statistics. */
  listed = cd_store_reference_list (store, CD_REFERENCE_DISTRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);
  stats = cd_store_get_stats (store, t + 400, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (stats, "total"), ==, 1);
  g_clear_object (&store);

  cd_test_pg_assert_refused (as_role, refused, G_N_ELEMENTS (refused));

  cd_test_pg_drop_with_role (location, role);
}

/* What is not ported fails with a clear error on PostgreSQL, through the
 * same API, and still works on a file. */
static void
test_not_ported (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autofree char *location = cd_test_backend_new_location (backend, "unported");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  /* Ported: works on both. */
  g_assert_true (cd_store_sync_numbers (store, &error));
  g_assert_no_error (error);
  ok = cd_store_outbox_count_pending (store, &error) >= 0;
  g_assert_true (ok == !backend->postgresql);
  if (backend->postgresql)
    {
      g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_AVAILABLE);
      g_assert_nonnull (strstr (error->message, "PostgreSQL"));
    }
  else
    g_assert_no_error (error);
  g_clear_object (&store);
  cd_test_backend_drop_location (backend, location);
}

/* A listener hears of a commit's events, with the new head, and of no
 * rolled-back transaction. */
static void
test_notify (void)
{
  g_autofree char *location = cd_test_pg_new_database ("notify");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdDb) listener = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *none = NULL;

  if (location == NULL)
    return;
  store = cd_test_backend_open_store (location);
  listener = cd_db_open (location, &error);
  g_assert_no_error (error);
  g_assert_true (cd_db_listen (listener, CD_JOURNAL_DB_CHANNEL, &error));
  g_assert_no_error (error);

  /* Not yet committed: nothing to hear. */
  g_assert_true (cd_store_begin (store, &error));
  {
    g_autoptr(CdEvent) event = make_call_event (1);

    g_assert_true (cd_store_append_entity_event (store, event, &error));
  }
  none = cd_db_wait_notification (listener, 200, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  first = cd_db_wait_notification (listener, CD_TEST_WAIT_SECONDS * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "1");

  /* A rollback says nothing; the next commit names its own head. */
  append_calls (store, 2, 4, FALSE);
  append_calls (store, 2, 3, TRUE);
  second = cd_db_wait_notification (listener, CD_TEST_WAIT_SECONDS * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "3");
  g_clear_pointer (&none, g_free);
  none = cd_db_wait_notification (listener, 200, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* A transaction that appends nothing notifies nothing. */
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_commit (store, &error));
  none = cd_db_wait_notification (listener, 200, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_clear_pointer (&listener, cd_db_close);
  g_clear_object (&store);
  cd_test_pg_drop_database (location);
}

/* SQLite has no LISTEN: said plainly. */
static void
test_notify_sqlite (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "listen.db", NULL);
  g_autoptr(CdDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = cd_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (cd_db_listen (db, CD_JOURNAL_DB_CHANNEL, &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL);
  g_clear_error (&error);
  /* Notifying is a no-op there: the store commits through it. */
  g_assert_true (cd_db_notify (db, CD_JOURNAL_DB_CHANNEL, "1", &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  cd_test_backends_add ("/store-backends", "meta", test_meta);
  cd_test_backends_add ("/store-backends", "journal", test_journal);
  cd_test_backends_add ("/store-backends", "not-ported", test_not_ported);
  cd_test_backends_add ("/store-backends", "two-writers", test_two_writers);
  cd_test_backends_add ("/store-backends", "replay", test_replay);
  cd_test_backends_add ("/store-backends", "transitions", test_transitions);
  cd_test_backends_add ("/store-backends", "register", test_register);
  cd_test_backends_add ("/store-backends", "users", test_users);
  cd_test_backends_add ("/store-backends", "idempotency-race", test_idempotency_race);
  cd_test_backends_add ("/store-backends", "search", test_search);
  cd_test_backends_add ("/store-backends", "notifications-feedback", test_notifications_feedback);
  cd_test_backends_add ("/store-backends", "reference-stats", test_reference_stats);
  g_test_add_func ("/store-backends/postgresql/notify", test_notify);
  g_test_add_func ("/store-backends/postgresql/grants", test_grants);
  g_test_add_func ("/store-backends/sqlite/no-listen", test_notify_sqlite);
  return g_test_run ();
}
