// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-demo-calls.c: the demo's simulated PBX written into a store
 *
 * The model's lines go through the same reader as a real PBX's log
 * (CdQueueLog) and each call it ends through cd_store_add_call(), so the
 * demo's history exercises the importer. The model runs a day at a time,
 * and each day's calls are written in one transaction: a year is a few
 * hundred commits of a few thousand calls, neither one commit per call nor
 * one transaction the size of the year. The contact centre calls its lost
 * callers back (cd_demo_pbx_plan_callback()) as the history goes, so that
 * the demo's missed calls are work done, with a few late and some left.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-call-tickets.h"
#include "cd-demo-city.h"
#include "cd-queue-log.h"
#include "cd-store-calls.h"
#include "cd-store-demo-calls.h"
#include "cd-store-demo.h"
#include "cd-store-private.h"
#include "cd-store-recordings.h"
#include "cd-store-users.h"

#define SLICE (24 * 3600)
/* Who calls the demo's lost callers back: the demo's operator account. */
#define CALLBACK_ACTOR "operator"
#define CALLBACK_ROLE "operator"
/* Who links a complaint to the call it is about: quality control. */
#define COMPLAINT_ACTOR "qc1"
#define COMPLAINT_ROLE "qc"

typedef struct
{
  CdQueueLog        *log;
  CdDemoPbxLineFunc  tee;
  gpointer           tee_data;
} Feed;

static void
on_line (gint64      time,
         const char *line,
         gsize       length,
         gpointer    user_data)
{
  Feed *feed = user_data;

  cd_queue_log_feed (feed->log, line, length);
  if (feed->tee != NULL)
    feed->tee (time, line, length, feed->tee_data);
}

static gboolean
add_slice (CdStore    *store,
           GPtrArray  *calls,
           guint64    *n_added,
           GError    **error)
{
  if (calls->len == 0)
    return TRUE;
  if (!cd_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < calls->len; i++)
    {
      gboolean added = FALSE;

      if (!cd_store_add_call (store, calls->pdata[i], &added, error))
        {
          cd_store_rollback (store);
          return FALSE;
        }
      *n_added += added;
    }
  return cd_store_commit (store, error);
}

/**
 * cd_store_demo_call_back:
 * @store: a store, in a transaction or not
 * @call: a missed call's journal id
 * @missed_at: when it was missed
 * @made: how many of its callbacks are recorded already
 * @until: the demo's clock: no callback after it is made
 * @n_made: (out) (optional): how many this call recorded
 * @error: return location for an error
 *
 * Records the demo contact centre's callbacks of one missed call
 * (cd_demo_pbx_plan_callback()) that are due by @until and not recorded
 * yet, until one reaches the caller or finds a wrong number. A call the
 * caller's own later call closed first is left alone.
 *
 * Returns: whether nothing failed
 */
gboolean
cd_store_demo_call_back (CdStore     *store,
                         const char  *call,
                         gint64       missed_at,
                         guint        made,
                         gint64       until,
                         guint       *n_made,
                         GError     **error)
{
  gint64 after = missed_at;
  guint count = 0;

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      CdCallbackOutcome outcome;
      gint64 at;

      if (!cd_demo_pbx_plan_callback (call, attempt, after, &at, &outcome) || at > until)
        break;
      after = at;
      if (attempt > made)
        {
          if (!cd_store_record_callback (store, call, outcome, CALLBACK_ACTOR, CALLBACK_ROLE, at,
                                         NULL, &local_error))
            {
              /* Closed by the caller's own call, or done another way. */
              if (g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT))
                break;
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          count++;
        }
      if (outcome == CD_CALLBACK_REACHED || outcome == CD_CALLBACK_WRONG_NUMBER)
        break;
    }
  if (n_made != NULL)
    *n_made = count;
  return TRUE;
}

/* The slice's missed calls called back, as far as the clock has come. */
static gboolean
call_back_slice (CdStore    *store,
                 GPtrArray  *calls,
                 gint64      until,
                 GError    **error)
{
  if (!cd_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < calls->len; i++)
    {
      const CdCall *call = calls->pdata[i];
      g_autofree char *id = NULL;

      if (!cd_call_is_missed (call))
        continue;
      id = cd_call_dup_entity (call);
      if (!cd_store_demo_call_back (store, id, call->ended_at, 0, until, NULL, error))
        {
          cd_store_rollback (store);
          return FALSE;
        }
    }
  return cd_store_commit (store, error);
}

/* The demo city's complaints about the contact center
 * (cd_demo_complaint_is_about_call()) registered in [from, to), each linked
 * to a call an operator answered shortly before it, as the store links a
 * complaint registered with `about`. The city's tickets are written before
 * its calls, so the link comes after the complaint's other events. */
static gboolean
link_call_complaints (CdStore  *store,
                      gint64    from,
                      gint64    to,
                      GError  **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  if ((stmt = cd_store_prepare (store, "SELECT id, description FROM tickets "
                                "WHERE kind = 'complaint' AND created_at >= ?1 "
                                "AND created_at < ?2 ORDER BY created_at, number",
                                _("linking complaints to calls"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    if (cd_demo_complaint_is_about_call (cd_db_column_text (stmt, 1)))
      g_ptr_array_add (ids, g_strdup (cd_db_column_text (stmt, 0)));
  g_clear_pointer (&stmt, cd_db_stmt_free);
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (store, _("linking complaints to calls"), db_error, error);
  if (ids->len == 0)
    return TRUE;

  /* By the time the call entered, which calls_figures indexes: by its end,
   * the search read every call of the year for each complaint. The
   * window's start is bound, not computed from ?1: PostgreSQL would type
   * ?1 by `?1 - 3 * 86400` as a 32-bit integer. */
  sql = g_strdup_printf ("SELECT id FROM calls WHERE entered_at <= ?1 AND entered_at > ?3 "
                         "AND agent IS NOT NULL AND answered_at IS NOT NULL "
                         "AND ended_at <= ?1 "
                         "ORDER BY entered_at DESC, id%s LIMIT 1 OFFSET ?2",
                         cd_db_dialect (store->conn, CD_DB_DIALECT_BINARY_ORDER));
  if ((stmt = cd_store_prepare (store, sql, _("linking complaints to calls"), error)) == NULL)
    return FALSE;
  if (!cd_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CdTicket) ticket = cd_store_load_ticket (store, ids->pdata[i], error);
      g_autoptr(JsonObject) link = NULL;
      g_autoptr(CdEvent) event = NULL;
      g_autofree char *call = NULL;

      if (ticket == NULL)
        goto fail;
      /* One of the calls before it, the same one on every run. */
      cd_db_reset (stmt);
      cd_db_bind_int64 (stmt, 1, ticket->created_at);
      cd_db_bind_int64 (stmt, 2, g_str_hash (ticket->number) % 8);
      cd_db_bind_int64 (stmt, 3, ticket->created_at - 3 * 86400);
      rc = cd_db_step (stmt, &db_error);
      if (rc == CD_DB_ROW)
        call = g_strdup (cd_db_column_text (stmt, 0));
      else if (rc == CD_DB_FAILED)
        {
          cd_store_db_error (store, _("linking complaints to calls"), db_error, error);
          goto fail;
        }
      if (call == NULL)
        continue;
      link = json_object_new ();
      json_object_set_string_member (link, "relation", "about");
      json_object_set_string_member (link, "target", call);
      json_object_set_string_member (link, "about", "call");
      event = cd_event_new (ticket->id, "link", COMPLAINT_ACTOR, COMPLAINT_ROLE,
                            MAX (ticket->created_at + 600, ticket->updated_at + 60), link);
      if (!cd_store_append (store, ticket, event, error))
        goto fail;
    }
  return cd_store_commit (store, error);

fail:
  cd_store_rollback (store);
  return FALSE;
}

/* Tells the model of the city's requests registered by phone in
 * [@from, @to) (cd_demo_pbx_expect_ticket()): the city's tickets are
 * written before its calls, and a call is the resident's of one. */
static gboolean
expect_tickets (CdStore    *store,
                CdDemoPbx  *pbx,
                gint64      from,
                gint64      to,
                GError    **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  if ((stmt = cd_store_prepare (store, "SELECT created_at, resident_phone FROM tickets "
                                "WHERE created_at >= ?1 AND created_at < ?2 "
                                "AND channel = '" CD_CALL_TICKET_CHANNEL "' "
                                "ORDER BY created_at, number",
                                _("reading the tickets of a call"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    cd_demo_pbx_expect_ticket (pbx, cd_db_column_int64 (stmt, 0), cd_db_column_text (stmt, 1));
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (store, _("reading the tickets of a call"), db_error, error);
  return TRUE;
}

/**
 * cd_store_demo_add_calls:
 * @store: a store, not in a transaction
 * @pbx: the model, run from where it is to @until
 * @until: Unix seconds: the lines before it are read
 * @seed: the city's seed, from which the salts of the callers' numbers
 *   are derived (the same seed, the same journal); 0 for random salts
 * @tee: (nullable): also given every line, e.g. to write a queue_log file
 * @tee_data: for @tee
 * @n_added: (out): the calls journaled
 * @error: a #CD_STORE_ERROR
 *
 * Runs the model and journals each call that ends before @until. Calls
 * still open then are left to whoever reads the model's later lines (the
 * live server's follower finds their entry from their end).
 *
 * Returns: whether every call was written; on failure the days written
 *   before stay
 */
gboolean
cd_store_demo_add_calls (CdStore            *store,
                         CdDemoPbx          *pbx,
                         gint64              until,
                         guint64             seed,
                         CdDemoPbxLineFunc   tee,
                         gpointer            tee_data,
                         guint64            *n_added,
                         GError            **error)
{
  g_autoptr(CdQueueLog) log = cd_queue_log_new (CD_QUEUE_LOG_FLAT);
  Feed feed = { log, tee, tee_data };
  gboolean ok = TRUE;
  gint64 expected_until;

  g_return_val_if_fail (CD_IS_STORE (store), FALSE);
  g_return_val_if_fail (pbx != NULL, FALSE);

  *n_added = 0;
  if (!cd_store_set_bulk (store, TRUE, error))
    return FALSE;
  cd_store_seed_salts (store, seed != 0, seed);
  expected_until = cd_demo_pbx_get_time (pbx);
  while (ok && cd_demo_pbx_get_time (pbx) < until)
    {
      g_autoptr(GPtrArray) calls = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      gint64 slice_from = cd_demo_pbx_get_time (pbx);
      gint64 slice_to = MIN (until, slice_from + SLICE) + CD_DEMO_PBX_TICKET_LEAD_MAX + 1;

      if (!expect_tickets (store, pbx, expected_until, slice_to, error))
        {
          ok = FALSE;
          break;
        }
      expected_until = slice_to;
      cd_demo_pbx_advance (pbx, MIN (until, cd_demo_pbx_get_time (pbx) + SLICE), on_line, &feed);
      calls = cd_queue_log_take_calls (log);
      problems = cd_queue_log_take_problems (log);
      /* The model writes only what the reader reads: a problem is a bug. */
      if (problems->len > 0)
        {
          CdQueueLogProblem *p = problems->pdata[0];

          g_critical ("The demo's PBX wrote a line the reader refused: %s", p->message);
        }
      ok = add_slice (store, calls, n_added, error) &&
           call_back_slice (store, calls, until, error) &&
           link_call_complaints (store, slice_from, cd_demo_pbx_get_time (pbx), error);
    }
  cd_store_seed_salts (store, FALSE, 0);
  if (!ok)
    {
      cd_store_set_bulk (store, FALSE, NULL);
      return FALSE;
    }
  return cd_store_set_bulk (store, FALSE, error);
}

/**
 * cd_store_demo_link_agent:
 * @store: a demo database (see cd_store_demo_check())
 * @name: the demo's operator account
 * @error: %CD_STORE_ERROR_NOT_DEMO on a database that is not a demo's
 *
 * Links the demo's operator account, unless it is linked already, to the
 * PBX member who answered the most of the history's latest calls, those
 * the demo records (cd_store_write_demo_recordings()), so that the
 * account has calls to hear and evaluations to read. A demo without calls
 * leaves it unlinked.
 *
 * Returns: whether the account is as it should be
 */
gboolean
cd_store_demo_link_agent (CdStore     *store,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(CdUser) user = NULL;
  g_autofree char *agent = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (store), FALSE);

  if (!cd_store_demo_check (store, error) ||
      (user = cd_store_find_user (store, name, error)) == NULL)
    return FALSE;
  if (user->agent != NULL)
    return TRUE;
  /* Ties of agents and of ids in bytes' order on both backends. */
  sql = g_strdup_printf (
      "SELECT agent FROM (SELECT agent FROM calls "
      "  WHERE answered_at IS NOT NULL AND talk_seconds > 0 "
      "  AND agent IS NOT NULL ORDER BY entered_at DESC, id%s LIMIT "
      G_STRINGIFY (CD_DEMO_RECORDINGS_MAX) ") AS latest "
      "GROUP BY agent ORDER BY count(*) DESC, agent%s LIMIT 1",
      cd_db_dialect (store->conn, CD_DB_DIALECT_BINARY_ORDER),
      cd_db_dialect (store->conn, CD_DB_DIALECT_BINARY_ORDER));

  if ((stmt = cd_store_prepare (store, sql, _("reading the calls"), error)) == NULL)
    return FALSE;
  rc = cd_db_step (stmt, &db_error);
  if (rc == CD_DB_ROW)
    agent = g_strdup (cd_db_column_text (stmt, 0));
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (store, _("reading the calls"), db_error, error);
  return agent == NULL || cd_store_set_user_agent (store, name, agent, NULL, error);
}
