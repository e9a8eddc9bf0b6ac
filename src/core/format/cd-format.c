// SPDX-License-Identifier: GPL-3.0-or-later
//
// How times and durations read to a person: "2 h 10 min overdue",
// "in 23 min", "Tue 09:30". Dashboards never show raw seconds.

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-format.h"

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/**
 * cd_format_duration:
 * @seconds: a duration; its sign is ignored
 *
 * Formats a duration with the two largest units that matter, truncated
 * rather than rounded so that a countdown never claims more time than is
 * left: "45 s", "23 min", "2 h 10 min", "3 d 4 h".
 *
 * Returns: (transfer full): the text
 */
char *
cd_format_duration (gint64 seconds)
{
  guint64 s = seconds < 0 ? -(guint64) seconds : (guint64) seconds;

  if (s < MINUTE)
    return g_strdup_printf (C_("duration", "%u s"), (guint) s);

  if (s < HOUR)
    return g_strdup_printf (C_("duration", "%u min"), (guint) (s / MINUTE));

  if (s < DAY)
    {
      guint h = s / HOUR;
      guint m = (s % HOUR) / MINUTE;

      if (m == 0)
        return g_strdup_printf (C_("duration", "%u h"), h);
      return g_strdup_printf (C_("duration", "%u h %u min"), h, m);
    }
  else
    {
      guint64 d = s / DAY;
      guint h = (s % DAY) / HOUR;

      g_autofree char *days = g_strdup_printf ("%" G_GUINT64_FORMAT, d);

      /* Translators: %s is a number of days. */
      if (h == 0)
        return g_strdup_printf (C_("duration", "%s d"), days);
      /* Translators: %s is a number of days, %u of hours. */
      return g_strdup_printf (C_("duration", "%s d %u h"), days, h);
    }
}

/**
 * cd_format_remaining:
 * @remaining_seconds: time left before a deadline, negative once it passed
 *
 * Returns: (transfer full): "in 23 min", "due now" or "2 h 10 min overdue"
 */
char *
cd_format_remaining (gint64 remaining_seconds)
{
  g_autofree char *duration = NULL;

  if (remaining_seconds == 0)
    return g_strdup (C_("deadline", "due now"));

  duration = cd_format_duration (remaining_seconds);

  if (remaining_seconds > 0)
    /* Translators: %s is a duration such as "23 min" or "2 h 10 min". */
    return g_strdup_printf (C_("deadline", "in %s"), duration);

  /* Translators: %s is a duration such as "23 min" or "2 h 10 min". */
  return g_strdup_printf (C_("deadline", "%s overdue"), duration);
}

/**
 * cd_format_deadline:
 * @due: the deadline
 * @now: the present moment, in the time zone to show
 *
 * Formats a deadline in @now's time zone so that it cannot be misread: the
 * time alone today; the date whenever it is not today (a weekday alone
 * would say "Mon" for last Monday and the next one alike), with the
 * weekday too within a week either way; the year whenever it is not this
 * one. Weekday and month names are the system locale's (strftime(3)
 * through g_date_time_format()).
 *
 * Returns: (transfer full): the text
 */
char *
cd_format_deadline (GDateTime *due,
                    GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDate) due_date = NULL;
  g_autoptr(GDate) today = NULL;
  int days_apart;

  g_return_val_if_fail (due != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_timezone (due, g_date_time_get_timezone (now));
  due_date = g_date_new_dmy (g_date_time_get_day_of_month (local),
                             g_date_time_get_month (local),
                             g_date_time_get_year (local));
  today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                          g_date_time_get_month (now),
                          g_date_time_get_year (now));
  days_apart = g_date_days_between (today, due_date);

  if (days_apart == 0)
    /* Translators: a deadline today; see strftime(3) for the format. */
    return g_date_time_format (local, C_("deadline format", "%H:%M"));

  if (g_date_time_get_year (local) != g_date_time_get_year (now))
    /* Translators: a deadline in another year, e.g. "12 Jan 2027 09:30". */
    return g_date_time_format (local, C_("deadline format", "%-d %b %Y %H:%M"));

  if (ABS (days_apart) < 7)
    /* Translators: a deadline within a week this year, e.g. "Tue 12 Jan 09:30". */
    return g_date_time_format (local, C_("deadline format", "%a %-d %b %H:%M"));

  /* Translators: a deadline this year, e.g. "12 Jan 09:30". */
  return g_date_time_format (local, C_("deadline format", "%-d %b %H:%M"));
}

gboolean
cd_format_parse_duration (const char  *option,
                          const char  *text,
                          gint64      *out,
                          char       **message)
{
  static const struct {
    char   unit;
    gint64 seconds;
  } units[] = { { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
  const char *p = text;
  gint64 total = 0;
  guint next_unit = 0;
  gboolean any = FALSE;

  if (text == NULL || *text == '\0')
    goto bad;
  while (*p != '\0')
    {
      gint64 value = 0;
      const char *digits = p;
      guint u;

      while (g_ascii_isdigit (*p))
        {
          if (value > G_MAXINT64 / 10 / 3600 - 9)
            goto bad;
          value = value * 10 + (*p - '0');
          p++;
        }
      if (p == digits)
        goto bad;
      if (*p == '\0' && !any)
        {
          /* Plain seconds. */
          total = value;
          any = TRUE;
          break;
        }
      if (*p == 'd' || *p == 'D')
        {
          *message = g_strdup_printf (_("%s: “%s”: days are ambiguous "
                                       "(working days, or 24 hours of working "
                                       "time?); use hours, or “citydeskctl sla days”"),
                                     option, text);
          return FALSE;
        }
      for (u = next_unit; u < G_N_ELEMENTS (units); u++)
        if (*p == units[u].unit)
          break;
      if (u == G_N_ELEMENTS (units))
        goto bad;
      total += value * units[u].seconds;
      if (total > G_MAXINT64 / 4)
        goto bad;
      next_unit = u + 1;
      any = TRUE;
      p++;
    }
  if (!any)
    goto bad;
  *out = total;
  return TRUE;

bad:
  *message = g_strdup_printf (_("%s: “%s” is not a duration (write "
                               "90m, 3h30m, 4h20m15s, 45s or plain seconds)"),
                             option, text != NULL ? text : "");
  return FALSE;
}
