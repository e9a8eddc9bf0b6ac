// SPDX-License-Identifier: GPL-3.0-or-later
//
// The lazy ticket list over a million tickets written straight into a
// scratch store: the model counts them without building them, and a
// random position is fetched by building one page, never the whole list.

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cd-ticket-list-model.h"

#include "cd-test.h"

#define N_ROWS 1000000

static char *db_path;

static void
fill (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db_path, &error);
  sqlite3 *db = NULL;
  char *message = NULL;
  g_autofree char *sql = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_clear_object (&store);

  /* Every ticket open, due one minute after the one before; numbers in
   * order, so a position names its ticket. */
  sql = g_strdup_printf (
      "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;"
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
      "INSERT INTO tickets (id, number, year, kind, category, category_group, district, "
      "  street, building, resident_phone, executor, state, open, created_at, updated_at, "
      "  due_at, last_seq) "
      "SELECT printf ('id-%%07d', i), printf ('2026-%%07d', i), 2026, 'routine', "
      "  'housing.yards', 'housing', 'Leninsky', 'ul. Lenina', CAST (i %% 200 AS TEXT), "
      "  printf ('+375 29 %%07d', i), printf ('zhes-%%d', i %% 5), 'assigned', 1, "
      "  1790000000 + i, 1790000000 + i, 1790000000 + 60 * i, i + 1 FROM n;"
      "COMMIT;",
      N_ROWS - 1);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
  g_test_message ("wrote %d tickets in %.1f s", N_ROWS, (g_get_monotonic_time () - start) / 1e6);
}

static void
test_million (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db_path, &error);
  g_autoptr(CdTicketListModel) model = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (115);
  CdTicketFilter filter = { .open_only = TRUE, .now = 1790000000 };
  gint64 start;
  guint n_queries;

  g_assert_no_error (error);
  model = cd_ticket_list_model_new (store);
  g_assert_true (cd_ticket_list_model_set_sort (model, CD_TICKET_SORT_NUMBER, FALSE, &error));
  start = g_get_monotonic_time ();
  g_assert_true (cd_ticket_list_model_set_filter (model, &filter, &error));
  g_assert_no_error (error);
  g_test_message ("opened the model over %d tickets in %.0f ms", N_ROWS,
                  (g_get_monotonic_time () - start) / 1e3);

  /* Counted, not built. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  g_assert_cmpuint (cd_ticket_list_model_get_n_built (model), ==, 0);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    {
      guint position = g_rand_int_range (rand, 0, N_ROWS);
      g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (model), position);
      g_autofree char *number = g_strdup_printf ("2026-%07u", position);

      g_assert_cmpstr (cd_ticket_object_get_ticket (object)->number, ==, number);
    }
  g_test_message ("1000 random positions in %.0f ms", (g_get_monotonic_time () - start) / 1e3);
  g_assert_cmpuint (cd_ticket_list_model_get_n_built (model), <=,
                    CD_TICKET_LIST_PAGE_SIZE * CD_TICKET_LIST_MAX_PAGES);

  /* Scrolling through a page asks for it once. */
  n_queries = cd_ticket_list_model_get_n_queries (model);
  for (guint i = 500000; i < 500000 + CD_TICKET_LIST_PAGE_SIZE * 4; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  g_assert_cmpuint (cd_ticket_list_model_get_n_queries (model) - n_queries, <=, 5);

  /* A filter on a million: one executor in five. */
  filter.executor = "zhes-3";
  g_assert_true (cd_ticket_list_model_set_filter (model, &filter, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS / 5);
  g_assert_cmpuint (cd_ticket_list_model_get_total (model), ==, N_ROWS);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int ret;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  dir = g_dir_make_tmp ("overdue-model-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "scratch.db", NULL);
  fill ();

  g_test_add_func ("/overdue-model/million", test_million);
  ret = g_test_run ();
  g_free (db_path);
  return ret;
}
