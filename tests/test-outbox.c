// SPDX-License-Identifier: GPL-3.0-or-later
//
// The desktop's outbox in a real SQLite file: typed entries that survive
// closing the cache, the action in its own column and never in the body,
// the request the sender makes of them, refusals kept after they are read.

#include "config.h"

#include <sqlite3.h>

#include "cd-outbox-sender.h"
#include "cd-store-outbox.h"
#include "cd-test.h"
#include "cd-test-sql.h"

#define T0 1767261600 /* 2026-01-01 10:00 UTC */

static JsonObject *
object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_node_dup_object (node);
}

static char *
cache_path (void)
{
  return g_build_filename (g_get_tmp_dir (), "cache.db", NULL);
}

static void
test_typed_entries (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (path, &error);
  g_autoptr(JsonObject) registration = object ("{\"kind\":\"routine\","
                                               "\"description\":\"No heating\"}");
  g_autoptr(JsonObject) comment = object ("{\"action\":\"escalate\",\"note\":\"twice\"}");
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(CdOutboxEntry) next = NULL;
  g_autofree char *stored_body = NULL;
  g_autofree char *stored_action = NULL;
  g_autofree char *register_request = NULL;
  g_autofree char *comment_request = NULL;
  CdOutboxEntry *entry;
  gint64 first, second;

  g_assert_no_error (error);
  first = cd_store_outbox_push (cache, "key-1", NULL, CD_ACTION_REGISTER, registration, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);
  /* An `action` member in the fields is not the action: the argument is. */
  second = cd_store_outbox_push (cache, "key-2", "2026-000001", CD_ACTION_COMMENT, comment,
                                 T0 + 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);

  /* The same key twice would let the server act twice. */
  g_assert_cmpint (cd_store_outbox_push (cache, "key-2", "2026-000001", CD_ACTION_COMMENT, NULL,
                                         T0, &error), ==, 0);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&cache);

  /* In the file: the action in its column, the body without it. */
  stored_action = cd_test_sql_text (path,
                                    "SELECT action FROM outbox WHERE idempotency_key = 'key-2'");
  stored_body = cd_test_sql_text (path, "SELECT body FROM outbox WHERE idempotency_key = 'key-2'");
  g_assert_cmpstr (stored_action, ==, "comment");
  g_assert_null (strstr (stored_body, "action"));
  g_assert_nonnull (strstr (stored_body, "twice"));

  /* Read back after the cache was closed. */
  cache = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_outbox_count_pending (cache, &error), ==, 2);
  pending = cd_store_outbox_list_pending (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 2);

  entry = g_ptr_array_index (pending, 0);
  g_assert_cmpint (entry->id, ==, first);
  g_assert_cmpstr (entry->idempotency_key, ==, "key-1");
  g_assert_null (entry->ticket);
  g_assert_cmpint (entry->action, ==, CD_ACTION_REGISTER);
  g_assert_cmpstr (json_object_get_string_member (entry->fields, "kind"), ==, "routine");
  g_assert_cmpint (entry->created_at, ==, T0);
  g_assert_cmpint (entry->status, ==, CD_OUTBOX_STATUS_PENDING);
  g_assert_null (entry->error);
  /* A registration is posted with its fields as they are. */
  register_request = cd_outbox_entry_to_request (entry);
  g_assert_null (strstr (register_request, "\"action\""));
  g_assert_nonnull (strstr (register_request, "\"kind\":\"routine\""));

  entry = g_ptr_array_index (pending, 1);
  g_assert_cmpint (entry->id, ==, second);
  g_assert_cmpstr (entry->ticket, ==, "2026-000001");
  g_assert_cmpint (entry->action, ==, CD_ACTION_COMMENT);
  g_assert_false (json_object_has_member (entry->fields, "action"));
  g_assert_cmpstr (json_object_get_string_member (entry->fields, "note"), ==, "twice");
  /* An action is posted as docs/api.md has it: with its `action`. */
  comment_request = cd_outbox_entry_to_request (entry);
  g_assert_cmpstr (comment_request, ==, "{\"action\":\"comment\",\"note\":\"twice\"}");

  next = cd_store_outbox_next_pending (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->id, ==, first);

  /* Answered: one sent, one refused with the server's reason. */
  g_assert_true (cd_store_outbox_finish (cache, first, NULL, &error));
  g_assert_true (cd_store_outbox_finish (cache, second, "Refused by the rule", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_outbox_count_pending (cache, &error), ==, 0);
  g_clear_pointer (&next, cd_outbox_entry_free);
  next = cd_store_outbox_next_pending (cache, &error);
  g_assert_no_error (error);
  g_assert_null (next);

  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = cd_store_outbox_list_refused (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  entry = g_ptr_array_index (pending, 0);
  g_assert_cmpint (entry->id, ==, second);
  g_assert_cmpint (entry->status, ==, CD_OUTBOX_STATUS_REFUSED);
  g_assert_cmpstr (entry->error, ==, "Refused by the rule");

  /* Read, it stops showing, and the row stays. */
  g_assert_true (cd_store_outbox_acknowledge (cache, second, &error));
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = cd_store_outbox_list_refused (cache, &error);
  g_assert_cmpuint (pending->len, ==, 0);
  g_clear_pointer (&next, cd_outbox_entry_free);
  next = cd_store_outbox_get (cache, second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->status, ==, CD_OUTBOX_STATUS_ACKNOWLEDGED);
  g_assert_cmpstr (next->error, ==, "Refused by the rule");
  g_clear_pointer (&next, cd_outbox_entry_free);
  next = cd_store_outbox_get (cache, first, &error);
  g_assert_cmpint (next->status, ==, CD_OUTBOX_STATUS_SENT);
  g_clear_pointer (&next, cd_outbox_entry_free);

  g_assert_null (cd_store_outbox_get (cache, second + 100, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&cache);
  g_remove (path);
}

/* A cache written before the action had its own column kept the request
 * itself as the body: read, it is the same entry as a new one. */
static void
test_older_rows (void)
{
  g_autofree char *path = cache_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (path, &error);
  g_autoptr(CdOutboxEntry) entry = NULL;
  g_autofree char *request = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO outbox (idempotency_key, entity, action, body, "
                                 "created_at) VALUES ('old-key', '2026-000007', 'cancel', "
                                 "'{\"action\":\"cancel\",\"note\":\"duplicate call\"}', "
                                 "1767261600)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  entry = cd_store_outbox_next_pending (cache, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->action, ==, CD_ACTION_CANCEL);
  g_assert_cmpstr (entry->idempotency_key, ==, "old-key");
  g_assert_false (json_object_has_member (entry->fields, "action"));
  request = cd_outbox_entry_to_request (entry);
  g_assert_cmpstr (request, ==, "{\"action\":\"cancel\",\"note\":\"duplicate call\"}");

  g_clear_object (&cache);
  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/outbox/typed-entries", test_typed_entries);
  g_test_add_func ("/outbox/older-rows", test_older_rows);

  return g_test_run ();
}
