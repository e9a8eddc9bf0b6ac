// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-overdue.c: the overdue dashboard's tiles and breakdowns
 *
 * Everything runs over the partial indexes of open tickets, so that a
 * year of history costs no more than the work that is still open. The
 * conditions are those of cd_store_list_tickets() and of cd_monitor_*():
 * a ticket is breached when it is open, not resolved, and past due_at.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-category.h"
#include "cd-store-overdue-private.h"
#include "cd-store-private.h"

static const char * const tile_names[CD_OVERDUE_N_TILES] = {
  "none", "breached", "at_risk", "stale", "reopened",
};

static const char * const dimension_names[CD_OVERDUE_N_DIMENSIONS] = {
  "executor", "district", "category",
};

const char *
cd_overdue_tile_to_string (CdOverdueTile tile)
{
  g_return_val_if_fail (tile < CD_OVERDUE_N_TILES, NULL);

  return tile_names[tile];
}

gboolean
cd_overdue_tile_from_string (const char    *string,
                             CdOverdueTile *tile)
{
  for (guint i = 0; i < CD_OVERDUE_N_TILES; i++)
    if (g_strcmp0 (string, tile_names[i]) == 0)
      {
        *tile = i;
        return TRUE;
      }
  return FALSE;
}

const char *
cd_overdue_dimension_to_string (CdOverdueDimension dimension)
{
  g_return_val_if_fail (dimension < CD_OVERDUE_N_DIMENSIONS, NULL);

  return dimension_names[dimension];
}

/**
 * cd_overdue_dimension_column:
 * @dimension: a dimension
 *
 * Returns: the tickets table's column the dimension groups by
 */
const char *
cd_overdue_dimension_column (CdOverdueDimension dimension)
{
  g_return_val_if_fail (dimension < CD_OVERDUE_N_DIMENSIONS, NULL);

  return dimension_names[dimension];
}

/**
 * cd_overdue_week_start:
 * @now: Unix seconds
 *
 * Returns: the Monday 00:00, local time, of the week holding @now
 */
gint64
cd_overdue_week_start (gint64 now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) monday = NULL;

  if (local == NULL)
    return now;
  midnight = g_date_time_new_local (g_date_time_get_year (local),
                                    g_date_time_get_month (local),
                                    g_date_time_get_day_of_month (local), 0, 0, 0);
  /* Adding days keeps the wall-clock time across a DST change. */
  monday = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (local));
  return g_date_time_to_unix (monday);
}

/* (CASE category WHEN 'housing.heating' THEN 14400 ... END): each
 * category's stale limit. */
static char *
stale_limit_expression (void)
{
  GString *s = g_string_new ("(CASE category");
  const CdCategory *categories;
  guint n;

  categories = cd_category_get_all (&n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, " WHEN '%s' THEN %" G_GINT64_FORMAT,
                            categories[i].id, categories[i].stale_seconds);
  g_string_append (s, " ELSE 0 END)");
  return g_string_free (s, FALSE);
}

/**
 * cd_overdue_tile_condition:
 * @tile: a tile
 *
 * The SQL condition on the tickets table of the tile, with the
 * parameters `:now`, `:week` and `:week_seq` (cd_overdue_bind_times()),
 * so that the list below a tile shows exactly the tickets the tile counts.
 * It is the one place these conditions are written: the ticket queries
 * (`citydeskctl tickets --overdue`, `--stale`), the breakdown, the league
 * table and the statistics all use it, and it runs in SQL what
 * cd_monitor_is_overdue() and cd_monitor_is_stale() say of one ticket.
 *
 * Breached and at risk leave out resolved tickets: they wait for the
 * resident's confirmation, and nothing is owed by the executor. Stale
 * measures from the last event on the executor's side (`executor_at`),
 * so that a supervisor's comment, escalation or reminder leaves a ticket
 * stale.
 *
 * Returns: (transfer full): the condition ("1" for %CD_OVERDUE_TILE_NONE)
 */
char *
cd_overdue_tile_condition (CdOverdueTile tile)
{
  switch (tile)
    {
    case CD_OVERDUE_TILE_BREACHED:
      return g_strdup (
          "(open = 1 AND due_at IS NOT NULL AND due_at < :now AND state != 'resolved')");

    case CD_OVERDUE_TILE_AT_RISK:
      return g_strdup_printf ("(open = 1 AND due_at IS NOT NULL AND due_at >= :now AND "
                              "due_at < :now + %d AND state != 'resolved')",
                              CD_OVERDUE_AT_RISK_WINDOW);

    case CD_OVERDUE_TILE_STALE:
      {
        g_autofree char *limit = stale_limit_expression ();

        /* The column's side holds the arithmetic: PostgreSQL gives a
         * parameter the type of its first use, and `:now - 86400`
         * would make it a 32-bit integer. */
        return g_strdup_printf ("(open = 1 AND state != 'waiting' AND executor_at + %s < :now)",
                                limit);
      }

    case CD_OVERDUE_TILE_REOPENED:
      return g_strdup ("(id IN (SELECT entity FROM events WHERE seq >= :week_seq "
                       "AND type = 'reopen' AND time >= :week AND time <= :now))");

    case CD_OVERDUE_TILE_NONE:
    case CD_OVERDUE_N_TILES:
    default:
      return g_strdup ("1");
    }
}

/**
 * cd_overdue_attention_condition:
 *
 * The tickets that need a supervisor now, breached or at risk: what the
 * first two tiles count together, and what the overdue list shows unless
 * another tile or "all open tickets" is chosen.
 *
 * Returns: (transfer full): the SQL condition, with cd_overdue_bind_times()'s
 *   parameters
 */
char *
cd_overdue_attention_condition (void)
{
  g_autofree char *breached = cd_overdue_tile_condition (CD_OVERDUE_TILE_BREACHED);
  g_autofree char *at_risk = cd_overdue_tile_condition (CD_OVERDUE_TILE_AT_RISK);

  return g_strdup_printf ("(%s OR %s)", breached, at_risk);
}

/**
 * cd_overdue_on_time_condition:
 *
 * "On time", the one definition the breakdown, the league table and the
 * statistics count with (docs/overdue-dashboard.md, "On time"): a ticket
 * under an SLA policy is on time when it has breached none of its targets,
 * and is not past its due time now. A resolved or closed ticket is on time when it was
 * resolved by its deadlines; an open one while it is not past them. The
 * share on time is the part of the tickets under a policy
 * (cd_overdue_judged_condition()) that are on time. Uses `:now`; the
 * SQL of cd_monitor_is_on_time().
 *
 * Returns: (transfer full): the condition on the tickets table
 */
char *
cd_overdue_on_time_condition (void)
{
  g_autofree char *breached = cd_overdue_tile_condition (CD_OVERDUE_TILE_BREACHED);

  return g_strdup_printf ("(policy IS NOT NULL AND breached = 0 AND NOT %s)", breached);
}

/**
 * cd_overdue_judged_condition:
 *
 * Returns: the tickets a share on time is taken of: those under an SLA
 *   policy, which have targets to meet
 */
const char *
cd_overdue_judged_condition (void)
{
  return "(policy IS NOT NULL)";
}

double
cd_overdue_group_on_time_share (const CdOverdueGroup *group)
{
  if (group->judged <= 0)
    return -1.0;
  return (double) group->on_time / (double) group->judged;
}

void
cd_overdue_group_free (CdOverdueGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->key);
  g_free (group);
}

/* The journal is appended in time order by the one server that numbers
 * it, so the events since a moment are a tail of it: a binary search over
 * seq finds where that tail starts without reading millions of events. A
 * day of slack absorbs a clock set back a little. */
static gint64
first_seq_since (CdStore *self,
                 gint64   time)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  gint64 lo = 1, hi = 0;

  stmt = cd_db_prepare (self->conn, "SELECT max(seq) FROM events", NULL);
  if (stmt == NULL)
    return 0;
  if (cd_db_step (stmt, NULL) == CD_DB_ROW)
    hi = cd_db_column_int64 (stmt, 0) + 1;
  g_clear_pointer (&stmt, cd_db_stmt_free);

  stmt = cd_db_prepare (self->conn, "SELECT time FROM events WHERE seq >= ?1 ORDER BY seq LIMIT 1",
                        NULL);
  if (stmt == NULL)
    return 0;
  time -= 24 * 3600;
  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;
      gint64 t = G_MAXINT64;

      cd_db_bind_int64 (stmt, 1, mid);
      if (cd_db_step (stmt, NULL) == CD_DB_ROW)
        t = cd_db_column_int64 (stmt, 0);
      cd_db_reset (stmt);
      if (t < time)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * cd_overdue_bind_times:
 * @self: the store @stmt belongs to
 * @stmt: a statement using cd_overdue_tile_condition()
 * @now: Unix seconds
 *
 * Binds `:now`, `:week` and `:week_seq` where @stmt has them.
 */
void
cd_overdue_bind_times (CdStore      *self,
                       sqlite3_stmt *stmt,
                       gint64        now)
{
  gint64 week = cd_overdue_week_start (now);
  int i;

  if ((i = sqlite3_bind_parameter_index (stmt, ":now")) > 0)
    sqlite3_bind_int64 (stmt, i, now);
  if ((i = sqlite3_bind_parameter_index (stmt, ":week")) > 0)
    sqlite3_bind_int64 (stmt, i, week);
  if ((i = sqlite3_bind_parameter_index (stmt, ":week_seq")) > 0)
    sqlite3_bind_int64 (stmt, i, first_seq_since (self, week));
}

/**
 * cd_overdue_bind_times_db:
 * @self: the store @stmt belongs to
 * @stmt: a statement on the store's connection using
 *   cd_overdue_tile_condition()
 * @now: Unix seconds
 *
 * As cd_overdue_bind_times(), on either backend.
 */
void
cd_overdue_bind_times_db (CdStore  *self,
                          CdDbStmt *stmt,
                          gint64    now)
{
  gint64 week = cd_overdue_week_start (now);
  int i;

  if ((i = cd_db_parameter_index (stmt, ":now")) > 0)
    cd_db_bind_int64 (stmt, i, now);
  if ((i = cd_db_parameter_index (stmt, ":week")) > 0)
    cd_db_bind_int64 (stmt, i, week);
  if ((i = cd_db_parameter_index (stmt, ":week_seq")) > 0)
    cd_db_bind_int64 (stmt, i, first_seq_since (self, week));
}

static gboolean
count (CdStore     *self,
       const char  *condition,
       gint64       now,
       gint64      *out,
       GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM tickets WHERE %s", condition);
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;

  stmt = cd_db_prepare (self->conn, sql, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("counting overdue tickets"), db_error, error);
  cd_overdue_bind_times_db (self, stmt, now);
  if (cd_db_step (stmt, &db_error) != CD_DB_ROW)
    return cd_store_db_error (self, _("counting overdue tickets"), db_error, error);
  *out = cd_db_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * cd_store_overdue_tiles:
 * @self: a store
 * @now: Unix seconds
 * @tiles: (out caller-allocates): the counts
 * @error: return location for an error
 *
 * Returns: whether @tiles was filled
 */
gboolean
cd_store_overdue_tiles (CdStore         *self,
                        gint64           now,
                        CdOverdueTiles  *tiles,
                        GError         **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (tiles != NULL, FALSE);

  memset (tiles, 0, sizeof *tiles);
  if (!cd_store_flush (self, error))
    return FALSE;

  tiles->week_start = cd_overdue_week_start (now);
  if (!count (self, "open = 1", now, &tiles->open, error))
    return FALSE;
  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    {
      g_autofree char *condition = cd_overdue_tile_condition (i);

      if (!count (self, condition, now, &tiles->counts[i], error))
        return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_overdue_breakdown:
 * @self: a store
 * @dimension: by what to group
 * @now: Unix seconds
 * @error: return location for an error
 *
 * Groups the open tickets. The share on time of a group is the part of
 * its open tickets under an SLA policy that are on time
 * (cd_overdue_on_time_condition(), cd_overdue_group_on_time_share()).
 *
 * Returns: (transfer container) (element-type CdOverdueGroup): the groups,
 *   most overdue first, then the worst, then by name; %NULL with @error set
 */
GPtrArray *
cd_store_overdue_breakdown (CdStore             *self,
                            CdOverdueDimension   dimension,
                            gint64               now,
                            GError             **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_overdue_group_free);
  g_autofree char *breached = cd_overdue_tile_condition (CD_OVERDUE_TILE_BREACHED);
  g_autofree char *on_time = cd_overdue_on_time_condition ();
  g_autofree char *sql = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  const char *column;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (dimension < CD_OVERDUE_N_DIMENSIONS, NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  /* A condition is counted as CASE … THEN 1: PostgreSQL sums no booleans. */
  column = cd_overdue_dimension_column (dimension);
  sql = g_strdup_printf ("SELECT coalesce (%s, ''), count(*), "
                         "sum(CASE WHEN %s THEN 1 ELSE 0 END), "
                         "max(CASE WHEN %s THEN :now - due_at ELSE 0 END), "
                         "sum(CASE WHEN %s THEN 1 ELSE 0 END), "
                         "sum(CASE WHEN %s THEN 1 ELSE 0 END) "
                         "FROM tickets WHERE open = 1 GROUP BY 1 "
                         "ORDER BY 3 DESC, 4 DESC, coalesce (%s, '')%s",
                         column, breached, breached, cd_overdue_judged_condition (), on_time,
                         column, cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER));
  stmt = cd_db_prepare (self->conn, sql, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("grouping overdue tickets"), db_error, error), NULL;
  cd_overdue_bind_times_db (self, stmt, now);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdOverdueGroup *group = g_new0 (CdOverdueGroup, 1);

      group->key = g_strdup (cd_db_column_text (stmt, 0));
      group->open = cd_db_column_int64 (stmt, 1);
      group->overdue = cd_db_column_int64 (stmt, 2);
      group->worst_overdue = cd_db_column_int64 (stmt, 3);
      group->judged = cd_db_column_int64 (stmt, 4);
      group->on_time = cd_db_column_int64 (stmt, 5);
      g_ptr_array_add (groups, group);
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("grouping overdue tickets"), db_error, error), NULL;
  return g_steal_pointer (&groups);
}

/**
 * cd_store_overdue_summary:
 * @self: a store
 * @now: Unix seconds
 * @error: return location for an error
 *
 * The tiles and the three breakdowns as JSON, the form
 * `citydeskctl tickets --overdue --json` prints:
 * `{"now":…,"week_start":…,"open":…,"tiles":{"breached":…,"at_risk":…,
 * "stale":…,"reopened":…},"breakdown":{"executor":[{"key":…,"open":…,
 * "overdue":…,"worst_overdue":…,"on_time_share":…|null},…],…}}`.
 *
 * Returns: (transfer full): the summary, or %NULL with @error set
 */
JsonObject *
cd_store_overdue_summary (CdStore  *self,
                          gint64    now,
                          GError  **error)
{
  g_autoptr(JsonObject) summary = json_object_new ();
  g_autoptr(JsonObject) tiles_object = json_object_new ();
  g_autoptr(JsonObject) breakdown = json_object_new ();
  CdOverdueTiles tiles;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!cd_store_overdue_tiles (self, now, &tiles, error))
    return NULL;

  json_object_set_int_member (summary, "now", now);
  json_object_set_int_member (summary, "week_start", tiles.week_start);
  json_object_set_int_member (summary, "open", tiles.open);
  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    json_object_set_int_member (tiles_object, tile_names[i], tiles.counts[i]);
  json_object_set_object_member (summary, "tiles", g_steal_pointer (&tiles_object));

  for (guint d = 0; d < CD_OVERDUE_N_DIMENSIONS; d++)
    {
      g_autoptr(GPtrArray) groups = cd_store_overdue_breakdown (self, d, now, error);
      JsonArray *array;

      if (groups == NULL)
        return NULL;
      array = json_array_sized_new (groups->len);
      for (guint i = 0; i < groups->len; i++)
        {
          const CdOverdueGroup *group = g_ptr_array_index (groups, i);
          JsonObject *object = json_object_new ();
          double share = cd_overdue_group_on_time_share (group);

          json_object_set_string_member (object, "key", group->key);
          json_object_set_int_member (object, "open", group->open);
          json_object_set_int_member (object, "overdue", group->overdue);
          json_object_set_int_member (object, "worst_overdue", group->worst_overdue);
          if (share >= 0)
            json_object_set_double_member (object, "on_time_share", share);
          else
            json_object_set_null_member (object, "on_time_share");
          json_array_add_object_element (array, object);
        }
      json_object_set_array_member (breakdown, dimension_names[d], array);
    }
  json_object_set_object_member (summary, "breakdown", g_steal_pointer (&breakdown));

  return g_steal_pointer (&summary);
}

/**
 * cd_store_overdue_policies:
 * @self: a store
 * @error: return location for an error
 *
 * The SLA policies open tickets run under, for the list's target filter.
 *
 * Returns: (transfer full) (element-type utf8): their ids, sorted
 */
GPtrArray *
cd_store_overdue_policies (CdStore  *self,
                           GError  **error)
{
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  sql = g_strdup_printf ("SELECT DISTINCT policy FROM tickets WHERE open = 1 AND policy IS NOT "
                         "NULL ORDER BY policy%s",
                         cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER));
  stmt = cd_db_prepare (self->conn, sql, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("listing the SLA policies of open tickets"), db_error,
                              error), NULL;
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (policies, g_strdup (cd_db_column_text (stmt, 0)));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("listing the SLA policies of open tickets"), db_error,
                              error), NULL;
  return g_steal_pointer (&policies);
}
