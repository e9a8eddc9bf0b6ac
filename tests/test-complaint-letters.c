// SPDX-License-Identifier: GPL-3.0-or-later
//
// A complaint's letters (every field, an unknown field named with its file
// and line, braces, the templates of a data folder per language), the rule
// that a refusal carries the notice of the right to appeal, the systemic
// groups (counts, the period before, growing, order, proposals) and the
// figures by operator and of residents who complain again.

#include "config.h"

#include <string.h>

#include "cd-complaint.h"
#include "cd-complaint-groups.h"
#include "cd-complaint-template.h"
#include "cd-complaint-templates.h"
#include "cd-dispatch.h"
#include "cd-event.h"
#include "cd-ticket.h"

#include "cd-test.h"

#define DAY 86400
#define T0 1772434800 /* 2026-03-02 07:00 UTC, 10:00 MSK */

static CdTicket *
complaint_ticket (const char *number,
                  gint64      received,
                  const char *street,
                  const char *building)
{
  CdTicket *t = cd_ticket_new ();

  t->id = g_strdup_printf ("id-%s", number);
  t->number = g_strdup (number);
  t->kind = CD_TICKET_KIND_COMPLAINT;
  t->category = g_strdup ("housing.heating");
  t->district = g_strdup ("Central");
  t->street = g_strdup (street);
  t->building = g_strdup (building);
  t->resident_name = g_strdup ("Olga Ivanova");
  t->description = g_strdup ("Cold radiators");
  t->created_at = received;
  t->state = CD_TICKET_STATE_ASSIGNED;
  return t;
}

static CdEvent *
ev (const char *type,
    gint64      time,
    const char *payload)
{
  return cd_event_new_stored (1, "id", type, "someone", "qc", time, payload, NULL);
}

static CdComplaint *
complaint (const char *number,
           gint64      received,
           const char *street,
           const char *building,
           const char *events_json)
{
  g_autoptr(CdTicket) t = complaint_ticket (number, received, street, building);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);

  if (events_json != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (events_json, "|", -1);

      for (guint i = 0; parts[i] != NULL && parts[i + 1] != NULL; i += 2)
        g_ptr_array_add (events, ev (parts[i], received + 3600, parts[i + 1]));
    }
  return cd_complaint_new (t, (CdEvent * const *) events->pdata, events->len);
}

static void
test_render (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{number}", "2026-000007" },
    { "{received}", "02.03.2026" },
    { "{name}", "Olga Ivanova" },
    { "{address}", "Lenin St 5, Central" },
    { "{summary}", "Cold radiators" },
    { "{class}", "B" },
    { "{responsible}", "Irina Petrova" },
    { "{decision}", "Refused" },
    { "{favour}", "Organization" },
    { "{reasons}", "The heating was on" },
    { "{about}", "2026-000001" },
    { "{{not a field}} {number}\n\n", "{not a field} 2026-000007" },
    { "no fields", "no fields" },
  };
  g_autoptr(CdComplaint) c =
      complaint ("2026-000007", T0, "Lenin St", "5",
                 "link|{\"relation\":\"about\",\"target\":\"2026-000001\",\"about\":\"ticket\"}|"
                 "classify|{\"class\":\"B\",\"responsible\":\"Irina Petrova\"}|"
                 "answer|{\"decision\":\"refused\",\"favour\":\"organization\","
                 "\"reasons\":\"The heating was on\",\"note\":\"n\"}");
  g_autoptr(GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");

  g_assert_nonnull (msk);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = cd_complaint_template_render ("t.txt", cases[i].text, c, msk,
                                                            &error);

      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_render_errors (void)
{
  static const struct {
    const char *text;
    int         code;
    const char *prefix;
  } cases[] = {
    { "Dear {name},\n\n{adress}\n", CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD, "appeal.txt:3:" },
    { "one\ntwo {number", CD_FIELD_TEMPLATE_ERROR_SYNTAX, "appeal.txt:2:" },
    { "{}", CD_FIELD_TEMPLATE_ERROR_SYNTAX, "appeal.txt:1:" },
    { "a } b", CD_FIELD_TEMPLATE_ERROR_SYNTAX, "appeal.txt:1:" },
    { "{state}", CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD, "appeal.txt:1:" },
  };
  g_autoptr(CdComplaint) c = complaint ("2026-000007", T0, "Lenin St", "5", NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = cd_complaint_template_render ("appeal.txt", cases[i].text, c, utc,
                                                            &error);

      g_assert_null (text);
      g_assert_error (error, CD_FIELD_TEMPLATE_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].prefix));
    }
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_templates_load (void)
{
  g_autofree char *data = g_build_filename (g_get_tmp_dir (), "data", NULL);
  g_autofree char *dir = g_build_filename (data, "complaints", NULL);
  g_autoptr(CdComplaintTemplates) plain = NULL;
  g_autoptr(CdComplaintTemplates) ru = NULL;
  g_autoptr(CdComplaintTemplates) bad = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_file (dir, "answer-A.txt", "A {number}");
  write_file (dir, "answer-A.ru.txt", "А {number}");
  write_file (dir, "appeal.txt", "Appeal {number}");

  plain = cd_complaint_templates_load (data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_complaint_templates_get (plain, "A"), ==, "A {number}");
  g_assert_null (cd_complaint_templates_get (plain, "B"));
  g_assert_cmpstr (cd_complaint_templates_get (plain, "appeal"), ==, "Appeal {number}");
  g_assert_null (cd_complaint_templates_get (plain, "D"));

  /* The language's file, else the plain one. */
  ru = cd_complaint_templates_load (data, "ru", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_complaint_templates_get (ru, "A"), ==, "А {number}");
  g_assert_cmpstr (cd_complaint_templates_get (ru, "appeal"), ==, "Appeal {number}");

  /* Every file is checked at load, with its line. */
  write_file (dir, "answer-C.txt", "Dear {name},\n{numbr}\n");
  bad = cd_complaint_templates_load (data, "en", &error);
  g_assert_null (bad);
  g_assert_error (error, CD_FIELD_TEMPLATE_ERROR, CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "answer-C.txt:2:"));
}

/* The shipped letters load in both forms and know every field they use. */
static void
test_shipped_templates (void)
{
  const char *languages[] = { NULL, "ru" };
  const char *names[] = { "A", "B", "C", "appeal" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdComplaintTemplates) t =
          cd_complaint_templates_load (g_getenv ("CITYDESK_DATA_DIR"), languages[l], &error);

      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        g_assert_nonnull (cd_complaint_templates_get (t, names[i]));
      g_assert_nonnull (strstr (cd_complaint_templates_get (t, "appeal"), "{number}"));
    }
}

static void
test_appeal_rule (void)
{
  g_autoptr(CdTicket) t = complaint_ticket ("2026-000007", T0, "Lenin St", "5");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *payload;

  g_assert_true (json_parser_load_from_data (
      parser, "{\"decision\":\"refused\",\"favour\":\"organization\",\"note\":\"No\","
      "\"reasons\":\"The crew came\"}", -1, NULL));
  payload = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (cd_dispatch_check (t, CD_ACTION_ANSWER, CD_ROLE_QC, payload, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "a refusal carries the notice of the right to "
                                            "appeal"));
  g_clear_error (&error);

  json_object_set_string_member (payload, "appeal", "You may appeal.");
  g_assert_true (cd_dispatch_check (t, CD_ACTION_ANSWER, CD_ROLE_QC, payload, &error));
  g_assert_no_error (error);

  /* An upheld complaint needs no notice. */
  json_object_remove_member (payload, "appeal");
  json_object_set_string_member (payload, "decision", "upheld");
  g_assert_true (cd_dispatch_check (t, CD_ACTION_ANSWER, CD_ROLE_QC, payload, &error));
  g_assert_no_error (error);
}

static void
test_proposal_fields (void)
{
  static const struct {
    const char *payload;
    gboolean    ok;
  } cases[] = {
    { "{\"note\":\"Fix the riser\"}", TRUE },
    { "{\"note\":\"n\",\"group\":\"address:Lenin St 5\",\"responsible\":\"Irina\","
      "\"due\":\"2026-03-22T00:00:00Z\"}", TRUE },
    { "{\"note\":\"n\",\"due\":\"2026-03-22\"}", FALSE },
    { "{\"note\":\"n\",\"due\":1774137600}", FALSE },
    { "{\"note\":\"n\",\"due\":\"next week\"}", FALSE },
    { "{\"note\":\"n\",\"group\":\"Lenin St 5\"}", FALSE },
  };
  g_autoptr(CdTicket) t = complaint_ticket ("2026-000007", T0, "Lenin St", "5");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *payload;
      gboolean ok;

      g_assert_true (json_parser_load_from_data (parser, cases[i].payload, -1, NULL));
      payload = json_node_get_object (json_parser_get_root (parser));
      ok = cd_dispatch_check (t, CD_ACTION_PROPOSE, CD_ROLE_QC, payload, &error);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD);
    }
}

static void
test_groups (void)
{
  /* The period: 10 days from T0; the one before: the 10 days before it. */
  gint64 from = T0, to = T0 + 10 * DAY;
  CdComplaint *rows[] = {
    /* Lenin St 5: 1 before, 3 in the period, 2 of them in the second half: growing. */
    complaint ("2026-000001", T0 - 5 * DAY, "Lenin St", "5", NULL),
    complaint ("2026-000002", T0 + 1 * DAY, "Lenin St", "5",
               "propose|{\"note\":\"Old\",\"group\":\"address:Lenin St 5\"}"),
    complaint ("2026-000003", T0 + 6 * DAY, "Lenin St", "5",
               "propose|{\"note\":\"Replace the riser\",\"group\":\"address:Lenin St 5\"}"),
    complaint ("2026-000004", T0 + 8 * DAY, "Lenin St", "5",
               "propose|{\"note\":\"Not for the group\"}"),
    /* Park Ave 7: 4 in the period but 5 before: not growing, first by count. */
    complaint ("2026-000005", T0 - 9 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000006", T0 - 8 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000007", T0 - 7 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000008", T0 - 6 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000009", T0 - 1 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000010", T0 + 1 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000011", T0 + 2 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000012", T0 + 7 * DAY, "Park Ave", "7", NULL),
    complaint ("2026-000013", T0 + 9 * DAY, "Park Ave", "7", NULL),
    /* Lenin St 9: 3 in the period, none before, but more in the first half. */
    complaint ("2026-000014", T0 + 1 * DAY, "Lenin St", "9", NULL),
    complaint ("2026-000015", T0 + 2 * DAY, "Lenin St", "9", NULL),
    complaint ("2026-000016", T0 + 7 * DAY, "Lenin St", "9", NULL),
    /* Mira St 1: 2 in the period, both late: too few to be growing. */
    complaint ("2026-000017", T0 + 8 * DAY, "Mira St", "1", NULL),
    complaint ("2026-000018", T0 + 9 * DAY, "Mira St", "1", NULL),
    /* Oak St 2: 1 in the period: no group. After the period: not counted. */
    complaint ("2026-000019", T0 + 3 * DAY, "Oak St", "2", NULL),
    complaint ("2026-000020", T0 + 11 * DAY, "Oak St", "2", NULL),
  };
  g_autoptr(GPtrArray) groups = cd_complaint_groups (rows, G_N_ELEMENTS (rows),
                                                     CD_COMPLAINT_BY_ADDRESS, from, to);
  g_autoptr(GPtrArray) streets = cd_complaint_groups (rows, G_N_ELEMENTS (rows),
                                                      CD_COMPLAINT_BY_STREET, from, to);
  g_autoptr(GPtrArray) causes = cd_complaint_groups (rows, G_N_ELEMENTS (rows),
                                                     CD_COMPLAINT_BY_CAUSE, from, to);
  const CdComplaintGroup *g;
  CdComplaintGrouping by;

  g_assert_cmpuint (groups->len, ==, 4);
  g = groups->pdata[0];
  g_assert_cmpstr (g->key, ==, "Lenin St 5");
  g_assert_cmpuint (g->count, ==, 3);
  g_assert_cmpuint (g->previous, ==, 1);
  g_assert_true (g->growing);
  g_assert_cmpuint (g->numbers->len, ==, 3);
  g_assert_cmpstr (g->numbers->pdata[0], ==, "2026-000002");
  g_assert_cmpstr (g->numbers->pdata[2], ==, "2026-000004");
  g_assert_cmpstr (g->proposal, ==, "Replace the riser");
  g = groups->pdata[1];
  g_assert_cmpstr (g->key, ==, "Park Ave 7");
  g_assert_cmpuint (g->count, ==, 4);
  g_assert_cmpuint (g->previous, ==, 5);
  g_assert_false (g->growing);
  g_assert_null (g->proposal);
  g = groups->pdata[2];
  g_assert_cmpstr (g->key, ==, "Lenin St 9");
  g_assert_cmpuint (g->previous, ==, 0);
  g_assert_false (g->growing);
  g = groups->pdata[3];
  g_assert_cmpstr (g->key, ==, "Mira St 1");
  g_assert_false (g->growing);

  /* By street the two Lenin St buildings are one group of 6, with as many
   * in each half of the period: not growing, but the largest. */
  g = streets->pdata[0];
  g_assert_cmpstr (g->key, ==, "Lenin St");
  g_assert_cmpuint (g->count, ==, 6);
  g_assert_cmpuint (g->previous, ==, 1);
  g_assert_false (g->growing);
  /* No complaint has a cause: no group. */
  g_assert_cmpuint (causes->len, ==, 0);

  g_assert_true (cd_complaint_grouping_from_string ("executor", &by));
  g_assert_cmpint (by, ==, CD_COMPLAINT_BY_EXECUTOR);
  g_assert_cmpstr (cd_complaint_grouping_to_string (CD_COMPLAINT_BY_CAUSE), ==, "cause");
  g_assert_false (cd_complaint_grouping_from_string ("building", &by));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    cd_complaint_free (rows[i]);
}

static void
test_groups_by_cause (void)
{
  CdComplaint *rows[] = {
    complaint ("2026-000001", T0 + 1 * DAY, "A St", "1",
               "classify|{\"class\":\"B\",\"responsible\":\"I\",\"cause\":\"riser\"}"),
    complaint ("2026-000002", T0 + 2 * DAY, "B St", "2",
               "classify|{\"class\":\"B\",\"responsible\":\"I\",\"cause\":\"riser\"}"),
    complaint ("2026-000003", T0 + 3 * DAY, "C St", "3",
               "classify|{\"class\":\"A\",\"responsible\":\"I\",\"cause\":\"rude crew\"}"),
  };
  g_autoptr(GPtrArray) groups = NULL;
  const CdComplaintGroup *g;

  rows[0]->executor = g_strdup ("zhes-1");
  rows[1]->executor = g_strdup ("zhes-1");
  groups = cd_complaint_groups (rows, G_N_ELEMENTS (rows), CD_COMPLAINT_BY_CAUSE, T0,
                                T0 + 10 * DAY);
  g_assert_cmpuint (groups->len, ==, 1);
  g = groups->pdata[0];
  g_assert_cmpstr (g->key, ==, "riser");
  g_assert_cmpuint (g->count, ==, 2);
  g_clear_pointer (&groups, g_ptr_array_unref);

  groups = cd_complaint_groups (rows, G_N_ELEMENTS (rows), CD_COMPLAINT_BY_EXECUTOR, T0,
                                T0 + 10 * DAY);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpstr (((CdComplaintGroup *) groups->pdata[0])->key, ==, "zhes-1");
  g_clear_pointer (&groups, g_ptr_array_unref);

  groups = cd_complaint_groups (rows, G_N_ELEMENTS (rows), CD_COMPLAINT_BY_CATEGORY, T0,
                                T0 + 10 * DAY);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (((CdComplaintGroup *) groups->pdata[0])->count, ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    cd_complaint_free (rows[i]);
}

static void
test_stats_operators_repeats (void)
{
  CdComplaint *rows[] = {
    complaint ("2026-000001", T0, "Lenin St", "5",
               "answer|{\"decision\":\"upheld\",\"favour\":\"resident\"}"),
    complaint ("2026-000002", T0 + 60, "Lenin St", "5",
               "answer|{\"decision\":\"refused\",\"favour\":\"organization\",\"reasons\":\"r\"}"),
    complaint ("2026-000003", T0 + 120, "Lenin St", "5", NULL),
    complaint ("2026-000004", T0 + 180, "Park Ave", "7", NULL),
    complaint ("2026-000005", T0 + 240, "Park Ave", "7", NULL),
    complaint ("2026-000006", T0 + 300, "Oak St", "1", NULL),
  };
  g_autoptr(JsonObject) stats = NULL;
  JsonArray *operators, *repeats, *numbers;
  JsonObject *row;

  /* Calls taken by two operators; a ticket's complaint is not about one. */
  for (guint i = 0; i < 3; i++)
    {
      rows[i]->about_kind = g_strdup ("call");
      rows[i]->operator = g_strdup (i == 1 ? "Anna" : "Boris");
    }
  rows[3]->about_kind = g_strdup ("ticket");
  /* 1, 2 and 6 by phone (6 at another address, the same resident); 4 and 5
   * by name and address; 3 has another phone. */
  rows[0]->ticket->resident_phone = g_strdup ("+79110000001");
  rows[1]->ticket->resident_phone = g_strdup ("+79110000001");
  rows[5]->ticket->resident_phone = g_strdup ("+79110000001");
  rows[2]->ticket->resident_phone = g_strdup ("+79110000002");
  g_free (rows[3]->ticket->resident_name);
  rows[3]->ticket->resident_name = g_strdup ("Pavel Smirnov");
  g_free (rows[4]->ticket->resident_name);
  rows[4]->ticket->resident_name = g_strdup ("Pavel Smirnov");
  stats = cd_complaint_stats (rows, G_N_ELEMENTS (rows));

  operators = json_object_get_array_member (stats, "by_operator");
  g_assert_cmpuint (json_array_get_length (operators), ==, 2);
  row = json_array_get_object_element (operators, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "operator"), ==, "Anna");
  g_assert_cmpint (json_object_get_int_member (row, "received"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "refused"), ==, 1);
  row = json_array_get_object_element (operators, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "operator"), ==, "Boris");
  g_assert_cmpint (json_object_get_int_member (row, "received"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "upheld"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "partly_upheld"), ==, 0);

  repeats = json_object_get_array_member (stats, "repeat_complainants");
  g_assert_cmpuint (json_array_get_length (repeats), ==, 2);
  row = json_array_get_object_element (repeats, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "phone"), ==, "+79110000001");
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Olga Ivanova");
  g_assert_cmpint (json_object_get_int_member (row, "complaints"), ==, 3);
  numbers = json_object_get_array_member (row, "numbers");
  g_assert_cmpstr (json_array_get_string_element (numbers, 2), ==, "2026-000006");
  row = json_array_get_object_element (repeats, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Pavel Smirnov");
  g_assert_true (json_object_get_null_member (row, "phone"));
  g_assert_cmpint (json_object_get_int_member (row, "complaints"), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    cd_complaint_free (rows[i]);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, 0);

  g_test_add_func ("/complaint-letters/render", test_render);
  g_test_add_func ("/complaint-letters/render-errors", test_render_errors);
  g_test_add_func ("/complaint-letters/templates-load", test_templates_load);
  g_test_add_func ("/complaint-letters/shipped-templates", test_shipped_templates);
  g_test_add_func ("/complaint-letters/appeal-rule", test_appeal_rule);
  g_test_add_func ("/complaint-letters/proposal-fields", test_proposal_fields);
  g_test_add_func ("/complaint-letters/groups", test_groups);
  g_test_add_func ("/complaint-letters/groups-by-cause", test_groups_by_cause);
  g_test_add_func ("/complaint-letters/stats-operators-repeats", test_stats_operators_repeats);

  return g_test_run ();
}
