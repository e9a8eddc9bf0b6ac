// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-dispatch.c: a ticket's relatives (its mass incident, the
 * repeats at its building) and the check that the projection is what the
 * events say
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "cd-journal-db.h"
#include "cd-store-private.h"

static GPtrArray *
list_where (CdStore     *self,
            const char  *where,
            const char  *a,
            const char  *b,
            GError     **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  /* Numbers in their bytes' order on both backends. */
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM tickets WHERE %s "
                                          "ORDER BY created_at, number%s",
                                          cd_store_ticket_columns (), where,
                                          cd_db_dialect (self->conn,
                                                         CD_DB_DIALECT_BINARY_ORDER));
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  if (!cd_store_flush (self, error))
    return NULL;
  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("listing related tickets"), db_error, error), NULL;
  cd_db_bind_text (stmt, 1, a);
  if (b != NULL)
    cd_db_bind_text (stmt, 2, b);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (tickets, cd_store_ticket_from_db_row (stmt));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("listing related tickets"), db_error, error), NULL;
  return g_steal_pointer (&tickets);
}

/**
 * cd_store_list_incident:
 * @self: a store
 * @incident: an incident's name (the number of its first ticket)
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdTicket): the tickets of
 *   the mass incident in order of registration, or %NULL with @error set
 */
GPtrArray *
cd_store_list_incident (CdStore     *self,
                        const char  *incident,
                        GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (incident != NULL, NULL);

  return list_where (self, "incident = ?1", incident, NULL, error);
}

/**
 * cd_store_list_repeats:
 * @self: a store
 * @ticket: a ticket
 * @error: return location for an error
 *
 * The series @ticket belongs to: the first ticket at its building and
 * category and every repeat linked to it, @ticket included.
 *
 * Returns: (transfer container) (element-type CdTicket): the tickets in
 *   order of registration, or %NULL with @error set
 */
GPtrArray *
cd_store_list_repeats (CdStore         *self,
                       const CdTicket  *ticket,
                       GError         **error)
{
  const char *root;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  root = ticket->repeat_of != NULL ? ticket->repeat_of : ticket->number;
  return list_where (self, "number = ?1 OR repeat_of = ?1", root, NULL, error);
}

static gboolean
same_string (const char *a,
             const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

/* The first column of the projection that differs, or NULL. */
static const char *
compare_tickets (const CdTicket *stored,
                 const CdTicket *replayed)
{
#define CHECK(cond, name) if (!(cond)) return name
  CHECK (same_string (stored->number, replayed->number), "number");
  CHECK (stored->kind == replayed->kind, "kind");
  CHECK (same_string (stored->category, replayed->category), "category");
  CHECK (same_string (stored->channel, replayed->channel), "channel");
  CHECK (same_string (stored->district, replayed->district), "district");
  CHECK (same_string (stored->street, replayed->street), "street");
  CHECK (same_string (stored->building, replayed->building), "building");
  CHECK (same_string (stored->flat, replayed->flat), "flat");
  CHECK (same_string (stored->resident_name, replayed->resident_name), "resident_name");
  CHECK (same_string (stored->resident_phone, replayed->resident_phone), "resident_phone");
  CHECK (same_string (stored->description, replayed->description), "description");
  CHECK (same_string (stored->executor, replayed->executor), "executor");
  CHECK (same_string (stored->repeat_of, replayed->repeat_of), "repeat_of");
  CHECK (same_string (stored->duplicate_of, replayed->duplicate_of), "duplicate_of");
  CHECK (same_string (stored->notice, replayed->notice), "notice");
  CHECK (same_string (stored->incident, replayed->incident), "incident");
  CHECK (same_string (stored->policy, replayed->policy), "policy");
  CHECK (stored->state == replayed->state, "state");
  CHECK (stored->created_at == replayed->created_at, "created_at");
  CHECK (stored->updated_at == replayed->updated_at, "updated_at");
  CHECK (stored->executor_at == replayed->executor_at, "executor_at");
  CHECK (stored->assigned_at == replayed->assigned_at, "assigned_at");
  CHECK (stored->accepted_at == replayed->accepted_at, "accepted_at");
  CHECK (stored->resolved_at == replayed->resolved_at, "resolved_at");
  CHECK (stored->closed_at == replayed->closed_at, "closed_at");
  CHECK (stored->due_at == replayed->due_at, "due_at");
  CHECK (stored->at_risk_at == replayed->at_risk_at, "at_risk_at");
  CHECK (stored->breached == replayed->breached, "breached");
  CHECK (same_string (stored->clocks, replayed->clocks), "clocks");
  CHECK (stored->reopen_count == replayed->reopen_count, "reopen_count");
  CHECK (stored->escalations == replayed->escalations, "escalations");
  CHECK (stored->reminders == replayed->reminders, "reminders");
  CHECK (stored->extensions == replayed->extensions, "extensions");
  CHECK (stored->last_seq == replayed->last_seq, "last_seq");
  CHECK (stored->state != CD_TICKET_STATE_WAITING || stored->resume_state == replayed->resume_state,
         "resume_state");
#undef CHECK
  return NULL;
}

static gboolean
check_one (CdStore     *self,
           CdSlaLibrary *sla,
           GPtrArray   *events,
           CdDbStmt    *load,
           char       **bad_number,
           GError     **error)
{
  g_autoptr(CdTicket) replayed = NULL;
  g_autoptr(CdTicket) stored = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stored_history = NULL;
  g_autofree char *replayed_history = NULL;
  CdEvent *first = events->pdata[0];
  GError *db_error = NULL;
  const char *column;
  CdDbStep step;

  /* Other entities share the journal (a read of a phone number, a user);
   * only tickets have a projection. */
  if (!g_str_equal (first->type, "register"))
    return TRUE;

  replayed = cd_ticket_new_from_events ((CdEvent * const *) events->pdata, events->len,
                                        &local_error);
  if (replayed != NULL && replayed->policy != NULL &&
      !cd_sla_library_update (sla, replayed, &local_error))
    g_clear_pointer (&replayed, cd_ticket_unref);

  cd_db_reset (load);
  cd_db_bind_text_static (load, 1, first->entity);
  step = cd_db_step (load, &db_error);
  if (step == CD_DB_ROW)
    {
      stored = cd_store_ticket_from_db_row (load);
      stored_history = g_strdup (cd_db_column_text (load, CD_STORE_TICKET_HISTORY_COLUMN));
    }
  cd_db_reset (load);
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading a ticket"), db_error, error);

  if (replayed == NULL)
    {
      *bad_number = g_strdup (stored != NULL ? stored->number : first->entity);
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Ticket %s: its events do not replay: %s"), *bad_number, local_error->message);
      return FALSE;
    }
  if (stored == NULL)
    {
      *bad_number = g_strdup (replayed->number);
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Ticket %s has events but no row in the tickets table."), replayed->number);
      return FALSE;
    }
  /* A row written before the history was kept has none: its history is
   * replayed when needed. */
  column = compare_tickets (stored, replayed);
  if (column == NULL && stored_history != NULL &&
      g_strcmp0 (stored_history, (replayed_history = cd_ticket_dup_history_text (replayed))) != 0)
    column = "sla_history";
  if (column != NULL)
    {
      *bad_number = g_strdup (stored->number);
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Ticket %s: the stored %s differs from what its events say."),
                   stored->number, column);
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_verify_projection:
 * @self: a store
 * @n_checked: (out) (optional): how many tickets match
 * @bad_number: (out) (optional) (transfer full): the first ticket whose
 *   row differs, or %NULL
 * @error: %CD_STORE_ERROR_CONFLICT naming that ticket and the column
 *
 * Replays every ticket's events with cd_ticket_apply() and the SLA engine
 * and compares the result with the stored row, ticket by ticket in the
 * order of their first event. Also checks that no row lacks events.
 *
 * Returns: whether every row is what its events say
 */
gboolean
cd_store_verify_projection (CdStore   *self,
                            gint64    *n_checked,
                            char     **bad_number,
                            GError   **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autofree char *load_sql = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(CdDbStmt) load = NULL;
  g_autoptr(CdDbStmt) count = NULL;
  GError *db_error = NULL;
  CdSlaLibrary *sla;
  gint64 n = 0, rows = 0;
  gboolean ok = TRUE;
  CdDbStep step = CD_DB_DONE;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (n_checked != NULL)
    *n_checked = 0;
  if (bad_number != NULL)
    *bad_number = NULL;
  if ((sla = cd_store_get_sla_library (self, error)) == NULL || !cd_store_flush (self, error))
    return FALSE;

  /* Events by ticket, tickets in the order they were first written: the
   * entity index gives each ticket's events in sequence order. */
  load_sql = g_strdup_printf ("SELECT %s, sla_history FROM tickets WHERE id = ?1",
                              cd_store_ticket_columns ());
  /* On PostgreSQL the whole journal is read at the first step
   * (cd_db_prepare()): fine for a city's years, to be paged by ticket
   * when a journal outgrows memory. */
  if ((load = cd_db_prepare (self->conn, load_sql, &db_error)) == NULL ||
      (stmt = cd_db_prepare (
           self->conn,
           "SELECT e.seq, e.entity, e.type, e.actor, e.role, e.time, e.payload, e.hash, "
           "e.personal, e.personal_hash "
           "FROM (SELECT entity, min(seq) AS first FROM events GROUP BY entity) AS f "
           "JOIN events AS e ON e.entity = f.entity ORDER BY f.first, e.seq",
           &db_error)) == NULL)
    return cd_store_db_error (self, _("replaying the journal"), db_error, error);

  while (ok && (step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdEvent *event = cd_journal_db_event_from_row (stmt);

      if (events->len > 0 && strcmp (((CdEvent *) events->pdata[0])->entity, event->entity) != 0)
        {
          ok = check_one (self, sla, events, load, &bad, error);
          n += ok && g_str_equal (((CdEvent *) events->pdata[0])->type, "register");
          g_ptr_array_set_size (events, 0);
        }
      g_ptr_array_add (events, event);
    }
  if (ok && step == CD_DB_FAILED)
    ok = cd_store_db_error (self, _("replaying the journal"), db_error, error);
  if (ok && events->len > 0)
    {
      ok = check_one (self, sla, events, load, &bad, error);
      n += ok && g_str_equal (((CdEvent *) events->pdata[0])->type, "register");
    }
  g_clear_pointer (&stmt, cd_db_stmt_free);

  if (ok)
    {
      if ((count = cd_db_prepare (self->conn, "SELECT count(*) FROM tickets", &db_error)) ==
              NULL ||
          cd_db_step (count, &db_error) != CD_DB_ROW)
        return cd_store_db_error (self, _("replaying the journal"), db_error, error);
      rows = cd_db_column_int64 (count, 0);
      if (rows != n)
        {
          g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                       _("The tickets table has %" PRId64 " rows, but the journal has "
                         "events for %" PRId64 " tickets."), rows, n);
          ok = FALSE;
        }
    }

  if (n_checked != NULL)
    *n_checked = n;
  if (bad_number != NULL)
    *bad_number = g_steal_pointer (&bad);
  return ok;
}
