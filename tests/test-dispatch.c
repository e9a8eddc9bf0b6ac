// SPDX-License-Identifier: GPL-3.0-or-later
//
// The dispatch core: the transition table (every action from every state,
// in every role), the projection, routing, and the monitor's checks.

#include "config.h"

#include <string.h>

#include "cd-category.h"
#include "cd-dispatch.h"
#include "cd-monitor.h"
#include "cd-routing.h"
#include "cd-ticket.h"

#include "cd-test.h"

#define ID "00000000-0000-4000-8000-000000000001"
#define T0 1767254400 /* 2026-01-01 08:00 UTC */

/* The specification, written out independently of the table in
 * cd-dispatch.c: for each action the states it may start from, the roles
 * allowed, and the state after it ("" for unchanged). */
static const struct {
  const char *action;
  const char *from;
  const char *roles;
  const char *to;
} spec[] = {
  { "register", "new", "operator supervisor admin", "registered" },
  { "assign", "registered assigned accepted reopened", "operator supervisor admin", "assigned" },
  { "accept", "assigned reopened", "executor supervisor admin", "accepted" },
  { "start", "accepted", "executor supervisor admin", "in_progress" },
  { "wait", "accepted in_progress", "executor operator supervisor admin", "waiting" },
  { "resume", "waiting", "executor operator supervisor admin", "in_progress" },
  { "resolve", "accepted in_progress", "executor supervisor admin", "resolved" },
  { "reopen", "resolved closed closed_unconfirmed", "feedback qc supervisor admin", "reopened" },
  { "close", "resolved", "feedback supervisor admin", "closed" },
  { "close_unconfirmed", "resolved", "feedback supervisor admin", "closed_unconfirmed" },
  { "refuse", "registered assigned accepted in_progress", "qc supervisor admin", "refused" },
  { "cancel", "registered assigned accepted in_progress waiting reopened",
    "operator supervisor admin", "cancelled" },
  { "escalate", "registered assigned accepted in_progress waiting reopened resolved",
    "operator supervisor qc feedback admin", "" },
  { "extend", "assigned accepted in_progress waiting reopened", "supervisor admin", "" },
  { "comment",
    "registered assigned accepted in_progress waiting resolved reopened closed closed_unconfirmed "
    "refused cancelled",
    "operator supervisor qc feedback executor admin", "" },
  { "link",
    "registered assigned accepted in_progress waiting resolved reopened closed closed_unconfirmed "
    "refused cancelled",
    "operator supervisor qc admin", "" },
  { "remind", "assigned accepted in_progress waiting reopened", "operator supervisor admin", "" },
  /* With the outcome valid_payload() gives: confirmed. */
  { "callback", "resolved", "feedback supervisor admin", "closed" },
  /* A complaint's own actions (the ticket_in_state() tickets are complaints). */
  { "classify", "registered assigned reopened", "qc supervisor admin", "assigned" },
  { "answer", "assigned accepted in_progress", "qc supervisor admin", "resolved" },
  { "propose",
    "registered assigned accepted in_progress waiting resolved reopened closed closed_unconfirmed "
    "refused",
    "qc supervisor admin", "" },
};

static gboolean
word_in (const char *word,
         const char *list)
{
  g_auto(GStrv) words = g_strsplit (list, " ", -1);

  return g_strv_contains ((const char * const *) words, word);
}

static JsonObject *
valid_payload (const char *action)
{
  JsonObject *p = json_object_new ();

  if (g_str_equal (action, "register"))
    {
      json_object_set_string_member (p, "number", "2026-000001");
      json_object_set_string_member (p, "kind", "complaint");
      json_object_set_string_member (p, "category", "housing.heating");
      json_object_set_string_member (p, "district", "Central");
      json_object_set_string_member (p, "street", "Lenin St");
      json_object_set_string_member (p, "building", "5");
    }
  json_object_set_string_member (p, "executor", "zhes-1");
  json_object_set_string_member (p, "org", "zhes-1");
  json_object_set_string_member (p, "note", "a reason");
  json_object_set_string_member (p, "target", "resolution");
  json_object_set_string_member (p, "relation", "notice");
  json_object_set_int_member (p, "days", 2);
  json_object_set_string_member (p, "outcome", "confirmed");
  json_object_set_string_member (p, "class", "B");
  json_object_set_string_member (p, "responsible", "Irina Petrova");
  json_object_set_string_member (p, "decision", "upheld");
  json_object_set_string_member (p, "favour", "resident");
  return p;
}

static CdTicket *
ticket_in_state (CdTicketState state)
{
  CdTicket *t = cd_ticket_new ();

  if (state == CD_TICKET_STATE_NEW)
    return t;
  t->id = g_strdup (ID);
  t->number = g_strdup ("2026-000001");
  t->kind = CD_TICKET_KIND_COMPLAINT;
  t->category = g_strdup ("housing.heating");
  t->district = g_strdup ("Central");
  t->street = g_strdup ("Lenin St");
  t->building = g_strdup ("5");
  t->executor = g_strdup ("zhes-1");
  t->state = state;
  return t;
}

static char *
ticket_text (CdTicket *t)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, cd_ticket_to_json (t));
  return json_to_string (node, FALSE);
}

static void
test_transition_table (void)
{
  guint n_allowed = 0, n_refused = 0;

  g_assert_cmpuint (G_N_ELEMENTS (spec), ==, CD_N_ACTIONS);

  for (guint a = 0; a < G_N_ELEMENTS (spec); a++)
    for (CdTicketState s = 0; s < CD_TICKET_N_STATES; s++)
      for (CdRole r = 0; r < CD_N_ROLES; r++)
        {
          const char *state = cd_ticket_state_to_string (s);
          const char *role = cd_role_to_string (r);
          gboolean state_ok = word_in (state, spec[a].from);
          gboolean role_ok = word_in (role, spec[a].roles);
          g_autoptr(CdTicket) t = ticket_in_state (s);
          g_autoptr(JsonObject) payload = valid_payload (spec[a].action);
          g_autoptr(CdEvent) e = cd_event_new (ID, spec[a].action, "someone", role, T0, payload);
          g_autoptr(GError) error = NULL;
          g_autofree char *before = ticket_text (t);
          CdAction action;
          gboolean ok;

          g_assert_true (cd_action_from_string (spec[a].action, &action));
          ok = cd_ticket_apply (t, e, &error);
          g_assert_cmpint (cd_dispatch_is_allowed (s, action, r), ==, state_ok && role_ok);

          if (state_ok && role_ok)
            {
              g_assert_no_error (error);
              g_assert_true (ok);
              g_assert_cmpstr (cd_ticket_state_to_string (t->state), ==,
                               *spec[a].to != '\0' ? spec[a].to : state);
              n_allowed++;
            }
          else
            {
              g_autofree char *after = ticket_text (t);
              int code = role_ok ? CD_DISPATCH_ERROR_WRONG_STATE
                                 : CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED;

              g_assert_false (ok);
              g_assert_error (error, CD_DISPATCH_ERROR, code);
              /* The message names the rule. */
              g_assert_nonnull (strstr (error->message, spec[a].action));
              g_assert_nonnull (strstr (error->message, role_ok ? state : role));
              /* A refusal changes nothing. */
              g_assert_cmpstr (before, ==, after);
              n_refused++;
            }
        }

  g_test_message ("%u allowed, %u refused", n_allowed, n_refused);
  g_assert_cmpuint (n_allowed + n_refused, ==, CD_N_ACTIONS * CD_TICKET_N_STATES * CD_N_ROLES);
}

static void
test_field_rules (void)
{
  static const struct {
    const char *action;
    CdTicketState state;
    CdTicketKind kind;
    const char *role;
    const char *payload;
    int code;
    const char *in_message;
  } cases[] = {
    { "assign", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_ROUTINE, "operator", "{}",
      CD_DISPATCH_ERROR_MISSING_FIELD, "assign needs executor" },
    { "wait", CD_TICKET_STATE_IN_PROGRESS, CD_TICKET_KIND_ROUTINE, "executor",
      "{\"note\":\"\",\"org\":\"zhes-1\"}", CD_DISPATCH_ERROR_MISSING_FIELD, "wait needs note" },
    { "refuse", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_ROUTINE, "qc", "{\"note\":\"no\"}",
      CD_DISPATCH_ERROR_WRONG_KIND, "refuse only for complaint" },
    { "extend", CD_TICKET_STATE_ACCEPTED, CD_TICKET_KIND_ROUTINE, "supervisor",
      "{\"note\":\"n\",\"target\":\"t\"}", CD_DISPATCH_ERROR_MISSING_FIELD, "seconds or days" },
    { "extend", CD_TICKET_STATE_ACCEPTED, CD_TICKET_KIND_ROUTINE, "supervisor",
      "{\"note\":\"n\",\"target\":\"t\",\"days\":0}", CD_DISPATCH_ERROR_INVALID_FIELD, "days" },
    { "link", CD_TICKET_STATE_CLOSED, CD_TICKET_KIND_ROUTINE, "operator",
      "{\"relation\":\"cousin_of\",\"target\":\"x\"}", CD_DISPATCH_ERROR_INVALID_FIELD,
      "relation" },
    { "register", CD_TICKET_STATE_NEW, CD_TICKET_KIND_ROUTINE, "operator",
      "{\"number\":\"2026-000001\",\"kind\":\"routine\",\"category\":\"housing\",\"district\":"
      "\"d\",\"street\":\"s\",\"building\":\"1\"}",
      CD_DISPATCH_ERROR_INVALID_FIELD, "group" },
    { "register", CD_TICKET_STATE_NEW, CD_TICKET_KIND_ROUTINE, "operator",
      "{\"number\":\"26-1\",\"kind\":\"routine\",\"category\":\"roads\",\"district\":\"d\","
      "\"street\":\"s\",\"building\":\"1\"}",
      CD_DISPATCH_ERROR_INVALID_FIELD, "YYYY-NNNNNN" },
    { "register", CD_TICKET_STATE_NEW, CD_TICKET_KIND_ROUTINE, "operator",
      "{\"number\":\"2026-000001\",\"kind\":\"urgent\",\"category\":\"roads\",\"district\":\"d\","
      "\"street\":\"s\",\"building\":\"1\"}",
      CD_DISPATCH_ERROR_INVALID_FIELD, "kind" },
    { "register", CD_TICKET_STATE_NEW, CD_TICKET_KIND_ROUTINE, "operator",
      "{\"number\":\"2026-000001\",\"kind\":\"routine\",\"category\":\"roads\",\"street\":\"s\","
      "\"building\":\"1\"}",
      CD_DISPATCH_ERROR_MISSING_FIELD, "district" },
    { "register", CD_TICKET_STATE_NEW, CD_TICKET_KIND_ROUTINE, "operator",
      "{\"number\":\"2026-000001\",\"kind\":\"routine\",\"category\":\"roads\",\"district\":\"d\","
      "\"street\":\"s\",\"building\":\"1\",\"lat\":95.0}",
      CD_DISPATCH_ERROR_INVALID_FIELD, "lat" },
    { "classify", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_ROUTINE, "qc",
      "{\"class\":\"A\",\"responsible\":\"Irina\"}", CD_DISPATCH_ERROR_WRONG_KIND,
      "classify only for complaint" },
    { "classify", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"responsible\":\"Irina\"}", CD_DISPATCH_ERROR_MISSING_FIELD, "classify needs class" },
    { "classify", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"class\":\"D\",\"responsible\":\"Irina\"}", CD_DISPATCH_ERROR_INVALID_FIELD,
      "A, B or C" },
    { "classify", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_COMPLAINT, "supervisor",
      "{\"class\":\"A\"}", CD_DISPATCH_ERROR_MISSING_FIELD, "classify needs responsible" },
    { "classify", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_COMPLAINT, "operator",
      "{\"class\":\"A\",\"responsible\":\"Irina\"}", CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
      "classify only by supervisor, qc, admin" },
    { "answer", CD_TICKET_STATE_REGISTERED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"decision\":\"upheld\",\"favour\":\"resident\",\"note\":\"t\"}",
      CD_DISPATCH_ERROR_WRONG_STATE, "answer only from assigned" },
    { "answer", CD_TICKET_STATE_ASSIGNED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"decision\":\"refused\",\"favour\":\"organization\",\"note\":\"t\"}",
      CD_DISPATCH_ERROR_MISSING_FIELD, "“a refusal carries its reasons”" },
    { "answer", CD_TICKET_STATE_ASSIGNED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"decision\":\"maybe\",\"favour\":\"resident\",\"note\":\"t\"}",
      CD_DISPATCH_ERROR_INVALID_FIELD, "upheld, partly_upheld or refused" },
    { "answer", CD_TICKET_STATE_ASSIGNED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"decision\":\"upheld\",\"favour\":\"city\",\"note\":\"t\"}",
      CD_DISPATCH_ERROR_INVALID_FIELD, "resident or organization" },
    { "answer", CD_TICKET_STATE_ASSIGNED, CD_TICKET_KIND_COMPLAINT, "qc",
      "{\"decision\":\"upheld\",\"favour\":\"resident\"}",
      CD_DISPATCH_ERROR_MISSING_FIELD, "answer needs note" },
    { "answer", CD_TICKET_STATE_ASSIGNED, CD_TICKET_KIND_COMPLAINT, "executor",
      "{\"decision\":\"upheld\",\"favour\":\"resident\",\"note\":\"t\",\"org\":"
      "\"zhes-1\"}", CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED, "the role executor may not" },
    { "propose", CD_TICKET_STATE_RESOLVED, CD_TICKET_KIND_COMPLAINT, "qc", "{}",
      CD_DISPATCH_ERROR_MISSING_FIELD, "propose needs note" },
    { "comment", CD_TICKET_STATE_CLOSED, CD_TICKET_KIND_ROUTINE, "boss", "{\"note\":\"x\"}",
      CD_DISPATCH_ERROR_UNKNOWN_ROLE, "boss" },
    { "approve", CD_TICKET_STATE_CLOSED, CD_TICKET_KIND_ROUTINE, "admin", "{}",
      CD_DISPATCH_ERROR_UNKNOWN_ACTION, "approve" },
    { "comment", CD_TICKET_STATE_CLOSED, CD_TICKET_KIND_ROUTINE, "admin", "[1,2]",
      CD_DISPATCH_ERROR_INVALID_PAYLOAD, "JSON object" },
    { "comment", CD_TICKET_STATE_CLOSED, CD_TICKET_KIND_ROUTINE, "admin",
      "{\"note\":\"x\",\"due\":\"soon\"}", CD_DISPATCH_ERROR_INVALID_FIELD, "due" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdTicket) t = ticket_in_state (cases[i].state);
      g_autoptr(CdEvent) e = cd_event_new_stored (1, ID, cases[i].action, "x", cases[i].role, T0,
                                                  cases[i].payload, NULL);
      g_autoptr(GError) error = NULL;

      t->kind = cases[i].kind;
      g_assert_false (cd_ticket_apply (t, e, &error));
      g_test_message ("%s: %s", cases[i].action, error->message);
      g_assert_error (error, CD_DISPATCH_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].in_message));
      g_assert_cmpint (t->state, ==, cases[i].state);
    }
}

static CdEvent *
ev (const char *type,
    const char *role,
    gint64      time,
    const char *payload)
{
  static gint64 seq = 0;

  return cd_event_new_stored (++seq, ID, type, "someone", role, time, payload, NULL);
}

static void
test_projection (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree CdSlaEvent *sla = NULL;
  guint n_sla;

  g_ptr_array_add (
      events,
      ev ("register", "operator", T0,
          "{\"number\":\"2026-000007\",\"kind\":\"emergency\",\"category\":\"housing.hot_water\","
          "\"district\":\"Central\",\"street\":\"Lenin St\",\"building\":\"5\",\"flat\":\"12\","
          "\"name\":\"Olga\",\"phone\":\"+375291234567\",\"lat\":53.9,\"lon\":27.56,\"due\":"
          "1767256200}"));
  g_ptr_array_add (events, ev ("assign", "operator", T0 + 60, "{\"executor\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("accept", "executor", T0 + 600, "{\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("start", "executor", T0 + 900, "{\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("wait", "executor", T0 + 1000,
                               "{\"note\":\"no access to the flat\",\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("resume", "executor", T0 + 5000, "{\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("extend", "supervisor", T0 + 5100,
                               "{\"note\":\"parts\",\"target\":\"repair\",\"days\":2}"));
  g_ptr_array_add (events, ev ("resolve", "executor", T0 + 7000, "{\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("reopen", "feedback", T0 + 9000, "{\"note\":\"still cold\"}"));
  g_ptr_array_add (events, ev ("accept", "executor", T0 + 9100, "{\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("resolve", "executor", T0 + 10000, "{\"org\":\"zhes-1\"}"));
  g_ptr_array_add (events, ev ("link", "operator", T0 + 10100,
                               "{\"relation\":\"notice\",\"target\":\"N-17\"}"));
  g_ptr_array_add (events, ev ("close", "feedback", T0 + 20000, "{}"));

  t = cd_ticket_new_from_events ((CdEvent * const *) events->pdata, events->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->id, ==, ID);
  g_assert_cmpstr (t->number, ==, "2026-000007");
  g_assert_cmpint (t->kind, ==, CD_TICKET_KIND_EMERGENCY);
  g_assert_cmpstr (t->flat, ==, "12");
  g_assert_true (t->has_location);
  g_assert_cmpfloat_with_epsilon (t->lat, 53.9, 1e-9);
  g_assert_cmpstr (t->channel, ==, "phone");
  g_assert_cmpstr (t->executor, ==, "zhes-1");
  g_assert_cmpstr (t->notice, ==, "N-17");
  g_assert_cmpint (t->state, ==, CD_TICKET_STATE_CLOSED);
  g_assert_cmpuint (t->reopen_count, ==, 1);
  g_assert_cmpuint (t->extensions, ==, 1);
  g_assert_cmpint (t->created_at, ==, T0);
  g_assert_cmpint (t->assigned_at, ==, T0 + 60);
  g_assert_cmpint (t->accepted_at, ==, T0 + 9100);
  g_assert_cmpint (t->resolved_at, ==, T0 + 10000);
  g_assert_cmpint (t->closed_at, ==, T0 + 20000);
  /* A due time in the payload is not the deadline: the SLA engine sets it
   * (the store, through cd_ticket_set_clocks ()). */
  g_assert_cmpint (t->due_at, ==, 0);
  g_assert_cmpint (t->updated_at, ==, T0 + 20000);
  g_assert_false (cd_ticket_is_open (t));

  /* The SLA engine's view: one entry per event, the state after it. */
  sla = cd_ticket_to_sla_events ((CdEvent * const *) events->pdata, events->len, &n_sla);
  g_assert_cmpuint (n_sla, ==, events->len);
  g_assert_cmpstr (sla[0].type, ==, "register");
  g_assert_cmpstr (sla[0].state, ==, "registered");
  g_assert_cmpstr (sla[4].type, ==, "wait");
  g_assert_cmpstr (sla[4].state, ==, "waiting");
  g_assert_cmpint (sla[4].time, ==, T0 + 1000);
  g_assert_cmpstr (sla[6].type, ==, "extend");
  g_assert_cmpstr (sla[6].target, ==, "repair");
  g_assert_cmpuint (sla[6].extend_days, ==, 2);
  g_assert_cmpstr (sla[6].state, ==, "in_progress");
  g_assert_null (sla[5].target);
  g_assert_cmpstr (sla[12].state, ==, "closed");
}

static void
test_wrong_ticket (void)
{
  g_autoptr(CdTicket) t = ticket_in_state (CD_TICKET_STATE_ASSIGNED);
  g_autoptr(CdEvent) e = cd_event_new_stored (9, "another", "accept", "x", "executor", T0, "{}",
                                               NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (cd_ticket_apply (t, e, &error));
  g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_TICKET);
}

static void
test_numbers (void)
{
  static const struct {
    const char *text;
    gboolean ok;
    int year;
    guint seq;
  } cases[] = {
    { "2026-000123", TRUE, 2026, 123 },
    { "2026-1000000", TRUE, 2026, 1000000 },
    { "2026-000000", FALSE, 0, 0 },
    { "2026-00012", FALSE, 0, 0 },
    { "2026/000123", FALSE, 0, 0 },
    { "20a6-000123", FALSE, 0, 0 },
    { "", FALSE, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int year = 0;
      guint seq = 0;

      g_assert_cmpint (cd_ticket_number_parse (cases[i].text, &year, &seq), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_autofree char *again = cd_ticket_number_format (year, seq);

          g_assert_cmpint (year, ==, cases[i].year);
          g_assert_cmpuint (seq, ==, cases[i].seq);
          g_assert_cmpstr (again, ==, cases[i].text);
        }
    }
}

static void
test_categories (void)
{
  static const char * const shipped[] = {
    "housing.heating", "housing.hot_water", "housing.cold_water", "housing.sewerage",
    "housing.power", "housing.lifts", "housing.roofs", "housing.yards", "roads",
    "transport", "street_trade", "parking", "noise", "other",
  };
  const CdCategory *all;
  guint n;

  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      const CdCategory *c = cd_category_lookup (shipped[i]);

      g_assert_nonnull (c);
      g_assert_true (cd_category_is_assignable (c));
      g_assert_cmpint (c->stale_seconds, >, c->ack_seconds);
      g_assert_cmpint (c->ack_seconds, >, 0);
    }
  g_assert_false (cd_category_is_assignable (cd_category_lookup ("housing")));
  g_assert_null (cd_category_lookup ("housing.garden"));

  all = cd_category_get_all (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (shipped) + 1);
  for (guint i = 0; i < n; i++)
    if (all[i].parent != NULL)
      g_assert_nonnull (cd_category_lookup (all[i].parent));
}

static void
test_routing (void)
{
  static const char *json =
    "{\"default\":\"city-services\",\"rules\":["
    "{\"category\":\"housing\",\"executor\":\"zhes-any\"},"
    "{\"category\":\"housing\",\"district\":\"Central\",\"executor\":\"zhes-central\"},"
    "{\"category\":\"housing.heating\",\"executor\":\"heat-network\"},"
    "{\"district\":\"North\",\"executor\":\"north-admin\"},"
    "{\"category\":\"roads\",\"executor\":\"roads-1\"},"
    "{\"category\":\"roads\",\"executor\":\"roads-2\"}]}";
  static const struct {
    const char *category;
    const char *district;
    const char *executor;
  } cases[] = {
    { "housing.heating", "Central", "heat-network" },
    { "housing.lifts", "Central", "zhes-central" },
    { "housing.lifts", "South", "zhes-any" },
    { "housing.lifts", "North", "zhes-any" },
    { "noise", "North", "north-admin" },
    { "noise", "South", "city-services" },
    { "roads", "South", "roads-1" },
  };
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(CdRouting) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  routing = cd_routing_new_from_json (json, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (cd_routing_route (routing, cases[i].category, cases[i].district), ==,
                     cases[i].executor);

  /* Round trip: the same decisions. */
  text = cd_routing_to_json (routing);
  again = cd_routing_new_from_json (text, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (cd_routing_route (again, cases[i].category, cases[i].district), ==,
                     cases[i].executor);
}

static void
test_routing_invalid (void)
{
  static const struct {
    const char *json;
    int code;
  } cases[] = {
    { "not json", CD_ROUTING_ERROR_INVALID },
    { "[]", CD_ROUTING_ERROR_INVALID },
    { "{\"rules\":[]}", CD_ROUTING_ERROR_INVALID },
    { "{\"default\":\"x\",\"rules\":{}}", CD_ROUTING_ERROR_INVALID },
    { "{\"default\":\"x\",\"rules\":[{\"category\":\"roads\"}]}", CD_ROUTING_ERROR_INVALID },
    { "{\"default\":\"x\",\"rules\":[{\"category\":3,\"executor\":\"y\"}]}",
      CD_ROUTING_ERROR_INVALID },
    { "{\"default\":\"x\",\"rules\":[{\"category\":\"gardens\",\"executor\":\"y\"}]}",
      CD_ROUTING_ERROR_UNKNOWN_CATEGORY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdRouting) routing = cd_routing_new_from_json (cases[i].json, &error);

      g_assert_null (routing);
      g_assert_error (error, CD_ROUTING_ERROR, cases[i].code);
    }
}

static CdTicket *
make (const char    *number,
      const char    *category,
      const char    *district,
      const char    *street,
      const char    *building,
      CdTicketState  state,
      gint64         created,
      gint64         closed)
{
  CdTicket *t = cd_ticket_new ();

  t->id = g_strdup_printf ("id-%s", number);
  t->number = g_strdup (number);
  t->category = g_strdup (category);
  t->district = g_strdup (district);
  t->street = g_strdup (street);
  t->building = g_strdup (building);
  t->state = state;
  t->created_at = created;
  t->updated_at = created;
  t->executor_at = created;
  t->closed_at = closed;
  return t;
}

static void
test_stale_and_unacknowledged (void)
{
  static const struct {
    const char *category;
    CdTicketState state;
    gint64 idle;
    gboolean stale;
    gboolean unacknowledged;
  } cases[] = {
    /* Heating: stale after 4 h, to be accepted within 30 min. */
    { "housing.heating", CD_TICKET_STATE_ASSIGNED, 20 * 60, FALSE, FALSE },
    { "housing.heating", CD_TICKET_STATE_ASSIGNED, 31 * 60, FALSE, TRUE },
    { "housing.heating", CD_TICKET_STATE_ASSIGNED, 5 * 3600, TRUE, TRUE },
    { "housing.heating", CD_TICKET_STATE_ACCEPTED, 5 * 3600, TRUE, FALSE },
    { "housing.heating", CD_TICKET_STATE_WAITING, 50 * 3600, FALSE, FALSE },
    { "housing.heating", CD_TICKET_STATE_CLOSED, 50 * 3600, FALSE, FALSE },
    { "housing.heating", CD_TICKET_STATE_RESOLVED, 5 * 3600, TRUE, FALSE },
    /* Roads: stale after 3 days. */
    { "roads", CD_TICKET_STATE_IN_PROGRESS, 2 * 86400, FALSE, FALSE },
    { "roads", CD_TICKET_STATE_IN_PROGRESS, 4 * 86400, TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdTicket) t = make ("2026-000001", cases[i].category, "C", "S", "1",
                                     cases[i].state, T0, 0);

      t->assigned_at = T0;
      g_assert_cmpint (cd_monitor_is_stale (t, T0 + cases[i].idle), ==, cases[i].stale);
      g_assert_cmpint (cd_monitor_is_unacknowledged (t, T0 + cases[i].idle), ==,
                       cases[i].unacknowledged);
    }
}

static void
test_overdue (void)
{
  g_autoptr(CdTicket) t = make ("2026-000001", "roads", "C", "S", "1", CD_TICKET_STATE_ACCEPTED,
                                 T0, 0);

  g_assert_false (cd_monitor_is_overdue (t, T0 + 86400 * 100));
  t->due_at = T0 + 3600;
  g_assert_false (cd_monitor_is_overdue (t, T0 + 3600));
  g_assert_true (cd_monitor_is_overdue (t, T0 + 3601));
  t->state = CD_TICKET_STATE_RESOLVED;
  g_assert_false (cd_monitor_is_overdue (t, T0 + 3601));
}

static void
test_repeats (void)
{
  g_autoptr(GPtrArray) c = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autoptr(CdTicket) fresh = make ("2026-000100", "housing.lifts", "Central", "Lenin St", "5",
                                    CD_TICKET_STATE_REGISTERED, T0 + 40 * 86400, 0);
  const CdTicket *found;

  /* Closed 31 days before: too old. */
  g_ptr_array_add (c, make ("2026-000001", "housing.lifts", "Central", "Lenin St", "5",
                            CD_TICKET_STATE_CLOSED, T0, T0 + 9 * 86400));
  /* Another category, another building. */
  g_ptr_array_add (c, make ("2026-000002", "housing.roofs", "Central", "Lenin St", "5",
                            CD_TICKET_STATE_ASSIGNED, T0 + 30 * 86400, 0));
  g_ptr_array_add (c, make ("2026-000003", "housing.lifts", "Central", "Lenin St", "7",
                            CD_TICKET_STATE_ASSIGNED, T0 + 30 * 86400, 0));
  found = cd_monitor_find_repeat (fresh, (CdTicket * const *) c->pdata, c->len,
                                  CD_MONITOR_REPEAT_WINDOW);
  g_assert_null (found);

  /* Closed 20 days before: a repeat; the address compares without case. */
  g_ptr_array_add (c, make ("2026-000004", "housing.lifts", "central", "LENIN ST", "5",
                            CD_TICKET_STATE_CLOSED, T0 + 10 * 86400, T0 + 20 * 86400));
  found = cd_monitor_find_repeat (fresh, (CdTicket * const *) c->pdata, c->len,
                                  CD_MONITOR_REPEAT_WINDOW);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->number, ==, "2026-000004");

  /* An open one wins over a recently closed one. */
  g_ptr_array_add (c, make ("2026-000005", "housing.lifts", "Central", "Lenin St", "5",
                            CD_TICKET_STATE_IN_PROGRESS, T0 + 5 * 86400, 0));
  found = cd_monitor_find_repeat (fresh, (CdTicket * const *) c->pdata, c->len,
                                  CD_MONITOR_REPEAT_WINDOW);
  g_assert_cmpstr (found->number, ==, "2026-000005");

  /* The ticket itself never counts. */
  g_ptr_array_add (c, cd_ticket_ref (fresh));
  found = cd_monitor_find_repeat (fresh, (CdTicket * const *) c->pdata, c->len,
                                  CD_MONITOR_REPEAT_WINDOW);
  g_assert_cmpstr (found->number, ==, "2026-000005");
}

static void
test_mass_incidents (void)
{
  g_autoptr(GPtrArray) t = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autoptr(GPtrArray) found = NULL;
  CdMassIncident *incident;
  guint n = 0;

  /* 12 heating tickets from Lenin St within 50 minutes, 3 more from the
   * same district's Park St, then one on Lenin St two hours later. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *number = g_strdup_printf ("2026-%06u", ++n);

      g_ptr_array_add (t, make (number, "housing.heating", "Central", "Lenin St", "5",
                                CD_TICKET_STATE_REGISTERED, T0 + i * 250, 0));
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("2026-%06u", ++n);

      g_ptr_array_add (t, make (number, "housing.heating", "Central", "Park St", "1",
                                CD_TICKET_STATE_REGISTERED, T0 + 100 + i * 60, 0));
    }
  {
    g_autofree char *number = g_strdup_printf ("2026-%06u", ++n);

    g_ptr_array_add (t, make (number, "housing.heating", "Central", "Lenin St", "9",
                              CD_TICKET_STATE_REGISTERED, T0 + 7200, 0));
  }
  /* Noise in the same street: another category, too few. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *number = g_strdup_printf ("2026-%06u", ++n);

      g_ptr_array_add (t, make (number, "noise", "Central", "Lenin St", "5",
                                CD_TICKET_STATE_REGISTERED, T0 + i * 60, 0));
    }

  found = cd_monitor_find_mass_incidents ((CdTicket * const *) t->pdata, t->len, 10, 3600);
  g_assert_cmpuint (found->len, ==, 2);

  incident = g_ptr_array_index (found, 0);
  g_assert_cmpint (incident->scope, ==, CD_MASS_SCOPE_STREET);
  g_assert_cmpstr (incident->street, ==, "Lenin St");
  g_assert_cmpstr (incident->category, ==, "housing.heating");
  g_assert_cmpuint (incident->numbers->len, ==, 12);
  g_assert_cmpint (incident->first, ==, T0);
  g_assert_cmpint (incident->last, ==, T0 + 11 * 250);

  incident = g_ptr_array_index (found, 1);
  g_assert_cmpint (incident->scope, ==, CD_MASS_SCOPE_DISTRICT);
  g_assert_null (incident->street);
  g_assert_cmpuint (incident->numbers->len, ==, 15);

  /* The threshold is configurable. */
  g_clear_pointer (&found, g_ptr_array_unref);
  found = cd_monitor_find_mass_incidents ((CdTicket * const *) t->pdata, t->len, 4, 3600);
  g_assert_cmpuint (found->len, ==, 4);
}

#define REGISTER_PAYLOAD \
  "{\"number\":\"2026-000008\",\"kind\":\"routine\",\"category\":\"housing.heating\"," \
  "\"district\":\"Central\",\"street\":\"Lenin St\",\"building\":\"5\"}"

/* `resume` returns to the state `wait` left, not always in_progress. */
static void
test_resume_state (void)
{
  static const struct {
    const char *before;
    const char *after;
  } cases[] = {
    { "accept", "accepted" },
    { "start", "in_progress" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (
          (GDestroyNotify) cd_event_unref);
      g_autoptr(CdTicket) t = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (events, ev ("register", "operator", T0, REGISTER_PAYLOAD));
      g_ptr_array_add (events, ev ("assign", "operator", T0 + 60, "{\"executor\":\"zhes-1\"}"));
      g_ptr_array_add (events, ev ("accept", "executor", T0 + 120, "{\"org\":\"zhes-1\"}"));
      if (g_str_equal (cases[c].before, "start"))
        g_ptr_array_add (events, ev ("start", "executor", T0 + 180, "{\"org\":\"zhes-1\"}"));
      g_ptr_array_add (events, ev ("wait", "operator", T0 + 240, "{\"note\":\"no access\"}"));
      g_ptr_array_add (events, ev ("resume", "operator", T0 + 300, "{}"));

      t = cd_ticket_new_from_events ((CdEvent * const *) events->pdata, events->len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cd_ticket_state_to_string (t->state), ==, cases[c].after);
      /* The SLA engine sees the same state after the resume. */
      g_assert_cmpstr (g_array_index (t->history, CdSlaEvent, t->history->len - 1).state, ==,
                       cases[c].after);
    }
}

/* An executor acts only on its organization's tickets, and says which. */
static void
test_executor_org (void)
{
  static const struct {
    const char *payload;
    int         code;
  } cases[] = {
    { "{}", CD_DISPATCH_ERROR_MISSING_FIELD },
    { "{\"org\":\"zhes-2\"}", CD_DISPATCH_ERROR_WRONG_ORGANIZATION },
    { "{\"org\":\"zhes-1\"}", -1 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(CdTicket) t = ticket_in_state (CD_TICKET_STATE_ASSIGNED);
      g_autoptr(CdEvent) e = ev ("accept", "executor", T0, cases[c].payload);
      g_autoptr(GError) error = NULL;
      g_autofree char *before = ticket_text (t);
      gboolean ok = cd_ticket_apply (t, e, &error);

      if (cases[c].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (t->state, ==, CD_TICKET_STATE_ACCEPTED);
        }
      else
        {
          g_autofree char *after = ticket_text (t);

          g_assert_false (ok);
          g_assert_error (error, CD_DISPATCH_ERROR, cases[c].code);
          g_assert_nonnull (strstr (error->message, "org"));
          g_assert_cmpstr (before, ==, after);
        }
    }

  /* A supervisor needs no organization. */
  {
    g_autoptr(CdTicket) t = ticket_in_state (CD_TICKET_STATE_ASSIGNED);
    g_autoptr(CdEvent) e = ev ("accept", "supervisor", T0, "{}");
    g_autoptr(GError) error = NULL;

    g_assert_true (cd_ticket_apply (t, e, &error));
    g_assert_no_error (error);
  }
}

/* The summary the store keeps: the earliest running deadline, at-risk
 * time, breached cycles and each target's state. */
static void
test_set_clocks (void)
{
  static const char policy_json[] =
      "{\"id\":\"p\",\"version\":1,\"applies_to\":{\"kind\":\"*\"},\"targets\":["
      "{\"name\":\"acceptance\",\"start\":\"register\",\"stop\":[\"accept\"],\"limit\":{"
      "\"minutes\":30},"
      " \"calendar\":\"all\",\"at_risk\":{\"percent\":50}},"
      "{\"name\":\"repair\",\"start\":\"register\",\"stop\":[\"resolve\"],\"limit\":{\"hours\":5},"
      " \"calendar\":\"all\",\"pause_states\":[\"waiting\"]}]}";
  g_autoptr(CdSlaPolicy) policy = cd_sla_policy_new_from_json (policy_json, -1, NULL);
  g_autoptr(CdSlaCalendar) calendar =
      cd_sla_calendar_new_from_json ("{\"timezone\":\"UTC\",\"week\":\"24/7\"}", -1, NULL);
  g_autoptr(GHashTable) calendars = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autoptr(CdTicket) t = NULL;
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (policy);
  g_assert_nonnull (calendar);
  g_hash_table_insert (calendars, (gpointer) "all", calendar);

  g_ptr_array_add (events, ev ("register", "operator", T0, REGISTER_PAYLOAD));
  g_ptr_array_add (events, ev ("assign", "operator", T0 + 60, "{\"executor\":\"zhes-1\"}"));
  t = cd_ticket_new_from_events ((CdEvent * const *) events->pdata, events->len, &error);
  g_assert_no_error (error);

  clocks = cd_sla_clock_evaluate (policy, calendars, (CdSlaEvent *) t->history->data,
                                  t->history->len, t->updated_at, NULL, &error);
  g_assert_no_error (error);
  cd_ticket_set_clocks (t, clocks);
  g_assert_cmpint (t->due_at, ==, T0 + 1800);
  g_assert_cmpint (t->at_risk_at, ==, T0 + 900);
  g_assert_cmpuint (t->breached, ==, 0);
  g_assert_nonnull (strstr (t->clocks, "\"target\":\"repair\",\"state\":\"running\""));

  /* Accepted late: the acceptance is breached, the repair deadline is the
   * one left running. */
  {
    g_autoptr(CdEvent) accept = ev ("accept", "executor", T0 + 3600, "{\"org\":\"zhes-1\"}");
    g_autoptr(CdSlaClocks) later = NULL;

    g_assert_true (cd_ticket_apply (t, accept, &error));
    later = cd_sla_clock_evaluate (policy, calendars, (CdSlaEvent *) t->history->data,
                                   t->history->len, t->updated_at, NULL, &error);
    g_assert_no_error (error);
    cd_ticket_set_clocks (t, later);
    g_assert_cmpint (t->due_at, ==, T0 + 5 * 3600);
    g_assert_cmpuint (t->breached, ==, 1);
    g_assert_nonnull (strstr (t->clocks, "\"target\":\"acceptance\",\"state\":\"breached\""));
  }

  /* No policy: nothing is due. */
  cd_ticket_set_clocks (t, NULL);
  g_assert_cmpint (t->due_at, ==, 0);
  g_assert_null (t->clocks);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/dispatch/transition-table", test_transition_table);
  g_test_add_func ("/dispatch/field-rules", test_field_rules);
  g_test_add_func ("/dispatch/projection", test_projection);
  g_test_add_func ("/dispatch/resume-state", test_resume_state);
  g_test_add_func ("/dispatch/executor-org", test_executor_org);
  g_test_add_func ("/dispatch/set-clocks", test_set_clocks);
  g_test_add_func ("/dispatch/wrong-ticket", test_wrong_ticket);
  g_test_add_func ("/dispatch/numbers", test_numbers);
  g_test_add_func ("/dispatch/categories", test_categories);
  g_test_add_func ("/dispatch/routing", test_routing);
  g_test_add_func ("/dispatch/routing-invalid", test_routing_invalid);
  g_test_add_func ("/dispatch/stale-and-unacknowledged", test_stale_and_unacknowledged);
  g_test_add_func ("/dispatch/overdue", test_overdue);
  g_test_add_func ("/dispatch/repeats", test_repeats);
  g_test_add_func ("/dispatch/mass-incidents", test_mass_incidents);

  return g_test_run ();
}
