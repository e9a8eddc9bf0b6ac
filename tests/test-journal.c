// SPDX-License-Identifier: GPL-3.0-or-later
//
// The journal: canonical bytes and a known hash vector, the store's
// append-only triggers, verify finding a tampered event, the writer and
// its queries, and a writer process killed in the middle of a burst.
//
// Run as `test-journal --writer DB BATCH` it is that writer: it appends
// BATCH events per transaction forever and prints each committed head.

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-journal.h"
#include "cd-monitor.h"
#include "cd-store.h"
#include "cd-store-demo.h"
#include "cd-store-league.h"
#include "cd-store-overdue.h"
#include "cd-store-import.h"
#include "cd-store-outbox.h"
#include "cd-test.h"
#include "cd-test-sql.h"
#include "cd-store-search.h"

#define T0 1767254400

static char *
temp_db (const char *name)
{
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

/* The canonical bytes of @event, in hex. */
static char *
encode_hex (const CdEvent *event)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  char *hex;

  g_assert_true (cd_journal_encode (event, bytes, NULL));
  hex = g_malloc (2 * bytes->len + 1);
  cd_journal_to_hex (bytes->data, bytes->len, hex);
  return hex;
}

static void
test_known_vector (void)
{
  g_autoptr(CdEvent) e1 = cd_event_new_stored (1, "00000000-0000-4000-8000-000000000001",
                                                "register", "op", "operator", 1767225600,
                                                "{\"a\":1}", NULL);
  g_autoptr(CdEvent) e2 = cd_event_new_stored (2, "00000000-0000-4000-8000-000000000001",
                                                "comment", "Ірина", "qc", 1767225660,
                                                "{\"note\":\"ok\"}", NULL);
  g_autofree char *hex = NULL;
  g_autoptr(GError) error = NULL;
  CdJournalHead head;

  /* The canonical bytes of docs/journal.md, byte for byte. */
  hex = encode_hex (e1);
  g_assert_cmpstr (hex, ==,
                   "43444a310000000000000001000000006955b9000000002430303030303030302d30303030"
                   "2d343030302d383030302d303030303030303030303031000000087265676973746572000000"
                   "026f70000000086f70657261746f72000000077b2261223a317d");

  /* Computed independently with Python's hashlib (see docs/journal.md). */
  cd_journal_head_init (&head);
  g_assert_true (cd_journal_seal (&head, e1, &error));
  g_assert_cmpstr (e1->hash, ==,
                   "901a8856cfbc45bfc3ea5939cc2aa4db498ffe74a0ef55106047c22d237e4130");
  g_assert_true (cd_journal_seal (&head, e2, &error));
  g_assert_cmpstr (e2->hash, ==,
                   "1445970bd9488e73fa0046a402ad8f5eab6300182e43187a63f0a66518732b3b");
  g_assert_cmpint (head.seq, ==, 2);
}

/* Format 2: personal data apart, covered by its digest; a masked copy,
 * carrying the digest of the original, fits the chain and says nothing
 * more than it shows. */
static void
test_personal_vector (void)
{
  static const char *personal = "{\"name\":\"Ivan Petrov\",\"phone\":\"+375 29 123-45-67\","
                                "\"salt\":\"00112233445566778899aabbccddeeff\"}";
  g_autoptr(CdEvent) e = cd_event_new_stored (1, "00000000-0000-4000-8000-000000000001", "register",
                                              "op", "operator", 1767225600, "{\"a\":1}", NULL);
  g_autoptr(CdEvent) masked = NULL;
  g_autoptr(CdEvent) again = NULL;
  g_autoptr(CdEvent) forged = NULL;
  g_autoptr(CdEvent) bad_digest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  CdJournalHead head;

  cd_event_set_personal (e, personal, NULL);
  hex = encode_hex (e);
  /* As the first vector, "CDJ2" for "CDJ1", then the personal text's digest. */
  g_assert_cmpstr (hex, ==,
                   "43444a320000000000000001000000006955b9000000002430303030303030302d30303030"
                   "2d343030302d383030302d303030303030303030303031000000087265676973746572000000"
                   "026f70000000086f70657261746f72000000077b2261223a317d"
                   "f4358e02eb75906d3243beb2cd9dde3791e4bebbcb7402f03e378a84eb8e5f9c");
  cd_journal_head_init (&head);
  g_assert_true (cd_journal_seal (&head, e, &error));
  g_assert_cmpstr (e->hash, ==, "2f549c0ac57175d5d861db421c53f4cc257d60373c52bcb08af3d3bc2854cbd5");

  /* The projection reads the resident from the personal text. */
  g_assert_cmpstr (cd_event_get_string (e, "phone"), ==, "+375 29 123-45-67");
  g_assert_cmpstr (cd_event_get_string (e, "name"), ==, "Ivan Petrov");
  g_assert_cmpint (cd_event_get_int (e, "a", 0), ==, 1);

  masked = cd_event_for_role (e, "qc");
  g_assert_cmpstr (masked->personal, ==,
                   "{\"name\":\"Ivan Petrov\",\"phone\":\"+375 29 ***-**-67\"}");
  g_assert_cmpstr (masked->personal_hash, ==,
                   "f4358e02eb75906d3243beb2cd9dde3791e4bebbcb7402f03e378a84eb8e5f9c");
  g_assert_cmpstr (cd_event_get_string (masked, "phone"), ==, "+375 29 ***-**-67");
  g_assert_null (cd_event_get_string (masked, "salt"));
  cd_journal_head_init (&head);
  g_assert_true (cd_journal_check (&head, masked, &error));
  g_assert_no_error (error);

  /* Masking a masked copy changes nothing. */
  again = cd_event_for_role (masked, "executor");
  g_assert_cmpstr (again->personal, ==, masked->personal);
  g_assert_cmpstr (again->personal_hash, ==, masked->personal_hash);

  /* Another number with the original's salt: the digest tells. */
  forged = cd_event_new_stored (1, e->entity, e->type, e->actor, e->role, e->time, e->payload,
                                e->hash);
  cd_event_set_personal (forged, "{\"name\":\"Ivan Petrov\",\"phone\":\"+375 29 123-45-68\","
                                 "\"salt\":\"00112233445566778899aabbccddeeff\"}", NULL);
  cd_journal_head_init (&head);
  g_assert_false (cd_journal_check (&head, forged, &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
  g_clear_error (&error);

  /* A copy that claims another digest does not fit either. */
  bad_digest = cd_event_new_stored (1, e->entity, e->type, e->actor, e->role, e->time, e->payload,
                                    e->hash);
  cd_event_set_personal (bad_digest, masked->personal,
                         "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_false (cd_journal_check (&head, bad_digest, &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
  g_clear_error (&error);
  cd_event_set_personal (bad_digest, masked->personal, "not a digest");
  g_assert_false (cd_journal_check (&head, bad_digest, &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_INVALID_HASH);
}

/* An event of format 1 has the phone in its payload: a role that does not
 * see it gets the payload masked, marked, its hash taken as it is by a
 * client and never by a journal of record. */
/* Quality control's events for an operator: their own evaluation whole,
 * the others' masked (a look-alike agent's name is another's), a
 * calibration masked, a listen masked; the masked copies follow the chain
 * on a desktop, never in a journal of record. */
static void
test_staff_events_for_reader (void)
{
  static const char *own_payload =
      "{\"call\":\"c1\",\"operator\":\"Anna K.\",\"form\":\"f\",\"score\":{}}";
  static const char *calibrated =
      "{\"call\":\"c1\",\"operator\":\"Anna K.\",\"calibration\":\"s\",\"score\":{}}";
  g_autoptr(CdEvent) own = cd_event_new_stored (1, "e1", "evaluate", "qc1", "qc", T0,
                                                 own_payload, NULL);
  g_autoptr(CdEvent) cal = cd_event_new_stored (2, "e2", "evaluate", "qc1", "qc", T0, calibrated,
                                                 NULL);
  g_autoptr(CdEvent) session = cd_event_new_stored (3, "qa-calibration:s", "calibrate", "qc1",
                                                     "qc", T0, "{\"action\":\"open\"}", NULL);
  g_autoptr(CdEvent) listen = cd_event_new_stored (4, "c1", "listen", "qc1", "qc", T0, "{}",
                                                    NULL);
  CdEvent *events[] = { own, cal, session, listen };
  CdJournalHead head, original;
  g_autoptr(GError) error = NULL;

  cd_journal_head_init (&head);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_assert_true (cd_journal_seal (&head, events[i], &error));
  cd_journal_head_init (&head);
  cd_journal_head_init (&original);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autoptr(CdEvent) mine = cd_event_for_reader (events[i], "operator", "Anna K.");
      g_autoptr(CdEvent) trick = cd_event_for_reader (events[i], "operator", "anna k.");
      g_autoptr(CdEvent) none = cd_event_for_reader (events[i], "operator", NULL);
      g_autoptr(CdEvent) desk = cd_event_for_reader (events[i], "qc", NULL);

      g_assert_true (desk == events[i]);
      g_assert_true ((mine == events[i]) == (i == 0));
      g_assert_true (trick->payload_masked);
      g_assert_cmpstr (trick->payload, ==, "{}");
      g_assert_cmpstr (trick->actor, ==, "");
      g_assert_true (none->payload_masked);
      g_assert_true (cd_journal_check (&head, trick, &error));
      g_assert_no_error (error);
      if (i > 0)
        {
          g_assert_false (cd_journal_check_original (&original, trick, &error));
          g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
          g_clear_error (&error);
          g_assert_true (cd_journal_check_original (&original, events[i], &error));
        }
      else
        g_assert_true (cd_journal_check_original (&original, mine, &error));
      g_assert_no_error (error);
    }
}

static void
test_format1_masked (void)
{
  static const char *payload =
      "{\"number\":\"2025-000001\",\"name\":\"Olga Old\",\"phone\":\"+375 29 765-43-21\"}";
  g_autoptr(CdEvent) e = cd_event_new_stored (1, "t", "register", "op", "operator", T0, payload,
                                               NULL);
  g_autoptr(CdEvent) next = cd_event_new_stored (2, "t", "comment", "op", "operator", T0,
                                                  "{\"note\":\"x\"}", NULL);
  g_autoptr(CdEvent) masked = NULL;
  g_autoptr(CdEvent) seen = NULL;
  g_autoptr(CdEvent) back = NULL;
  g_autoptr(CdEvent) forged = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  CdJournalHead head, original;

  cd_journal_head_init (&head);
  g_assert_true (cd_journal_seal (&head, e, &error));
  g_assert_true (cd_journal_seal (&head, next, &error));

  seen = cd_event_for_role (e, "operator");
  g_assert_true (seen == e);
  masked = cd_event_for_role (e, "qc");
  g_assert_true (masked->payload_masked);
  g_assert_cmpstr (
      masked->payload, ==,
      "{\"number\":\"2025-000001\",\"name\":\"Olga Old\",\"phone\":\"+375 29 ***-**-21\"}");
  g_assert_cmpstr (masked->hash, ==, e->hash);
  g_assert_cmpstr (cd_event_get_string (masked, "phone"), ==, "+375 29 ***-**-21");

  /* Through the feed's form and back, and on through the chain. */
  json = cd_event_to_json (masked);
  g_assert_cmpstr (json_object_get_string_member (json, "masked"), ==, "payload");
  back = cd_event_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (back->payload_masked);
  cd_journal_head_init (&head);
  g_assert_true (cd_journal_check (&head, back, &error));
  g_assert_true (cd_journal_check (&head, next, &error));
  g_assert_no_error (error);

  /* A server's journal does not take it. */
  cd_journal_head_init (&original);
  g_assert_false (cd_journal_check_original (&original, back, &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
  g_clear_error (&error);

  /* Only a registration carried a phone: any other event that says it is
   * masked is refused. */
  forged = cd_event_new_stored (2, "t", "comment", "op", "operator", T0, "{\"note\":\"y\"}",
                                next->hash);
  forged->payload_masked = TRUE;
  cd_journal_head_init (&head);
  g_assert_true (cd_journal_check (&head, back, NULL));
  g_assert_false (cd_journal_check (&head, forged, &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
}

/* cd_event_new() puts the resident apart; the store salts it. */
static void
test_personal_split (void)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdEvent) e = NULL;
  g_autoptr(CdEvent) plain = NULL;

  json_object_set_string_member (payload, "number", "2026-000001");
  json_object_set_string_member (payload, "name", "Ivan Petrov");
  json_object_set_string_member (payload, "phone", "+375 29 123-45-67");
  json_object_set_string_member (payload, "street", "Lenina");
  e = cd_event_new ("t", "register", "op", "operator", T0, payload);
  g_assert_cmpstr (e->payload, ==, "{\"number\":\"2026-000001\",\"street\":\"Lenina\"}");
  g_assert_cmpstr (e->personal, ==, "{\"name\":\"Ivan Petrov\",\"phone\":\"+375 29 123-45-67\"}");
  g_assert_null (e->personal_hash);
  /* The caller's object is left as it was. */
  g_assert_true (json_object_has_member (payload, "phone"));

  cd_event_salt_personal (e, "00112233445566778899aabbccddeeff");
  g_assert_cmpstr (e->personal, ==, "{\"name\":\"Ivan Petrov\",\"phone\":\"+375 29 123-45-67\","
                                    "\"salt\":\"00112233445566778899aabbccddeeff\"}");
  g_assert_cmpstr (cd_event_get_string (e, "phone"), ==, "+375 29 123-45-67");

  json_object_remove_member (payload, "name");
  json_object_remove_member (payload, "phone");
  plain = cd_event_new ("t", "register", "op", "operator", T0, payload);
  g_assert_null (plain->personal);
}

static void
test_chain_check (void)
{
  static const struct {
    const char *what;
    int code;
  } tampers[] = {
    { "payload", CD_JOURNAL_ERROR_HASH },
    { "actor", CD_JOURNAL_ERROR_HASH },
    { "time", CD_JOURNAL_ERROR_HASH },
    { "gap", CD_JOURNAL_ERROR_SEQUENCE },
    { "bad-hash", CD_JOURNAL_ERROR_HASH },
  };

  for (guint k = 0; k < G_N_ELEMENTS (tampers); k++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (
          (GDestroyNotify) cd_event_unref);
      g_autoptr(GError) error = NULL;
      CdJournalHead head;
      CdEvent *victim;
      guint i;

      cd_journal_head_init (&head);
      for (i = 0; i < 5; i++)
        {
          CdEvent *e = cd_event_new_stored (0, "t", "comment", "a", "qc", T0 + i,
                                            "{\"note\":\"x\"}", NULL);

          g_assert_true (cd_journal_seal (&head, e, NULL));
          g_ptr_array_add (events, e);
        }

      victim = g_ptr_array_index (events, 2);
      if (g_str_equal (tampers[k].what, "payload"))
        {
          g_free (victim->payload);
          victim->payload = g_strdup ("{\"note\":\"y\"}");
        }
      else if (g_str_equal (tampers[k].what, "actor"))
        {
          g_free (victim->actor);
          victim->actor = g_strdup ("b");
        }
      else if (g_str_equal (tampers[k].what, "time"))
        victim->time++;
      else if (g_str_equal (tampers[k].what, "gap"))
        g_ptr_array_remove_index (events, 1);
      else
        memset (victim->hash, 'f', 64);

      cd_journal_head_init (&head);
      for (i = 0; i < events->len; i++)
        if (!cd_journal_check (&head, g_ptr_array_index (events, i), &error))
          break;
      g_assert_error (error, CD_JOURNAL_ERROR, tampers[k].code);
      g_assert_cmpuint (i, ==, 2 - (g_str_equal (tampers[k].what, "gap") ? 1 : 0));
    }
}

static JsonObject *
fields (const char *category,
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

static int
exec_sql (const char *path,
          const char *sql,
          char      **message)
{
  sqlite3 *db = NULL;
  char *err = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &err);
  if (message != NULL)
    *message = g_strdup (err);
  sqlite3_free (err);
  sqlite3_close (db);
  return rc;
}

static void
test_register_and_act (void)
{
  g_autofree char *path = temp_db ("act.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) t1 = NULL;
  g_autoptr(CdTicket) t2 = NULL;
  g_autoptr(CdTicket) t3 = NULL;
  g_autoptr(CdTicket) acted = NULL;
  g_autoptr(CdTicket) loaded = NULL;
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) f1 = fields ("housing.lifts", "5");
  g_autoptr(JsonObject) f2 = fields ("housing.lifts", "5");
  g_autoptr(JsonObject) f3 = fields ("roads", "5");
  g_autoptr(JsonObject) note = json_object_new ();
  gint64 before;

  g_assert_nonnull (store);
  routing = cd_routing_new_from_json (
      "{\"default\":\"city\",\"rules\":[{\"category\":\"housing\",\"executor\":\"zhes-1\"}]}",
      &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_save_routing (store, routing, &error));
  g_assert_no_error (error);

  t1 = cd_store_register (store, f1, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t1->number, ==, "2026-000001");
  /* Routed at registration. */
  g_assert_cmpint (t1->state, ==, CD_TICKET_STATE_ASSIGNED);
  g_assert_cmpstr (t1->executor, ==, "zhes-1");

  t2 = cd_store_register (store, f2, "olga", "operator", T0 + 60, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t2->number, ==, "2026-000002");
  g_assert_cmpstr (t2->repeat_of, ==, "2026-000001");

  t3 = cd_store_register (store, f3, "olga", "operator", T0 + 120, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t3->executor, ==, "city");
  g_assert_null (t3->repeat_of);

  /* A refused action changes nothing, not even the journal. */
  before = cd_store_get_last_seq (store, NULL);
  acted = cd_store_act (store, "2026-000001", "close", "olga", "feedback", NULL, T0 + 200, &error);
  g_assert_null (acted);
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_cmpint (cd_store_get_last_seq (store, NULL), ==, before);

  /* An executor without an account names no organization: refused. */
  acted = cd_store_act (store, "2026-000001", "accept", "petr", "executor", NULL, T0 + 300, &error);
  g_assert_null (acted);
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  /* Ivan's account is with zhes-1: the store puts it into the event. */
  g_assert_cmpint (exec_sql (path,
                             "INSERT INTO users (name, role, org, created_at) "
                             "VALUES ('ivan', 'executor', 'zhes-1', 0)",
                             NULL),
                   ==, SQLITE_OK);
  acted = cd_store_act (store, "2026-000001", "accept", "ivan", "executor", NULL, T0 + 300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (acted->state, ==, CD_TICKET_STATE_ACCEPTED);
  g_clear_pointer (&acted, cd_ticket_unref);
  json_object_set_string_member (note, "note", "done");
  acted = cd_store_act (store, "2026-000001", "resolve", "ivan", "executor", note, T0 + 400,
                        &error);
  g_assert_no_error (error);

  loaded = cd_store_load_ticket (store, t1->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->state, ==, CD_TICKET_STATE_RESOLVED);
  g_assert_cmpint (loaded->resolved_at, ==, T0 + 400);

  events = cd_store_list_events (store, t1->id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpstr (((CdEvent *) g_ptr_array_index (events, 1))->type, ==, "assign");

  g_assert_true (cd_store_verify (store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Whether the stale tile and `citydeskctl tickets --stale` (the same
 * condition) count @number at @now, and the core agrees. */
static gboolean
is_stale_in_store (CdStore    *store,
                   const char *number,
                   gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) t = cd_store_load_ticket (store, number, &error);
  CdTicketFilter query = { .tile = CD_OVERDUE_TILE_STALE, .open_only = TRUE, .now = now };
  g_autoptr(GPtrArray) listed = NULL;
  CdOverdueTiles tiles;

  g_assert_no_error (error);
  listed = cd_store_list_tickets (store, &query, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_overdue_tiles (store, now, &tiles, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_STALE], ==, listed->len);
  g_assert_cmpint (cd_monitor_is_stale (t, now), ==, listed->len == 1);
  return listed->len == 1;
}

/* Stale is about the executor's side: what a supervisor does to a stale
 * ticket (a comment, an escalation, a reminder) leaves it stale; what its
 * executor does makes it fresh. The column survives a migration from a
 * database that did not have it. */
static void
test_stale_executor_side (void)
{
  g_autofree char *path = temp_db ("stale.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) f = fields ("housing.heating", "7");
  g_autoptr(JsonObject) note = json_object_new ();
  static const char * const supervisor[] = { "comment", "escalate", "remind" };
  const gint64 hour = 3600;
  gint64 now;

  g_assert_nonnull (store);
  routing = cd_routing_new_from_json ("{\"default\":\"zhes-1\",\"rules\":[]}", &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_save_routing (store, routing, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exec_sql (path, "INSERT INTO users (name, role, org, created_at) "
                                   "VALUES ('ivan', 'executor', 'zhes-1', 0)", NULL),
                   ==, SQLITE_OK);

  t = cd_store_register (store, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&t, cd_ticket_unref);
  t = cd_store_act (store, "2026-000001", "accept", "ivan", "executor", NULL, T0 + 600, &error);
  g_assert_no_error (error);
  g_clear_pointer (&t, cd_ticket_unref);

  /* Heating goes stale after 4 hours without the executor. */
  g_assert_false (is_stale_in_store (store, "2026-000001", T0 + 3 * hour));
  g_assert_true (is_stale_in_store (store, "2026-000001", T0 + 5 * hour));

  /* A supervisor's comment, escalation and reminder. */
  json_object_set_string_member (note, "note", "Reminder: please act on it.");
  for (guint i = 0; i < G_N_ELEMENTS (supervisor); i++)
    {
      now = T0 + (5 + i) * hour;
      t = cd_store_act (store, "2026-000001", supervisor[i], "sveta", "supervisor",
                        g_str_equal (supervisor[i], "escalate") ? NULL : note, now, &error);
      g_assert_no_error (error);
      g_assert_cmpint (t->updated_at, ==, now);
      /* Counted on the ticket, for the lists' marks. */
      g_assert_cmpuint (t->reminders, ==, g_str_equal (supervisor[i], "remind") ? 1 : 0);
      g_clear_pointer (&t, cd_ticket_unref);
      g_assert_true (is_stale_in_store (store, "2026-000001", now + 60));
    }

  /* The executor's progress note makes it fresh. */
  now = T0 + 8 * hour;
  json_object_set_string_member (note, "note", "The valve is ordered.");
  t = cd_store_act (store, "2026-000001", "comment", "ivan", "executor", note, now, &error);
  g_assert_no_error (error);
  g_clear_pointer (&t, cd_ticket_unref);
  g_assert_false (is_stale_in_store (store, "2026-000001", now + 60));
  g_assert_true (is_stale_in_store (store, "2026-000001", now + 5 * hour));

  /* So does starting work. */
  t = cd_store_act (store, "2026-000001", "start", "ivan", "executor", NULL, now + 5 * hour,
                    &error);
  g_assert_no_error (error);
  g_clear_pointer (&t, cd_ticket_unref);
  g_assert_false (is_stale_in_store (store, "2026-000001", now + 5 * hour + 60));
  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A database of the schema before the column gets it from its events. */
  g_clear_object (&store);
  g_assert_cmpint (exec_sql (path, "DROP INDEX users_agent;"
                                   "ALTER TABLE users DROP COLUMN agent;"
                                   "DROP TABLE recordings;"
                                   "DROP TABLE qa_forms;"
                                   "DROP TABLE qa_evaluations;"
                                   "DROP TABLE qa_calibrations;"
                                   "DROP TABLE notifications;"
                                   "DROP TABLE feedback_tasks;"
                                   "DROP TABLE feedback_attempts;"
                                   "DROP TABLE feedback_counts;"
                                   "DROP VIEW missed_calls;"
                                   "DROP TABLE callbacks;"
                                   "DROP TABLE calls;"
                                   "DROP INDEX tickets_open_executor_at;"
                                   "ALTER TABLE tickets DROP COLUMN executor_at;"
                                   "ALTER TABLE tickets DROP COLUMN reminders;"
                                   "CREATE INDEX tickets_open_updated ON tickets (updated_at) "
                                   "WHERE open = 1;"
                                   "PRAGMA user_version = 11;", NULL), ==, SQLITE_OK);
  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (is_stale_in_store (store, "2026-000001", now + 5 * hour + 60));
  g_assert_true (is_stale_in_store (store, "2026-000001", now + 10 * hour));
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* A resolved ticket waits for the resident: it is not overdue anywhere,
 * however late it was resolved, but it was not resolved on time. */
static void
test_resolved_not_overdue (void)
{
  g_autofree char *path = temp_db ("resolved.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) league = NULL;
  g_autoptr(JsonObject) f = fields ("housing.heating", "9");
  g_autoptr(JsonObject) stats = NULL;
  CdTicketFilter query = { .tile = CD_OVERDUE_TILE_BREACHED, .open_only = TRUE };
  const CdLeagueRow *row;
  CdOverdueTiles tiles;
  gint64 due;

  g_assert_nonnull (store);
  routing = cd_routing_new_from_json ("{\"default\":\"zhes-1\",\"rules\":[]}", &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_save_routing (store, routing, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exec_sql (path, "INSERT INTO users (name, role, org, created_at) "
                                   "VALUES ('ivan', 'executor', 'zhes-1', 0)", NULL),
                   ==, SQLITE_OK);
  t = cd_store_register (store, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&t, cd_ticket_unref);
  t = cd_store_act (store, "2026-000001", "accept", "ivan", "executor", NULL, T0 + 600, &error);
  g_assert_no_error (error);
  due = t->due_at;
  g_assert_cmpint (due, >, T0);
  g_clear_pointer (&t, cd_ticket_unref);

  /* Overdue before it is resolved... */
  query.now = due + 86400;
  listed = cd_store_list_tickets (store, &query, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_clear_pointer (&listed, g_ptr_array_unref);

  /* ...and not once it is, though it waits for confirmation (open). */
  t = cd_store_act (store, "2026-000001", "resolve", "ivan", "executor", NULL, due + 86400, &error);
  g_assert_no_error (error);
  g_assert_true (cd_ticket_is_open (t));
  g_assert_cmpuint (t->breached, >, 0);
  query.now = due + 2 * 86400;
  g_assert_false (cd_monitor_is_overdue (t, query.now));
  g_assert_false (cd_monitor_is_on_time (t, query.now));
  listed = cd_store_list_tickets (store, &query, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);
  g_assert_true (cd_store_overdue_tiles (store, query.now, &tiles, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_BREACHED], ==, 0);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_AT_RISK], ==, 0);
  stats = cd_store_get_stats (store, query.now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (stats, "overdue"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (stats, "on_time_rate"), ==, 0.0);

  /* The league table: not overdue now, and resolved late. */
  league = cd_store_executor_league (store, T0, query.now, query.now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (league->len, ==, 1);
  row = g_ptr_array_index (league, 0);
  g_assert_cmpint (row->open, ==, 1);
  g_assert_cmpint (row->overdue, ==, 0);
  g_assert_cmpint (row->resolved, ==, 1);
  g_assert_cmpint (row->judged, ==, 1);
  g_assert_cmpint (row->on_time, ==, 0);
  g_assert_cmpfloat (cd_league_row_on_time (row), ==, 0.0);
  g_clear_object (&store);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* The demo city has mass incidents the store's own detection finds: its
 * tickets, registered again one by one in a fresh store, are grouped by
 * the detection (a burst pipe in one street, a power outage in a
 * district), and the groups are the model's incidents, not chance. */
static void
test_demo_mass_incidents (void)
{
  g_autofree char *demo_path = temp_db ("demo-incidents.db");
  g_autofree char *path = temp_db ("detected-incidents.db");
  g_autoptr(CdStore) demo_store = cd_store_open (demo_path, NULL);
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(CdStoreDemo) demo = NULL;
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(GPtrArray) generated = NULL;
  g_autoptr(GHashTable) modelled = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) in_model = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  CdTicketFilter all = { 0 };
  CdDemoOptions options;
  GHashTableIter iter;
  gpointer key, value;
  guint found = 0;

  cd_demo_options_init (&options);
  options.days = 4;
  options.tickets_per_day = 150;
  options.end = T0 + 4 * 86400;
  demo = cd_store_demo_new (demo_store, &options, G_MAXINT64, TRUE, &error);
  g_assert_no_error (error);
  generated = cd_store_list_tickets (demo_store, &all, 0, &error);
  g_assert_no_error (error);

  routing = cd_routing_new_from_json ("{\"default\":\"city\",\"rules\":[]}", &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_save_routing (store, routing, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < generated->len; i++)
    {
      CdTicket *t = g_ptr_array_index (generated, i);
      g_autoptr(JsonObject) f = json_object_new ();
      g_autoptr(CdTicket) registered = NULL;

      json_object_set_string_member (f, "kind", cd_ticket_kind_to_string (t->kind));
      json_object_set_string_member (f, "category", t->category);
      json_object_set_string_member (f, "district", t->district);
      json_object_set_string_member (f, "street", t->street);
      json_object_set_string_member (f, "building", t->building);
      json_object_set_string_member (f, "phone", "+375291234567");
      registered = cd_store_register (store, f, "olga", "operator", t->created_at, &error);
      g_assert_no_error (error);
      if (t->incident != NULL)
        g_hash_table_add (modelled, t->incident);
      if (registered->incident != NULL)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (members, registered->incident));
          guint m = GPOINTER_TO_UINT (g_hash_table_lookup (in_model, registered->incident));

          g_hash_table_replace (members, g_strdup (registered->incident), GUINT_TO_POINTER (n + 1));
          g_hash_table_replace (in_model, g_strdup (registered->incident),
                                GUINT_TO_POINTER (m + (t->incident != NULL)));
        }
    }

  /* The model planned some, and the detection found them. */
  g_test_message ("%u incidents in the model, %u found", g_hash_table_size (modelled),
                  g_hash_table_size (members));
  g_assert_cmpuint (g_hash_table_size (modelled), >=, 1);
  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint n = GPOINTER_TO_UINT (value);
      guint m = GPOINTER_TO_UINT (g_hash_table_lookup (in_model, key));

      g_test_message ("incident %s: %u tickets, %u of the model's", (const char *) key, n, m);
      if (2 * m > n)
        found++;
    }
  g_assert_cmpuint (found, >=, 1);

  g_clear_pointer (&demo, cd_store_demo_free);
  g_clear_object (&demo_store);
  g_clear_object (&store);
  g_assert_cmpint (g_unlink (demo_path), ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
test_numbers_per_year (void)
{
  g_autofree char *path = temp_db ("numbers.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  static const struct {
    int year;
    const char *expected;
  } cases[] = {
    { 2026, "2026-000001" }, { 2026, "2026-000002" }, { 2027, "2027-000001" }, { 2026,
      "2026-000003" },
  };

  g_assert_true (cd_store_begin (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = cd_store_next_number (store, cases[i].year, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (number, ==, cases[i].expected);
    }
  g_assert_true (cd_store_commit (store, &error));
}

static void
test_triggers (void)
{
  g_autofree char *path = temp_db ("triggers.db");
  g_autoptr(JsonObject) f = fields ("roads", "1");
  static const char * const refused[] = {
    "UPDATE events SET actor = 'mallory' WHERE seq = 1",
    "DELETE FROM events WHERE seq = 1",
    "DELETE FROM events",
  };

  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);
    g_autoptr(CdTicket) t = cd_store_register (store, f, "olga", "operator", T0, NULL);

    g_assert_nonnull (t);
  }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *message = NULL;

      g_assert_cmpint (exec_sql (path, refused[i], &message), ==, SQLITE_CONSTRAINT);
      g_assert_nonnull (strstr (message, "append-only"));
    }

  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);
    g_autoptr(GPtrArray) events = cd_store_list_events (store, NULL, 0, 0, NULL);

    g_assert_cmpuint (events->len, ==, 1);
    g_assert_cmpstr (((CdEvent *) g_ptr_array_index (events, 0))->actor, ==, "olga");
  }
}

static void
test_verify_tampered (void)
{
  g_autofree char *path = temp_db ("tampered.db");
  g_autoptr(GError) error = NULL;
  gint64 checked = 0, bad = 0;

  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);

    /* Five tickets in one street within seconds would be a mass incident
     * (and five more events); the threshold is data. */
    g_assert_true (cd_store_set_meta (store, "mass-incident-street", "6", NULL));
    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *building = g_strdup_printf ("%u", i + 1);
        g_autoptr(JsonObject) f = fields ("noise", building);
        g_autoptr(CdTicket) t = cd_store_register (store, f, "olga", "operator", T0 + i, &error);

        g_assert_no_error (error);
      }
    g_assert_true (cd_store_verify (store, &checked, &bad, &error));
    g_assert_cmpint (checked, ==, 5);
    g_assert_cmpint (bad, ==, 0);
  }

  /* Someone with the file drops the trigger and edits event 3. */
  g_assert_cmpint (
      exec_sql (path,
                "DROP TRIGGER events_no_update;"
                "UPDATE events SET payload = replace (payload, 'noise', 'roads') WHERE seq = 3",
                NULL),
      ==, SQLITE_OK);
  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);

    g_assert_false (cd_store_verify (store, &checked, &bad, &error));
    g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
    g_assert_cmpint (bad, ==, 3);
    g_assert_cmpint (checked, ==, 2);
    g_clear_error (&error);
  }

  /* Removing an event is found too. */
  g_assert_cmpint (exec_sql (path,
                             "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2",
                             NULL),
                   ==, SQLITE_OK);
  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);

    g_assert_false (cd_store_verify (store, &checked, &bad, &error));
    g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_SEQUENCE);
    g_assert_cmpint (bad, ==, 3);
  }
}

static void
test_import (void)
{
  g_autofree char *server_path = temp_db ("server.db");
  g_autofree char *client_path = temp_db ("client.db");
  g_autoptr(CdStore) server = cd_store_open (server_path, NULL);
  g_autoptr(CdStore) client = cd_store_open (client_path, NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) a = NULL;
  g_autoptr(CdTicket) b = NULL;
  g_autoptr(JsonObject) f = fields ("housing.power", "3");
  g_autoptr(JsonObject) executor = json_object_new ();
  CdJournalHead cursor;

  json_object_set_string_member (executor, "executor", "energo");
  a = cd_store_register (server, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&a, cd_ticket_unref);
  a = cd_store_act (server, "2026-000001", "assign", "olga", "operator", executor, T0 + 5, &error);
  g_assert_no_error (error);

  /* The client follows the feed and projects with the same code. */
  events = cd_store_list_events (server, NULL, 0, 0, &error);
  g_assert_true (cd_store_begin (client, &error));
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonObject) wire = cd_event_to_json (g_ptr_array_index (events, i));
      g_autoptr(CdEvent) e = cd_event_new_from_json (wire, &error);

      g_assert_no_error (error);
      g_assert_true (cd_store_import (client, e, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cd_store_commit (client, &error));

  b = cd_store_load_ticket (client, "2026-000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->executor, ==, "energo");
  g_assert_cmpint (b->state, ==, a->state);
  g_assert_cmpint (b->last_seq, ==, a->last_seq);
  g_assert_true (cd_store_verify (client, NULL, NULL, &error));

  /* An event out of order is refused. */
  g_assert_true (cd_store_begin (client, &error));
  g_assert_false (cd_store_import (client, g_ptr_array_index (events, 0), &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_SEQUENCE);
  cd_store_rollback (client);

  /* The cursor and the outbox. */
  cursor.seq = 2;
  g_strlcpy (cursor.hash, ((CdEvent *) g_ptr_array_index (events, 1))->hash, sizeof cursor.hash);
  g_clear_error (&error);
  g_assert_true (cd_store_set_sync_cursor (client, "https://city.example", &cursor, T0, &error));
  memset (&cursor, 0, sizeof cursor);
  g_assert_true (cd_store_get_sync_cursor (client, "https://city.example", &cursor, &error));
  g_assert_cmpint (cursor.seq, ==, 2);
  g_assert_cmpstr (cursor.hash, ==, ((CdEvent *) g_ptr_array_index (events, 1))->hash);

  {
    g_autoptr(GPtrArray) pending = NULL;
    gint64 id = cd_store_outbox_push (client, "key-1", b->id, CD_ACTION_ACCEPT, NULL, T0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (cd_store_outbox_push (client, "key-1", b->id, CD_ACTION_ACCEPT, NULL, T0,
                                           &error), ==, 0);
    g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
    g_clear_error (&error);
    pending = cd_store_outbox_list_pending (client, &error);
    g_assert_cmpuint (pending->len, ==, 1);
    g_assert_true (cd_store_outbox_finish (client, id, NULL, &error));
    g_clear_pointer (&pending, g_ptr_array_unref);
    pending = cd_store_outbox_list_pending (client, &error);
    g_assert_cmpuint (pending->len, ==, 0);
  }
}

/* RFC 9562 version 7: the milliseconds first, so that ids sort by time. */
static void
test_ticket_ids (void)
{
  char a[37], b[37], c[37];
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_db ("ids.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(JsonObject) f = fields ("roads", "2");

  cd_ticket_format_id (G_GINT64_CONSTANT (0x0123456789ab), 0xfff, G_MAXUINT64, a);
  g_assert_cmpstr (a, ==, "01234567-89ab-7fff-bfff-ffffffffffff");
  cd_ticket_format_id (1767254400000, 0, 0, b);
  cd_ticket_format_id (1767254400001, 0, 0, c);
  g_assert_cmpstr (b, ==, "019b7892-1c00-7000-8000-000000000000");
  g_assert_cmpint (strcmp (b, c), <, 0);
  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_true (g_uuid_string_is_valid (b));

  /* The store's own: a valid UUID of version 7, from the clock of now. */
  t = cd_store_register (store, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (t->id));
  g_assert_cmpint (t->id[14], ==, '7');
  g_assert_true (strchr ("89ab", t->id[19]) != NULL);
}

/* The first column of the first row of @sql, as text, or %NULL. */
static char *
stored_history (const char *path,
                const char *number)
{
  g_autofree char *sql = g_strdup_printf ("SELECT sla_history FROM tickets WHERE number = '%s'",
                                          number);

  return cd_test_sql_text (path, sql);
}

/* A ticket read back to be changed carries the history its clocks are
 * judged on; it must be what a replay of its events gives, whatever is in
 * the column. */
static void
test_history_column (void)
{
  g_autofree char *path = temp_db ("history.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(CdTicket) replayed = NULL;
  g_autoptr(CdTicket) reread = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) f = fields ("housing.lifts", "9");
  g_autoptr(JsonObject) extension = json_object_new ();
  g_autoptr(JsonObject) note = json_object_new ();
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  static const struct { const char *action, *role; } steps[] = {
    { "accept", "executor" }, { "start", "executor" }, { "wait", "executor" },
    { "resume", "executor" }, { "extend", "supervisor" }, { "resolve", "executor" },
  };

  g_assert_nonnull (store);
  g_assert_cmpint (exec_sql (path,
                             "INSERT INTO users (name, role, org, created_at) "
                             "VALUES ('ivan', 'executor', 'zhes-1', 0)",
                             NULL),
                   ==, SQLITE_OK);
  json_object_set_string_member (f, "executor", "zhes-1");
  t = cd_store_register (store, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t->policy);

  /* One transaction per action: each loads the ticket from its row. */
  json_object_set_string_member (extension, "target", "repair");
  json_object_set_int_member (extension, "seconds", 7200);
  json_object_set_string_member (extension, "note", "parts; ordered");
  json_object_set_string_member (note, "note", "x");
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(CdTicket) acted = NULL;
      const char *actor = g_str_equal (steps[i].role, "executor") ? "ivan" : "sveta";

      acted = cd_store_act (store, t->number, steps[i].action, actor, steps[i].role,
                            g_str_equal (steps[i].action, "extend") ? extension : note,
                            T0 + 600 * (i + 1), &error);
      g_assert_no_error (error);
      g_assert_nonnull (acted);
    }

  events = cd_store_list_events (store, t->id, 0, 0, &error);
  g_assert_no_error (error);
  replayed = cd_ticket_new_from_events ((CdEvent * const *) events->pdata, events->len, &error);
  g_assert_no_error (error);
  expected = cd_ticket_dup_history_text (replayed);
  text = stored_history (path, t->number);
  g_assert_cmpstr (text, ==, expected);
  g_assert_nonnull (strstr (text, "extend 600 in_progress repair 7200 0"));

  /* The text reads back to the same history. */
  reread = cd_ticket_new_summary ();
  g_assert_true (cd_ticket_set_history_text (reread, text));
  g_assert_cmpuint (reread->history->len, ==, replayed->history->len);
  for (guint i = 0; i < reread->history->len; i++)
    {
      CdSlaEvent *a = &g_array_index (reread->history, CdSlaEvent, i);
      CdSlaEvent *b = &g_array_index (replayed->history, CdSlaEvent, i);

      g_assert_cmpstr (a->type, ==, b->type);
      g_assert_cmpint (a->time, ==, b->time);
      g_assert_cmpstr (a->state, ==, b->state);
      g_assert_cmpstr (a->target, ==, b->target);
      g_assert_cmpint (a->extend_seconds, ==, b->extend_seconds);
      g_assert_cmpuint (a->extend_days, ==, b->extend_days);
    }
  /* Text that is not a history changes nothing. */
  g_assert_false (cd_ticket_set_history_text (reread, "register 1 nowhere"));
  g_assert_false (cd_ticket_set_history_text (reread, "fly 1 registered"));
  g_assert_false (cd_ticket_set_history_text (reread, "register x registered"));
  g_assert_false (cd_ticket_set_history_text (reread, "extend 1 assigned"));
  g_assert_false (cd_ticket_set_history_text (reread, ""));
  g_assert_cmpuint (reread->history->len, ==, replayed->history->len);

  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A damaged column is replayed from the events at the next change, and
   * rewritten right. */
  {
    g_autofree char *sql =
        g_strdup_printf ("UPDATE tickets SET sla_history = 'garbage' WHERE id = '%s'", t->id);
    g_autoptr(CdTicket) acted = NULL;
    g_autofree char *after = NULL;

    g_clear_object (&store);
    g_assert_cmpint (exec_sql (path, sql, NULL), ==, SQLITE_OK);
    store = cd_store_open (path, &error);
    g_assert_no_error (error);
    acted = cd_store_act (store, t->number, "comment", "olga", "operator", note, T0 + 9000, &error);
    g_assert_no_error (error);
    after = stored_history (path, t->number);
    g_assert_true (g_str_has_prefix (after, expected));
    g_assert_true (g_str_has_suffix (after, ";comment 5400 resolved"));
    g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  /* A history that parses but is not what the events say is named. */
  {
    g_autofree char
        *sql = g_strdup_printf ("UPDATE tickets SET sla_history = 'register 1 registered' "
                                "WHERE id = '%s'",
                                t->id);
    g_autofree char *bad = NULL;

    g_assert_cmpint (exec_sql (path, sql, NULL), ==, SQLITE_OK);
    g_assert_false (cd_store_verify_projection (store, NULL, &bad, &error));
    g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "sla_history"));
    g_assert_cmpstr (bad, ==, t->number);
  }
}

static int
count_indexes (const char *path)
{
  g_autofree char *n = cd_test_sql_text (path,
                                         "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                         "AND sql IS NOT NULL AND tbl_name = 'tickets'");

  return atoi (n);
}

/* A bulk load into an empty store builds the indexes once at its end; one
 * that dies before gets them back at the next open. */
static void
test_bulk_indexes (void)
{
  g_autofree char *path = temp_db ("bulk.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(JsonObject) f = fields ("roads", "1");
  int all = count_indexes (path);

  g_assert_cmpint (all, >=, 10);
  g_assert_true (cd_store_set_bulk (store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_indexes (path), ==, 0);
  t = cd_store_register (store, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  /* The dashboards' queries still answer, from the table. */
  {
    g_autoptr(JsonObject) counts = cd_store_count_by_executor (store, T0, &error);
    CdTicketFilter query = { .open_only = TRUE };
    g_autoptr(GPtrArray) open = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (counts);
    open = cd_store_list_tickets (store, &query, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 1);
  }
  g_assert_true (cd_store_set_bulk (store, FALSE, &error));
  g_assert_cmpint (count_indexes (path), ==, all);
  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));

  /* Bulk mode on a store that holds tickets keeps its indexes. */
  g_assert_true (cd_store_set_bulk (store, TRUE, &error));
  g_assert_cmpint (count_indexes (path), ==, all);
  g_assert_true (cd_store_set_bulk (store, FALSE, &error));

  /* A load that never leaves bulk mode (the process died). */
  g_clear_object (&store);
  g_unlink (path);
  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_bulk (store, TRUE, &error));
  g_clear_pointer (&t, cd_ticket_unref);
  t = cd_store_register (store, f, "olga", "operator", T0, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (count_indexes (path), ==, 0);
  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_indexes (path), ==, all);
  g_assert_true (cd_store_verify_projection (store, NULL, NULL, &error));
  g_assert_no_error (error);
}


static char *
projection_dump (const char *path)
{
  return cd_test_sql_text (
      path,
      "SELECT group_concat (row, char (10)) FROM (SELECT json_array (id, number, state, open, "
      "executor, due_at, at_risk_at, breached, clocks, sla_history, reopen_count, escalations, "
      "extensions, last_seq, updated_at, assigned_at, accepted_at, resolved_at, closed_at, "
      "resume_state, incident, repeat_of, duplicate_of, notice) AS row FROM tickets ORDER BY id)");
}

static void
write_one (CdStore       *store,
           CdProjector   *projector,
           CdImportBatch *batch)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_write_batch (store, batch, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  cd_projector_written (projector, batch);
}

/* The desktop's import in two stages (a projector a batch or two ahead of
 * the writer) leaves the cache cd_store_import() leaves, and refuses what
 * it refuses. */
static void
test_two_stage_import (void)
{
  g_autofree char *server_path = temp_db ("two-stage-server.db");
  g_autofree char *one_path = temp_db ("two-stage-one.db");
  g_autofree char *two_path = temp_db ("two-stage-two.db");
  g_autofree char *three_path = temp_db ("two-stage-three.db");
  g_autoptr(CdStore) server = cd_store_open (server_path, NULL);
  g_autoptr(CdStore) one = cd_store_open (one_path, NULL);
  g_autoptr(CdStore) two = cd_store_open (two_path, NULL);
  g_autoptr(CdStore) three = cd_store_open (three_path, NULL);
  g_autoptr(CdProjector) projector = NULL;
  g_autoptr(CdProjector) projector3 = NULL;
  g_autoptr(CdStoreDemo) demo = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GQueue) waiting = g_queue_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_one = NULL;
  g_autofree char *dump_two = NULL;
  g_autofree char *dump_at_3000 = NULL;
  CdEvent * const *ev;
  CdDemoOptions options;

  cd_demo_options_init (&options);
  options.days = 20;
  options.tickets_per_day = 120;
  options.end = T0 + 20 * 86400;
  demo = cd_store_demo_new (server, &options, G_MAXINT64, TRUE, &error);
  g_assert_no_error (error);
  events = cd_store_list_events (server, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 5000);
  ev = (CdEvent * const *) events->pdata;

  g_assert_true (cd_store_begin (one, &error));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_true (cd_store_import (one, ev[i], &error));
      g_assert_no_error (error);
      if (i % 1000 == 999)
        {
          g_assert_true (cd_store_commit (one, &error));
          g_assert_true (cd_store_begin (one, &error));
        }
      if (i == 2999)
        dump_at_3000 = projection_dump (one_path);
    }
  g_assert_true (cd_store_commit (one, &error));

  /* Two batches projected ahead of the writer, as the sync does it; in
   * bulk mode, indexes set aside. */
  projector = cd_projector_new (two_path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_bulk (two, TRUE, &error));
  for (guint i = 0; i < events->len; i += 1000)
    {
      CdImportBatch *batch = cd_projector_project (projector, ev + i, MIN (1000, events->len - i),
                                                   &error);

      g_assert_no_error (error);
      g_assert_nonnull (batch);
      g_queue_push_tail (waiting, batch);
      if (waiting->length > 2)
        {
          g_autoptr(CdImportBatch) first = g_queue_pop_head (waiting);

          write_one (two, projector, first);
          /* Written while the tickets' later events were already applied
           * ahead: the rows are as of the batch's own last event. */
          if (cd_import_batch_get_last_seq (first) == 3000)
            {
              g_autofree char *dump = projection_dump (two_path);

              g_assert_cmpstr (dump, ==, dump_at_3000);
            }
        }
    }
  while (!g_queue_is_empty (waiting))
    {
      g_autoptr(CdImportBatch) first = g_queue_pop_head (waiting);

      write_one (two, projector, first);
    }
  g_assert_true (cd_store_set_bulk (two, FALSE, &error));

  dump_one = projection_dump (one_path);
  dump_two = projection_dump (two_path);
  g_assert_nonnull (dump_one);
  g_assert_cmpstr (dump_two, ==, dump_one);
  g_assert_cmpint (cd_store_get_last_seq (two, NULL), ==, events->len);
  g_assert_true (cd_store_verify (two, NULL, NULL, &error));
  g_assert_no_error (error);

  /* An edited event in a batch: the batch is refused, nothing of it is
   * written, and the next one starts again from what was. */
  projector3 = cd_projector_new (three_path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CdImportBatch) first = cd_projector_project (projector3, ev, 100, &error);
    g_autoptr(CdImportBatch) second = NULL;
    g_autoptr(CdImportBatch) again = NULL;
    g_autoptr(GPtrArray) edited = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
    CdEvent *bad;

    g_assert_no_error (error);
    for (guint i = 100; i < 200; i++)
      g_ptr_array_add (edited, cd_event_ref (ev[i]));
    bad = cd_event_new_stored (ev[150]->seq, ev[150]->entity, ev[150]->type, "someone else",
                               ev[150]->role, ev[150]->time, ev[150]->payload, ev[150]->hash);
    cd_event_unref (g_ptr_array_index (edited, 50));
    g_ptr_array_index (edited, 50) = bad;

    second = cd_projector_project (projector3, (CdEvent * const *) edited->pdata, edited->len,
                                   &error);
    g_assert_null (second);
    g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
    g_clear_error (&error);

    /* A batch written out of order is refused too. */
    again = cd_projector_project (projector3, ev, 100, &error);
    g_assert_no_error (error);
    write_one (three, projector3, first);
    g_assert_true (cd_store_begin (three, &error));
    g_assert_false (cd_store_write_batch (three, again, &error));
    g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_SEQUENCE);
    g_clear_error (&error);
    cd_store_rollback (three);
    cd_projector_invalidate (projector3);

    g_clear_pointer (&second, cd_import_batch_free);
    second = cd_projector_project (projector3, ev + 100, 100, &error);
    g_assert_no_error (error);
    write_one (three, projector3, second);
    g_assert_cmpint (cd_store_get_last_seq (three, NULL), ==, 200);
    g_assert_true (cd_store_verify (three, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_queries (void)
{
  g_autofree char *path = temp_db ("queries.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = NULL;
  static const struct {
    CdTicketFilter query;
    guint expected;
  } cases[] = {
    { { .now = T0 + 3600 }, 4 },
    { { .state = "assigned", .now = T0 + 3600 }, 3 },
    { { .executor = "zhes-1", .now = T0 + 3600 }, 2 },
    { { .tile = CD_OVERDUE_TILE_BREACHED, .open_only = TRUE, .now = T0 + 3600 }, 2 },
    { { .tile = CD_OVERDUE_TILE_BREACHED, .open_only = TRUE, .now = T0 + 1800 }, 0 },
    { { .tile = CD_OVERDUE_TILE_STALE, .open_only = TRUE, .now = T0 + 3600 }, 0 },
    { { .tile = CD_OVERDUE_TILE_STALE, .open_only = TRUE, .now = T0 + 5 * 3600 }, 2 },
    { { .unacknowledged = TRUE, .now = T0 + 3600 }, 2 },
    { { .open_only = TRUE, .now = T0 + 3600 }, 3 },
  };

  /* Two heating tickets at zhes-1 (the SLA engine gives them 30 minutes
   * to be accepted: overdue after that), roads at city (10 days), one
   * cancelled. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonObject) f = fields (i < 2 ? "housing.heating" : "roads", i == 0 ? "1" : "2");
      g_autoptr(CdTicket) t = NULL;

      json_object_set_string_member (f, "executor", i < 2 ? "zhes-1" : "city");
      t = cd_store_register (store, f, "olga", "operator", T0, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(JsonObject) note = json_object_new ();
    g_autoptr(CdTicket) t = NULL;

    json_object_set_string_member (note, "note", "duplicate");
    t = cd_store_act (store, "2026-000004", "cancel", "olga", "supervisor", note, T0 + 60, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) tickets = cd_store_list_tickets (store, &cases[i].query, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tickets->len, ==, cases[i].expected);
      /* SQL and the pure checks agree. */
      for (guint k = 0; k < tickets->len; k++)
        {
          CdTicket *t = g_ptr_array_index (tickets, k);

          if (cases[i].query.tile == CD_OVERDUE_TILE_STALE)
            g_assert_true (cd_monitor_is_stale (t, cases[i].query.now));
          if (cases[i].query.tile == CD_OVERDUE_TILE_BREACHED)
            g_assert_true (cd_monitor_is_overdue (t, cases[i].query.now));
          if (cases[i].query.unacknowledged)
            g_assert_true (cd_monitor_is_unacknowledged (t, cases[i].query.now));
        }
    }

  stats = cd_store_get_stats (store, T0 + 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (stats, "total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (stats, "overdue"), ==, 2);
  /* Judged: the two overdue heating tickets; none on time. */
  g_assert_cmpfloat (json_object_get_double_member (stats, "on_time_rate"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "by_state"),
                                               "cancelled"),
                   ==, 1);
  g_assert_cmpint (json_object_get_int_member (
                       json_object_get_object_member (json_object_get_object_member (stats,
                                                                                     "by_executor"),
                                                      "zhes-1"),
                       "open"),
                   ==, 2);

  /* The totals kept by triggers follow a reassignment, and agree with a
   * count over the table. */
  {
    g_autoptr(JsonObject) assign = json_object_new ();
    g_autoptr(CdTicket) t = NULL;
    g_autoptr(JsonObject) counts = NULL;
    JsonObject *zhes, *city;

    json_object_set_string_member (assign, "executor", "zhes-1");
    t = cd_store_act (store, "2026-000003", "assign", "olga", "supervisor", assign, T0 + 120,
                      &error);
    g_assert_no_error (error);
    counts = cd_store_count_by_executor (store, T0 + 3600, &error);
    g_assert_no_error (error);
    zhes = json_object_get_object_member (counts, "zhes-1");
    city = json_object_get_object_member (counts, "city");
    g_assert_cmpint (json_object_get_int_member (zhes, "total"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (zhes, "open"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (zhes, "overdue"), ==, 2);
    /* The cancelled roads ticket stays with city, closed. */
    g_assert_cmpint (json_object_get_int_member (city, "total"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (city, "open"), ==, 0);
  }
}

/* The writer child: BATCH events per transaction, forever. */
static int
run_writer (const char *path,
            guint       batch)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = cd_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  for (guint n = 0;; n++)
    {
      if (!cd_store_begin (store, &error))
        g_error ("%s", error->message);
      for (guint i = 0; i < batch; i++)
        {
          g_autoptr(CdTicket) t = cd_ticket_new ();
          g_autoptr(JsonObject) f = fields ("roads", "1");
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *number = cd_store_next_number (store, 2026, &error);
          g_autoptr(CdEvent) e = NULL;

          json_object_set_string_member (f, "number", number);
          e = cd_event_new (id, "register", "writer", "operator", T0 + n, f);
          if (!cd_store_append (store, t, e, &error))
            g_error ("%s", error->message);
        }
      if (!cd_store_commit (store, &error))
        g_error ("%s", error->message);
      printf ("%" G_GINT64_FORMAT "\n", cd_store_get_last_seq (store, NULL));
      fflush (stdout);
    }
  return 0;
}

static void
test_crash (void)
{
  g_autofree char *path = temp_db ("crash.db");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  const guint batch = 7;
  gint64 reported = 0, checked = 0, bad = 0, last;
  CdTicketFilter all = { 0 };
  char *line;
  guint commits = 0;

  g_assert_nonnull (self);
  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             self, "--writer", path, "7", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));

  /* Let it commit a few dozen times, then kill it mid-burst. */
  while (commits < 40 && (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    {
      reported = g_ascii_strtoll (line, NULL, 10);
      commits++;
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_send_signal (writer, SIGKILL);
  /* Commits it reported before dying still count. */
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      reported = g_ascii_strtoll (line, NULL, 10);
      g_free (line);
    }
  g_subprocess_wait (writer, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (writer));
  g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);

  {
    g_autoptr(CdStore) store = cd_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (cd_store_verify (store, &checked, &bad, &error));
    g_assert_no_error (error);
    last = cd_store_get_last_seq (store, NULL);
    g_test_message ("reported %" G_GINT64_FORMAT ", found %" G_GINT64_FORMAT, reported, last);

    /* Every reported commit is there; at most the one commit in flight
     * when the signal came (done, not yet reported) is there too; never
     * part of a transaction. */
    g_assert_cmpint (last, >=, reported);
    g_assert_cmpint (last, <=, reported + batch);
    g_assert_cmpint (last % batch, ==, 0);
    g_assert_cmpint (checked, ==, last);

    /* The projection holds exactly the committed events. */
    tickets = cd_store_list_tickets (store, &all, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tickets->len, ==, last);
  }
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/journal/known-vector", test_known_vector);
  g_test_add_func ("/journal/personal-vector", test_personal_vector);
  g_test_add_func ("/journal/personal-split", test_personal_split);
  g_test_add_func ("/journal/format1-masked", test_format1_masked);
  g_test_add_func ("/journal/staff-events-for-reader", test_staff_events_for_reader);
  g_test_add_func ("/journal/chain-check", test_chain_check);
  g_test_add_func ("/journal/register-and-act", test_register_and_act);
  g_test_add_func ("/journal/numbers-per-year", test_numbers_per_year);
  g_test_add_func ("/journal/triggers", test_triggers);
  g_test_add_func ("/journal/verify-tampered", test_verify_tampered);
  g_test_add_func ("/journal/import", test_import);
  g_test_add_func ("/journal/queries", test_queries);
  g_test_add_func ("/journal/ticket-ids", test_ticket_ids);
  g_test_add_func ("/journal/stale-executor-side", test_stale_executor_side);
  g_test_add_func ("/journal/resolved-not-overdue", test_resolved_not_overdue);
  g_test_add_func ("/journal/demo-mass-incidents", test_demo_mass_incidents);
  g_test_add_func ("/journal/history-column", test_history_column);
  g_test_add_func ("/journal/bulk-indexes", test_bulk_indexes);
  g_test_add_func ("/journal/two-stage-import", test_two_stage_import);
  g_test_add_func ("/journal/crash", test_crash);

  return g_test_run ();
}
