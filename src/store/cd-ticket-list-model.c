// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket-list-model.c: a lazy GListModel over the tickets table
 *
 * Setting a filter or a sort runs one query for the row ids in order;
 * g_list_model_get_item() then builds the page of CD_TICKET_LIST_PAGE_SIZE
 * tickets around the asked position by row id (a primary-key lookup each),
 * so a random position costs the same at the top and at the millionth row,
 * which OFFSET paging would not. It reads the desktop's cache, a SQLite
 * file by design (row ids): on PostgreSQL cd_ticket_list_query() fails with
 * %CD_STORE_ERROR_NOT_AVAILABLE.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-store-overdue-private.h"
#include "cd-store-private.h"
#include "cd-store-reference.h"
#include "cd-ticket-filter-private.h"
#include "cd-ticket-list-model.h"

struct _CdTicketObject
{
  GObject   parent_instance;

  CdTicket *ticket;
};

G_DEFINE_FINAL_TYPE (CdTicketObject, cd_ticket_object, G_TYPE_OBJECT)

static void
cd_ticket_object_finalize (GObject *object)
{
  CdTicketObject *self = CD_TICKET_OBJECT (object);

  g_clear_pointer (&self->ticket, cd_ticket_unref);

  G_OBJECT_CLASS (cd_ticket_object_parent_class)->finalize (object);
}

static void
cd_ticket_object_class_init (CdTicketObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_ticket_object_finalize;
}

static void
cd_ticket_object_init (CdTicketObject *self)
{
}

static CdTicketObject *
cd_ticket_object_new (CdTicket *ticket)
{
  CdTicketObject *self = g_object_new (CD_TYPE_TICKET_OBJECT, NULL);

  self->ticket = ticket;
  return self;
}

/**
 * cd_ticket_object_get_ticket:
 * @self: a ticket object
 *
 * Returns: (transfer none): the ticket
 */
CdTicket *
cd_ticket_object_get_ticket (CdTicketObject *self)
{
  g_return_val_if_fail (CD_IS_TICKET_OBJECT (self), NULL);

  return self->ticket;
}

/**
 * cd_ticket_format_address_in:
 * @store: (nullable): the store whose reference data names the district
 * @ticket: a ticket
 *
 * Returns: (transfer full): "ul. Pushkina 7, 12 (Oktyabrsky)", the district
 *   by its name in the user's language (cd_store_reference_name()), or by
 *   its code without @store
 */
char *
cd_ticket_format_address_in (CdStore        *store,
                             const CdTicket *ticket)
{
  GString *s = g_string_new (NULL);

  if (!cd_ticket_has_address (ticket))
    /* Translators: the address of a ticket registered without one. */
    g_string_append (s, _("No address"));
  else
    g_string_append_printf (s, "%s %s", ticket->street != NULL ? ticket->street : "",
                            ticket->building != NULL ? ticket->building : "");
  if (ticket->flat != NULL && *ticket->flat != '\0')
    /* Translators: a flat number after the street and building. */
    g_string_append_printf (s, _(", flat %s"), ticket->flat);
  if (ticket->district != NULL && *ticket->district != '\0' &&
      (cd_ticket_has_address (ticket) || !g_str_equal (ticket->district, "unknown")))
    g_string_append_printf (s, " (%s)", cd_store_reference_name (store, CD_REFERENCE_DISTRICT,
                                                                 ticket->district));
  return g_string_free (s, FALSE);
}

/**
 * cd_ticket_format_address:
 * @ticket: a ticket
 *
 * Returns: (transfer full): cd_ticket_format_address_in() without a store:
 *   the district by its code
 */
char *
cd_ticket_format_address (const CdTicket *ticket)
{
  return cd_ticket_format_address_in (NULL, ticket);
}

struct _CdTicketListModel
{
  GObject        parent_instance;

  CdStore       *store;
  sqlite3_stmt  *by_rowid;

  GArray        *ids;
  GHashTable    *pages;
  GQueue         page_order;
  guint          n_built;
  guint          n_queries;
  guint          total;

  CdTicketSort   sort;
  gboolean       descending;
  CdTicketFilter *filter;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CdTicketListModel, cd_ticket_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
cd_ticket_list_model_get_item_type (GListModel *model)
{
  return CD_TYPE_TICKET_OBJECT;
}

static guint
cd_ticket_list_model_get_n_items (GListModel *model)
{
  CdTicketListModel *self = CD_TICKET_LIST_MODEL (model);

  return self->ids->len;
}

static void
forget_pages (CdTicketListModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
  self->n_built = 0;
}

static GPtrArray *
load_page (CdTicketListModel *self,
           guint              page)
{
  GPtrArray *objects;
  guint first = page * CD_TICKET_LIST_PAGE_SIZE;
  guint last = MIN (first + CD_TICKET_LIST_PAGE_SIZE, self->ids->len);

  if (self->by_rowid == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM tickets WHERE rowid = ?1",
                                              cd_store_ticket_columns ());

      if (sqlite3_prepare_v3 (self->store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                              &self->by_rowid, NULL) != SQLITE_OK)
        {
          g_critical ("Cannot read tickets from “%s”: %s",
                      cd_store_get_path (self->store), sqlite3_errmsg (self->store->db));
          return NULL;
        }
    }

  objects = g_ptr_array_new_full (last - first, g_object_unref);
  for (guint i = first; i < last; i++)
    {
      CdTicket *ticket = NULL;

      sqlite3_bind_int64 (self->by_rowid, 1, g_array_index (self->ids, gint64, i));
      if (sqlite3_step (self->by_rowid) == SQLITE_ROW)
        ticket = cd_store_ticket_from_row (self->by_rowid);
      sqlite3_reset (self->by_rowid);

      /* A row removed since the ids were read cannot happen (nothing is
       * deleted), but an empty ticket is better than a hole in the list. */
      if (ticket == NULL)
        ticket = cd_ticket_new ();
      g_ptr_array_add (objects, cd_ticket_object_new (ticket));
    }

  self->n_queries++;
  self->n_built += objects->len;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), objects);
  g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));

  while (g_queue_get_length (&self->page_order) > CD_TICKET_LIST_MAX_PAGES)
    {
      gpointer oldest = g_queue_pop_head (&self->page_order);
      GPtrArray *old = g_hash_table_lookup (self->pages, oldest);

      self->n_built -= old->len;
      g_hash_table_remove (self->pages, oldest);
    }
  return objects;
}

static gpointer
cd_ticket_list_model_get_item (GListModel *model,
                               guint       position)
{
  CdTicketListModel *self = CD_TICKET_LIST_MODEL (model);
  guint page = position / CD_TICKET_LIST_PAGE_SIZE;
  GPtrArray *objects;

  if (position >= self->ids->len)
    return NULL;

  objects = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (objects == NULL && (objects = load_page (self, page)) == NULL)
    return NULL;
  return g_object_ref (g_ptr_array_index (objects, position % CD_TICKET_LIST_PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cd_ticket_list_model_get_item_type;
  iface->get_n_items = cd_ticket_list_model_get_n_items;
  iface->get_item = cd_ticket_list_model_get_item;
}

static void
cd_ticket_list_model_finalize (GObject *object)
{
  CdTicketListModel *self = CD_TICKET_LIST_MODEL (object);

  forget_pages (self);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->by_rowid, sqlite3_finalize);
  g_clear_object (&self->store);
  g_clear_pointer (&self->filter, cd_ticket_filter_free);

  G_OBJECT_CLASS (cd_ticket_list_model_parent_class)->finalize (object);
}

static void
cd_ticket_list_model_class_init (CdTicketListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_ticket_list_model_finalize;
}

static void
cd_ticket_list_model_init (CdTicketListModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->page_order);
  self->sort = CD_TICKET_SORT_OVERDUE_BY;
  self->descending = TRUE;
  self->filter = g_new0 (CdTicketFilter, 1);
  self->filter->open_only = TRUE;
  self->filter->now = g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * cd_ticket_list_model_new:
 * @store: the store to read
 *
 * The model starts empty: set a filter (or call
 * cd_ticket_list_model_reload()) to fill it.
 *
 * Returns: (transfer full): the model
 */
CdTicketListModel *
cd_ticket_list_model_new (CdStore *store)
{
  CdTicketListModel *self;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);

  self = g_object_new (CD_TYPE_TICKET_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  return self;
}

CdStore *
cd_ticket_list_model_get_store (CdTicketListModel *self)
{
  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), NULL);

  return self->store;
}

static const char *
order_keys (CdTicketSort sort)
{
  /* Each key list ends in the number, so the order is total and stable. */
  switch (sort)
    {
    case CD_TICKET_SORT_NUMBER:
      return "number";
    case CD_TICKET_SORT_CATEGORY:
      return "category, number";
    case CD_TICKET_SORT_ADDRESS:
      return "district, street, CAST (building AS INTEGER), building, CAST (flat AS INTEGER), "
             "number";
    case CD_TICKET_SORT_EXECUTOR:
      return "coalesce (executor, ''), number";
    case CD_TICKET_SORT_TARGET:
      return "coalesce (policy, kind), number";
    case CD_TICKET_SORT_DUE:
      return "due_at IS NULL, due_at, number";
    case CD_TICKET_SORT_OVERDUE_BY:
      /* Overdue by more means due earlier. */
      return "due_at IS NOT NULL, -due_at, number";
    case CD_TICKET_SORT_STATE:
      return "state, number";
    case CD_TICKET_N_SORTS:
    default:
      return "number";
    }
}

static char *
order_clause (CdTicketSort sort,
              gboolean     descending)
{
  g_auto(GStrv) keys = g_strsplit (order_keys (sort), ", ", -1);
  GString *sql = g_string_new (" ORDER BY ");

  for (guint i = 0; keys[i] != NULL; i++)
    g_string_append_printf (sql, "%s%s%s", i > 0 ? ", " : "", keys[i], descending ? " DESC" : "");
  return g_string_free (sql, FALSE);
}

/**
 * cd_ticket_list_query:
 * @store: the store to read: a model's, or a read connection on a worker
 *   thread
 * @filter: which tickets
 * @sort: in which order
 * @descending: whether the order is reversed
 * @total: (out): the tickets before the filters (the open ones, with
 *   @filter's open_only)
 * @error: return location for an error
 *
 * The row ids of the tickets of a list, in order, for
 * cd_ticket_list_model_set_ids().
 *
 * Returns: (transfer full): the row ids (gint64), or %NULL with @error set
 */
GArray *
cd_ticket_list_query (CdStore               *store,
                      const CdTicketFilter  *filter,
                      CdTicketSort           sort,
                      gboolean               descending,
                      guint                 *total,
                      GError               **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *where = NULL;
  g_autofree char *order = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *total_sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (total != NULL, NULL);

  *total = 0;
  if (!cd_store_require_sqlite (store, _("listing tickets"), error))
    return NULL;
  where = cd_ticket_filter_where (filter, TRUE);
  order = order_clause (sort, descending);
  sql = g_strdup_printf ("SELECT rowid FROM tickets%s%s", where, order);
  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (store, _("listing tickets"), error);
      return NULL;
    }
  cd_ticket_filter_bind (filter, store, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (store, _("listing tickets"), error);
      return NULL;
    }

  g_clear_pointer (&where, g_free);
  where = cd_ticket_filter_where (filter, FALSE);
  total_sql = g_strdup_printf ("SELECT count(*) FROM tickets%s", where);
  if (sqlite3_prepare_v2 (store->db, total_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (store, _("counting tickets"), error);
      return NULL;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *total = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return g_steal_pointer (&ids);
}

/**
 * cd_ticket_list_model_set_ids:
 * @self: a model
 * @ids: (transfer full): the row ids, as cd_ticket_list_query() reads them
 * @total: the tickets before the filters
 *
 * Shows these tickets and tells the view that everything changed. Built
 * tickets are dropped, so the next get_item() shows them as they are now.
 */
void
cd_ticket_list_model_set_ids (CdTicketListModel *self,
                              GArray            *ids,
                              guint              total)
{
  guint old_n;

  g_return_if_fail (CD_IS_TICKET_LIST_MODEL (self));
  g_return_if_fail (ids != NULL);

  old_n = self->ids->len;
  forget_pages (self);
  g_array_unref (self->ids);
  self->ids = ids;
  self->total = total;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->ids->len);
}

/**
 * cd_ticket_list_model_reload:
 * @self: a model
 * @error: return location for an error
 *
 * Reads the matching row ids again, on the calling thread, and sets them.
 * A dashboard reads them off the main loop with cd_ticket_list_query()
 * instead; the command line and the tests call this.
 *
 * Returns: whether the model was reloaded; on failure it is left as it was
 */
gboolean
cd_ticket_list_model_reload (CdTicketListModel  *self,
                             GError            **error)
{
  GArray *ids;
  guint total;

  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), FALSE);

  if (!cd_store_flush (self->store, error))
    return FALSE;
  ids = cd_ticket_list_query (self->store, self->filter, self->sort, self->descending, &total,
                              error);
  if (ids == NULL)
    return FALSE;
  cd_ticket_list_model_set_ids (self, ids, total);
  return TRUE;
}

/**
 * cd_ticket_list_model_set_filter:
 * @self: a model
 * @filter: the filter; copied
 * @error: return location for an error
 *
 * Keeps @filter (see cd_ticket_filter_copy()) and reloads.
 *
 * Returns: whether the model was reloaded
 */
gboolean
cd_ticket_list_model_set_filter (CdTicketListModel     *self,
                                 const CdTicketFilter  *filter,
                                 GError               **error)
{
  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), FALSE);
  g_return_val_if_fail (filter != NULL, FALSE);

  cd_ticket_filter_free (self->filter);
  self->filter = cd_ticket_filter_copy (filter);
  return cd_ticket_list_model_reload (self, error);
}

gboolean
cd_ticket_list_model_set_sort (CdTicketListModel  *self,
                               CdTicketSort        sort,
                               gboolean            descending,
                               GError            **error)
{
  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), FALSE);
  g_return_val_if_fail (sort < CD_TICKET_N_SORTS, FALSE);

  self->sort = sort;
  self->descending = !!descending;
  return cd_ticket_list_model_reload (self, error);
}

/**
 * cd_ticket_list_model_get_n_built:
 * @self: a model
 *
 * Returns: how many ticket objects the model holds now (bounded by
 *   %CD_TICKET_LIST_PAGE_SIZE × %CD_TICKET_LIST_MAX_PAGES)
 */
guint
cd_ticket_list_model_get_n_built (CdTicketListModel *self)
{
  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), 0);

  return self->n_built;
}

/* Returns: how many pages were read since the model was made. */
guint
cd_ticket_list_model_get_n_queries (CdTicketListModel *self)
{
  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), 0);

  return self->n_queries;
}

/* Returns: the tickets before the filters (open ones, with open_only). */
guint
cd_ticket_list_model_get_total (CdTicketListModel *self)
{
  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), 0);

  return self->total;
}

/**
 * cd_csv_append_field:
 * @line: the line so far
 * @field: (nullable): a field
 *
 * Appends a field as RFC 4180 has it: quoted when it holds a comma, a
 * quote or a line break, with quotes doubled.
 */
void
cd_csv_append_field (GString    *line,
                     const char *field)
{
  if (field == NULL)
    return;
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (line, field);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static char *
format_iso (gint64 time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (time == 0 || (dt = g_date_time_new_from_unix_local (time)) == NULL)
    return g_strdup ("");
  return g_date_time_format_iso8601 (dt);
}

static const char * const column_codes[CD_TICKET_N_COLUMNS] = {
  [CD_TICKET_COLUMN_NUMBER] = "number",
  [CD_TICKET_COLUMN_KIND] = "kind",
  [CD_TICKET_COLUMN_CATEGORY] = "category",
  [CD_TICKET_COLUMN_ADDRESS] = "address",
  [CD_TICKET_COLUMN_DISTRICT] = "district",
  [CD_TICKET_COLUMN_EXECUTOR] = "executor",
  [CD_TICKET_COLUMN_TARGET] = "target",
  [CD_TICKET_COLUMN_REGISTERED] = "registered",
  [CD_TICKET_COLUMN_DUE] = "due",
  [CD_TICKET_COLUMN_OVERDUE_SECONDS] = "overdue_seconds",
  [CD_TICKET_COLUMN_STATE] = "state",
};

/* The field of @column for @t; codes, not names, as --json has them. */
static char *
column_value (CdStore        *store,
              const CdTicket *t,
              CdTicketColumn  column,
              gint64          now)
{
  switch (column)
    {
    case CD_TICKET_COLUMN_NUMBER:
      return g_strdup (t->number);
    case CD_TICKET_COLUMN_KIND:
      return g_strdup (cd_ticket_kind_to_string (t->kind));
    case CD_TICKET_COLUMN_CATEGORY:
      return g_strdup (t->category);
    case CD_TICKET_COLUMN_ADDRESS:
      return cd_ticket_format_address_in (store, t);
    case CD_TICKET_COLUMN_DISTRICT:
      return g_strdup (t->district);
    case CD_TICKET_COLUMN_EXECUTOR:
      return g_strdup (t->executor);
    case CD_TICKET_COLUMN_TARGET:
      return g_strdup (t->policy != NULL ? t->policy : cd_ticket_kind_to_string (t->kind));
    case CD_TICKET_COLUMN_REGISTERED:
      return format_iso (t->created_at);
    case CD_TICKET_COLUMN_DUE:
      return format_iso (t->due_at);
    case CD_TICKET_COLUMN_OVERDUE_SECONDS:
      return t->due_at != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, now - t->due_at) : NULL;
    case CD_TICKET_COLUMN_STATE:
      return g_strdup (cd_ticket_state_to_string (t->state));
    case CD_TICKET_N_COLUMNS:
    default:
      return NULL;
    }
}

/**
 * cd_ticket_list_model_write_csv:
 * @self: a model
 * @out: where to write
 * @columns: (array length=n_columns): the columns the dashboard exports
 * @n_columns: how many
 * @now: Unix seconds, for the overdue column
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Writes every ticket of the model, in its order, as CSV with a header
 * line of the columns' codes; times in ISO 8601, seconds overdue negative
 * while time is left. No column holds a phone: a list export is not a
 * reason to read them.
 *
 * Returns: whether all was written
 */
gboolean
cd_ticket_list_model_write_csv (CdTicketListModel    *self,
                                GOutputStream        *out,
                                const CdTicketColumn *columns,
                                guint                 n_columns,
                                gint64                now,
                                GCancellable         *cancellable,
                                GError              **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (CD_IS_TICKET_LIST_MODEL (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (columns != NULL && n_columns > 0, FALSE);

  for (guint c = 0; c < n_columns; c++)
    {
      g_return_val_if_fail (columns[c] < CD_TICKET_N_COLUMNS, FALSE);
      if (c > 0)
        g_string_append_c (line, ',');
      g_string_append (line, column_codes[columns[c]]);
    }
  g_string_append (line, "\r\n");
  if (!g_output_stream_write_all (out, line->str, line->len, NULL, cancellable, error))
    return FALSE;

  n = self->ids->len;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (self), i);

      if (object == NULL)
        return cd_store_set_sql_error (self->store, _("exporting tickets"), error);

      g_string_truncate (line, 0);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *value = column_value (self->store, object->ticket, columns[c], now);

          if (c > 0)
            g_string_append_c (line, ',');
          cd_csv_append_field (line, value);
        }
      g_string_append (line, "\r\n");
      if (!g_output_stream_write_all (out, line->str, line->len, NULL, cancellable, error))
        return FALSE;
    }
  return TRUE;
}
