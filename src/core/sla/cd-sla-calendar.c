// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-calendar.c: working-time calendars of the SLA engine
 *
 * How it is fast. Working time is a set of instants: those whose local
 * wall-clock time falls inside a working interval. Two cumulative functions
 * describe it:
 *
 *  - F(x), over local wall-clock seconds x (seconds since 1970-01-01 00:00
 *    of the calendar's zone, as if it were UTC): the working wall-clock
 *    seconds before x. It knows nothing about DST. It is cut into "wall
 *    days" (buckets): bucket D holds the working wall-clock seconds of local
 *    date D, i.e. the date's own intervals up to 24:00 plus what an
 *    overnight interval of D - 1 spills past midnight. Most buckets are
 *    "regular" (the same as any other of that weekday); the few that are not
 *    (holidays, overrides, the days after them, the ends of the supported
 *    range) are kept in a sorted array with F at their start. Between two of
 *    them F advances a whole week at a time by arithmetic.
 *
 *  - W(t), over instants t: the working seconds before t. The zone's offset
 *    is constant between two transitions (a "segment"), and there
 *    W(t) = W(start of segment) + F(t + offset) - F(start + offset). The
 *    segments are read from GTimeZone once, when the calendar is built.
 *    A wall-clock time that does not exist is never reached by t + offset;
 *    one that repeats is reached by two segments and so counted twice, once
 *    per real second.
 *
 * between (a, b) is W(b) - W(a); add (start, d) is the smallest t with
 * W(t) >= W(start) + d, found by binary search over the segments and the
 * irregular buckets and then by whole weeks. No operation walks days.
 *
 * Day-based deadlines use a third, simpler function over local dates: the
 * number of working dates before D, with the same week-skipping scheme.
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-sla-calendar.h"

#define DAY 86400
#define MAX_SPANS 16
#define MAX_BUCKET (MAX_SPANS + 1)
/* The Monday 1969-12-29 is day -3; weekday () counts Monday as 0. */
#define MONDAY_0 (-3)

G_DEFINE_QUARK (cd-sla-error-quark, cd_sla_error)

/* A working interval in seconds from a local midnight; an interval that
 * crosses midnight ends after DAY. */
typedef struct
{
  gint32 start;
  gint32 end;
} Span;

typedef struct
{
  Span   spans[MAX_SPANS];
  guint8 n;
} DaySpans;

typedef struct
{
  gint32   day;
  DaySpans spans;
} Override;

/* A local date whose own intervals are not its weekday's. */
typedef struct
{
  gint32          day;
  gint32          working;     /* 1 if the date has intervals */
  gint32          wd_before;   /* working dates in [day_min, day) */
  gint32          priority;    /* while building: override 1, holiday 0 */
  const DaySpans *spans;
} Exc;

/* A wall-clock bucket that is not its weekday's. */
typedef struct
{
  gint32 day;
  gint32 len;                  /* working wall seconds of the bucket */
  gint64 cw;                   /* F at the start of the bucket */
} Irr;

/* Instants with one UTC offset, from at to the next segment's at. */
typedef struct
{
  gint64 at;
  gint64 w;                    /* W(at) */
  gint64 fbase;                /* F(at + offset) */
  gint32 offset;
} Seg;

struct _CdSlaCalendar
{
  gatomicrefcount ref_count;

  /* What the calendar says. */
  GTimeZone *tz;
  char      *tz_id;
  gboolean   week_24_7;
  DaySpans   week[7];          /* Monday first */
  GArray    *yearly;           /* guint16 month * 100 + day, sorted */
  GArray    *once;             /* gint32 day numbers, sorted */
  GArray    *overrides;        /* Override, sorted by day */

  /* What is derived from it. */
  gint32  day_min;             /* 1 January CD_SLA_CALENDAR_MIN_YEAR */
  gint32  day_last;            /* 31 December CD_SLA_CALENDAR_MAX_YEAR */
  Span    reg_bucket[7][MAX_BUCKET];
  guint8  reg_n[7];
  gint64  reg_len[7];
  gint64  reg_cum[8];
  gint64  week_len;
  gint32  reg_wd[7];
  gint32  reg_wd_cum[8];
  gint32  week_wd;

  Exc    *exc;
  guint   n_exc;
  gint32  wd_total;
  Irr    *irr;
  guint   n_irr;
  gint64  f_total;
  Seg    *segs;
  guint   n_segs;
  gint64  w_total;
  gint64  t_lo;
  gint64  t_hi;
  gint32  off_min;
  gint32  off_max;
};

static const DaySpans no_spans = { { { 0, 0 } }, 0 };
static const char * const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

G_DEFINE_BOXED_TYPE (CdSlaCalendar, cd_sla_calendar, cd_sla_calendar_ref, cd_sla_calendar_unref)
G_DEFINE_BOXED_TYPE (CdSlaHoliday, cd_sla_holiday, cd_sla_holiday_copy, cd_sla_holiday_free)

/* Dates {{{1 */

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if ((a % b) != 0 && ((a < 0) != (b < 0)))
    q--;
  return q;
}

static inline gint64
floor_mod (gint64 a,
           gint64 b)
{
  return a - floor_div (a, b) * b;
}

static inline int
weekday (gint64 day)
{
  return (int) floor_mod (day - MONDAY_0, 7);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm). */
static gint32
days_from_civil (int y,
                 int m,
                 int d)
{
  int era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint32  z,
                 int    *year,
                 int    *month,
                 int    *mday)
{
  int era, doe, yoe, y, doy, mp, d, m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  *year = y + (m <= 2);
  *month = m;
  *mday = d;
}

static gboolean
date_is_valid (int year,
               int month,
               int day)
{
  if (month < 1 || month > 12 || day < 1)
    return FALSE;
  /* Year 2000 is a leap year: a yearly 02-29 exists in some year. */
  return day <= g_date_get_days_in_month (month, year == 0 ? 2000 : year);
}

/* Holidays {{{1 */

CdSlaHoliday *
cd_sla_holiday_new (int         year,
                    int         month,
                    int         day,
                    const char *summary)
{
  CdSlaHoliday *self = g_new0 (CdSlaHoliday, 1);

  self->year = year;
  self->month = month;
  self->day = day;
  self->summary = g_strdup (summary);
  return self;
}

CdSlaHoliday *
cd_sla_holiday_copy (const CdSlaHoliday *holiday)
{
  g_return_val_if_fail (holiday != NULL, NULL);

  return cd_sla_holiday_new (holiday->year, holiday->month, holiday->day,
                             holiday->summary);
}

void
cd_sla_holiday_free (CdSlaHoliday *holiday)
{
  if (holiday == NULL)
    return;
  g_free (holiday->summary);
  g_free (holiday);
}

char *
cd_sla_holiday_to_string (const CdSlaHoliday *holiday)
{
  g_return_val_if_fail (holiday != NULL, NULL);

  if (holiday->year == 0)
    return g_strdup_printf ("%02d-%02d", holiday->month, holiday->day);
  return g_strdup_printf ("%04d-%02d-%02d", holiday->year, holiday->month,
                          holiday->day);
}

/* Own intervals and buckets {{{1 */

static const Exc *
find_exc (const CdSlaCalendar *self,
          gint64               day)
{
  guint lo = 0, hi = self->n_exc;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->exc[mid].day < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->n_exc && self->exc[lo].day == day)
    return &self->exc[lo];
  return NULL;
}

/* The intervals a local date has of its own. */
static const DaySpans *
own_spans (const CdSlaCalendar *self,
           gint64               day)
{
  const Exc *exc;

  if (day < self->day_min || day > self->day_last)
    return &no_spans;
  exc = find_exc (self, day);
  if (exc != NULL)
    return exc->spans;
  return &self->week[weekday (day)];
}

/* The wall-clock working seconds of date @cur: its own intervals up to
 * 24:00 and what an overnight interval of the date before, @prev, spills
 * past midnight, merged. Returns the number of spans in @out. */
static guint
merge_bucket (const DaySpans *prev,
              const DaySpans *cur,
              Span           *out)
{
  guint n = 0;

  if (prev->n > 0 && prev->spans[prev->n - 1].end > DAY)
    {
      out[0].start = 0;
      out[0].end = prev->spans[prev->n - 1].end - DAY;
      n = 1;
    }
  for (guint i = 0; i < cur->n; i++)
    {
      gint32 s = cur->spans[i].start;
      gint32 e = MIN (cur->spans[i].end, DAY);

      if (n > 0 && s <= out[n - 1].end)
        out[n - 1].end = MAX (out[n - 1].end, e);
      else
        {
          out[n].start = s;
          out[n].end = e;
          n++;
        }
    }
  return n;
}

static guint
bucket_spans (const CdSlaCalendar *self,
              gint64               day,
              Span                *out)
{
  return merge_bucket (own_spans (self, day - 1), own_spans (self, day), out);
}

static gint64
spans_length (const Span *spans,
              guint       n)
{
  gint64 len = 0;

  for (guint i = 0; i < n; i++)
    len += spans[i].end - spans[i].start;
  return len;
}

/* F: working wall-clock seconds {{{1 */

/* Working wall seconds of regular buckets from the week's Monday origin to
 * @day; differences of it are sums over regular days. */
static inline gint64
reg_sum_to (const CdSlaCalendar *self,
            gint64               day)
{
  gint64 rel = day - MONDAY_0;

  return floor_div (rel, 7) * self->week_len + self->reg_cum[floor_mod (rel, 7)];
}

/* Index of the first irregular bucket whose day is >= @day. */
static inline guint
irr_lower_bound (const CdSlaCalendar *self,
                 gint64               day)
{
  guint lo = 0, hi = self->n_irr;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->irr[mid].day < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Looks up bucket @day: F at its start, and its spans (in @buf when it is
 * irregular). */
static const Span *
bucket_at (const CdSlaCalendar *self,
           gint64               day,
           gint64              *cw,
           guint               *n,
           Span                *buf)
{
  guint i = irr_lower_bound (self, day);
  const Irr *prev;

  if (i < self->n_irr && self->irr[i].day == day)
    {
      *cw = self->irr[i].cw;
      *n = bucket_spans (self, day, buf);
      return buf;
    }

  /* The first irregular bucket is day_min, so there is one before. */
  prev = &self->irr[i - 1];
  *cw = prev->cw + prev->len
        + reg_sum_to (self, day) - reg_sum_to (self, prev->day + 1);
  *n = self->reg_n[weekday (day)];
  return self->reg_bucket[weekday (day)];
}

static gint64
wall_cumulative (const CdSlaCalendar *self,
                 gint64               x)
{
  gint64 day = floor_div (x, DAY);
  gint64 cw, rel, partial = 0;
  Span buf[MAX_BUCKET];
  const Span *spans;
  guint n;

  if (day < self->day_min)
    return 0;
  if (day > self->day_last + 1)
    return self->f_total;

  spans = bucket_at (self, day, &cw, &n, buf);
  rel = x - day * DAY;
  for (guint i = 0; i < n && spans[i].start < rel; i++)
    partial += MIN (rel, spans[i].end) - spans[i].start;
  return cw + partial;
}

/* The smallest wall time x with F(x) >= y, for 1 <= y <= f_total. */
static gint64
wall_inverse (const CdSlaCalendar *self,
              gint64               y)
{
  guint lo = 0, hi = self->n_irr - 1;
  gint64 base, day = G_MININT64, limit;
  Span buf[MAX_BUCKET];
  const Span *spans;
  guint n, i;

  /* The first irregular bucket whose end reaches y. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->irr[mid].cw + self->irr[mid].len < y)
        lo = mid + 1;
      else
        hi = mid;
    }
  i = lo;
  limit = self->irr[i].day;

  if (i > 0 && self->week_len > 0)
    {
      gint64 d = self->irr[i - 1].day + 1;
      gint64 weeks;

      base = self->irr[i - 1].cw + self->irr[i - 1].len;
      /* Whole weeks that do not reach y, then at most seven days. */
      weeks = (y - base - 1) / self->week_len;
      d += 7 * weeks;
      base += weeks * self->week_len;
      for (; d < limit; d++)
        {
          gint64 len = self->reg_len[weekday (d)];

          if (base + len >= y)
            {
              day = d;
              break;
            }
          base += len;
        }
    }

  if (day == G_MININT64)
    {
      day = limit;
      base = self->irr[i].cw;
      n = bucket_spans (self, day, buf);
      spans = buf;
    }
  else
    {
      n = self->reg_n[weekday (day)];
      spans = self->reg_bucket[weekday (day)];
    }

  y -= base;
  for (guint k = 0; k < n; k++)
    {
      gint64 len = spans[k].end - spans[k].start;

      if (len >= y)
        return day * DAY + spans[k].start + y;
      y -= len;
    }
  g_assert_not_reached ();
  return day * DAY + DAY;
}

/* W: working seconds over instants {{{1 */

static inline guint
seg_index (const CdSlaCalendar *self,
           gint64               t)
{
  guint lo = 0, hi = self->n_segs - 1;

  /* The last segment starting at or before t; segs[0] starts at -inf. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo + 1) / 2;

      if (self->segs[mid].at <= t)
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}

static gint64
instant_cumulative (const CdSlaCalendar *self,
                    gint64               t)
{
  const Seg *seg;

  t = CLAMP (t, self->t_lo, self->t_hi);
  seg = &self->segs[seg_index (self, t)];
  return seg->w + wall_cumulative (self, t + seg->offset) - seg->fbase;
}

/* The smallest instant t with W(t) >= x, for 1 <= x <= w_total. */
static gint64
instant_inverse (const CdSlaCalendar *self,
                 gint64               x)
{
  guint lo = 0, hi = self->n_segs - 1;
  const Seg *seg;

  /* The first segment whose end reaches x. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->segs[mid + 1].w < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  seg = &self->segs[lo];
  return wall_inverse (self, seg->fbase + x - seg->w) - seg->offset;
}

/* Working dates {{{1 */

static inline gint64
reg_wd_to (const CdSlaCalendar *self,
           gint64               day)
{
  gint64 rel = day - MONDAY_0;

  return floor_div (rel, 7) * self->week_wd + self->reg_wd_cum[floor_mod (rel, 7)];
}

/* The number of working dates in [day_min, day). */
static gint64
working_dates_before (const CdSlaCalendar *self,
                      gint64               day)
{
  guint lo = 0, hi = self->n_exc;
  gint64 base, from;

  day = CLAMP (day, (gint64) self->day_min, (gint64) self->day_last + 1);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->exc[mid].day < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->n_exc && self->exc[lo].day == day)
    return self->exc[lo].wd_before;
  if (lo > 0)
    {
      base = self->exc[lo - 1].wd_before + self->exc[lo - 1].working;
      from = self->exc[lo - 1].day + 1;
    }
  else
    {
      base = 0;
      from = self->day_min;
    }
  return base + reg_wd_to (self, day) - reg_wd_to (self, from);
}

/* The smallest date E with working_dates_before (E + 1) >= y, or
 * G_MAXINT64 if there is none in the supported range. */
static gint64
working_date_inverse (const CdSlaCalendar *self,
                      gint64               y)
{
  guint lo = 0, hi = self->n_exc;
  gint64 base, d, limit;

  if (y < 1 || y > self->wd_total)
    return G_MAXINT64;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->exc[mid].wd_before + self->exc[mid].working < y)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0)
    {
      base = self->exc[lo - 1].wd_before + self->exc[lo - 1].working;
      d = self->exc[lo - 1].day + 1;
    }
  else
    {
      base = 0;
      d = self->day_min;
    }
  limit = lo < self->n_exc ? self->exc[lo].day : self->day_last + 1;

  if (self->week_wd > 0)
    {
      gint64 weeks = (y - base - 1) / self->week_wd;

      d += 7 * weeks;
      base += weeks * self->week_wd;
      for (; d < limit; d++)
        {
          base += self->reg_wd[weekday (d)];
          if (base >= y)
            return d;
        }
    }
  if (lo < self->n_exc)
    return self->exc[lo].day;
  return G_MAXINT64;
}

/* Building {{{1 */

static int
compare_exc (gconstpointer a,
             gconstpointer b)
{
  const Exc *ea = a, *eb = b;

  if (ea->day != eb->day)
    return ea->day < eb->day ? -1 : 1;
  /* Overrides first, so that they win over holidays. */
  return eb->priority - ea->priority;
}

static void
build_exceptions (CdSlaCalendar *self)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Exc));
  guint n = 0;
  gint64 base = 0, from = self->day_min;

  for (guint i = 0; i < self->overrides->len; i++)
    {
      const Override *o = &g_array_index (self->overrides, Override, i);
      Exc e = { o->day, 0, 0, 1, &o->spans };

      g_array_append_val (all, e);
    }
  for (guint i = 0; i < self->once->len; i++)
    {
      Exc e = { g_array_index (self->once, gint32, i), 0, 0, 0, &no_spans };

      g_array_append_val (all, e);
    }
  for (guint i = 0; i < self->yearly->len; i++)
    {
      guint16 md = g_array_index (self->yearly, guint16, i);

      for (int y = CD_SLA_CALENDAR_MIN_YEAR; y <= CD_SLA_CALENDAR_MAX_YEAR; y++)
        {
          Exc e = { 0, 0, 0, 0, &no_spans };

          if (!date_is_valid (y, md / 100, md % 100))
            continue;
          e.day = days_from_civil (y, md / 100, md % 100);
          g_array_append_val (all, e);
        }
    }
  g_array_sort (all, compare_exc);

  self->exc = g_new (Exc, MAX (all->len, 1));
  for (guint i = 0; i < all->len; i++)
    {
      Exc *e = &g_array_index (all, Exc, i);

      if (n > 0 && self->exc[n - 1].day == e->day)
        continue;
      e->working = e->spans->n > 0;
      self->exc[n++] = *e;
    }
  self->n_exc = n;

  for (guint i = 0; i < 7; i++)
    {
      self->reg_wd[i] = self->week[i].n > 0;
      self->reg_wd_cum[i + 1] = self->reg_wd_cum[i] + self->reg_wd[i];
    }
  self->week_wd = self->reg_wd_cum[7];

  for (guint i = 0; i < n; i++)
    {
      Exc *e = &self->exc[i];

      base += reg_wd_to (self, e->day) - reg_wd_to (self, from);
      e->wd_before = base;
      base += e->working;
      from = e->day + 1;
    }
  self->wd_total = base + reg_wd_to (self, self->day_last + 1) - reg_wd_to (self, from);
}

static void
build_buckets (CdSlaCalendar *self)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (gint32));
  gint64 cw = 0;
  guint n = 0;

  for (guint w = 0; w < 7; w++)
    {
      self->reg_n[w] = merge_bucket (&self->week[(w + 6) % 7], &self->week[w],
                                     self->reg_bucket[w]);
      self->reg_len[w] = spans_length (self->reg_bucket[w], self->reg_n[w]);
      self->reg_cum[w + 1] = self->reg_cum[w] + self->reg_len[w];
    }
  self->week_len = self->reg_cum[7];

  /* Irregular buckets: the ends of the range, and each exception date and
   * the date after it (which may get a different overnight spill). */
  g_array_append_val (days, self->day_min);
  for (guint i = 0; i < self->n_exc; i++)
    {
      gint32 d = self->exc[i].day, next = d + 1;

      if (d > self->day_min && d <= self->day_last)
        g_array_append_val (days, d);
      if (next <= self->day_last)
        g_array_append_val (days, next);
    }
  {
    gint32 end = self->day_last + 1;

    g_array_append_val (days, end);
  }

  /* Already sorted but for duplicates: exception days are sorted. */
  self->irr = g_new (Irr, days->len);
  for (guint i = 0; i < days->len; i++)
    {
      gint32 d = g_array_index (days, gint32, i);
      Span buf[MAX_BUCKET];

      if (n > 0 && self->irr[n - 1].day >= d)
        continue;
      if (n > 0)
        cw += self->irr[n - 1].len
              + reg_sum_to (self, d) - reg_sum_to (self, self->irr[n - 1].day + 1);
      self->irr[n].day = d;
      self->irr[n].cw = cw;
      self->irr[n].len = spans_length (buf, bucket_spans (self, d, buf));
      n++;
    }
  self->n_irr = n;
  self->f_total = self->irr[n - 1].cw + self->irr[n - 1].len;
}

static void
build_segments (CdSlaCalendar *self)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  gint64 lo = self->t_lo, hi = self->t_hi;
  int first = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, lo);
  int last = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, hi);
  Seg seg = { G_MININT64, 0, 0, 0 };
  Seg *s;

  seg.offset = g_time_zone_get_offset (self->tz, first);
  g_array_append_val (segs, seg);

  /* Interval indices grow with time: bisect for where each one begins. */
  for (int k = first + 1; k <= last; k++)
    {
      gint64 a = lo, b = hi;
      gint32 offset;

      while (a < b)
        {
          gint64 mid = a + (b - a) / 2;

          if (g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, mid) >= k)
            b = mid;
          else
            a = mid + 1;
        }
      lo = a;
      offset = g_time_zone_get_offset (self->tz, k);
      if (offset == g_array_index (segs, Seg, segs->len - 1).offset)
        continue;
      seg.at = a;
      seg.offset = offset;
      g_array_append_val (segs, seg);
    }

  self->n_segs = segs->len;
  self->segs = (Seg *) g_array_free (g_steal_pointer (&segs), FALSE);

  s = self->segs;
  self->off_min = self->off_max = s[0].offset;
  for (guint k = 1; k < self->n_segs; k++)
    {
      s[k].w = s[k - 1].w + wall_cumulative (self, s[k].at + s[k - 1].offset)
               - s[k - 1].fbase;
      s[k].fbase = wall_cumulative (self, s[k].at + s[k].offset);
      self->off_min = MIN (self->off_min, s[k].offset);
      self->off_max = MAX (self->off_max, s[k].offset);
    }
  self->w_total = s[self->n_segs - 1].w + self->f_total - s[self->n_segs - 1].fbase;
}

static CdSlaCalendar *
calendar_alloc (void)
{
  CdSlaCalendar *self = g_new0 (CdSlaCalendar, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->yearly = g_array_new (FALSE, FALSE, sizeof (guint16));
  self->once = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->overrides = g_array_new (FALSE, FALSE, sizeof (Override));
  self->day_min = days_from_civil (CD_SLA_CALENDAR_MIN_YEAR, 1, 1);
  self->day_last = days_from_civil (CD_SLA_CALENDAR_MAX_YEAR, 12, 31);
  /* Beyond these W is constant, whatever the zone's offset (< 26 h). */
  self->t_lo = (gint64) self->day_min * DAY - 3 * DAY;
  self->t_hi = ((gint64) self->day_last + 3) * DAY;
  return self;
}

static int
compare_gint32 (gconstpointer a,
                gconstpointer b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_guint16 (gconstpointer a,
                 gconstpointer b)
{
  return (int) *(const guint16 *) a - (int) *(const guint16 *) b;
}

static int
compare_override (gconstpointer a,
                  gconstpointer b)
{
  return compare_gint32 (&((const Override *) a)->day, &((const Override *) b)->day);
}

/* Computes everything derived from what the calendar says. */
static gboolean
calendar_finish (CdSlaCalendar  *self,
                 GError        **error)
{
  gboolean any = FALSE;

  g_array_sort (self->yearly, compare_guint16);
  g_array_sort (self->once, compare_gint32);
  g_array_sort (self->overrides, compare_override);

  for (guint w = 0; w < 7; w++)
    any |= self->week[w].n > 0;
  for (guint i = 0; i < self->overrides->len; i++)
    any |= g_array_index (self->overrides, Override, i).spans.n > 0;
  if (!any)
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_NO_WORKING_TIME,
                           "week: the calendar has no working time: every "
                           "weekday is empty and no override opens a day");
      return FALSE;
    }

  build_exceptions (self);
  build_buckets (self);
  build_segments (self);
  return TRUE;
}

/* Parsing {{{1 */

static gboolean
is_digits (const char *s,
           guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static int
digits_value (const char *s,
              guint       n)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static gboolean
parse_time (const char  *text,
            gboolean     is_end,
            const char  *path,
            gint32      *out,
            GError     **error)
{
  int h, m;

  if (strlen (text) != 5 || !is_digits (text, 2) || text[2] != ':'
      || !is_digits (text + 3, 2)
      || (h = digits_value (text, 2)) > 24
      || (m = digits_value (text + 3, 2)) > 59
      || (h == 24 && m != 0))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TIME,
                   "%s: “%s” is not a time (HH:MM)", path, text);
      return FALSE;
    }
  if (h == 24 && !is_end)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TIME,
                   "%s: “24:00” can only end an interval", path);
      return FALSE;
    }
  *out = h * 3600 + m * 60;
  return TRUE;
}

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
parse_day (JsonNode    *node,
           const char  *path,
           DaySpans    *out,
           GError     **error)
{
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                   "%s: expected a list of intervals like [[\"08:00\", \"17:00\"]]",
                   path);
      return FALSE;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MAX_SPANS)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_INTERVAL,
                   "%s: %u intervals, at most %d are allowed in a day",
                   path, n, MAX_SPANS);
      return FALSE;
    }

  out->n = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *pair = json_array_get_element (array, i);
      const char *texts[2] = { NULL, NULL };
      gint32 times[2];
      Span *span = &out->spans[i];

      if (JSON_NODE_HOLDS_ARRAY (pair)
          && json_array_get_length (json_node_get_array (pair)) == 2)
        {
          texts[0] = node_string (json_array_get_element (json_node_get_array (pair), 0));
          texts[1] = node_string (json_array_get_element (json_node_get_array (pair), 1));
        }
      if (texts[0] == NULL || texts[1] == NULL)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                       "%s[%u]: expected a pair of times like [\"08:00\", \"17:00\"]",
                       path, i);
          return FALSE;
        }
      for (guint j = 0; j < 2; j++)
        {
          g_autofree char *where = g_strdup_printf ("%s[%u][%u]", path, i, j);

          if (!parse_time (texts[j], j == 1, where, &times[j], error))
            return FALSE;
        }
      if (times[0] == times[1])
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_INTERVAL,
                       "%s[%u]: the interval is empty (it starts and ends at %s)",
                       path, i, texts[0]);
          return FALSE;
        }
      span->start = times[0];
      /* An end before the start is on the next day. */
      span->end = times[1] > times[0] ? times[1] : times[1] + DAY;
      if (i > 0 && span->start < out->spans[i - 1].end)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_INTERVAL,
                       "%s[%u]: starts before %s[%u] ends (list a day's intervals "
                       "in order, an overnight one last)", path, i, path, i - 1);
          return FALSE;
        }
      out->n++;
    }
  return TRUE;
}

/* Parses YYYY-MM-DD, or MM-DD when @yearly_ok (then *year is 0). */
static gboolean
parse_date (const char  *text,
            gboolean     yearly_ok,
            const char  *path,
            int         *year,
            int         *month,
            int         *day,
            GError     **error)
{
  gsize len = strlen (text);

  if (yearly_ok && len == 5 && is_digits (text, 2) && text[2] == '-'
      && is_digits (text + 3, 2))
    {
      *year = 0;
      *month = digits_value (text, 2);
      *day = digits_value (text + 3, 2);
    }
  else if (len == 10 && is_digits (text, 4) && text[4] == '-'
           && is_digits (text + 5, 2) && text[7] == '-' && is_digits (text + 8, 2))
    {
      *year = digits_value (text, 4);
      *month = digits_value (text + 5, 2);
      *day = digits_value (text + 8, 2);
    }
  else
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE,
                   yearly_ok ? "%s: “%s” is not a date (MM-DD or YYYY-MM-DD)"
                             : "%s: “%s” is not a date (YYYY-MM-DD)",
                   path, text);
      return FALSE;
    }

  if (!date_is_valid (*year, *month, *day))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE,
                   "%s: “%s” does not exist", path, text);
      return FALSE;
    }
  if (*year != 0 && (*year < CD_SLA_CALENDAR_MIN_YEAR || *year > CD_SLA_CALENDAR_MAX_YEAR))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE,
                   "%s: “%s” is outside the years %d to %d", path, text,
                   CD_SLA_CALENDAR_MIN_YEAR, CD_SLA_CALENDAR_MAX_YEAR);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_timezone (CdSlaCalendar  *self,
              const char     *id,
              GError        **error)
{
  /* GTimeZone also reads any file given by path: accept zone names only. */
  if (*id != '\0' && *id != '/' && strstr (id, "..") == NULL)
    self->tz = g_time_zone_new_identifier (id);
  if (self->tz == NULL)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TIMEZONE,
                   "timezone: “%s” is not a known time zone (use an IANA "
                   "name such as Europe/Minsk)", id);
      return FALSE;
    }
  self->tz_id = g_strdup (id);
  return TRUE;
}

static void
set_24_7 (CdSlaCalendar *self)
{
  self->week_24_7 = TRUE;
  for (guint w = 0; w < 7; w++)
    {
      self->week[w].n = 1;
      self->week[w].spans[0].start = 0;
      self->week[w].spans[0].end = DAY;
    }
}

static gboolean
parse_week (CdSlaCalendar  *self,
            JsonNode       *node,
            GError        **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;
  const char *text = node_string (node);

  if (g_strcmp0 (text, "24/7") == 0)
    {
      set_24_7 (self);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                           "week: expected \"24/7\" or an object with the keys "
                           "mon, tue, wed, thu, fri, sat and sun");
      return FALSE;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint w = 0; w < 7; w++)
        known |= strcmp (l->data, day_names[w]) == 0;
      if (!known)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_KEY,
                       "week.%s: unknown key (the days are mon, tue, wed, thu, "
                       "fri, sat and sun)", (const char *) l->data);
          return FALSE;
        }
    }
  for (guint w = 0; w < 7; w++)
    {
      g_autofree char *path = g_strdup_printf ("week.%s", day_names[w]);

      if (!json_object_has_member (object, day_names[w]))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_MISSING_KEY,
                       "%s: missing (write [] for a day off)", path);
          return FALSE;
        }
      if (!parse_day (json_object_get_member (object, day_names[w]), path,
                      &self->week[w], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_overrides (CdSlaCalendar  *self,
                 JsonNode       *node,
                 GError        **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                           "overrides: expected an object of dates like "
                           "{\"2026-01-10\": [[\"09:00\", \"18:00\"]]}");
      return FALSE;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *path = g_strdup_printf ("overrides.%s", (const char *) l->data);
      Override o;
      int y, m, d;

      if (!parse_date (l->data, FALSE, path, &y, &m, &d, error)
          || !parse_day (json_object_get_member (object, l->data), path,
                         &o.spans, error))
        return FALSE;
      o.day = days_from_civil (y, m, d);
      g_array_append_val (self->overrides, o);
    }
  return TRUE;
}

static gboolean
has_override (CdSlaCalendar *self,
              gint32         day)
{
  for (guint i = 0; i < self->overrides->len; i++)
    if (g_array_index (self->overrides, Override, i).day == day)
      return TRUE;
  return FALSE;
}

static gboolean
has_once (CdSlaCalendar *self,
          gint32         day)
{
  for (guint i = 0; i < self->once->len; i++)
    if (g_array_index (self->once, gint32, i) == day)
      return TRUE;
  return FALSE;
}

static gboolean
has_yearly (CdSlaCalendar *self,
            guint16        md)
{
  for (guint i = 0; i < self->yearly->len; i++)
    if (g_array_index (self->yearly, guint16, i) == md)
      return TRUE;
  return FALSE;
}

static gboolean
parse_holidays (CdSlaCalendar  *self,
                JsonNode       *node,
                GError        **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                           "holidays: expected a list of dates like "
                           "[\"01-01\", \"2026-01-02\"]");
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *text = node_string (json_array_get_element (array, i));
      g_autofree char *path = g_strdup_printf ("holidays[%u]", i);
      int y, m, d;

      if (text == NULL)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                       "%s: expected a date string (MM-DD or YYYY-MM-DD)", path);
          return FALSE;
        }
      if (!parse_date (text, TRUE, path, &y, &m, &d, error))
        return FALSE;
      if (y == 0)
        {
          guint16 md = m * 100 + d;

          if (has_yearly (self, md))
            goto twice;
          g_array_append_val (self->yearly, md);
        }
      else
        {
          gint32 day = days_from_civil (y, m, d);

          if (has_once (self, day))
            goto twice;
          if (has_override (self, day))
            {
              g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE,
                           "%s: %s also has an override, which would win "
                           "(remove one of them)", path, text);
              return FALSE;
            }
          g_array_append_val (self->once, day);
        }
      continue;

    twice:
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE,
                   "%s: %s is listed twice", path, text);
      return FALSE;
    }
  return TRUE;
}

CdSlaCalendar *
cd_sla_calendar_new_from_json (const char  *json,
                               gssize       len,
                               GError     **error)
{
  g_autoptr(CdSlaCalendar) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  static const char * const keys[] = { "timezone", "week", "holidays", "overrides", NULL };
  JsonNode *root;
  JsonObject *object;
  const char *tz_id;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, len, &local_error))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_JSON,
                   "the calendar is not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_JSON,
                           "a calendar must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (keys, l->data))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_KEY,
                       "%s: unknown key (a calendar has timezone, week, "
                       "holidays and overrides)", (const char *) l->data);
          return NULL;
        }
    }
  for (guint i = 0; i < 2; i++)
    if (!json_object_has_member (object, keys[i]))
      {
        g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_MISSING_KEY,
                     "%s: missing", keys[i]);
        return NULL;
      }

  self = calendar_alloc ();
  tz_id = node_string (json_object_get_member (object, "timezone"));
  if (tz_id == NULL)
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                           "timezone: expected a string such as \"Europe/Minsk\"");
      return NULL;
    }
  if (!set_timezone (self, tz_id, error)
      || !parse_week (self, json_object_get_member (object, "week"), error))
    return NULL;
  if (json_object_has_member (object, "overrides")
      && !parse_overrides (self, json_object_get_member (object, "overrides"), error))
    return NULL;
  if (json_object_has_member (object, "holidays")
      && !parse_holidays (self, json_object_get_member (object, "holidays"), error))
    return NULL;
  if (!calendar_finish (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

CdSlaCalendar *
cd_sla_calendar_new_from_bytes (GBytes  *bytes,
                                GError **error)
{
  gsize len;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  return cd_sla_calendar_new_from_json (data != NULL ? data : "", len, error);
}

CdSlaCalendar *
cd_sla_calendar_new_24_7 (const char  *timezone,
                          GError     **error)
{
  g_autoptr(CdSlaCalendar) self = calendar_alloc ();

  if (!set_timezone (self, timezone != NULL ? timezone : "UTC", error))
    return NULL;
  set_24_7 (self);
  if (!calendar_finish (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

CdSlaCalendar *
cd_sla_calendar_ref (CdSlaCalendar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cd_sla_calendar_unref (CdSlaCalendar *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->tz_id);
  g_array_unref (self->yearly);
  g_array_unref (self->once);
  g_array_unref (self->overrides);
  g_free (self->exc);
  g_free (self->irr);
  g_free (self->segs);
  g_free (self);
}

/* Serializing and holidays {{{1 */

static void
append_time (GString *out,
             gint32   secs)
{
  if (secs > DAY)
    secs -= DAY;
  g_string_append_printf (out, "\"%02d:%02d\"", secs / 3600, secs / 60 % 60);
}

static void
append_day (GString        *out,
            const DaySpans *spans)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < spans->n; i++)
    {
      g_string_append (out, i > 0 ? ", [" : "[");
      append_time (out, spans->spans[i].start);
      g_string_append (out, ", ");
      append_time (out, spans->spans[i].end);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

static void
append_date (GString *out,
             gint32   day)
{
  int y, m, d;

  civil_from_days (day, &y, &m, &d);
  g_string_append_printf (out, "\"%04d-%02d-%02d\"", y, m, d);
}

char *
cd_sla_calendar_to_json (CdSlaCalendar *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new ("{\n  \"timezone\": \"");
  /* Zone names have no characters that JSON escapes, but be safe. */
  for (const char *p = self->tz_id; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append (out, "\",\n  \"week\": ");
  if (self->week_24_7)
    g_string_append (out, "\"24/7\"");
  else
    {
      g_string_append (out, "{\n");
      for (guint w = 0; w < 7; w++)
        {
          g_string_append_printf (out, "    \"%s\": ", day_names[w]);
          append_day (out, &self->week[w]);
          g_string_append (out, w < 6 ? ",\n" : "\n  }");
        }
    }

  g_string_append (out, ",\n  \"holidays\": [");
  for (guint i = 0; i < self->yearly->len; i++)
    {
      guint16 md = g_array_index (self->yearly, guint16, i);

      g_string_append_printf (out, "%s\"%02d-%02d\"", i > 0 ? ", " : "",
                              md / 100, md % 100);
    }
  for (guint i = 0; i < self->once->len; i++)
    {
      if (i > 0 || self->yearly->len > 0)
        g_string_append (out, ", ");
      append_date (out, g_array_index (self->once, gint32, i));
    }

  g_string_append (out, "],\n  \"overrides\": {");
  for (guint i = 0; i < self->overrides->len; i++)
    {
      const Override *o = &g_array_index (self->overrides, Override, i);

      g_string_append (out, i > 0 ? ",\n    " : "\n    ");
      append_date (out, o->day);
      g_string_append (out, ": ");
      append_day (out, &o->spans);
    }
  g_string_append (out, self->overrides->len > 0 ? "\n  }\n}\n" : "}\n}\n");
  return g_string_free (out, FALSE);
}

gboolean
cd_sla_calendar_has_holiday (CdSlaCalendar      *self,
                             const CdSlaHoliday *holiday)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (holiday != NULL, FALSE);

  if (has_yearly (self, holiday->month * 100 + holiday->day))
    return TRUE;
  return holiday->year != 0
         && date_is_valid (holiday->year, holiday->month, holiday->day)
         && has_once (self, days_from_civil (holiday->year, holiday->month,
                                             holiday->day));
}

CdSlaCalendar *
cd_sla_calendar_add_holidays (CdSlaCalendar  *self,
                              GPtrArray      *holidays,
                              GError        **error)
{
  g_autoptr(CdSlaCalendar) copy = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (holidays != NULL, NULL);

  copy = calendar_alloc ();
  copy->tz = g_time_zone_ref (self->tz);
  copy->tz_id = g_strdup (self->tz_id);
  copy->week_24_7 = self->week_24_7;
  memcpy (copy->week, self->week, sizeof self->week);
  g_array_append_vals (copy->yearly, self->yearly->data, self->yearly->len);
  g_array_append_vals (copy->once, self->once->data, self->once->len);
  g_array_append_vals (copy->overrides, self->overrides->data, self->overrides->len);

  for (guint i = 0; i < holidays->len; i++)
    {
      const CdSlaHoliday *h = g_ptr_array_index (holidays, i);
      gint32 day;

      if (!date_is_valid (h->year, h->month, h->day)
          || (h->year != 0 && (h->year < CD_SLA_CALENDAR_MIN_YEAR
                               || h->year > CD_SLA_CALENDAR_MAX_YEAR)))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE,
                       "%04d-%02d-%02d is not a date from %d to %d",
                       h->year, h->month, h->day,
                       CD_SLA_CALENDAR_MIN_YEAR, CD_SLA_CALENDAR_MAX_YEAR);
          return NULL;
        }
      if (cd_sla_calendar_has_holiday (copy, h))
        continue;
      if (h->year == 0)
        {
          guint16 md = h->month * 100 + h->day;

          g_array_append_val (copy->yearly, md);
          continue;
        }
      day = days_from_civil (h->year, h->month, h->day);
      /* An override is more specific than an imported holiday. */
      if (!has_override (copy, day))
        g_array_append_val (copy->once, day);
    }
  if (!calendar_finish (copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

/* Accessors {{{1 */

GTimeZone *
cd_sla_calendar_get_timezone (CdSlaCalendar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tz;
}

const char *
cd_sla_calendar_get_timezone_id (CdSlaCalendar *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tz_id;
}

gboolean
cd_sla_calendar_is_24_7 (CdSlaCalendar *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint w = 0; w < 7; w++)
    if (self->week[w].n != 1 || self->week[w].spans[0].start != 0
        || self->week[w].spans[0].end != DAY)
      return FALSE;
  return TRUE;
}

GDateTime *
cd_sla_calendar_to_date_time (CdSlaCalendar *self,
                              gint64         t)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (t == CD_SLA_NEVER || t == CD_SLA_NEVER_BEFORE)
    return NULL;
  utc = g_date_time_new_from_unix_utc (t);
  if (utc == NULL)
    return NULL;
  return g_date_time_to_timezone (utc, self->tz);
}

char *
cd_sla_calendar_format (CdSlaCalendar *self,
                        gint64         t)
{
  g_autoptr(GDateTime) dt = cd_sla_calendar_to_date_time (self, t);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

/* Operations {{{1 */

gint64
cd_sla_calendar_between (CdSlaCalendar *self,
                         gint64         a,
                         gint64         b)
{
  g_return_val_if_fail (self != NULL, 0);

  if (b <= a)
    return 0;
  return instant_cumulative (self, b) - instant_cumulative (self, a);
}

gint64
cd_sla_calendar_next_working (CdSlaCalendar *self,
                              gint64         t)
{
  gint64 w;

  g_return_val_if_fail (self != NULL, CD_SLA_NEVER);

  w = instant_cumulative (self, t);
  if (w >= self->w_total || t >= self->t_hi)
    return CD_SLA_NEVER;
  /* The working second that ends when W reaches w + 1 is the first one at
   * or after t. */
  return MAX (t, instant_inverse (self, w + 1) - 1);
}

gint64
cd_sla_calendar_add (CdSlaCalendar *self,
                     gint64         start,
                     gint64         working_seconds)
{
  gint64 w;

  g_return_val_if_fail (self != NULL, CD_SLA_NEVER);
  g_return_val_if_fail (working_seconds >= 0, CD_SLA_NEVER);

  if (working_seconds == 0)
    return cd_sla_calendar_next_working (self, start);
  w = instant_cumulative (self, start);
  if (working_seconds > self->w_total - w)
    return CD_SLA_NEVER;
  return instant_inverse (self, w + working_seconds);
}

gint64
cd_sla_calendar_subtract (CdSlaCalendar *self,
                          gint64         end,
                          gint64         working_seconds)
{
  gint64 w;

  g_return_val_if_fail (self != NULL, CD_SLA_NEVER_BEFORE);
  g_return_val_if_fail (working_seconds >= 0, CD_SLA_NEVER_BEFORE);

  if (working_seconds == 0)
    return end;
  w = instant_cumulative (self, end);
  if (working_seconds >= w)
    return CD_SLA_NEVER_BEFORE;
  return instant_inverse (self, w - working_seconds);
}

gboolean
cd_sla_calendar_is_working (CdSlaCalendar *self,
                            gint64         t)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (t < self->t_lo || t >= self->t_hi)
    return FALSE;
  return instant_cumulative (self, t + 1) > instant_cumulative (self, t);
}

gboolean
cd_sla_calendar_is_working_day (CdSlaCalendar *self,
                                int            year,
                                int            month,
                                int            day)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!date_is_valid (year, month, day) || year == 0)
    return FALSE;
  return own_spans (self, days_from_civil (year, month, day))->n > 0;
}

gboolean
cd_sla_calendar_has_override (CdSlaCalendar *self,
                              int            year,
                              int            month,
                              int            day)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!date_is_valid (year, month, day) || year == 0)
    return FALSE;
  return has_override (self, days_from_civil (year, month, day));
}

/* The instant the last working interval of @date ends: the latest end of
 * the pieces its wall-clock intervals map to. G_MININT64 if every interval
 * falls in a skipped hour. */
static gint64
date_end (CdSlaCalendar *self,
          gint64         date)
{
  const DaySpans *own = own_spans (self, date);

  for (guint i = own->n; i-- > 0;)
    {
      gint64 ws = date * DAY + own->spans[i].start;
      gint64 we = date * DAY + own->spans[i].end;
      gint64 best = G_MININT64;

      for (guint k = seg_index (self, ws - self->off_max); k < self->n_segs; k++)
        {
          const Seg *seg = &self->segs[k];
          gint64 seg_end = k + 1 < self->n_segs ? self->segs[k + 1].at : G_MAXINT64;
          gint64 lo = MAX (ws - seg->offset, seg->at);
          gint64 hi = MIN (we - seg->offset, seg_end);

          if (seg->at >= we - self->off_min)
            break;
          if (lo < hi)
            best = MAX (best, hi);
        }
      if (best != G_MININT64)
        return best;
    }
  return G_MININT64;
}

gint64
cd_sla_calendar_add_days (CdSlaCalendar *self,
                          gint64         start,
                          guint          days,
                          CdSlaDays      kind)
{
  gint64 t, date, target;

  g_return_val_if_fail (self != NULL, CD_SLA_NEVER);
  g_return_val_if_fail (kind == CD_SLA_DAYS_WORKING || kind == CD_SLA_DAYS_CALENDAR,
                        CD_SLA_NEVER);

  t = CLAMP (start, self->t_lo, self->t_hi);
  date = floor_div (t + self->segs[seg_index (self, t)].offset, DAY);

  if (kind == CD_SLA_DAYS_CALENDAR)
    target = working_dates_before (self, date + days) + 1;
  else if (days == 0)
    target = working_dates_before (self, date) + 1;
  else
    target = working_dates_before (self, date + 1) + days;

  /* A date whose every interval is skipped by a DST change has no end:
   * take the next working date then. */
  for (;;)
    {
      gint64 found = working_date_inverse (self, target);
      gint64 end;

      if (found == G_MAXINT64)
        return CD_SLA_NEVER;
      end = date_end (self, found);
      if (end != G_MININT64)
        return end;
      target++;
    }
}

/* vim: set foldmethod=marker: */
