// SPDX-License-Identifier: GPL-3.0-or-later
//
// Applying events to the projection in the store (cd_store_append: the
// transition table, the hash chain, the event row, the SLA clocks and the
// ticket row, in bulk mode, the indexes built at its end), against the
// ceiling of raw SQLite inserts of the same rows with the same schema and
// the same index build, measured in the same run (best of two rounds). Run with
// `meson test -C _build --benchmark --verbose journal` or directly:
// bench-journal [TICKETS] (300 in the small mode, cd-bench.h).

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cd-store.h"
#include "cd-bench.h"

#define T0 1767254400
#define BATCH 50000

static const char * const steps[][2] = {
  { "register", "operator" },
  { "assign", "operator" },
  { "accept", "executor" },
  { "start", "executor" },
  { "resolve", "executor" },
  { "close", "feedback" },
};

static const char * const categories[] = {
  "housing.heating", "housing.hot_water", "housing.cold_water", "housing.sewerage",
  "housing.lifts", "roads", "transport", "street_trade", "noise",
};

static GPtrArray *
make_events (guint n_tickets)
{
  g_autoptr(GError) error = NULL;
  /* Each ticket names its SLA policy, so that the store judges its clocks
   * at every commit, as for real tickets. */
  g_autoptr(CdSlaLibrary) sla = cd_sla_library_new_from_dir (cd_sla_library_default_dir (), &error);
  GPtrArray *events = g_ptr_array_new_full (n_tickets * G_N_ELEMENTS (steps),
                                            (GDestroyNotify) cd_event_unref);

  g_assert_no_error (error);

  for (guint t = 0; t < n_tickets; t++)
    {
      char id[37];

      /* Ids as the store makes them: time-ordered. */
      cd_ticket_format_id ((T0 + t * 60) * G_GINT64_CONSTANT (1000), g_random_int (),
                           ((guint64) g_random_int () << 32) | g_random_int (), id);

      for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
        {
          g_autoptr(JsonObject) p = json_object_new ();
          gint64 time = T0 + t * 60 + s * 3600;
          CdSlaPolicy *policy;

          if (s == 0)
            {
              g_autofree char *number = g_strdup_printf ("2026-%06u", t + 1);
              g_autofree char *building = g_strdup_printf ("%u", t % 300 + 1);

              json_object_set_string_member (p, "number", number);
              json_object_set_string_member (p, "kind", "routine");
              json_object_set_string_member (p, "category",
                                             categories[t % G_N_ELEMENTS (categories)]);
              json_object_set_string_member (p, "district", "Central");
              json_object_set_string_member (p, "street", "Lenin St");
              json_object_set_string_member (p, "building", building);
              json_object_set_string_member (p, "phone", "+375291234567");
              policy = cd_sla_library_choose (sla, "routine",
                                              categories[t % G_N_ELEMENTS (categories)], "phone");
              if (policy != NULL)
                json_object_set_string_member (p, "policy", cd_sla_policy_get_id (policy));
            }
          else if (s == 1)
            json_object_set_string_member (p, "executor", "zhes-1");
          if (g_str_equal (steps[s][1], "executor"))
            json_object_set_string_member (p, "org", "zhes-1");
          g_ptr_array_add (events, cd_event_new (id, steps[s][0], "bench", steps[s][1], time, p));
        }
    }
  return events;
}

static double
run_store (const char *path,
           GPtrArray  *events,
           guint       n_tickets,
           GPtrArray **tickets_out)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  gint64 start;

  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_set_bulk (store, TRUE, &error));
  for (guint t = 0; t < n_tickets; t++)
    g_ptr_array_add (tickets, cd_ticket_new ());

  start = g_get_monotonic_time ();
  for (guint i = 0; i < events->len; i++)
    {
      if (i % BATCH == 0)
        g_assert_true (cd_store_begin (store, &error));
      if (!cd_store_append (store, g_ptr_array_index (tickets, i / G_N_ELEMENTS (steps)),
                            g_ptr_array_index (events, i), &error))
        g_error ("%s", error->message);
      if (i % BATCH == BATCH - 1 || i == events->len - 1)
        g_assert_true (cd_store_commit (store, &error));
    }
  g_assert_true (cd_store_set_bulk (store, FALSE, &error));
  *tickets_out = g_steal_pointer (&tickets);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The same rows, through bare prepared INSERTs into the same schema. */
static double
run_raw (const char *path,
         GPtrArray  *events,
         GPtrArray  *tickets)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *ev = NULL, *tk = NULL;
  gint64 start;

  /* The same schema, with the indexes set aside as the store's bulk mode
   * does; they are built again, inside the timing, at the end. */
  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);

    g_assert_nonnull (store);
    g_assert_true (cd_store_set_bulk (store, TRUE, NULL));
  }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (
      db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
      NULL, NULL, NULL);
  /* Columns by name: a column added to the schema later must not break the
   * baseline (it did once, with the resident's personal data). */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO events (seq, entity, type, actor, role, "
                                       "time, payload, hash, personal, personal_hash) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                       -1, &ev, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO tickets (id, number, year, kind, category, "
                                       "category_group, district, street, building, "
                                       "resident_phone, executor, state, open, created_at, "
                                       "updated_at, assigned_at, accepted_at, resolved_at, "
                                       "closed_at, due_at, last_seq, policy, at_risk_at, "
                                       "breached, clocks) "
                                       "VALUES (?1, ?2, 2026, 'routine', ?3, 'x', ?4, ?5, ?6, "
                                       "?7, ?8, ?9, 0, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                                       "?18, ?19, ?20, ?21)",
                                       -1, &tk, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *e = g_ptr_array_index (events, i);

      if (i % BATCH == 0)
        sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_bind_int64 (ev, 1, e->seq);
      sqlite3_bind_text (ev, 2, e->entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 3, e->type, -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 4, e->actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 5, e->role, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ev, 6, e->time);
      sqlite3_bind_text (ev, 7, e->payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 8, e->hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 9, e->personal, -1, SQLITE_STATIC);
      sqlite3_bind_text (ev, 10, e->personal_hash, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (ev), ==, SQLITE_DONE);
      sqlite3_reset (ev);

      /* One ticket row per ticket, as the store writes at commit. */
      if (i % G_N_ELEMENTS (steps) == G_N_ELEMENTS (steps) - 1)
        {
          CdTicket *t = g_ptr_array_index (tickets, i / G_N_ELEMENTS (steps));

          sqlite3_bind_text (tk, 1, t->id, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 2, t->number, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 3, t->category, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 4, t->district, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 5, t->street, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 6, t->building, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 7, t->resident_phone, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 8, t->executor, -1, SQLITE_STATIC);
          sqlite3_bind_text (tk, 9, cd_ticket_state_to_string (t->state), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (tk, 10, t->created_at);
          sqlite3_bind_int64 (tk, 11, t->updated_at);
          sqlite3_bind_int64 (tk, 12, t->assigned_at);
          sqlite3_bind_int64 (tk, 13, t->accepted_at);
          sqlite3_bind_int64 (tk, 14, t->resolved_at);
          sqlite3_bind_int64 (tk, 15, t->closed_at);
          sqlite3_bind_int64 (tk, 16, t->due_at);
          sqlite3_bind_int64 (tk, 17, t->last_seq);
          sqlite3_bind_text (tk, 18, t->policy, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (tk, 19, t->at_risk_at);
          sqlite3_bind_int64 (tk, 20, t->breached);
          sqlite3_bind_text (tk, 21, t->clocks, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (tk), ==, SQLITE_DONE);
          sqlite3_reset (tk);
        }
      if (i % BATCH == BATCH - 1 || i == events->len - 1)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }

  sqlite3_finalize (ev);
  sqlite3_finalize (tk);
  sqlite3_close (db);
  {
    g_autoptr(CdStore) store = cd_store_open (path, NULL);

    g_assert_nonnull (store);
  }
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

int
main (int    argc,
      char **argv)
{
  guint n_tickets = cd_bench_small () ? 300 : 60000;
  g_autofree char *dir = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *raw_path = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  double store_s, raw_s, store_rate, raw_rate;

  cd_test_own_tmp_dir ();
  if (argc > 1)
    n_tickets = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  dir = g_dir_make_tmp ("bench-journal-XXXXXX", NULL);
  g_assert_nonnull (dir);
  store_path = g_build_filename (dir, "store.db", NULL);
  raw_path = g_build_filename (dir, "raw.db", NULL);
  /* Best of two rounds, alternating, each into new files: the noise of a
   * shared machine only ever slows a run down, and neither side is the
   * only one to run on a heap the other has already grown. */
  store_s = raw_s = G_MAXDOUBLE;
  for (guint round = 0; round < 2; round++)
    {
      double store_round, raw_round;

      /* New events each round: the store numbers, chains and salts the
       * events it appends, and appends only events it has not seen. */
      g_clear_pointer (&events, g_ptr_array_unref);
      events = make_events (n_tickets);
      g_clear_pointer (&tickets, g_ptr_array_unref);
      remove_db (store_path);
      remove_db (raw_path);
      store_round = run_store (store_path, events, n_tickets, &tickets);
      raw_round = run_raw (raw_path, events, tickets);
      printf ("round %u: store %.0f events/s, raw %.0f events/s\n", round + 1,
              events->len / store_round, events->len / raw_round);
      store_s = MIN (store_s, store_round);
      raw_s = MIN (raw_s, raw_round);
    }

  store_rate = events->len / store_s;
  raw_rate = events->len / raw_s;
  printf ("events: %u (%u tickets, %u events each)\n", events->len, n_tickets,
          (guint) G_N_ELEMENTS (steps));
  printf ("store apply (table + chain + event row + ticket row): %.3f s, %.0f events/s\n", store_s,
          store_rate);
  printf ("raw SQLite inserts of the same rows:                 %.3f s, %.0f events/s\n", raw_s,
          raw_rate);
  printf ("ratio store/raw: %.2f (goal: >= 100000 events/s)\n", store_rate / raw_rate);

  remove_db (store_path);
  remove_db (raw_path);
  g_rmdir (dir);
  return 0;
}
