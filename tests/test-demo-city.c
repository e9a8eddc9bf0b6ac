// SPDX-License-Identifier: GPL-3.0-or-later
//
// The demo city: deterministic, shaped like DOMAIN.md (shares by category
// group, the hourly peaks of winter and summer, quieter weekends, about
// 80% on time), every ticket's history valid in the dispatch transition
// table, and complaints that live their life (docs/complaints.md):
// classified within the day, answered within the nine days, decided in
// realistic shares.

#include "config.h"

#include <string.h>

#include "cd-demo-city.h"
#include "cd-dispatch.h"

#include "cd-test.h"

#define HOUR 3600
#define DAY (24 * HOUR)
/* 2026-01-01 00:00 in Minsk (UTC+3). */
#define YEAR_START G_GINT64_CONSTANT (1767214800)

typedef struct
{
  GChecksum  *checksum;
  GHashTable *states;
  guint       n_tickets;
  guint       n_steps;
  guint       groups[4];
  guint       by_group[16];
  gint64      last_time;
  /* [summer?][weekend?][hour] */
  guint       hours[2][2][24];
  guint       weekday_tickets;
  guint       weekend_tickets;
  guint       incidents;
  guint       repeats;
  guint       with_resolution;
  guint       on_time;
  guint       phone;
  guint       reopens;
  guint       unconfirmed;
  /* Complaints */
  guint       complaints;
  guint       classified;
  guint       classified_in_a_day;
  guint       classes[3];
  guint       answered;
  guint       answered_on_time;
  guint       decisions[3];
  guint       about_ticket;
  guint       about_call;
  guint       extended;
  guint       proposals;
  guint       with_cause;
} Tally;

static const char * const groups[] = {
  "housing", "transport", "street_trade", "roads", "parking", "noise", "other",
};

static guint
group_of (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (g_str_has_prefix (category, groups[i]))
      return i;
  g_assert_not_reached ();
}

typedef struct
{
  CdTicketState state;
  CdTicketKind  kind;
  gboolean      resolved;
  gint64        last;
  /* A complaint's registration, extension and classification. */
  gint64        registered;
  guint         extension_days;
  gboolean      classified;
} Life;

static gboolean
tally_step (CdDemoCity          *city,
            const CdDemoTicket  *ticket,
            const CdDemoStep    *step,
            gpointer             user_data,
            GError             **error)
{
  Tally *tally = user_data;
  guint n_users;
  const CdDemoUser *users = cd_demo_city_get_users (city, &n_users);
  CdAction action;
  CdRole role;
  Life *life;
  char buf[256];

  g_assert_cmpint (step->time, >=, tally->last_time);
  g_assert_cmpint (step->time, <, cd_demo_city_get_end (city));
  tally->last_time = step->time;
  tally->n_steps++;

  g_snprintf (buf, sizeof buf, "%s|%s|%" G_GINT64_FORMAT "|%s|%u|%d|%s|%s|%s",
              ticket->number, ticket->id, step->time, step->action, step->user,
              step->executor, step->note != NULL ? step->note : "",
              step->klass != NULL ? step->klass : "", step->decision != NULL ? step->decision : "");
  g_checksum_update (tally->checksum, (const guchar *) buf, -1);

  g_assert_true (cd_action_from_string (step->action, &action));
  g_assert_cmpuint (step->user, <, n_users);
  g_assert_true (cd_role_from_string (users[step->user].role, &role));

  life = g_hash_table_lookup (tally->states, ticket->id);
  if (life == NULL)
    {
      GDateTime *dt = g_date_time_new_from_unix_utc (step->time + 3 * HOUR);
      int hour = g_date_time_get_hour (dt);
      int month = g_date_time_get_month (dt);
      gboolean weekend = g_date_time_get_day_of_week (dt) >= 6;

      g_date_time_unref (dt);
      g_assert_cmpstr (step->action, ==, "register");
      life = g_new0 (Life, 1);
      life->state = CD_TICKET_STATE_NEW;
      life->registered = step->time;
      g_assert_true (cd_ticket_kind_from_string (ticket->kind, &life->kind));
      if (life->kind == CD_TICKET_KIND_COMPLAINT)
        {
          tally->complaints++;
          tally->about_ticket += ticket->about[0] != '\0';
          tally->about_call += cd_demo_complaint_is_about_call (ticket->description);
        }
      else
        g_assert_cmpstr (ticket->about, ==, "");
      g_hash_table_insert (tally->states, g_strdup (ticket->id), life);

      tally->n_tickets++;
      tally->by_group[group_of (ticket->category)]++;
      if (month == 1 || month == 7)
        tally->hours[month == 7][weekend][hour]++;
      if (weekend)
        tally->weekend_tickets++;
      else
        tally->weekday_tickets++;
      if (ticket->incident != 0)
        tally->incidents++;
      if (ticket->repeat_of[0] != '\0')
        tally->repeats++;
      if (g_str_equal (ticket->channel, "phone"))
        tally->phone++;
      g_assert_nonnull (strchr (ticket->number, '-'));
    }

  g_assert_cmpint (step->time, >, life->last);
  life->last = step->time;

  /* The transition table decides, as it will when the store applies the
   * events: state, role, kind and the fields each action needs. */
  if (!cd_dispatch_is_allowed (life->state, action, role))
    g_error ("%s: %s by %s refused in state %s", ticket->number, step->action,
             users[step->user].role, cd_ticket_state_to_string (life->state));
  /* A complaint is refused by its answer, with reasons, not by `refuse`. */
  g_assert_true (action != CD_ACTION_REFUSE);
  if (cd_dispatch_get_transition (action)->needs & CD_FIELD_NOTE)
    g_assert_nonnull (step->note);
  if (action == CD_ACTION_ASSIGN)
    g_assert_cmpint (step->executor, >=, 0);
  if (action == CD_ACTION_LINK && g_str_equal (step->relation, "about"))
    {
      g_assert_cmpint (life->kind, ==, CD_TICKET_KIND_COMPLAINT);
      g_assert_cmpstr (ticket->about, !=, "");
      g_assert_cmpstr (ticket->about, !=, ticket->number);
    }
  else if (action == CD_ACTION_LINK)
    {
      g_assert_cmpstr (step->relation, ==, "repeat_of");
      g_assert_cmpstr (ticket->repeat_of, !=, "");
    }
  if (action == CD_ACTION_CLASSIFY)
    {
      g_assert_nonnull (step->responsible);
      g_assert_nonnull (strchr ("ABC", step->klass[0]));
      if (!life->classified)
        {
          life->classified = TRUE;
          tally->classified++;
          tally->classified_in_a_day += step->time - life->registered <= DAY;
          tally->classes[step->klass[0] - 'A']++;
          tally->with_cause += step->cause != NULL;
        }
    }
  if (action == CD_ACTION_EXTEND)
    {
      g_assert_cmpint (life->kind, ==, CD_TICKET_KIND_COMPLAINT);
      g_assert_cmpstr (step->target, ==, "answer");
      g_assert_cmpuint (step->days, >=, 1);
      g_assert_cmpuint (step->days, <=, 10);
      /* One extension at most (the policy's cap). */
      g_assert_cmpuint (life->extension_days, ==, 0);
      life->extension_days = step->days;
      tally->extended++;
    }
  if (action == CD_ACTION_ANSWER)
    {
      static const char * const decisions[] = { "upheld", "partly_upheld", "refused" };
      guint d = 0;

      while (d < 3 && !g_str_equal (step->decision, decisions[d]))
        d++;
      g_assert_cmpuint (d, <, 3);
      tally->decisions[d]++;
      tally->answered++;
      tally->answered_on_time +=
          step->time - life->registered <= (9 + (gint64) life->extension_days) * DAY;
      /* A refusal carries its reasons and is in the organization's favour;
       * an upheld complaint in the resident's. */
      g_assert_true ((d == 2) == (step->reasons != NULL));
      g_assert_true ((d == 2) == (step->appeal != NULL));
      if (d == 0)
        g_assert_cmpstr (step->favour, ==, "resident");
      if (d == 2)
        g_assert_cmpstr (step->favour, ==, "organization");
      g_assert_nonnull (step->note);
    }
  if (action == CD_ACTION_PROPOSE)
    tally->proposals++;
  if (cd_demo_step_reopens (step))
    tally->reopens++;
  if (action == CD_ACTION_CALLBACK)
    {
      CdFeedbackOutcome outcome;

      /* Never more attempts than the feedback policy's three. */
      g_assert_true (cd_feedback_outcome_from_string (step->outcome, &outcome));
      g_assert_cmpuint (step->attempt, >=, 1);
      g_assert_cmpuint (step->attempt, <=, 3);
      g_assert_cmpint (step->last, ==, step->attempt == 3);
      if (outcome == CD_FEEDBACK_PARTLY_FIXED)
        g_assert_nonnull (step->note);
      if (cd_dispatch_callback_state (outcome, step->last) ==
          CD_TICKET_STATE_CLOSED_UNCONFIRMED)
        tally->unconfirmed++;
    }
  if (action == CD_ACTION_CLOSE_UNCONFIRMED)
    tally->unconfirmed++;
  if (action == CD_ACTION_RESOLVE && !life->resolved)
    {
      life->resolved = TRUE;
      if (step->time <= ticket->due)
        tally->on_time++;
    }
  if (action == CD_ACTION_ASSIGN && life->state == CD_TICKET_STATE_REGISTERED)
    tally->with_resolution++;

  if (action == CD_ACTION_CALLBACK)
    {
      CdFeedbackOutcome outcome;
      CdTicketState to;

      cd_feedback_outcome_from_string (step->outcome, &outcome);
      to = cd_dispatch_callback_state (outcome, step->last);
      if (to != CD_TICKET_STATE_SAME)
        life->state = to;
    }
  else if (cd_dispatch_get_transition (action)->to != CD_TICKET_STATE_SAME)
    life->state = cd_dispatch_get_transition (action)->to;
  return TRUE;
}

static void
tally_init (Tally *tally)
{
  memset (tally, 0, sizeof *tally);
  tally->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  tally->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
tally_clear (Tally *tally)
{
  g_checksum_free (tally->checksum);
  g_hash_table_unref (tally->states);
}

static void
generate (guint64  seed,
          guint    days,
          guint    per_day,
          gint64   end,
          Tally   *tally)
{
  CdDemoOptions options;
  g_autoptr(CdDemoCity) city = NULL;
  g_autoptr(GError) error = NULL;

  cd_demo_options_init (&options);
  options.seed = seed;
  options.days = days;
  options.tickets_per_day = per_day;
  options.end = end;

  city = cd_demo_city_new (&options, &error);
  g_assert_no_error (error);
  tally_init (tally);
  g_assert_true (cd_demo_city_generate (city, tally_step, tally, &error));
  g_assert_no_error (error);
}

/* One year at a lower volume, shared by the shape tests. */
static Tally year;

static void
test_city (void)
{
  CdDemoOptions options;
  g_autoptr(CdDemoCity) city = NULL;
  g_autoptr(GError) error = NULL;
  guint n_executors, n_users, n_streets, n_buildings, n_districts;
  const CdDemoUser *users;
  guint roles[CD_N_ROLES] = { 0 };

  cd_demo_options_init (&options);
  city = cd_demo_city_new (&options, &error);
  g_assert_no_error (error);

  cd_demo_city_get_districts (city, &n_districts);
  cd_demo_city_get_streets (city, &n_streets);
  cd_demo_city_get_buildings (city, &n_buildings);
  cd_demo_city_get_executors (city, &n_executors);
  users = cd_demo_city_get_users (city, &n_users);

  g_assert_cmpuint (n_districts, >=, 6);
  g_assert_cmpuint (n_streets, >=, 50);
  g_assert_cmpuint (n_buildings, >=, 1000);
  g_assert_cmpuint (n_executors, >=, 13);
  g_assert_cmpuint (n_executors, <=, 17);

  for (guint i = 0; i < n_users; i++)
    {
      CdRole role;

      g_assert_true (cd_role_from_string (users[i].role, &role));
      roles[role]++;
      g_assert_cmpint (users[i].executor, <, (int) n_executors);
      g_assert_true ((users[i].executor >= 0) == (role == CD_ROLE_EXECUTOR));
    }
  for (guint r = 0; r < CD_N_ROLES; r++)
    g_assert_cmpuint (roles[r], >, 0);

  options.days = 0;
  g_clear_pointer (&city, cd_demo_city_free);
  city = cd_demo_city_new (&options, &error);
  g_assert_error (error, CD_DEMO_CITY_ERROR, CD_DEMO_CITY_ERROR_INVALID);
  g_assert_null (city);
}

static void
test_determinism (void)
{
  Tally a, b, c;

  generate (42, 21, 300, YEAR_START + 30 * DAY, &a);
  generate (42, 21, 300, YEAR_START + 30 * DAY, &b);
  generate (43, 21, 300, YEAR_START + 30 * DAY, &c);

  g_assert_cmpuint (a.n_steps, ==, b.n_steps);
  g_assert_cmpstr (g_checksum_get_string (a.checksum), ==, g_checksum_get_string (b.checksum));
  g_assert_cmpstr (g_checksum_get_string (a.checksum), !=, g_checksum_get_string (c.checksum));

  tally_clear (&a);
  tally_clear (&b);
  tally_clear (&c);
}

static void
test_shares (void)
{
  double n = year.n_tickets;
  double housing = year.by_group[0] / n;
  double transport = year.by_group[1] / n;
  double trade = year.by_group[2] / n;

  g_test_message (
      "%u tickets, %u steps: housing %.3f, transport %.3f, street trade %.3f, phone %.3f",
      year.n_tickets, year.n_steps, housing, transport, trade, year.phone / n);
  g_assert_cmpfloat (n, >, 365 * 300 * 0.97);
  g_assert_cmpfloat (n, <, 365 * 300 * 1.06);
  g_assert_cmpfloat_with_epsilon (housing, 0.70, 0.03);
  g_assert_cmpfloat_with_epsilon (transport, 0.10, 0.02);
  /* Street trade comes third. */
  for (guint i = 3; i < G_N_ELEMENTS (groups); i++)
    g_assert_cmpuint (year.by_group[2], >, year.by_group[i]);
  g_assert_cmpuint (year.by_group[1], >, year.by_group[2]);
  g_assert_cmpfloat (year.phone / n, >, 0.6);
}

static double
span (const guint *hours,
      guint        from,
      guint        to)
{
  double total = 0, part = 0;

  for (guint h = 0; h < 24; h++)
    {
      total += hours[h];
      if (h >= from && h < to)
        part += hours[h];
    }
  return part / total / (to - from);
}

static guint
peak_hour (const guint *hours)
{
  guint best = 0;

  for (guint h = 1; h < 24; h++)
    if (hours[h] > hours[best])
      best = h;
  return best;
}

static void
test_peaks (void)
{
  const guint *winter = year.hours[0][0];
  const guint *summer = year.hours[1][0];

  /* Winter: the morning, 06-08, is the busiest. */
  g_assert_cmpuint (peak_hour (winter), >=, 6);
  g_assert_cmpuint (peak_hour (winter), <, 8);
  g_assert_cmpfloat (span (winter, 6, 8), >, 1.4 * span (winter, 10, 12));
  g_assert_cmpfloat (span (winter, 6, 8), >, 1.4 * span (winter, 16, 19));

  /* Summer: late morning and evening, the early morning is quiet. */
  g_assert_cmpuint (peak_hour (summer), >=, 10);
  g_assert_cmpuint (peak_hour (summer), <, 19);
  g_assert_cmpfloat (span (summer, 10, 12), >, 2 * span (summer, 6, 8));
  g_assert_cmpfloat (span (summer, 16, 19), >, 2 * span (summer, 6, 8));
  g_assert_cmpfloat (span (summer, 16, 19), >, 1.2 * span (summer, 13, 16));

  /* Nights are quiet all year. */
  g_assert_cmpfloat (span (winter, 1, 5), <, 0.3 * span (winter, 6, 8));
  g_assert_cmpfloat (span (summer, 1, 5), <, 0.3 * span (summer, 10, 12));
}

static void
test_weekends (void)
{
  /* 2026: 261 working days, 104 weekend days. */
  double weekday = year.weekday_tickets / 261.0;
  double weekend = year.weekend_tickets / 104.0;

  g_test_message ("per weekday %.0f, per weekend day %.0f", weekday, weekend);
  g_assert_cmpfloat (weekday / weekend, >, 1.25);
  g_assert_cmpfloat (weekday / weekend, <, 1.6);
}

static void
test_complaints (void)
{
  double n = year.complaints;

  g_test_message ("%u complaints: classified %u (%u within a day), A %u B %u C %u, "
                  "answered %u (%u on time), upheld %u partly %u refused %u, about a ticket %u, "
                  "about a call %u, extended %u, proposals %u, with a cause %u",
                  year.complaints, year.classified, year.classified_in_a_day, year.classes[0],
                  year.classes[1], year.classes[2], year.answered, year.answered_on_time,
                  year.decisions[0], year.decisions[1], year.decisions[2], year.about_ticket,
                  year.about_call, year.extended, year.proposals, year.with_cause);
  /* Some 5% of the tickets. */
  g_assert_cmpfloat (n / year.n_tickets, >, 0.04);
  g_assert_cmpfloat (n / year.n_tickets, <, 0.07);
  /* Classified within the day, mostly: A most, B some, C few. */
  g_assert_cmpfloat (year.classified / n, >, 0.95);
  g_assert_cmpfloat ((double) year.classified_in_a_day / year.classified, >, 0.85);
  g_assert_cmpfloat ((double) year.classified_in_a_day / year.classified, <, 1.0);
  g_assert_cmpuint (year.classes[0], >, 2 * year.classes[1]);
  g_assert_cmpuint (year.classes[1], >, 2 * year.classes[2]);
  g_assert_cmpuint (year.classes[2], >, 0);
  /* Answered within the nine days (or the extension), some late. */
  g_assert_cmpfloat (year.answered / n, >, 0.9);
  g_assert_cmpfloat ((double) year.answered_on_time / year.answered, >, 0.8);
  g_assert_cmpfloat ((double) year.answered_on_time / year.answered, <, 0.98);
  g_assert_cmpfloat_with_epsilon ((double) year.decisions[0] / year.answered, 0.45, 0.04);
  g_assert_cmpfloat_with_epsilon ((double) year.decisions[1] / year.answered, 0.20, 0.03);
  g_assert_cmpfloat_with_epsilon ((double) year.decisions[2] / year.answered, 0.35, 0.04);
  /* About an executor's ticket, about the contact center, extended. */
  g_assert_cmpfloat (year.about_ticket / n, >, 0.3);
  g_assert_cmpfloat (year.about_call / n, >, 0.1);
  g_assert_cmpuint (year.extended, >, 0);
  g_assert_cmpuint (year.extended, <, year.classes[1]);
  g_assert_cmpuint (year.proposals, >, 0);
  g_assert_cmpuint (year.with_cause, >, year.classified / 3);
}

static void
test_outcomes (void)
{
  double on_time = (double) year.on_time / year.with_resolution;

  g_test_message (
      "on time %.3f, reopens %u, unconfirmed %u, repeats %u, incident tickets %u",
      on_time, year.reopens, year.unconfirmed, year.repeats, year.incidents);
  g_assert_cmpfloat_with_epsilon (on_time, 0.80, 0.05);
  g_assert_cmpuint (year.reopens, >, year.n_tickets / 50);
  g_assert_cmpuint (year.unconfirmed, >, 0);
  g_assert_cmpuint (year.repeats, >, year.n_tickets / 30);
  g_assert_cmpuint (year.incidents, >, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/demo-city/city", test_city);
  g_test_add_func ("/demo-city/determinism", test_determinism);
  g_test_add_func ("/demo-city/shares", test_shares);
  g_test_add_func ("/demo-city/peaks", test_peaks);
  g_test_add_func ("/demo-city/weekends", test_weekends);
  g_test_add_func ("/demo-city/outcomes", test_outcomes);
  g_test_add_func ("/demo-city/complaints", test_complaints);

  /* Generating the year also checks every history against the table. */
  generate (115, 365, 300, YEAR_START + 365 * DAY, &year);
  status = g_test_run ();
  tally_clear (&year);
  return status;
}
