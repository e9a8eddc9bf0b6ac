// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-action-source.h"
#include "cd-store-overdue.h"
#include "cd-store-reference.h"

typedef struct
{
  GPtrArray *tickets;     /* CdTicket */
  GPtrArray *executors;   /* codes */
} Selection;

typedef struct
{
  GStrv  numbers;
  gint64 now;
} Query;

struct _CdActionSource
{
  CdSource   parent_instance;

  GStrv      numbers;
  Selection *selection;
};

G_DEFINE_FINAL_TYPE (CdActionSource, cd_action_source, CD_TYPE_SOURCE)

static void
selection_free (Selection *selection)
{
  g_clear_pointer (&selection->tickets, g_ptr_array_unref);
  g_clear_pointer (&selection->executors, g_ptr_array_unref);
  g_free (selection);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Selection, selection_free)

static void
query_free (Query *query)
{
  g_strfreev (query->numbers);
  g_free (query);
}

static void
add_code (GPtrArray  *codes,
          GHashTable *seen,
          const char *code)
{
  if (code == NULL || *code == '\0' || g_hash_table_contains (seen, code))
    return;
  g_hash_table_add (seen, (gpointer) code);
  g_ptr_array_add (codes, g_strdup (code));
}

/* Worker thread. */
static gpointer
read_selection (CdStore  *reader,
                gpointer  data,
                GError  **error)
{
  Query *query = data;
  g_autoptr(Selection) selection = g_new0 (Selection, 1);
  g_autoptr(GPtrArray) reference = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  selection->tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  for (guint i = 0; query->numbers[i] != NULL; i++)
    {
      CdTicket *ticket = cd_store_load_ticket (reader, query->numbers[i], NULL);

      /* A ticket not in the cache is left out: the rest can be acted on. */
      if (ticket != NULL)
        g_ptr_array_add (selection->tickets, ticket);
    }

  selection->executors = g_ptr_array_new_with_free_func (g_free);
  if ((reference = cd_store_reference_list (reader, CD_REFERENCE_EXECUTOR, error)) == NULL ||
      (groups = cd_store_overdue_breakdown (reader, CD_OVERDUE_BY_EXECUTOR, query->now, error)) ==
          NULL)
    return NULL;
  for (guint i = 0; i < reference->len; i++)
    add_code (selection->executors, seen,
              ((CdReferenceEntry *) g_ptr_array_index (reference, i))->code);
  for (guint i = 0; i < groups->len; i++)
    add_code (selection->executors, seen, ((CdOverdueGroup *) g_ptr_array_index (groups, i))->key);
  return g_steal_pointer (&selection);
}

static void
apply_selection (CdSource     *source,
                 gpointer      result,
                 const GError *error)
{
  CdActionSource *self = CD_ACTION_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the selected tickets: %s", error->message);
      result = g_new0 (Selection, 1);
    }
  g_clear_pointer (&self->selection, selection_free);
  self->selection = result;
  cd_source_emit_changed (source);
}

static void
cd_action_source_refresh (CdSource *source)
{
  CdActionSource *self = CD_ACTION_SOURCE (source);
  Query *query = g_new0 (Query, 1);

  query->numbers = g_strdupv (self->numbers);
  query->now = cd_source_get_now (source);
  cd_source_run (source, 0, read_selection, query, (GDestroyNotify) query_free,
                 (GDestroyNotify) selection_free, apply_selection);
}

static void
cd_action_source_dispose (GObject *object)
{
  CdActionSource *self = CD_ACTION_SOURCE (object);

  g_clear_pointer (&self->selection, selection_free);
  g_clear_pointer (&self->numbers, g_strfreev);

  G_OBJECT_CLASS (cd_action_source_parent_class)->dispose (object);
}

static void
cd_action_source_class_init (CdActionSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_action_source_dispose;
  CD_SOURCE_CLASS (klass)->refresh = cd_action_source_refresh;
}

static void
cd_action_source_init (CdActionSource *self)
{
}

/**
 * cd_action_source_new:
 * @context: the cache and the moment
 * @numbers: (array zero-terminated=1): the selected tickets
 *
 * Returns: (transfer full): a source, not read yet (cd_source_refresh())
 */
CdActionSource *
cd_action_source_new (CdContext          *context,
                      const char * const *numbers)
{
  CdActionSource *self;

  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (numbers != NULL, NULL);

  self = g_object_new (CD_TYPE_ACTION_SOURCE, "context", context, NULL);
  self->numbers = g_strdupv ((char **) numbers);
  return self;
}

/* Returns: (transfer none) (nullable) (element-type CdTicket): the selected
 *   tickets the cache holds, %NULL before they are read */
GPtrArray *
cd_action_source_get_tickets (CdActionSource *self)
{
  g_return_val_if_fail (CD_IS_ACTION_SOURCE (self), NULL);

  return self->selection != NULL ? self->selection->tickets : NULL;
}

/* Returns: (transfer none) (nullable) (element-type utf8): the codes of
 *   the executor organizations, %NULL before they are read */
GPtrArray *
cd_action_source_get_executors (CdActionSource *self)
{
  g_return_val_if_fail (CD_IS_ACTION_SOURCE (self), NULL);

  return self->selection != NULL ? self->selection->executors : NULL;
}
