// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-personal.c: residents' personal data, and who may see it */

#include "config.h"

#include <string.h>

#include "cd-personal.h"

/**
 * cd_personal_is_member:
 * @member: a member of a `register` event's details
 *
 * Returns: whether @member holds personal data (the resident's `name` or
 *   `phone`), which the journal commits to by digest
 */
gboolean
cd_personal_is_member (const char *member)
{
  return g_strcmp0 (member, "name") == 0 || g_strcmp0 (member, "phone") == 0;
}

/**
 * cd_personal_role_sees:
 * @role: (nullable): a role
 *
 * Operators, supervisors, the feedback department and administrators call
 * residents or answer for them; executors and quality control do their
 * work without the resident's number.
 *
 * Returns: whether @role sees residents' phones unmasked
 */
gboolean
cd_personal_role_sees (const char *role)
{
  static const char * const seeing[] = { "operator", "supervisor", "feedback", "admin" };

  for (guint i = 0; i < G_N_ELEMENTS (seeing); i++)
    if (g_strcmp0 (role, seeing[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * cd_personal_mask_phone:
 * @phone: (nullable): a phone number as written, e.g. `+375 29 123-45-67`
 *
 * Hides the subscriber's number but its last two digits, keeping the
 * punctuation and the country and operator or area code, which say nothing
 * of the person: `+375 29 ***-**-67`, `8 (017) ***-**-44`. Subscriber
 * numbers have seven digits in most plans, so a code is what comes before
 * the last seven digits, five at most. The last two digits let whoever
 * calls back recognise the number the resident gives.
 *
 * Returns: (transfer full) (nullable): the masked number
 */
char *
cd_personal_mask_phone (const char *phone)
{
  g_autofree char *masked = NULL;
  guint digits = 0, seen = 0, code;
  gsize len;

  if (phone == NULL)
    return NULL;

  len = strlen (phone);
  for (gsize i = 0; i < len; i++)
    if (g_ascii_isdigit (phone[i]))
      digits++;

  code = digits > 7 ? MIN (digits - 7, 5) : 0;
  masked = g_strdup (phone);
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (phone[i]))
        continue;
      seen++;
      if (seen > code && seen + 2 <= digits)
        masked[i] = '*';
    }
  return g_steal_pointer (&masked);
}
