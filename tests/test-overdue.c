// SPDX-License-Identifier: GPL-3.0-or-later
//
// The overdue dashboard's numbers over a real demo city made by the real
// citydeskctl (CITYDESK_CTL): the tiles and the breakdown against a count
// by hand with the dispatch core's own predicates, `citydeskctl tickets
// --overdue --json` against the store, and the lazy ticket list's filters,
// sorts, search and CSV export.

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-monitor.h"
#include "cd-store-history.h"
#include "cd-store-overdue.h"
#include "cd-ticket-list-model.h"
#include "cd-store-search.h"

#define END "2026-11-20T00:00:00Z"
/* 17:30 in the city: the working day's deadlines (18:00) are at risk. */
#define NOW "2026-11-19T14:30:00Z"

static char *db_path;

static gint64
now_unix (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (NOW, NULL);

  return g_date_time_to_unix (dt);
}

static CdStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  CdStore *store = cd_store_open (db_path, &error);

  g_assert_no_error (error);
  return store;
}

static GPtrArray *
all_tickets (CdStore *store)
{
  g_autoptr(GError) error = NULL;
  CdTicketFilter query = { 0 };
  GPtrArray *tickets = cd_store_list_tickets (store, &query, 0, &error);

  g_assert_no_error (error);
  return tickets;
}

static gboolean
is_breached (const CdTicket *t,
             gint64          now)
{
  return cd_monitor_is_overdue (t, now);
}

/* The tiles, counted one ticket at a time with the core's predicates. */
static void
test_tiles_by_hand (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GPtrArray) tickets = all_tickets (store);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) reopened = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gint64 now = now_unix ();
  gint64 week = cd_overdue_week_start (now);
  gint64 open = 0, breached = 0, at_risk = 0, stale = 0;
  CdOverdueTiles tiles;

  g_assert_true (cd_store_overdue_tiles (store, now, &tiles, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < tickets->len; i++)
    {
      CdTicket *t = g_ptr_array_index (tickets, i);

      if (!cd_ticket_is_open (t))
        continue;
      open++;
      breached += is_breached (t, now);
      stale += cd_monitor_is_stale (t, now);
      if (t->due_at != 0 && t->state != CD_TICKET_STATE_RESOLVED &&
          t->due_at >= now && t->due_at < now + CD_OVERDUE_AT_RISK_WINDOW)
        at_risk++;
    }
  events = cd_store_list_events (store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *e = g_ptr_array_index (events, i);

      if (g_str_equal (e->type, "reopen") && e->time >= week && e->time <= now)
        g_hash_table_add (reopened, e->entity);
    }

  g_test_message ("open %" G_GINT64_FORMAT ", breached %" G_GINT64_FORMAT
                  ", at risk %" G_GINT64_FORMAT ", stale %" G_GINT64_FORMAT ", reopened %u",
                  open, breached, at_risk, stale, g_hash_table_size (reopened));
  /* A demo city of ten days has some of each, or the test proves little. */
  g_assert_cmpint (breached, >, 0);
  g_assert_cmpint (at_risk, >, 0);
  g_assert_cmpint (stale, >, 0);
  g_assert_cmpuint (g_hash_table_size (reopened), >, 0);

  g_assert_cmpint (tiles.open, ==, open);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_BREACHED], ==, breached);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_AT_RISK], ==, at_risk);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_STALE], ==, stale);
  g_assert_cmpint (tiles.counts[CD_OVERDUE_TILE_REOPENED], ==, g_hash_table_size (reopened));
}

/* The breakdown by executor, by hand. */
static void
test_breakdown_by_hand (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GPtrArray) tickets = all_tickets (store);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GError) error = NULL;
  gint64 now = now_unix ();

  for (guint d = 0; d < CD_OVERDUE_N_DIMENSIONS; d++)
    {
      g_autoptr(GPtrArray) breakdown = cd_store_overdue_breakdown (store, d, now, &error);
      gint64 total = 0;

      g_assert_no_error (error);
      g_hash_table_remove_all (groups);
      for (guint i = 0; i < tickets->len; i++)
        {
          CdTicket *t = g_ptr_array_index (tickets, i);
          const char *key = d == CD_OVERDUE_BY_EXECUTOR ? t->executor
                          : d == CD_OVERDUE_BY_DISTRICT ? t->district : t->category;
          CdOverdueGroup *g;

          if (!cd_ticket_is_open (t))
            continue;
          if (key == NULL)
            key = "";
          if ((g = g_hash_table_lookup (groups, key)) == NULL)
            {
              g = g_new0 (CdOverdueGroup, 1);
              g_hash_table_insert (groups, (gpointer) key, g);
            }
          g->open++;
          g->judged += t->policy != NULL;
          g->on_time += cd_monitor_is_on_time (t, now);
          if (is_breached (t, now))
            {
              g->overdue++;
              g->worst_overdue = MAX (g->worst_overdue, now - t->due_at);
            }
        }

      g_assert_cmpuint (breakdown->len, ==, g_hash_table_size (groups));
      for (guint i = 0; i < breakdown->len; i++)
        {
          const CdOverdueGroup *got = g_ptr_array_index (breakdown, i);
          const CdOverdueGroup *want = g_hash_table_lookup (groups, got->key);

          g_assert_nonnull (want);
          g_assert_cmpint (got->open, ==, want->open);
          g_assert_cmpint (got->overdue, ==, want->overdue);
          g_assert_cmpint (got->worst_overdue, ==, want->worst_overdue);
          g_assert_cmpint (got->judged, ==, want->judged);
          g_assert_cmpint (got->on_time, ==, want->on_time);
          total += got->open;
          /* Most overdue first. */
          if (i > 0)
            g_assert_cmpint (((CdOverdueGroup *) g_ptr_array_index (breakdown, i - 1))->overdue, >=,
                             got->overdue);
        }
      g_assert_cmpint (total, >, 0);
    }
}

/* citydeskctl prints what the store computes, member for member. */
static void
test_cli_matches_store (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  JsonObject *printed;
  JsonArray *listed;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "tickets", "--db", db_path, "--overdue", "--json",
                                "--now", NOW, NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  printed = json_node_get_object (json_parser_get_root (parser));
  listed = json_object_get_array_member (printed, "tickets");
  g_assert_cmpint (json_array_get_length (listed), ==,
                   json_object_get_int_member (json_object_get_object_member (printed, "tiles"),
                                               "breached"));
  json_object_remove_member (printed, "tickets");

  summary = cd_store_overdue_summary (store, now_unix (), &error);
  g_assert_no_error (error);
  expected = json_node_init_object (json_node_alloc (), summary);
  g_assert_true (json_node_equal (expected, json_parser_get_root (parser)));

  /* The text form says the same. */
  g_assert_cmpint (cd_test_ctl (&text, NULL, "tickets", "--db", db_path, "--overdue", "--now", NOW,
                                NULL),
                   ==, 0);
  g_assert_nonnull (strstr (text, "By executor"));
  g_assert_nonnull (strstr (text, "Reopened this week"));

  /* Overdue and stale are two tiles, two lists: asking for both at once
   * is refused, with the reason, rather than answered with neither. */
  {
    g_autofree char *none = NULL;
    g_autofree char *why = NULL;

    g_assert_cmpint (cd_test_ctl (&none, &why, "tickets", "--db", db_path, "--overdue", "--stale",
                                  "--now", NOW, NULL), ==, 2);
    g_assert_nonnull (strstr (why, "--stale"));
  }
}

static CdTicketListModel *
new_model (CdStore              *store,
           const CdTicketFilter *filter)
{
  g_autoptr(GError) error = NULL;
  CdTicketListModel *model = cd_ticket_list_model_new (store);

  g_assert_true (cd_ticket_list_model_set_filter (model, filter, &error));
  g_assert_no_error (error);
  return model;
}

/* Each tile's list holds exactly the tickets the tile counts. */
static void
test_model_tiles (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  gint64 now = now_unix ();
  CdOverdueTiles tiles;

  g_assert_true (cd_store_overdue_tiles (store, now, &tiles, &error));
  for (guint tile = CD_OVERDUE_TILE_NONE; tile < CD_OVERDUE_N_TILES; tile++)
    {
      CdTicketFilter filter = { .tile = tile,
                                .open_only = tile != CD_OVERDUE_TILE_REOPENED,
                                .now = now };
      g_autoptr(CdTicketListModel) model = new_model (store, &filter);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

      if (tile == CD_OVERDUE_TILE_NONE)
        g_assert_cmpint (n, ==, tiles.open);
      else
        g_assert_cmpint (n, ==, tiles.counts[tile]);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (model), i);
          CdTicket *t = cd_ticket_object_get_ticket (object);

          if (tile == CD_OVERDUE_TILE_BREACHED)
            g_assert_true (is_breached (t, now));
          else if (tile == CD_OVERDUE_TILE_STALE)
            g_assert_true (cd_monitor_is_stale (t, now));
        }
      /* Only pages were built, never more than the cap. */
      g_assert_cmpuint (cd_ticket_list_model_get_n_built (model), <=,
                        CD_TICKET_LIST_PAGE_SIZE * CD_TICKET_LIST_MAX_PAGES);
    }
}

static void
test_model_sort (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  CdTicketFilter filter = { .open_only = TRUE, .now = now_unix () };
  g_autoptr(CdTicketListModel) model = new_model (store, &filter);
  GListModel *list = G_LIST_MODEL (model);
  guint n = g_list_model_get_n_items (list);
  g_autofree char *previous = NULL;
  gint64 previous_due = G_MININT64;

  g_assert_cmpuint (n, >, 100);

  /* The default: worst overdue first, those without a due time last. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdTicketObject) object = g_list_model_get_item (list, i);
      CdTicket *t = cd_ticket_object_get_ticket (object);

      if (t->due_at == 0)
        {
          previous_due = G_MAXINT64;
          continue;
        }
      g_assert_cmpint (previous_due, !=, G_MAXINT64);
      g_assert_cmpint (t->due_at, >=, previous_due);
      previous_due = t->due_at;
    }

  g_assert_true (cd_ticket_list_model_set_sort (model, CD_TICKET_SORT_NUMBER, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdTicketObject) object = g_list_model_get_item (list, i);
      CdTicket *t = cd_ticket_object_get_ticket (object);

      if (previous != NULL)
        g_assert_cmpint (strcmp (previous, t->number), >, 0);
      g_free (previous);
      previous = g_strdup (t->number);
    }
  g_assert_null (g_list_model_get_item (list, n));
}

static void
test_model_search_and_filters (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GPtrArray) tickets = all_tickets (store);
  g_autoptr(GError) error = NULL;
  CdTicket *sample = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *address = NULL;
  gint64 now = now_unix ();

  for (guint i = 0; i < tickets->len && sample == NULL; i++)
    {
      CdTicket *t = g_ptr_array_index (tickets, i);

      if (cd_ticket_is_open (t) && t->resident_phone != NULL && t->executor != NULL)
        sample = t;
    }
  g_assert_nonnull (sample);

  /* By number. */
  {
    CdTicketFilter filter = { .search = sample->number, .open_only = TRUE, .now = now };
    g_autoptr(CdTicketListModel) model = new_model (store, &filter);
    g_autoptr(CdTicketObject) first = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
    first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (cd_ticket_object_get_ticket (first)->number, ==, sample->number);
  }

  /* By the last seven digits of the phone, typed with spaces. */
  {
    GString *d = g_string_new (NULL);
    const char *p = sample->resident_phone + strlen (sample->resident_phone);
    guint found = 0;

    while (p > sample->resident_phone && found < 7)
      if (g_ascii_isdigit (*--p))
        {
          g_string_prepend_c (d, *p);
          found++;
        }
    g_string_insert_c (d, 3, ' ');
    digits = g_string_free (d, FALSE);
  }
  {
    CdTicketFilter filter = { .search = digits, .open_only = TRUE, .now = now };
    g_autoptr(CdTicketListModel) model = new_model (store, &filter);
    gboolean seen = FALSE;

    g_test_message ("phone search “%s”", digits);
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
      {
        g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (model), i);

        seen |= g_str_equal (cd_ticket_object_get_ticket (object)->number, sample->number);
      }
    g_assert_true (seen);
  }

  /* By a street and building. */
  address = g_strdup_printf ("%s %s", sample->street, sample->building);
  {
    CdTicketFilter filter = { .search = address, .open_only = TRUE, .now = now };
    g_autoptr(CdTicketListModel) model = new_model (store, &filter);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

    g_assert_cmpuint (n, >=, 1);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (model), i);

        g_assert_cmpstr (cd_ticket_object_get_ticket (object)->street, ==, sample->street);
      }
  }

  /* A LIKE wildcard is taken as text, not as "anything". */
  {
    CdTicketFilter filter = { .search = "%", .open_only = TRUE, .now = now };
    g_autoptr(CdTicketListModel) model = new_model (store, &filter);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  }

  /* Filters combine: one executor in one district. */
  {
    CdTicketFilter filter = { .executor = sample->executor, .district = sample->district,
                              .kind = cd_ticket_kind_to_string (sample->kind),
                              .open_only = TRUE, .now = now };
    g_autoptr(CdTicketListModel) model = new_model (store, &filter);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
    guint want = 0;

    for (guint i = 0; i < tickets->len; i++)
      {
        CdTicket *t = g_ptr_array_index (tickets, i);

        want += cd_ticket_is_open (t) && g_strcmp0 (t->executor, sample->executor) == 0 &&
                g_strcmp0 (t->district, sample->district) == 0 && t->kind == sample->kind;
      }
    g_assert_cmpuint (n, ==, want);
    g_assert_cmpuint (cd_ticket_list_model_get_total (model), >, n);
  }
}

/* The SLA target filter: its choices are the policies of open tickets,
 * and each keeps exactly the open tickets under it. */
static void
test_model_policy_filter (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GPtrArray) tickets = all_tickets (store);
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  policies = cd_store_overdue_policies (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (policies->len, >, 1);

  for (guint p = 0; p < policies->len; p++)
    {
      const char *policy = g_ptr_array_index (policies, p);
      CdTicketFilter filter = { .policy = policy, .open_only = TRUE, .now = now_unix () };
      g_autoptr(CdTicketListModel) model = new_model (store, &filter);
      guint expected = 0;

      for (guint i = 0; i < tickets->len; i++)
        {
          CdTicket *t = g_ptr_array_index (tickets, i);

          expected += cd_ticket_is_open (t) && g_strcmp0 (t->policy, policy) == 0;
        }
      g_assert_cmpuint (expected, >, 0);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
      total += expected;
    }
  g_assert_cmpuint (total, >, 0);
}

static void
test_csv (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  CdTicketFilter filter = { .tile = CD_OVERDUE_TILE_BREACHED,
                            .open_only = TRUE,
                            .now = now_unix () };
  g_autoptr(CdTicketListModel) model = new_model (store, &filter);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GString) line = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  static const CdTicketColumn columns[] = {
    CD_TICKET_COLUMN_NUMBER, CD_TICKET_COLUMN_KIND, CD_TICKET_COLUMN_CATEGORY,
    CD_TICKET_COLUMN_ADDRESS, CD_TICKET_COLUMN_DUE, CD_TICKET_COLUMN_STATE,
  };

  cd_csv_append_field (line, "ul. Lenina 5, flat \"7\"");
  g_string_append_c (line, ',');
  cd_csv_append_field (line, "plain");
  g_assert_cmpstr (line->str, ==, "\"ul. Lenina 5, flat \"\"7\"\"\",plain");

  g_assert_true (cd_ticket_list_model_write_csv (model, out, columns, G_N_ELEMENTS (columns),
                                                 now_unix (), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  lines = g_strsplit (text, "\r\n", -1);
  /* A header, one line a ticket, and the empty rest after the last break. */
  g_assert_cmpuint (g_strv_length (lines), ==, n + 2);
  /* The dashboard's columns, headed by their codes. */
  g_assert_cmpstr (lines[0], ==, "number,kind,category,address,due,state");
  for (guint i = 1; i <= n; i++)
    {
      const char *last = g_strrstr (lines[i], ",");
      CdTicketState state;

      /* Every line starts with a number and ends with a known state. */
      g_assert_true (g_str_has_prefix (lines[i], "2026-"));
      g_assert_nonnull (last);
      g_assert_true (cd_ticket_state_from_string (last + 1, &state));
    }
}

/* The ticket view's clocks come from the SLA engine: a breached ticket has
 * a breached clock, late by what its due time says. */
static void
test_clocks (void)
{
  g_autoptr(CdStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  gint64 now = now_unix ();
  CdTicketFilter filter = { .tile = CD_OVERDUE_TILE_BREACHED, .open_only = TRUE, .now = now };
  g_autoptr(CdTicketListModel) model = new_model (store, &filter);
  g_autoptr(CdTicketObject) worst = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) views = NULL;
  gboolean breached = FALSE;
  CdTicketClock clock;

  g_assert_nonnull (worst);
  ticket = cd_store_load_ticket (store, cd_ticket_object_get_ticket (worst)->number, &error);
  g_assert_no_error (error);

  views = cd_store_ticket_clocks (store, ticket, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, >=, 1);
  for (guint i = 0; i < views->len; i++)
    {
      const CdTicketClockView *view = g_ptr_array_index (views, i);

      g_assert_nonnull (view->target);
      g_assert_cmpfloat (view->progress, >=, 0.0);
      g_assert_cmpfloat (view->progress, <=, 1.0);
      if (view->state == CD_SLA_CLOCK_BREACHED)
        {
          breached = TRUE;
          g_assert_cmpint (view->due, <, now);
          g_assert_cmpint (view->late, >, 0);
        }
    }
  g_assert_true (breached);

  /* The recorded due time says the same. */
  cd_ticket_clock_from_ticket (ticket, now, &clock);
  g_assert_true (clock.breached);
  g_assert_cmpint (clock.remaining, ==, ticket->due_at - now);
  g_assert_cmpfloat (clock.progress, ==, 1.0);
}

/* The ticket view's history holds, until an event is changed behind the
 * journal's back. */
static void
test_history_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (g_get_tmp_dir (), "overdue-chain.db", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) repeats = NULL;
  CdTicket *t = NULL;
  gint64 bad = -1;
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (g_file_get_contents (db_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  store = cd_store_open (copy, &error);
  g_assert_no_error (error);
  tickets = all_tickets (store);
  for (guint i = 0; i < tickets->len && t == NULL; i++)
    if (((CdTicket *) g_ptr_array_index (tickets, i))->repeat_of != NULL)
      t = g_ptr_array_index (tickets, i);
  g_assert_nonnull (t);

  events = cd_store_ticket_history (store, t->id, &bad, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 2);
  g_assert_cmpint (bad, ==, 0);
  repeats = cd_store_ticket_repeats (store, t, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (repeats->len, >=, 1);
  for (guint i = 0; i < repeats->len; i++)
    g_assert_cmpstr (((CdTicket *) g_ptr_array_index (repeats, i))->id, !=, t->id);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_object (&store);

  /* Tamper with the second event the way a hand with sqlite3 would. */
  g_assert_cmpint (sqlite3_open (copy, &db), ==, SQLITE_OK);
  sql = g_strdup_printf (
      "DROP TRIGGER events_no_update;"
      "UPDATE events SET actor = 'nobody' WHERE seq = "
      "(SELECT seq FROM events WHERE entity = '%s' ORDER BY seq LIMIT 1 OFFSET 1);",
      t->id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = cd_store_open (copy, &error);
  g_assert_no_error (error);
  events = cd_store_ticket_history (store, t->id, &bad, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bad, ==, ((CdEvent *) g_ptr_array_index (events, 1))->seq);
  g_remove (copy);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *dir = NULL;
  int ret;

  /* Weeks start on Monday at midnight local time: fix the zone. */
  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  dir = g_dir_make_tmp ("overdue-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "demo.db", NULL);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", db_path, "--days", "10",
                                "--end", END, NULL),
                   ==, 0);

  g_test_add_func ("/overdue/tiles-by-hand", test_tiles_by_hand);
  g_test_add_func ("/overdue/breakdown-by-hand", test_breakdown_by_hand);
  g_test_add_func ("/overdue/cli-matches-store", test_cli_matches_store);
  g_test_add_func ("/overdue/model-tiles", test_model_tiles);
  g_test_add_func ("/overdue/model-sort", test_model_sort);
  g_test_add_func ("/overdue/model-search-and-filters", test_model_search_and_filters);
  g_test_add_func ("/overdue/model-policy-filter", test_model_policy_filter);
  g_test_add_func ("/overdue/csv", test_csv);
  g_test_add_func ("/overdue/clocks", test_clocks);
  g_test_add_func ("/overdue/history-chain", test_history_chain);

  ret = g_test_run ();
  g_free (db_path);
  return ret;
}
