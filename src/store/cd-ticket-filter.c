// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket-filter.c: a CdTicketFilter as one WHERE clause
 *
 * Every ticket query of the store builds its conditions here, with named
 * parameters bound by cd_ticket_filter_bind(); the dashboards' conditions
 * themselves come from cd-store-overdue.c.
 */

#include "config.h"

#include "cd-category.h"
#include "cd-store-overdue-private.h"
#include "cd-ticket-filter-private.h"

static char *
dup_or_null (const char *value)
{
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/**
 * cd_ticket_filter_copy:
 * @filter: a filter
 *
 * Empty strings become %NULL (no condition), except for the executor,
 * where "" means the tickets no executor has.
 *
 * Returns: (transfer full): a copy that owns its strings
 */
CdTicketFilter *
cd_ticket_filter_copy (const CdTicketFilter *filter)
{
  CdTicketFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = g_memdup2 (filter, sizeof *filter);
  copy->numbers = (const char * const *) g_strdupv ((char **) filter->numbers);
  copy->categories = (const char * const *) g_strdupv ((char **) filter->categories);
  copy->states = (const char * const *) g_strdupv ((char **) filter->states);
  copy->district = dup_or_null (filter->district);
  copy->category = dup_or_null (filter->category);
  copy->executor = g_strdup (filter->executor);
  copy->kind = dup_or_null (filter->kind);
  copy->state = dup_or_null (filter->state);
  copy->policy = dup_or_null (filter->policy);
  copy->search = dup_or_null (filter->search);
  return copy;
}

void
cd_ticket_filter_free (CdTicketFilter *filter)
{
  if (filter == NULL)
    return;
  g_strfreev ((char **) filter->numbers);
  g_strfreev ((char **) filter->categories);
  g_strfreev ((char **) filter->states);
  g_free ((char *) filter->district);
  g_free ((char *) filter->category);
  g_free ((char *) filter->executor);
  g_free ((char *) filter->kind);
  g_free ((char *) filter->state);
  g_free ((char *) filter->policy);
  g_free ((char *) filter->search);
  g_free (filter);
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/* (CASE category WHEN 'housing.heating' THEN 14400 ... END): a category's
 * limit for its executor to accept a ticket. */
static char *
ack_limit_expression (void)
{
  GString *s = g_string_new ("(CASE category");
  const CdCategory *categories;
  guint n;

  categories = cd_category_get_all (&n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, " WHEN '%s' THEN %" G_GINT64_FORMAT, categories[i].id,
                            categories[i].ack_seconds);
  g_string_append (s, " ELSE 0 END)");
  return g_string_free (s, FALSE);
}

/* " IN (:p0, :p1…)" */
static void
append_list (GString            *sql,
             const char         *param,
             const char * const *values)
{
  g_string_append (sql, " IN (");
  if (values[0] == NULL)
    g_string_append (sql, "NULL");
  for (guint i = 0; values[i] != NULL; i++)
    g_string_append_printf (sql, "%s:%s%u", i > 0 ? ", " : "", param, i);
  g_string_append (sql, ")");
}

static void
append_condition (GString *sql,
                  char    *condition)
{
  g_string_append_printf (sql, " AND %s", condition);
  g_free (condition);
}

/* " WHERE …", with @like the operator the search matches with. */
static char *
filter_where (const CdTicketFilter *filter,
              const char           *like,
              gboolean              narrowing)
{
  GString *sql = g_string_new (" WHERE 1 = 1");
  /* Within a window of registration, tickets_created holds every column
   * the conditions and the order need: a unary + keeps SQLite from
   * preferring the index by state, whose rows it would then read one by
   * one to sort and count them. */
  const char *in_window = filter->created_from != 0 || filter->created_to != 0 ? "+" : "";

  if (filter->open_only || filter->unacknowledged)
    g_string_append (sql, " AND open = 1");
  if (!narrowing)
    return g_string_free (sql, FALSE);

  if (filter->numbers != NULL)
    {
      g_string_append (sql, " AND (number");
      append_list (sql, "n", filter->numbers);
      g_string_append (sql, " OR id");
      append_list (sql, "n", filter->numbers);
      g_string_append (sql, ")");
    }
  if (filter->categories != NULL)
    {
      g_string_append_printf (sql, " AND %scategory", in_window);
      append_list (sql, "c", filter->categories);
    }
  if (filter->states != NULL)
    {
      g_string_append_printf (sql, " AND %sstate", in_window);
      append_list (sql, "s", filter->states);
    }
  if (is_set (filter->district))
    g_string_append (sql, " AND district = :district");
  if (is_set (filter->category))
    g_string_append (sql, " AND category = :category");
  if (filter->executor != NULL)
    g_string_append (sql, *filter->executor == '\0' ? " AND coalesce (executor, '') = ''"
                                                    : " AND executor = :executor");
  if (is_set (filter->kind))
    g_string_append (sql, " AND kind = :kind");
  if (is_set (filter->policy))
    g_string_append (sql, " AND policy = :policy");
  if (is_set (filter->state))
    g_string_append (sql, " AND state = :state");
  if (filter->tile != CD_OVERDUE_TILE_NONE)
    append_condition (sql, cd_overdue_tile_condition (filter->tile));
  else if (filter->attention)
    append_condition (sql, cd_overdue_attention_condition ());
  if (filter->unacknowledged)
    {
      g_autofree char *limit = ack_limit_expression ();

      /* `:now - …` would type the parameter a 32-bit integer on
       * PostgreSQL (cd-store-overdue.c, the stale tile). */
      g_string_append_printf (sql, " AND state = 'assigned' AND assigned_at + %s < :now", limit);
    }
  if (filter->created_from != 0)
    g_string_append (sql, " AND created_at >= :created_from");
  if (filter->created_to != 0)
    g_string_append (sql, " AND created_at <= :created_to");
  if (filter->updated_from != 0)
    g_string_append (sql, " AND updated_at >= :updated_from");
  if (filter->updated_to != 0)
    g_string_append (sql, " AND updated_at <= :updated_to");
  if (is_set (filter->search))
    /* Phones are compared by their digits alone: "705 29 02" finds
     * "+375 25 705-29-02". */
    g_string_append_printf (sql, " AND (number %s :search_start ESCAPE '\\'"
                            " OR (street || ' ' || building) %s :search_any ESCAPE '\\'"
                     " OR (:search_digits != '' AND replace (replace (replace (replace ("
                     "     resident_phone, ' ', ''), '-', ''), '+', ''), '*', '')"
                            "     LIKE '%%' || :search_digits || '%%'))",
                            like, like);
  return g_string_free (sql, FALSE);
}

/**
 * cd_ticket_filter_where:
 * @filter: a filter
 * @narrowing: %FALSE for the conditions that say what is counted at all
 *   (open only), without the narrowing ones: the "of N" of a list
 *
 * Returns: (transfer full): " WHERE …" on the tickets table, for SQLite
 */
char *
cd_ticket_filter_where (const CdTicketFilter *filter,
                        gboolean              narrowing)
{
  return filter_where (filter, "LIKE", narrowing);
}

/**
 * cd_ticket_filter_where_db:
 * @filter: a filter
 * @db: the connection the condition is for
 * @narrowing: as for cd_ticket_filter_where()
 *
 * The search matches the number and the address without regard to case
 * on both backends (CD_DB_DIALECT_LIKE_NOCASE).
 *
 * Returns: (transfer full): " WHERE …" on the tickets table
 */
char *
cd_ticket_filter_where_db (const CdTicketFilter *filter,
                           CdDb                 *db,
                           gboolean              narrowing)
{
  return filter_where (filter, cd_db_dialect (db, CD_DB_DIALECT_LIKE_NOCASE), narrowing);
}

/* A statement of either kind: the SQLite ones of the files not yet
 * ported to CdDb, or a CdDb one. */
typedef struct
{
  sqlite3_stmt *sqlite;
  CdDbStmt     *db;
} Binder;

static void
bind_text (const Binder *stmt,
           const char   *name,
           const char   *value)
{
  int i;

  if (stmt->db != NULL)
    {
      if ((i = cd_db_parameter_index (stmt->db, name)) > 0)
        cd_db_bind_text (stmt->db, i, value);
    }
  else if ((i = sqlite3_bind_parameter_index (stmt->sqlite, name)) > 0)
    sqlite3_bind_text (stmt->sqlite, i, value, -1, SQLITE_TRANSIENT);
}

static void
bind_time (const Binder *stmt,
           const char   *name,
           gint64        value)
{
  int i;

  if (stmt->db != NULL)
    {
      if ((i = cd_db_parameter_index (stmt->db, name)) > 0)
        cd_db_bind_int64 (stmt->db, i, value);
    }
  else if ((i = sqlite3_bind_parameter_index (stmt->sqlite, name)) > 0)
    sqlite3_bind_int64 (stmt->sqlite, i, value);
}

static void
bind_list (const Binder       *stmt,
           const char         *param,
           const char * const *values)
{
  if (values == NULL)
    return;
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf (":%s%u", param, i);

      bind_text (stmt, name, values[i]);
    }
}

static void
append_like_escaped (GString    *out,
                     const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

static void
bind_search (const Binder *stmt,
             const char   *search)
{
  g_autoptr(GString) start = g_string_new (NULL);
  g_autoptr(GString) any = g_string_new ("%");
  g_autoptr(GString) digits = g_string_new (NULL);

  append_like_escaped (start, search);
  g_string_append_c (start, '%');
  append_like_escaped (any, search);
  g_string_append_c (any, '%');
  for (const char *p = search; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  /* Fewer than three digits would match nearly every phone. */
  if (digits->len < 3)
    g_string_truncate (digits, 0);

  bind_text (stmt, ":search_start", start->str);
  bind_text (stmt, ":search_any", any->str);
  bind_text (stmt, ":search_digits", digits->str);
}

static void
bind_filter (const CdTicketFilter *filter,
             const Binder         *stmt)
{
  bind_list (stmt, "n", filter->numbers);
  bind_list (stmt, "c", filter->categories);
  bind_list (stmt, "s", filter->states);
  bind_text (stmt, ":district", filter->district);
  bind_text (stmt, ":category", filter->category);
  bind_text (stmt, ":executor", filter->executor);
  bind_text (stmt, ":kind", filter->kind);
  bind_text (stmt, ":policy", filter->policy);
  bind_text (stmt, ":state", filter->state);
  bind_time (stmt, ":created_from", filter->created_from);
  bind_time (stmt, ":created_to", filter->created_to);
  bind_time (stmt, ":updated_from", filter->updated_from);
  bind_time (stmt, ":updated_to", filter->updated_to);
  if (is_set (filter->search))
    bind_search (stmt, filter->search);
}

/**
 * cd_ticket_filter_bind:
 * @filter: the filter @stmt was prepared from (cd_ticket_filter_where())
 * @store: the store @stmt belongs to
 * @stmt: a statement
 *
 * Binds the filter's parameters where @stmt has them.
 */
void
cd_ticket_filter_bind (const CdTicketFilter *filter,
                       CdStore              *store,
                       sqlite3_stmt         *stmt)
{
  Binder binder = { .sqlite = stmt };

  bind_filter (filter, &binder);
  cd_overdue_bind_times (store, stmt, filter->now);
}

/**
 * cd_ticket_filter_bind_db:
 * @filter: the filter @stmt was prepared from (cd_ticket_filter_where_db())
 * @store: the store @stmt belongs to
 * @stmt: a statement on the store's connection
 *
 * As cd_ticket_filter_bind(), on either backend.
 */
void
cd_ticket_filter_bind_db (const CdTicketFilter *filter,
                          CdStore              *store,
                          CdDbStmt             *stmt)
{
  Binder binder = { .db = stmt };

  bind_filter (filter, &binder);
  cd_overdue_bind_times_db (store, stmt, filter->now);
}
