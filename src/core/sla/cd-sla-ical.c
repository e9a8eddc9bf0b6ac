// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-ical.c: import of public holidays from iCalendar (RFC 5545)
 *
 * Only what holiday feeds use is read: VEVENTs with a DTSTART (a date, a
 * UTC or floating date-time, or one with a TZID), DTEND or DURATION, an
 * optional RRULE:FREQ=YEARLY, SUMMARY and STATUS. Everything else in the
 * file is skipped, except what would change the dates silently (other
 * recurrence rules, RDATE, EXDATE): that is an error naming its line.
 */

#include <string.h>

#include "cd-sla-ical.h"

typedef struct
{
  char *name;                  /* upper case */
  char *params;                /* ";A=B;C=D" as written, or "" */
  char *value;
  guint line;
} Prop;

typedef struct
{
  int    year, month, day;
  int    hour, minute, second;
  gboolean has_time;
  gboolean utc;
  GTimeZone *tz;               /* TZID, or NULL */
} IcalTime;

static void
prop_free (Prop *prop)
{
  g_free (prop->name);
  g_free (prop->params);
  g_free (prop->value);
  g_free (prop);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prop, prop_free)

static void
ical_time_clear (IcalTime *t)
{
  g_clear_pointer (&t->tz, g_time_zone_unref);
}

static Prop *
split_prop (const char  *s,
            guint        line,
            GError     **error)
{
  g_autoptr(Prop) prop = g_new0 (Prop, 1);
  const char *colon = NULL, *semi;
  gboolean quoted = FALSE;

  /* The value starts at the first colon outside a quoted parameter. */
  for (const char *q = s; *q != '\0'; q++)
    {
      if (*q == '"')
        quoted = !quoted;
      else if (*q == ':' && !quoted)
        {
          colon = q;
          break;
        }
    }
  if (colon == NULL)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                   "line %u: “%s” is not a property (NAME:value)", line, s);
      return NULL;
    }
  semi = memchr (s, ';', colon - s);
  prop->name = g_ascii_strup (s, (semi != NULL ? semi : colon) - s);
  prop->params = g_strndup (semi != NULL ? semi : colon,
                            semi != NULL ? (gsize) (colon - semi) : 0);
  prop->value = g_strdup (colon + 1);
  prop->line = line;
  return g_steal_pointer (&prop);
}

/* Unfolds the lines (CRLF or LF; a line starting with a space or a tab
 * continues the one before) and splits each into name, parameters and
 * value. */
static GPtrArray *
read_props (const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(GPtrArray) props = g_ptr_array_new_with_free_func ((GDestroyNotify) prop_free);
  g_autoptr(GString) logical = g_string_new (NULL);
  const char *p = data, *end = data + len;
  guint line = 0, logical_line = 0;

  /* A UTF-8 byte order mark. */
  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  for (;;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize n = stop - p;
      gboolean last = nl == NULL;

      if (n > 0 && p[n - 1] == '\r')
        n--;
      line++;

      if (n > 0 && (p[0] == ' ' || p[0] == '\t') && logical->len > 0)
        g_string_append_len (logical, p + 1, n - 1);
      else
        {
          if (logical->len > 0)
            {
              Prop *prop = split_prop (logical->str, logical_line, error);

              if (prop == NULL)
                return NULL;
              g_ptr_array_add (props, prop);
            }
          g_string_truncate (logical, 0);
          g_string_append_len (logical, p, n);
          logical_line = line;
        }
      if (last)
        break;
      p = nl + 1;
    }
  if (logical->len > 0)
    {
      Prop *prop = split_prop (logical->str, logical_line, error);

      if (prop == NULL)
        return NULL;
      g_ptr_array_add (props, prop);
    }
  return g_steal_pointer (&props);
}

/* The value of parameter @name (e.g. "TZID") in ";A=B;TZID=x", or NULL. */
static char *
param_value (const Prop *prop,
             const char *name)
{
  g_auto(GStrv) parts = g_strsplit (prop->params, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');

      if (eq != NULL && (gsize) (eq - parts[i]) == strlen (name)
          && g_ascii_strncasecmp (parts[i], name, eq - parts[i]) == 0)
        {
          const char *v = eq + 1;
          gsize n = strlen (v);

          if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
            return g_strndup (v + 1, n - 2);
          return g_strdup (v);
        }
    }
  return NULL;
}

static gboolean
digits (const char *s,
        guint       n,
        int        *out)
{
  *out = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      *out = *out * 10 + (s[i] - '0');
    }
  return TRUE;
}

static gboolean
parse_ical_time (const Prop  *prop,
                 IcalTime    *out,
                 GError     **error)
{
  const char *v = prop->value;
  gsize n = strlen (v);
  g_autofree char *value_type = param_value (prop, "VALUE");
  g_autofree char *tzid = param_value (prop, "TZID");

  memset (out, 0, sizeof *out);
  if (n < 8 || !digits (v, 4, &out->year) || !digits (v + 4, 2, &out->month)
      || !digits (v + 6, 2, &out->day))
    goto bad;
  if (n > 8)
    {
      if (g_strcmp0 (value_type, "DATE") == 0 || (n != 15 && n != 16) || v[8] != 'T'
          || !digits (v + 9, 2, &out->hour) || !digits (v + 11, 2, &out->minute)
          || !digits (v + 13, 2, &out->second)
          || (n == 16 && v[15] != 'Z')
          || out->hour > 23 || out->minute > 59 || out->second > 60)
        goto bad;
      out->has_time = TRUE;
      out->utc = n == 16;
    }
  if (out->month < 1 || out->month > 12 || out->day < 1
      || out->day > g_date_get_days_in_month (out->month, out->year)
      || out->year < 1 || !g_date_valid_dmy (out->day, out->month, out->year))
    goto bad;

  if (out->has_time && !out->utc && tzid != NULL)
    {
      out->tz = g_time_zone_new_identifier (tzid);
      if (out->tz == NULL)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                       "line %u: %s has an unknown time zone “%s”",
                       prop->line, prop->name, tzid);
          return FALSE;
        }
    }
  return TRUE;

bad:
  g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
               "line %u: %s “%s” is not a date (YYYYMMDD) or a date-time "
               "(YYYYMMDDTHHMMSS, optionally with Z)", prop->line, prop->name, v);
  return FALSE;
}

/* The instant of a date-time: in UTC, its TZID, or floating (the
 * calendar's zone). */
static gint64
ical_time_to_unix (const IcalTime *t,
                   GTimeZone      *zone)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GTimeZone *tz = t->utc ? utc : t->tz != NULL ? t->tz : zone;
  g_autoptr(GDateTime) dt = g_date_time_new (tz, t->year, t->month, t->day,
                                             t->hour, t->minute,
                                             MIN (t->second, 59));

  return g_date_time_to_unix (dt);
}

static void
local_date (gint64     instant,
            GTimeZone *zone,
            GDate     *out)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (instant);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

/* Reads a DURATION of whole days or weeks and times (P1D, PT24H, P1W). */
static gboolean
parse_duration (const Prop  *prop,
                gint64      *seconds,
                GError     **error)
{
  const char *p = prop->value;
  gboolean in_time = FALSE;
  gint64 total = 0;

  if (*p == '+')
    p++;
  if (*p++ != 'P' || *p == '\0')
    goto bad;
  while (*p != '\0')
    {
      gint64 n = 0;

      if (*p == 'T')
        {
          in_time = TRUE;
          p++;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        goto bad;
      while (g_ascii_isdigit (*p) && n < G_MAXINT32)
        n = n * 10 + (*p++ - '0');
      switch (*p++)
        {
        case 'W': total += n * 7 * 86400; break;
        case 'D': total += n * 86400; break;
        case 'H': if (!in_time) goto bad; total += n * 3600; break;
        case 'M': if (!in_time) goto bad; total += n * 60; break;
        case 'S': if (!in_time) goto bad; total += n; break;
        default: goto bad;
        }
    }
  *seconds = total;
  return TRUE;

bad:
  g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
               "line %u: DURATION “%s” is not a duration such as P1D",
               prop->line, prop->value);
  return FALSE;
}

typedef struct
{
  gboolean yearly;
  int      count;              /* 0: unlimited */
  int      interval;
  gboolean has_until;
  GDate    until;
} Rule;

static gboolean
parse_rrule (const Prop  *prop,
             const GDate *first,
             Rule        *rule,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (prop->value, ";", -1);

  memset (rule, 0, sizeof *rule);
  rule->interval = 1;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (parts[i], "=", 2);
      const char *k = kv[0], *v = kv[1];
      int n;

      if (v == NULL)
        goto unsupported;
      if (g_ascii_strcasecmp (k, "FREQ") == 0)
        {
          if (g_ascii_strcasecmp (v, "YEARLY") != 0)
            goto unsupported;
          rule->yearly = TRUE;
        }
      else if (g_ascii_strcasecmp (k, "COUNT") == 0 && digits (v, strlen (v), &n)
               && strlen (v) > 0 && strlen (v) < 6 && n > 0)
        rule->count = n;
      else if (g_ascii_strcasecmp (k, "INTERVAL") == 0 && digits (v, strlen (v), &n)
               && strlen (v) > 0 && strlen (v) < 4 && n > 0)
        rule->interval = n;
      else if (g_ascii_strcasecmp (k, "UNTIL") == 0 && strlen (v) >= 8)
        {
          Prop fake = { (char *) "UNTIL", (char *) "", (char *) v, prop->line };
          IcalTime t;

          if (!parse_ical_time (&fake, &t, error))
            return FALSE;
          ical_time_clear (&t);
          rule->has_until = TRUE;
          g_date_clear (&rule->until, 1);
          g_date_set_dmy (&rule->until, t.day, t.month, t.year);
        }
      /* Parts that only repeat what DTSTART says. */
      else if (g_ascii_strcasecmp (k, "BYMONTH") == 0 && digits (v, strlen (v), &n)
               && n == (int) g_date_get_month (first))
        ;
      else if (g_ascii_strcasecmp (k, "BYMONTHDAY") == 0 && digits (v, strlen (v), &n)
               && n == g_date_get_day (first))
        ;
      else if (g_ascii_strcasecmp (k, "WKST") == 0)
        ;
      else
        goto unsupported;
    }
  if (rule->yearly)
    return TRUE;

unsupported:
  g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
               "line %u: RRULE “%s” is not supported (only FREQ=YEARLY, with "
               "COUNT, UNTIL or INTERVAL)", prop->line, prop->value);
  return FALSE;
}

static void
unescape_text (char *s)
{
  char *w = s;

  for (const char *r = s; *r != '\0'; r++)
    {
      if (*r == '\\' && r[1] != '\0')
        {
          r++;
          *w++ = (*r == 'n' || *r == 'N') ? ' ' : *r;
        }
      else
        *w++ = *r;
    }
  *w = '\0';
}

/* The first property @name of the component made of [from, to), not
 * counting those of components nested in it (a VALARM). */
static const Prop *
find_prop (GPtrArray  *props,
           guint       from,
           guint       to,
           const char *name)
{
  guint depth = 0;

  for (guint i = from; i < to; i++)
    {
      const Prop *p = g_ptr_array_index (props, i);

      if (strcmp (p->name, "BEGIN") == 0)
        depth++;
      else if (strcmp (p->name, "END") == 0)
        depth--;
      else if (depth == 0 && strcmp (p->name, name) == 0)
        return p;
    }
  return NULL;
}

static void
add_holiday (GPtrArray  *out,
             int         year,
             const GDate *date,
             const char *summary)
{
  g_ptr_array_add (out, cd_sla_holiday_new (year, g_date_get_month (date),
                                            g_date_get_day (date), summary));
}

/* Turns the VEVENT made of props [from, to) into holidays. */
static gboolean
read_event (GPtrArray   *props,
            guint        from,
            guint        to,
            GTimeZone   *zone,
            GPtrArray   *out,
            GError     **error)
{
  const Prop *dtstart = find_prop (props, from, to, "DTSTART");
  const Prop *dtend = find_prop (props, from, to, "DTEND");
  const Prop *duration = find_prop (props, from, to, "DURATION");
  const Prop *rrule = find_prop (props, from, to, "RRULE");
  const Prop *summary_prop = find_prop (props, from, to, "SUMMARY");
  const Prop *status = find_prop (props, from, to, "STATUS");
  const Prop *begin = g_ptr_array_index (props, from - 1);
  g_autofree char *summary = NULL;
  IcalTime start = { 0 }, stop = { 0 };
  GDate first, last;
  Rule rule;
  gboolean ok = FALSE;
  guint days;

  static const char * const unsupported[] = { "RDATE", "EXDATE" };

  if (status != NULL && g_ascii_strcasecmp (status->value, "CANCELLED") == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      const Prop *p = find_prop (props, from, to, unsupported[i]);

      if (p != NULL)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                       "line %u: %s is not supported; list each holiday as "
                       "its own event", p->line, p->name);
          return FALSE;
        }
    }
  if (dtstart == NULL)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                   "line %u: the VEVENT has no DTSTART", begin->line);
      return FALSE;
    }
  if (!parse_ical_time (dtstart, &start, error))
    goto out;

  if (summary_prop != NULL)
    {
      summary = g_strdup (summary_prop->value);
      unescape_text (summary);
    }

  /* The local dates the event covers. */
  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  if (!start.has_time)
    {
      g_date_set_dmy (&first, start.day, start.month, start.year);
      last = first;
      if (dtend != NULL)
        {
          if (!parse_ical_time (dtend, &stop, error))
            goto out;
          g_date_set_dmy (&last, stop.day, stop.month, stop.year);
          /* DTEND is exclusive. */
          g_date_subtract_days (&last, 1);
        }
      else if (duration != NULL)
        {
          gint64 secs;

          if (!parse_duration (duration, &secs, error))
            goto out;
          if (secs >= 86400)
            g_date_add_days (&last, secs / 86400 - 1);
        }
    }
  else
    {
      gint64 t0 = ical_time_to_unix (&start, zone);
      gint64 t1 = t0;

      if (dtend != NULL)
        {
          if (!parse_ical_time (dtend, &stop, error))
            goto out;
          t1 = ical_time_to_unix (&stop, zone);
        }
      else if (duration != NULL)
        {
          gint64 secs;

          if (!parse_duration (duration, &secs, error))
            goto out;
          t1 = t0 + secs;
        }
      local_date (t0, zone, &first);
      /* The end is exclusive too: an event ending at midnight does not
       * cover the day it ends on. */
      local_date (t1 > t0 ? t1 - 1 : t0, zone, &last);
    }
  if (g_date_compare (&last, &first) < 0)
    last = first;
  days = g_date_days_between (&first, &last) + 1;
  if (days > 366)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                   "line %u: the event lasts %u days, too long for a holiday",
                   dtstart->line, days);
      goto out;
    }
  if (g_date_get_year (&first) < CD_SLA_CALENDAR_MIN_YEAR
      || g_date_get_year (&last) > CD_SLA_CALENDAR_MAX_YEAR)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                   "line %u: %s is outside the years %d to %d",
                   dtstart->line, dtstart->value,
                   CD_SLA_CALENDAR_MIN_YEAR, CD_SLA_CALENDAR_MAX_YEAR);
      goto out;
    }

  if (rrule != NULL && !parse_rrule (rrule, &first, &rule, error))
    goto out;

  for (guint i = 0; i < days; i++)
    {
      GDate d = first;

      g_date_add_days (&d, i);
      if (rrule == NULL)
        add_holiday (out, g_date_get_year (&d), &d, summary);
      else if (rule.count == 0 && !rule.has_until && rule.interval == 1)
        add_holiday (out, 0, &d, summary);
      else
        {
          int month = g_date_get_month (&d), mday = g_date_get_day (&d);

          /* A bounded rule: its occurrences, each a one-time holiday. A
           * 29 February occurs in leap years only. */
          for (int k = 0, y = g_date_get_year (&d);
               y <= CD_SLA_CALENDAR_MAX_YEAR && (rule.count == 0 || k < rule.count);
               y += rule.interval)
            {
              GDate occ;

              if (!g_date_valid_dmy (mday, month, y))
                continue;
              k++;
              g_date_clear (&occ, 1);
              g_date_set_dmy (&occ, mday, month, y);
              if (rule.has_until && g_date_compare (&occ, &rule.until) > 0)
                break;
              add_holiday (out, y, &occ, summary);
            }
        }
    }
  ok = TRUE;

out:
  ical_time_clear (&start);
  ical_time_clear (&stop);
  return ok;
}

static int
compare_holidays (gconstpointer a,
                  gconstpointer b)
{
  const CdSlaHoliday *x = *(CdSlaHoliday * const *) a;
  const CdSlaHoliday *y = *(CdSlaHoliday * const *) b;

  if (x->year != y->year)
    return x->year < y->year ? -1 : 1;
  if (x->month != y->month)
    return x->month - y->month;
  return x->day - y->day;
}

GPtrArray *
cd_sla_ical_parse (const char  *data,
                   gssize       len,
                   GTimeZone   *tz,
                   GError     **error)
{
  g_autoptr(GPtrArray) props = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_sla_holiday_free);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_sla_holiday_free);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  guint event_from = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 0)
    len = strlen (data);
  {
    gsize skip = len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

    if ((gsize) len < skip + 15 || g_ascii_strncasecmp (data + skip, "BEGIN:VCALENDAR", 15) != 0)
      {
        g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                             "not an iCalendar file (it does not start with "
                             "BEGIN:VCALENDAR)");
        return NULL;
      }
  }
  props = read_props (data, len, error);
  if (props == NULL)
    return NULL;

  for (guint i = 0; i < props->len; i++)
    {
      const Prop *p = g_ptr_array_index (props, i);
      g_autofree char *component = g_ascii_strup (p->value, -1);

      if (strcmp (p->name, "BEGIN") == 0)
        {
          if (stack->len == 0 && strcmp (component, "VCALENDAR") != 0)
            break;
          /* Only a VEVENT directly in the VCALENDAR is an event. */
          if (stack->len == 1 && strcmp (component, "VEVENT") == 0)
            event_from = i + 1;
          g_ptr_array_add (stack, g_steal_pointer (&component));
        }
      else if (strcmp (p->name, "END") == 0)
        {
          if (stack->len == 0
              || strcmp (g_ptr_array_index (stack, stack->len - 1), component) != 0)
            {
              g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                           "line %u: END:%s does not close the open component",
                           p->line, p->value);
              return NULL;
            }
          if (stack->len == 2 && strcmp (component, "VEVENT") == 0
              && !read_event (props, event_from, i, tz, found, error))
            return NULL;
          g_ptr_array_remove_index (stack, stack->len - 1);
        }
    }
  if (stack->len > 0)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR,
                   "the file ends inside %s (END:%s is missing)",
                   (const char *) g_ptr_array_index (stack, stack->len - 1),
                   (const char *) g_ptr_array_index (stack, stack->len - 1));
      return NULL;
    }

  /* Each date once: the first summary wins, and a yearly holiday covers
   * the one-time holidays on its day. */
  g_ptr_array_sort (found, compare_holidays);
  for (guint i = 0; i < found->len; i++)
    {
      CdSlaHoliday *h = g_ptr_array_index (found, i);
      gboolean dup = FALSE;

      for (guint j = 0; j < out->len && !dup; j++)
        {
          const CdSlaHoliday *o = g_ptr_array_index (out, j);

          dup = o->month == h->month && o->day == h->day
                && (o->year == 0 || o->year == h->year);
        }
      if (!dup)
        g_ptr_array_add (out, cd_sla_holiday_copy (h));
    }
  return g_steal_pointer (&out);
}

GPtrArray *
cd_sla_ical_preview (CdSlaCalendar  *calendar,
                     const char     *data,
                     gssize          len,
                     GError        **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *fresh;

  g_return_val_if_fail (calendar != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  all = cd_sla_ical_parse (data, len, cd_sla_calendar_get_timezone (calendar), error);
  if (all == NULL)
    return NULL;

  /* Exactly what cd_sla_calendar_add_holidays () would add. */
  fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_sla_holiday_free);
  for (guint i = 0; i < all->len; i++)
    {
      const CdSlaHoliday *h = g_ptr_array_index (all, i);

      if (cd_sla_calendar_has_holiday (calendar, h)
          || (h->year != 0 && cd_sla_calendar_has_override (calendar, h->year,
                                                            h->month, h->day)))
        continue;
      g_ptr_array_add (fresh, cd_sla_holiday_copy (h));
    }
  return fresh;
}

CdSlaCalendar *
cd_sla_ical_merge (CdSlaCalendar  *calendar,
                   const char     *data,
                   gssize          len,
                   GError        **error)
{
  g_autoptr(GPtrArray) fresh = cd_sla_ical_preview (calendar, data, len, error);

  if (fresh == NULL)
    return NULL;
  return cd_sla_calendar_add_holidays (calendar, fresh, error);
}
