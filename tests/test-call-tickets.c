// SPDX-License-Identifier: GPL-3.0-or-later
//
// The link between a call and the tickets registered during it
// (docs/calls.md, "The tickets registered during a call"): the phone
// compared in every national form, the window from the answer to the end
// plus the wrap-up, the channel, the operator's account, and the nearest
// call when two could claim one ticket.

#include "config.h"

#include "cd-call-tickets.h"
#include "cd-test.h"

#define ANSWER 1767250000
#define END (ANSWER + 180)

static void
test_phone_normalize (void)
{
  static const struct
  {
    const char *phone;
    const char *digits;
  } cases[] = {
    { "+375 29 123-45-67", "291234567" },
    { "+375291234567", "291234567" },
    { "375291234567", "291234567" },
    { "8 029 123-45-67", "291234567" },
    { "80291234567", "291234567" },
    { "8 (017) 234-56-78", "172345678" },
    { "029 1234567", "291234567" },
    { "291234567", "291234567" },
    { "+7 495 123-45-67", "4951234567" },
    { "8 (495) 123-45-67", "4951234567" },
    { "74951234567", "4951234567" },
    { "+375 29 ***-**-67", NULL },
    { "unknown", NULL },
    { "103", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *digits = cd_call_phone_normalize (cases[i].phone);

      g_test_message ("%s", cases[i].phone != NULL ? cases[i].phone : "(null)");
      g_assert_cmpstr (digits, ==, cases[i].digits);
    }
  g_assert_true (cd_call_phone_equal ("+375 29 123-45-67", "80291234567"));
  g_assert_true (cd_call_phone_equal ("+7 495 123-45-67", "84951234567"));
  g_assert_false (cd_call_phone_equal ("+375 29 123-45-67", "+375 29 123-45-68"));
  g_assert_false (cd_call_phone_equal ("+375 29 ***-**-67", "+375 29 ***-**-67"));
  g_assert_false (cd_call_phone_equal (NULL, NULL));
}

static void
test_match (void)
{
  static const struct
  {
    const char        *what;
    gint64             answered_at;
    const char        *caller;
    const char        *account;
    const char        *channel;
    gint64             created_at;
    const char        *phone;
    const char        *registered_by;
    CdCallTicketMatch  match;
  } cases[] = {
    { "the caller's phone, during the talk", ANSWER, "+375291234567", NULL,
      "phone", ANSWER + 60, "+375 29 123-45-67", "ivanova", CD_CALL_TICKET_BY_PHONE },
    { "the caller's phone, national form", ANSWER, "+375291234567", NULL,
      "phone", ANSWER + 60, "8 029 123-45-67", NULL, CD_CALL_TICKET_BY_PHONE },
    { "at the answer", ANSWER, "+375291234567", NULL,
      "phone", ANSWER, "+375291234567", NULL, CD_CALL_TICKET_BY_PHONE },
    { "at the end of the wrap-up", ANSWER, "+375291234567", NULL,
      "phone", END + CD_CALL_WRAP_UP_SECONDS, "+375291234567", NULL, CD_CALL_TICKET_BY_PHONE },
    { "after the wrap-up", ANSWER, "+375291234567", NULL,
      "phone", END + CD_CALL_WRAP_UP_SECONDS + 1, "+375291234567", NULL, CD_CALL_TICKET_NONE },
    { "before the answer", ANSWER, "+375291234567", NULL,
      "phone", ANSWER - 1, "+375291234567", NULL, CD_CALL_TICKET_NONE },
    { "not on the phone", ANSWER, "+375291234567", NULL,
      "web", ANSWER + 60, "+375291234567", NULL, CD_CALL_TICKET_NONE },
    { "no channel", ANSWER, "+375291234567", NULL,
      NULL, ANSWER + 60, "+375291234567", NULL, CD_CALL_TICKET_NONE },
    { "another caller", ANSWER, "+375291234567", NULL,
      "phone", ANSWER + 60, "+375 29 123-45-68", "petrov", CD_CALL_TICKET_NONE },
    { "another caller, by the operator", ANSWER, "+375291234567", "petrov",
      "phone", ANSWER + 60, "+375 29 123-45-68", "petrov", CD_CALL_TICKET_BY_AGENT },
    { "no phone, by the operator", ANSWER, "unknown", "petrov",
      "phone", ANSWER + 60, NULL, "petrov", CD_CALL_TICKET_BY_AGENT },
    { "by another account", ANSWER, "unknown", "petrov",
      "phone", ANSWER + 60, NULL, "ivanova", CD_CALL_TICKET_NONE },
    { "an unlinked operator", ANSWER, "unknown", NULL,
      "phone", ANSWER + 60, NULL, NULL, CD_CALL_TICKET_NONE },
    { "a masked caller", ANSWER, "+375 29 ***-**-67", NULL,
      "phone", ANSWER + 60, "+375 29 ***-**-67", NULL, CD_CALL_TICKET_NONE },
    { "an unanswered call", 0, "+375291234567", "petrov",
      "phone", ANSWER + 60, "+375291234567", "petrov", CD_CALL_TICKET_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CdCallTicketCall call = { cases[i].answered_at, END, cases[i].caller, cases[i].account };
      CdCallTicketFacts ticket = { cases[i].channel, cases[i].created_at, cases[i].phone,
                                   cases[i].registered_by };

      g_test_message ("%s", cases[i].what);
      g_assert_cmpint (cd_call_ticket_match (&call, &ticket), ==, cases[i].match);
    }
}

static void
test_nearer (void)
{
  /* The phone outweighs the operator, even for an earlier call. */
  g_assert_true (cd_call_ticket_nearer (CD_CALL_TICKET_BY_PHONE, ANSWER, "b",
                                        CD_CALL_TICKET_BY_AGENT, ANSWER + 200, "a"));
  g_assert_false (cd_call_ticket_nearer (CD_CALL_TICKET_BY_AGENT, ANSWER + 200, "a",
                                         CD_CALL_TICKET_BY_PHONE, ANSWER, "b"));
  /* Then the latest answer. */
  g_assert_true (cd_call_ticket_nearer (CD_CALL_TICKET_BY_PHONE, ANSWER + 200, "b",
                                        CD_CALL_TICKET_BY_PHONE, ANSWER, "a"));
  g_assert_false (cd_call_ticket_nearer (CD_CALL_TICKET_BY_PHONE, ANSWER, "a",
                                         CD_CALL_TICKET_BY_PHONE, ANSWER + 200, "b"));
  /* Then the id: exactly one of two is nearer. */
  g_assert_true (cd_call_ticket_nearer (CD_CALL_TICKET_BY_AGENT, ANSWER, "a",
                                        CD_CALL_TICKET_BY_AGENT, ANSWER, "b"));
  g_assert_false (cd_call_ticket_nearer (CD_CALL_TICKET_BY_AGENT, ANSWER, "b",
                                         CD_CALL_TICKET_BY_AGENT, ANSWER, "a"));
  /* A call the ticket does not match is never nearer. */
  g_assert_false (cd_call_ticket_nearer (CD_CALL_TICKET_NONE, ANSWER + 200, "a",
                                         CD_CALL_TICKET_BY_AGENT, ANSWER, "b"));
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/call-tickets/phone", test_phone_normalize);
  g_test_add_func ("/call-tickets/match", test_match);
  g_test_add_func ("/call-tickets/nearer", test_nearer);

  return g_test_run ();
}
