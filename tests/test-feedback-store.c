// SPDX-License-Identifier: GPL-3.0-or-later
/* test-feedback-store.c: callback tasks projected from a real journal
 *
 * Tickets go through the store as the server takes them (cd_store_act()),
 * into a SQLite file; the tasks, attempts and figures are read back
 * through the API the dashboard uses.
 */

#include "config.h"

#include <math.h>

#include "cd-store.h"
#include "cd-store-feedback.h"
#include "cd-test.h"

typedef struct
{
  char    *path;
  CdStore *store;
  guint    n_tickets;
} Fixture;

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (t);
  return g_date_time_to_unix (t);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->path = g_build_filename (g_get_tmp_dir (), "feedback.db", NULL);
  f->store = cd_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_remove (f->path);
  g_free (f->path);
}

/* Registers a ticket with @executor and takes it to resolved at @time;
 * returns its number. */
static char *
resolved_ticket (Fixture    *f,
                 const char *kind,
                 const char *executor,
                 gint64      time)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const steps[] = { "accept", "start", "resolve" };
  /* A building and district each: tickets near each other would be
   * grouped as repeats or a mass incident. */
  g_autofree char *building = g_strdup_printf ("%u", ++f->n_tickets);

  json_object_set_string_member (fields, "kind", kind);
  json_object_set_string_member (fields, "category", "housing.heating");
  json_object_set_string_member (fields, "district", building);
  json_object_set_string_member (fields, "street", "Lenina");
  json_object_set_string_member (fields, "building", building);
  json_object_set_string_member (fields, "name", "Ivan Petrov");
  json_object_set_string_member (fields, "phone", "+7 495 123-45-67");
  json_object_set_string_member (fields, "description", "No heating");
  json_object_set_string_member (fields, "executor", executor);
  ticket = cd_store_register (f->store, fields, "olga", "operator", time - 3600, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(CdTicket) after = cd_store_act (f->store, ticket->number, steps[i], "sv",
                                                "supervisor", NULL, time - 60 + i * 30, &error);

      g_assert_no_error (error);
      g_assert_nonnull (after);
    }
  return g_strdup (ticket->number);
}

static CdTicket *
callback (Fixture     *f,
          const char  *number,
          const char  *outcome,
          gint64       time,
          GError     **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "outcome", outcome);
  if (g_str_equal (outcome, "partly_fixed"))
    json_object_set_string_member (payload, "note", "The radiator in the kitchen is still cold");
  /* A client's own idea of the attempt is never taken. */
  json_object_set_int_member (payload, "attempt", 3);
  json_object_set_boolean_member (payload, "last", TRUE);
  return cd_store_act (f->store, number, "callback", "fiona", "feedback", payload, time, error);
}

static CdFeedbackTask *
get_task (Fixture    *f,
          const char *number,
          const char *role)
{
  g_autoptr(GError) error = NULL;
  CdFeedbackTask *task = NULL;

  g_assert_true (cd_store_get_feedback_task (f->store, number, role, &task, &error));
  g_assert_no_error (error);
  return task;
}

static void
assert_no_task (Fixture    *f,
                const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdFeedbackTask) task = NULL;

  g_assert_false (cd_store_get_feedback_task (f->store, number, "feedback", &task, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
}

/* Friday evening: due by the calendar's working days (the 8th and 9th of
 * March 2026 are days off in Russia), called in the window on the
 * resident's clock; the phone only for roles that call. */
static void
test_task_created (Fixture       *f,
                   gconstpointer  data)
{
  gint64 resolved = at ("2026-03-06T19:00:00+03:00");
  g_autofree char *number = resolved_ticket (f, "routine", "zhes-1", resolved);
  g_autoptr(CdFeedbackTask) task = get_task (f, number, "feedback");
  g_autoptr(CdFeedbackTask) masked = get_task (f, number, "executor");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (task->number, ==, number);
  g_assert_cmpstr (task->executor, ==, "zhes-1");
  g_assert_cmpstr (task->category, ==, "housing.heating");
  g_assert_cmpstr (task->policy, ==, "callback-all");
  g_assert_cmpstr (task->description, ==, "No heating");
  g_assert_nonnull (strstr (task->address, "Lenina 1"));
  g_assert_cmpstr (task->resident, ==, "Ivan Petrov");
  g_assert_cmpstr (task->phone, ==, "+7 495 123-45-67");
  g_assert_cmpint (task->resolved_at, ==, resolved);
  g_assert_cmpuint (task->attempt, ==, 1);
  g_assert_cmpuint (task->attempts, ==, 3);
  g_assert_cmpuint (task->history->len, ==, 0);
  /* Tuesday and Wednesday are the two working days after Friday. */
  g_assert_cmpint (task->due, ==, at ("2026-03-11T18:00:00+03:00"));

  g_assert_null (masked->resident);
  g_assert_cmpstr (masked->phone, !=, task->phone);
  g_assert_null (strstr (masked->phone, "123"));

  /* At 19:30 on Friday the window is open until 20:00; at 21:00 it is
   * Saturday's. */
  g_assert_true (cd_store_list_feedback_tasks (f->store, at ("2026-03-06T19:30:00+03:00"), 0,
                                               TRUE, "feedback", &tasks, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpint (((CdFeedbackTask *) tasks->pdata[0])->window_end, ==,
                   at ("2026-03-06T20:00:00+03:00"));
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_true (cd_store_list_feedback_tasks (f->store, at ("2026-03-06T21:00:00+03:00"), 0,
                                               TRUE, "feedback", &tasks, &error));
  g_assert_cmpuint (tasks->len, ==, 0);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_true (cd_store_list_feedback_tasks (f->store, at ("2026-03-06T21:00:00+03:00"), 0,
                                               FALSE, "feedback", &tasks, &error));
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpint (((CdFeedbackTask *) tasks->pdata[0])->window_start, ==,
                   at ("2026-03-07T09:00:00+03:00"));
  g_clear_pointer (&tasks, g_ptr_array_unref);
  /* Due before: a bound below the due time leaves it out. */
  g_assert_true (cd_store_list_feedback_tasks (f->store, resolved, task->due, FALSE, NULL, &tasks,
                                               &error));
  g_assert_cmpuint (tasks->len, ==, 0);
}

/* Three attempts without an answer: the third, the policy's last, closes
 * the ticket unconfirmed; the attempt is the store's count, not the
 * client's. */
static void
test_last_attempt (Fixture       *f,
                   gconstpointer  data)
{
  gint64 resolved = at ("2026-03-02T10:00:00+03:00");
  g_autofree char *number = resolved_ticket (f, "routine", "zhes-1", resolved);
  static const char * const outcomes[] = { "no_answer", "busy", "wrong_number" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autoptr(CdTicket) t = callback (f, number, outcomes[i], resolved + (i + 1) * 3 * 3600,
                                        &error);

      g_assert_no_error (error);
      if (i + 1 < G_N_ELEMENTS (outcomes))
        {
          g_autoptr(CdFeedbackTask) task = get_task (f, number, "feedback");

          g_assert_cmpint (t->state, ==, CD_TICKET_STATE_RESOLVED);
          g_assert_cmpuint (task->attempt, ==, i + 2);
          g_assert_cmpuint (task->history->len, ==, i + 1);
          g_assert_cmpstr (((CdFeedbackAttempt *) task->history->pdata[i])->actor, ==, "fiona");
          g_assert_cmpint (((CdFeedbackAttempt *) task->history->pdata[i])->outcome, ==,
                           i == 0 ? CD_FEEDBACK_NO_ANSWER : CD_FEEDBACK_BUSY);
        }
      else
        g_assert_cmpint (t->state, ==, CD_TICKET_STATE_CLOSED_UNCONFIRMED);
    }
  assert_no_task (f, number);
}

/* Not fixed: reopened, with the same executor, counted against it; the
 * next resolve makes a new task. Partly fixed needs its note. */
static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  gint64 resolved = at ("2026-03-02T10:00:00+03:00");
  g_autofree char *number = resolved_ticket (f, "routine", "zhes-2", resolved);
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(CdTicket) again = NULL;
  g_autoptr(CdFeedbackStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) no_note = json_object_new ();

  json_object_set_string_member (no_note, "outcome", "partly_fixed");
  g_assert_null (cd_store_act (f->store, number, "callback", "fiona", "feedback", no_note,
                               resolved + 60, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "callback needs note"));
  g_clear_error (&error);

  t = callback (f, number, "not_fixed", resolved + 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->state, ==, CD_TICKET_STATE_REOPENED);
  g_assert_cmpstr (t->executor, ==, "zhes-2");
  g_assert_cmpuint (t->reopen_count, ==, 1);
  assert_no_task (f, number);

  g_clear_pointer (&t, cd_ticket_unref);
  t = cd_store_act (f->store, number, "accept", "sv", "supervisor", NULL, resolved + 7200, &error);
  g_assert_no_error (error);
  again = cd_store_act (f->store, number, "resolve", "sv", "supervisor", NULL, resolved + 7300,
                        &error);
  g_assert_no_error (error);
  {
    g_autoptr(CdFeedbackTask) task = get_task (f, number, "feedback");
    g_autoptr(CdTicket) closed = NULL;

    g_assert_cmpuint (task->attempt, ==, 1);
    g_assert_cmpint (task->resolved_at, ==, resolved + 7300);
    closed = callback (f, number, "confirmed", resolved + 9000, &error);
    g_assert_no_error (error);
    g_assert_cmpint (closed->state, ==, CD_TICKET_STATE_CLOSED);
  }

  g_assert_true (cd_store_feedback_stats (f->store, resolved - 86400, resolved + 86400,
                                          resolved + 86400, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats->attempts, ==, 2);
  g_assert_cmpuint (stats->reopened, ==, 1);
  g_assert_cmpuint (stats->confirmed, ==, 1);
  g_assert_cmpuint (stats->open, ==, 0);
  g_assert_cmpfloat (stats->reopen_rate, ==, 0.5);
  g_assert_cmpuint (stats->executors->len, ==, 1);
  g_assert_cmpuint (((CdFeedbackExecutorStats *) stats->executors->pdata[0])->resolved, ==, 2);
  g_assert_cmpuint (((CdFeedbackExecutorStats *) stats->executors->pdata[0])->reopened, ==, 1);
}

/* Information requests get no task, and a callback on one is refused by
 * a rule that says so; other roles and bad ratings are refused too. */
static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  gint64 resolved = at ("2026-03-02T10:00:00+03:00");
  g_autofree char *info = resolved_ticket (f, "information", "zhes-1", resolved);
  g_autofree char *number = resolved_ticket (f, "routine", "zhes-1", resolved);
  g_autoptr(JsonObject) rated = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(CdFeedbackTask) task = NULL;

  assert_no_task (f, info);
  g_assert_null (callback (f, info, "confirmed", resolved + 60, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "callback task"));
  g_clear_error (&error);

  g_assert_null (cd_store_act (f->store, number, "callback", "ed", "executor", rated,
                               resolved + 60, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_null (cd_store_act (f->store, number, "callback", "fiona", "feedback", rated,
                               resolved + 60, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  json_object_set_string_member (rated, "outcome", "maybe");
  g_assert_null (cd_store_act (f->store, number, "callback", "fiona", "feedback", rated,
                               resolved + 60, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  json_object_set_string_member (rated, "outcome", "confirmed");
  for (int bad = 0; bad <= 6; bad += 6)
    {
      json_object_set_int_member (rated, "rating", bad);
      g_assert_null (cd_store_act (f->store, number, "callback", "fiona", "feedback", rated,
                                   resolved + 60, &error));
      g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD);
      g_assert_nonnull (strstr (error->message, "rating"));
      g_clear_error (&error);
    }
  task = get_task (f, number, "feedback");
  g_assert_cmpuint (task->history->len, ==, 0);

  json_object_set_int_member (rated, "rating", 5);
  t = cd_store_act (f->store, number, "callback", "fiona", "feedback", rated, resolved + 60,
                    &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->state, ==, CD_TICKET_STATE_CLOSED);
}

/* Paid services: one in five within each executor, the first of each
 * among them, whatever the other executors do. */
static void
test_sample (Fixture       *f,
             gconstpointer  data)
{
  gint64 resolved = at ("2026-03-02T10:00:00+03:00");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  guint per[2] = { 0, 0 };

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *number = resolved_ticket (f, "paid", i % 2 ? "zhes-2" : "zhes-1",
                                                 resolved + i * 600);
      (void) number;
    }
  g_assert_true (cd_store_list_feedback_tasks (f->store, resolved, 0, FALSE, "feedback", &tasks,
                                               &error));
  g_assert_no_error (error);
  for (guint i = 0; i < tasks->len; i++)
    {
      CdFeedbackTask *task = tasks->pdata[i];

      g_assert_cmpstr (task->policy, ==, "callback-sample");
      per[g_str_equal (task->executor, "zhes-2")]++;
    }
  /* ⌈6 · 20 %⌉ = 2 each. */
  g_assert_cmpuint (per[0], ==, 2);
  g_assert_cmpuint (per[1], ==, 2);
  /* By due time. */
  for (guint i = 1; i < tasks->len; i++)
    g_assert_cmpint (((CdFeedbackTask *) tasks->pdata[i - 1])->due, <=,
                     ((CdFeedbackTask *) tasks->pdata[i])->due);
}

/* A fresh store fed the same journal (the desktop's cache) projects the
 * same tasks. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  gint64 resolved = at ("2026-03-02T10:00:00+03:00");
  g_autofree char *copy_path = g_build_filename (g_get_tmp_dir (), "copy.db", NULL);
  g_autoptr(CdStore) copy = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *number = resolved_ticket (f, "paid", "zhes-1", resolved + i * 600);

      if (i == 0)
        {
          g_autoptr(CdTicket) t = callback (f, number, "busy", resolved + 4000, &error);

          g_assert_nonnull (t);
        }
    }
  g_assert_no_error (error);

  copy = cd_store_open (copy_path, &error);
  g_assert_no_error (error);
  events = cd_store_list_events (f->store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (copy, &error));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_true (cd_store_import (copy, events->pdata[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (cd_store_commit (copy, &error));

  g_assert_true (cd_store_list_feedback_tasks (f->store, resolved, 0, FALSE, "feedback", &a,
                                               &error));
  g_assert_true (cd_store_list_feedback_tasks (copy, resolved, 0, FALSE, "feedback", &b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 2);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      CdFeedbackTask *x = a->pdata[i], *y = b->pdata[i];

      g_assert_cmpstr (x->number, ==, y->number);
      g_assert_cmpuint (x->attempt, ==, y->attempt);
      g_assert_cmpuint (x->history->len, ==, y->history->len);
    }
  g_clear_object (&copy);
  g_remove (copy_path);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

#define ADD(name, fn) \
  g_test_add (name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/feedback-store/task-created", test_task_created);
  ADD ("/feedback-store/last-attempt", test_last_attempt);
  ADD ("/feedback-store/reopen", test_reopen);
  ADD ("/feedback-store/refusals", test_refusals);
  ADD ("/feedback-store/sample", test_sample);
  ADD ("/feedback-store/replay", test_replay);
#undef ADD

  return g_test_run ();
}
