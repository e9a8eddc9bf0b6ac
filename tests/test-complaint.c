// SPDX-License-Identifier: GPL-3.0-or-later
//
// A complaint read from its ticket and events: the last classify and answer
// win, what it is about; the journal's CSV (columns, order, RFC 4180
// quoting, CR LF); the figures.

#include "config.h"

#include <string.h>

#include "cd-complaint.h"
#include "cd-event.h"
#include "cd-ticket.h"

#include "cd-test.h"

#define ID "00000000-0000-4000-8000-000000000002"
#define T0 1772434800 /* 2026-03-02 07:00 UTC, 10:00 MSK */

static CdTicket *
complaint_ticket (const char *number,
                  gint64      received,
                  const char *description)
{
  CdTicket *t = cd_ticket_new ();

  t->id = g_strdup (ID);
  t->number = g_strdup (number);
  t->kind = CD_TICKET_KIND_COMPLAINT;
  t->district = g_strdup ("Central");
  t->street = g_strdup ("Lenin St");
  t->building = g_strdup ("5");
  t->flat = g_strdup ("12");
  t->resident_name = g_strdup ("Olga Ivanova");
  t->description = g_strdup (description);
  t->created_at = received;
  return t;
}

static CdEvent *
ev (gint64      seq,
    const char *type,
    gint64      time,
    const char *payload)
{
  return cd_event_new_stored (seq, ID, type, "someone", "qc", time, payload, NULL);
}

static void
test_from_events (void)
{
  g_autoptr(CdTicket) t = complaint_ticket ("2026-000002", T0, "Rude crew");
  CdEvent *events[] = {
    ev (1, "link", T0, "{\"relation\":\"about\",\"target\":\"2026-000001\",\"about\":\"ticket\"}"),
    ev (2, "classify", T0 + 60, "{\"class\":\"A\",\"responsible\":\"Irina\"}"),
    ev (3, "classify", T0 + 120, "{\"class\":\"B\",\"responsible\":\"Pavel\"}"),
    ev (4, "answer", T0 + 3600,
        "{\"decision\":\"refused\",\"favour\":\"organization\",\"note\":\"No\","
        "\"reasons\":\"The crew was polite\"}"),
  };
  g_autoptr(CdComplaint) c = cd_complaint_new (t, events, G_N_ELEMENTS (events));

  g_assert_cmpstr (c->klass, ==, "B");
  g_assert_cmpstr (c->responsible, ==, "Pavel");
  g_assert_cmpstr (c->decision, ==, "refused");
  g_assert_cmpstr (c->favour, ==, "organization");
  g_assert_cmpstr (c->reasons, ==, "The crew was polite");
  g_assert_cmpstr (c->about, ==, "2026-000001");
  g_assert_cmpstr (c->about_kind, ==, "ticket");
  g_assert_cmpint (c->answered_at, ==, T0 + 3600);
  g_assert_cmpstr (c->complainant, ==, "Olga Ivanova, Lenin St 5, 12, Central");
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    cd_event_unref (events[i]);
}

static void
test_csv (void)
{
  g_autoptr(CdTicket) t1 = complaint_ticket ("2026-000002", T0, "No heating, \"again\"");
  g_autoptr(CdTicket) t2 = complaint_ticket ("2026-000005", T0 + 86400 * 2, "Two\nlines");
  g_autoptr(GTimeZone) msk = g_time_zone_new_identifier ("+03:00");
  CdEvent *answer = ev (1, "answer", T0 + 3600,
                        "{\"decision\":\"partly_upheld\",\"favour\":\"resident\",\"note\":\"x\"}");
  CdComplaint *rows[2];
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  rows[0] = cd_complaint_new (t1, &answer, 1);
  rows[1] = cd_complaint_new (t2, NULL, 0);
  csv = cd_complaint_journal_to_csv (rows, 2, msk);
  lines = g_strsplit (csv, "\r\n", -1);
  /* The header, two rows (one over two physical lines), the empty tail. */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "No.,Date received,Classification,Complainant’s name and address,"
                                 "Summary,Result,In whose favour");
  g_assert_cmpstr (lines[1], ==,
                   "2026-000002,2026-03-02,,\"Olga Ivanova, Lenin St 5, 12, Central\","
                   "\"No heating, \"\"again\"\"\",Partly upheld,Resident");
  g_assert_cmpstr (lines[2], ==,
                   "2026-000005,2026-03-04,,\"Olga Ivanova, Lenin St 5, 12, Central\","
                   "\"Two\nlines\",,");
  g_assert_cmpstr (lines[3], ==, "");
  cd_complaint_free (rows[0]);
  cd_complaint_free (rows[1]);
  cd_event_unref (answer);
}

static void
test_stats (void)
{
  g_autoptr(CdTicket) t = complaint_ticket ("2026-000002", T0, "x");
  CdEvent *upheld = ev (1, "answer", T0, "{\"decision\":\"upheld\",\"favour\":\"resident\"}");
  CdEvent *refused = ev (2, "answer", T0, "{\"decision\":\"refused\",\"favour\":\"organization\","
                                          "\"reasons\":\"r\"}");
  CdComplaint *rows[4];
  g_autoptr(JsonObject) stats = NULL;
  JsonArray *by_executor;
  JsonObject *row;

  rows[0] = cd_complaint_new (t, &upheld, 1);
  rows[0]->executor = g_strdup ("zhes-2");
  rows[0]->on_time = TRUE;
  rows[1] = cd_complaint_new (t, &refused, 1);
  rows[1]->executor = g_strdup ("zhes-1");
  rows[2] = cd_complaint_new (t, &upheld, 1);
  rows[2]->executor = g_strdup ("zhes-1");
  rows[2]->on_time = TRUE;
  rows[3] = cd_complaint_new (t, NULL, 0);
  stats = cd_complaint_stats (rows, 4);

  g_assert_cmpint (json_object_get_int_member (stats, "received"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (stats, "answered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (stats, "answered_on_time"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "decisions"),
                                               "upheld"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "decisions"),
                                               "partly_upheld"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "favour"),
                                               "organization"), ==, 1);
  by_executor = json_object_get_array_member (stats, "by_executor");
  g_assert_cmpuint (json_array_get_length (by_executor), ==, 3);
  row = json_array_get_object_element (by_executor, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "executor"), ==, "zhes-1");
  g_assert_cmpint (json_object_get_int_member (row, "received"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "refused"), ==, 1);
  row = json_array_get_object_element (by_executor, 2);
  g_assert_true (json_object_get_null_member (row, "executor"));
  g_assert_cmpint (json_object_get_int_member (row, "received"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    cd_complaint_free (rows[i]);
  cd_event_unref (upheld);
  cd_event_unref (refused);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, 0);

  g_test_add_func ("/complaint/from-events", test_from_events);
  g_test_add_func ("/complaint/csv", test_csv);
  g_test_add_func ("/complaint/stats", test_stats);

  return g_test_run ();
}
