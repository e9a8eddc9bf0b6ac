// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-log.c: Asterisk app_queue's queue_log, read into calls
 *
 * The verbs and their data fields are those of Asterisk's documentation
 * ("Queue Logs"); docs/calls.md says what each does to a call here.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "cd-input.h"
#include "cd-queue-log.h"
#include "cd-queue-state.h"

/* The realtime table's columns, in the export's default order. */
enum
{
  COL_TIME,
  COL_CALLID,
  COL_QUEUE,
  COL_AGENT,
  COL_EVENT,
  COL_DATA1,
  N_FIXED = COL_DATA1,
};

#define N_DATA 5

/* Every verb app_queue (and the chan_agent of older versions) writes. */
static const char * const known_verbs[] = {
  "ABANDON", "ADDMEMBER", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF", "AGENTDUMP",
  "AGENTLOGIN", "AGENTLOGOFF", "ATTENDEDTRANSFER", "BLINDTRANSFER", "COMPLETEAGENT",
  "COMPLETECALLER", "CONFIGRELOAD", "CONNECT", "DID", "ENTERQUEUE", "EXITEMPTY",
  "EXITWITHKEY", "EXITWITHTIMEOUT", "INFO", "PAUSE", "PAUSEALL", "PENALTY", "QUEUESTART",
  "REMOVEMEMBER", "RINGCANCELED", "RINGNOANSWER", "SYSCOMPAT", "TRANSFER", "UNPAUSE",
  "UNPAUSEALL", "WITHDRAW",
};

struct _CdQueueLog
{
  CdQueueLogFormat  format;
  GTimeZone        *zone;

  /* Bytes of a record not yet ended, and how far they were scanned. */
  GString          *pending;
  gsize             scanned;
  gboolean          in_quotes;
  gboolean          skipping;      /* past CD_QUEUE_LOG_MAX_RECORD */
  guint             line;          /* physical lines consumed */
  guint             pending_line;  /* the first line of pending */

  /* CSV: the column of each field, from the header line. */
  gboolean          header_seen;
  int               columns[N_FIXED + N_DATA];
  int               data_column;   /* a single `data` column, pipe-separated */

  GHashTable       *open;          /* callid → CdCall */
  GHashTable       *dids;          /* callid → DID seen before its ENTERQUEUE */
  GHashTable       *verbs;         /* verb → count */
  GPtrArray        *ended;
  GPtrArray        *problems;
  guint             n_records;
  guint             n_unknown;

  CdQueueState     *state;         /* (nullable) (unowned) */
};

void
cd_queue_log_problem_free (CdQueueLogProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

/**
 * cd_queue_log_new:
 * @format: the format, or %CD_QUEUE_LOG_AUTO to tell by the first line
 *
 * Returns: (transfer full): a reader at the start of a log
 */
CdQueueLog *
cd_queue_log_new (CdQueueLogFormat format)
{
  CdQueueLog *self = g_new0 (CdQueueLog, 1);

  self->format = format;
  self->zone = g_time_zone_new_utc ();
  self->pending = g_string_new (NULL);
  self->open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) cd_call_free);
  self->dids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->verbs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->ended = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_queue_log_problem_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    self->columns[i] = i;
  self->data_column = -1;
  return self;
}

void
cd_queue_log_free (CdQueueLog *self)
{
  if (self == NULL)
    return;
  g_time_zone_unref (self->zone);
  g_string_free (self->pending, TRUE);
  g_hash_table_unref (self->open);
  g_hash_table_unref (self->dids);
  g_hash_table_unref (self->verbs);
  g_ptr_array_unref (self->ended);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

/**
 * cd_queue_log_set_time_zone:
 * @self: a reader
 * @zone: the PBX's time zone
 *
 * The realtime table may keep times as local date and time text
 * (`2026-01-15 07:42:10`) rather than Unix seconds; they are read in
 * @zone (UTC unless set).
 */
void
cd_queue_log_set_time_zone (CdQueueLog *self,
                            GTimeZone  *zone)
{
  g_return_if_fail (zone != NULL);
  g_time_zone_unref (self->zone);
  self->zone = g_time_zone_ref (zone);
}

/**
 * cd_queue_log_set_state:
 * @self: a reader
 * @state: (nullable): the live state to fold each record into, or %NULL
 *
 * From now on, each record read is given to @state after the reader's
 * calls have taken it, and each call that ends is counted in it: one
 * reading drives both the journal's calls and the live queue. @state is
 * not owned and must outlive its use here; a follower keeps one state
 * across the readers of a rotated log.
 */
void
cd_queue_log_set_state (CdQueueLog   *self,
                        CdQueueState *state)
{
  self->state = state;
}

gboolean
cd_queue_log_verb_is_known (const char *verb)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_verbs); i++)
    if (g_strcmp0 (verb, known_verbs[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
problem (CdQueueLog *self,
         guint       line,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static void
problem (CdQueueLog *self,
         guint       line,
         const char *format,
         ...)
{
  CdQueueLogProblem *p = g_new0 (CdQueueLogProblem, 1);
  va_list args;

  va_start (args, format);
  p->line = line;
  p->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->problems, p);
}

/* Fields {{{1 */

static gboolean
parse_time (CdQueueLog *self,
            const char *text,
            gint64     *time)
{
  int y, mo, d, h, mi;
  double s;
  char tail;

  if (g_ascii_string_to_signed (text, 10, 0, G_GINT64_CONSTANT (4102444800), time, NULL))
    return TRUE;
  /* The realtime table's datetime text, with or without fractions. */
  if (sscanf (text, "%4d-%2d-%2d %2d:%2d:%lf%c", &y, &mo, &d, &h, &mi, &s, &tail) == 6)
    {
      g_autoptr(GDateTime) dt = g_date_time_new (self->zone, y, mo, d, h, mi, (int) s);

      if (dt != NULL)
        {
          *time = g_date_time_to_unix (dt);
          return TRUE;
        }
    }
  return FALSE;
}

/* A whole number of seconds from a data field, or -1. */
static gint64
data_int (const char *text)
{
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &value, NULL))
    return -1;
  return value;
}

static gboolean
verb_is_clean (const char *verb)
{
  if (*verb == '\0')
    return FALSE;
  for (const char *p = verb; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Calls {{{1 */

static void
end_call (CdQueueLog    *self,
          CdCall        *call,
          CdCallOutcome  outcome,
          gint64         time)
{
  g_autofree char *key = NULL;
  CdCall *owned = NULL;

  if (!g_hash_table_steal_extended (self->open, call->pbx_id, (gpointer *) &key,
                                    (gpointer *) &owned))
    g_return_if_reached ();
  cd_call_end (owned, outcome, time);
  if (self->state != NULL)
    cd_queue_state_add_call (self->state, owned);
  g_ptr_array_add (self->ended, owned);
}

static CdCall *
open_call (CdQueueLog *self,
           const char *callid,
           const char *queue,
           gint64      entered)
{
  CdCall *call = cd_call_new (callid, queue, entered);
  g_autofree char *key = NULL;
  g_autofree char *did = NULL;

  if (g_hash_table_steal_extended (self->dids, callid, (gpointer *) &key, (gpointer *) &did))
    call->did = g_steal_pointer (&did);
  g_hash_table_replace (self->open, g_strdup (callid), call);
  return call;
}

/* A call that ends in the log without its ENTERQUEUE (the log began, or
 * was rotated, while it was in the queue): its entry is found from the
 * waiting and talking times the end line gives. */
static CdCall *
find_or_infer (CdQueueLog *self,
               const char *callid,
               const char *queue,
               gint64      time,
               gint64      hold,
               gint64      talk)
{
  CdCall *call = g_hash_table_lookup (self->open, callid);

  if (call != NULL || hold < 0)
    return call;
  call = open_call (self, callid, queue, time - hold - MAX (talk, 0));
  if (talk >= 0)
    call->answered_at = time - talk;
  return call;
}

static void
set_answer (CdCall     *call,
            const char *agent,
            gint64      time)
{
  if (call->answered_at == 0)
    call->answered_at = time;
  if (call->agent == NULL && agent != NULL && *agent != '\0' && !g_str_equal (agent, "NONE"))
    call->agent = g_strdup (agent);
}

/* Whether @text is a value the journal's table takes for @field. */
static gboolean
fits (const char *field,
      const char *text)
{
  return text != NULL && *text != '\0' && cd_input_check_text (field, text, strlen (text), NULL);
}

static void
keep_caller (CdCall     *call,
             const char *number)
{
  /* Only what the journal's table takes as a phone: anything else (an
   * overlong or garbled caller id) is not kept rather than refused. */
  if (number == NULL || *number == '\0' || g_ascii_strcasecmp (number, "unknown") == 0 ||
      !cd_input_check_text ("phone", number, strlen (number), NULL))
    return;
  g_free (call->caller);
  call->caller = g_strdup (number);
}

static void
end_all (CdQueueLog *self,
         gint64      time)
{
  g_autoptr(GList) calls = g_hash_table_get_values (self->open);

  for (GList *l = calls; l != NULL; l = l->next)
    end_call (self, l->data, CD_CALL_INTERRUPTED, time);
}

static const char *
get_data (const char * const *data,
          guint               n_data,
          guint               i)
{
  return i < n_data ? data[i] : NULL;
}

static void
apply (CdQueueLog         *self,
       guint               line,
       gint64              time,
       const char         *callid,
       const char         *queue,
       const char         *agent,
       const char         *verb,
       const char * const *data,
       guint               n_data)
{
  CdCall *call = g_hash_table_lookup (self->open, callid);
#define D(i) get_data (data, n_data, (i))

  if (g_str_equal (verb, "ENTERQUEUE"))
    {
      /* The same channel in a queue again before its end was logged. */
      if (call != NULL)
        end_call (self, call, CD_CALL_INTERRUPTED, time);
      call = open_call (self, callid, queue, time);
      keep_caller (call, D (1));
    }
  else if (g_str_equal (verb, "DID"))
    {
      if (!fits ("did", D (0)))
        return;
      if (call != NULL)
        {
          g_free (call->did);
          call->did = g_strdup (D (0));
        }
      else
        g_hash_table_replace (self->dids, g_strdup (callid), g_strdup (D (0)));
    }
  else if (g_str_equal (verb, "CONNECT"))
    {
      gint64 hold = data_int (D (0));

      if (call == NULL && hold >= 0)
        call = open_call (self, callid, queue, time - hold);
      if (call == NULL)
        {
          problem (self, line, _("CONNECT of call %s, which did not enter a queue."), callid);
          return;
        }
      set_answer (call, agent, time);
      call->outcome = CD_CALL_TALKING;
    }
  else if (g_str_equal (verb, "COMPLETECALLER") || g_str_equal (verb, "COMPLETEAGENT"))
    {
      if ((call = find_or_infer (self, callid, queue, time, data_int (D (0)),
                                 data_int (D (1)))) == NULL)
        {
          problem (self, line, _("%s of call %s, which did not enter a queue."), verb, callid);
          return;
        }
      set_answer (call, agent, time);
      g_free (call->ended_by);
      call->ended_by = g_strdup (g_str_equal (verb, "COMPLETECALLER") ? "caller" : "agent");
      end_call (self, call, CD_CALL_ANSWERED, time);
    }
  else if (g_str_equal (verb, "BLINDTRANSFER") || g_str_equal (verb, "TRANSFER") ||
           g_str_equal (verb, "ATTENDEDTRANSFER"))
    {
      gboolean attended = g_str_equal (verb, "ATTENDEDTRANSFER");
      /* Blind: extension, context, hold, talk. Attended: a method and its
       * details, then hold, talk and the original position. */
      guint at = attended ? (n_data >= 3 ? n_data - 3 : 0) : 2;

      if ((call = find_or_infer (self, callid, queue, time, data_int (D (at)),
                                 data_int (D (at + 1)))) == NULL)
        {
          problem (self, line, _("%s of call %s, which did not enter a queue."), verb, callid);
          return;
        }
      set_answer (call, agent, time);
      g_free (call->transfer_to);
      if (attended)
        call->transfer_to = g_strdup (fits ("transfer_to", D (1)) ? D (1) : D (0));
      else if (fits ("transfer_to", D (1)))
        call->transfer_to = g_strdup_printf ("%s@%s", D (0), D (1));
      else
        call->transfer_to = g_strdup (D (0));
      if (!fits ("transfer_to", call->transfer_to))
        g_clear_pointer (&call->transfer_to, g_free);
      end_call (self, call, CD_CALL_TRANSFERRED, time);
    }
  else if (g_str_equal (verb, "ABANDON") || g_str_equal (verb, "EXITWITHTIMEOUT") ||
           g_str_equal (verb, "EXITEMPTY") || g_str_equal (verb, "EXITWITHKEY") ||
           g_str_equal (verb, "WITHDRAW"))
    {
      gboolean key = g_str_equal (verb, "EXITWITHKEY");
      CdCallOutcome outcome = key ? CD_CALL_EXIT_KEY
                            : g_str_equal (verb, "ABANDON") ? CD_CALL_ABANDONED
                            : g_str_equal (verb, "EXITWITHTIMEOUT") ? CD_CALL_TIMEOUT
                            : g_str_equal (verb, "EXITEMPTY") ? CD_CALL_EXIT_EMPTY
                            : CD_CALL_WITHDRAWN;

      /* position, original position, wait (EXITWITHKEY: the key first). */
      if ((call = find_or_infer (self, callid, queue, time, data_int (D (key ? 3 : 2)),
                                 -1)) == NULL)
        {
          problem (self, line, _("%s of call %s, which did not enter a queue."), verb, callid);
          return;
        }
      end_call (self, call, outcome, time);
    }
  else if (g_str_equal (verb, "RINGNOANSWER"))
    {
      if (call != NULL)
        cd_call_add_ring (call, agent);
    }
  else if (g_str_equal (verb, "QUEUESTART"))
    {
      /* The PBX started again: whoever was in a queue was cut off. */
      end_all (self, time);
    }
#undef D
}

/* Records {{{1 */

static void
read_fields (CdQueueLog *self,
             guint       line,
             char      **fields,
             guint       n_fields)
{
  const char *data[N_DATA * 4];
  g_auto(GStrv) split = NULL;
  const char *f[N_FIXED];
  guint n_data = 0;
  gint64 time;

  for (guint i = 0; i < N_FIXED; i++)
    {
      int c = self->columns[i];

      if (c < 0 || (guint) c >= n_fields)
        {
          problem (self, line, _("It has %u fields; a queue_log line has at least 5."),
                   n_fields);
          return;
        }
      f[i] = fields[c];
    }
  if (self->data_column >= 0 && (guint) self->data_column < n_fields)
    {
      split = g_strsplit (fields[self->data_column], "|", G_N_ELEMENTS (data));
      for (; split[n_data] != NULL && n_data < G_N_ELEMENTS (data); n_data++)
        data[n_data] = split[n_data];
    }
  else if (self->format == CD_QUEUE_LOG_CSV)
    {
      for (guint i = 0; i < N_DATA; i++)
        {
          int c = self->columns[N_FIXED + i];

          data[n_data++] = c >= 0 && (guint) c < n_fields ? fields[c] : "";
        }
    }
  else
    for (guint i = N_FIXED; i < n_fields && n_data < G_N_ELEMENTS (data); i++)
      data[n_data++] = fields[i];
  /* Trailing empty fields (pipes at the end, empty CSV columns) say
   * nothing: the attended transfer's last fields are counted from the end. */
  while (n_data > 0 && *data[n_data - 1] == '\0')
    n_data--;

  if (!parse_time (self, f[COL_TIME], &time))
    {
      problem (self, line, _("“%s” is not a time."), f[COL_TIME]);
      return;
    }
  if (!verb_is_clean (f[COL_EVENT]))
    {
      problem (self, line, _("“%s” is not an event."), f[COL_EVENT]);
      return;
    }
  if (*f[COL_CALLID] == '\0' || strlen (f[COL_CALLID]) > 128 ||
      !cd_input_text_is_clean (f[COL_CALLID], strlen (f[COL_CALLID]), FALSE, NULL) ||
      strlen (f[COL_QUEUE]) > 128 ||
      !cd_input_text_is_clean (f[COL_QUEUE], strlen (f[COL_QUEUE]), FALSE, NULL) ||
      strlen (f[COL_AGENT]) > 128 ||
      !cd_input_text_is_clean (f[COL_AGENT], strlen (f[COL_AGENT]), FALSE, NULL))
    {
      problem (self, line, _("Its call id, queue or agent is not a short line of text."));
      return;
    }

  self->n_records++;
  g_hash_table_replace (self->verbs, g_strdup (f[COL_EVENT]),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (
                            g_hash_table_lookup (self->verbs, f[COL_EVENT])) + 1));
  if (!cd_queue_log_verb_is_known (f[COL_EVENT]))
    {
      /* Kept, counted: a newer Asterisk or a dialplan's QueueLog(). */
      self->n_unknown++;
      return;
    }
  apply (self, line, time, f[COL_CALLID], f[COL_QUEUE], f[COL_AGENT], f[COL_EVENT],
         data, n_data);
  if (self->state != NULL)
    cd_queue_state_apply (self->state, time, f[COL_CALLID], f[COL_QUEUE], f[COL_AGENT],
                          f[COL_EVENT], data, n_data);
}

static gboolean
is_header (char  **fields,
           guint   n_fields)
{
  gboolean event = FALSE, callid = FALSE;

  for (guint i = 0; i < n_fields; i++)
    {
      event |= g_ascii_strcasecmp (fields[i], "event") == 0;
      callid |= g_ascii_strcasecmp (fields[i], "callid") == 0;
    }
  return event && callid;
}

static void
read_header (CdQueueLog *self,
             char      **fields,
             guint       n_fields)
{
  static const char * const names[N_FIXED + N_DATA] = {
    "time", "callid", "queuename", "agent", "event", "data1", "data2", "data3", "data4", "data5",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      self->columns[i] = -1;
      for (guint c = 0; c < n_fields; c++)
        if (g_ascii_strcasecmp (fields[c], names[i]) == 0 ||
            (i == COL_QUEUE && g_ascii_strcasecmp (fields[c], "queue") == 0))
          self->columns[i] = c;
    }
  /* Older schemas keep one `data` column, its values separated by pipes. */
  if (self->columns[COL_DATA1] < 0)
    for (guint c = 0; c < n_fields; c++)
      if (g_ascii_strcasecmp (fields[c], "data") == 0)
        self->data_column = c;
}

/* One CSV record (RFC 4180): quoted fields may hold commas, doubled
 * quotes and line breaks. */
static GPtrArray *
split_csv (const char *text,
           gsize       len,
           gboolean   *ok)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE, was_quoted = FALSE;

  *ok = TRUE;
  for (gsize i = 0; i <= len; i++)
    {
      char c = i < len ? text[i] : ',';

      if (quoted)
        {
          if (c == '"' && i + 1 < len && text[i + 1] == '"')
            g_string_append_c (field, '"'), i++;
          else if (c == '"')
            quoted = FALSE;
          else if (i == len)
            *ok = FALSE;
          else
            g_string_append_c (field, c);
        }
      else if (was_quoted && c != ',')
        *ok = FALSE;  /* text after a closing quote */
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          was_quoted = FALSE;
        }
      else if (c == '"' && field->len == 0 && !was_quoted)
        quoted = was_quoted = TRUE;
      else if (c == '"')
        *ok = FALSE;
      else
        g_string_append_c (field, c);
    }
  g_string_free (field, TRUE);
  return fields;
}

static CdQueueLogFormat
detect (const char *text,
        gsize       len)
{
  const char *pipe = memchr (text, '|', len);
  gint64 time;
  int y, mo, d;

  if (pipe != NULL && memchr (text, ',', pipe - text) == NULL)
    {
      g_autofree char *first = g_strndup (text, pipe - text);

      if (g_ascii_string_to_signed (first, 10, 0, G_MAXINT64, &time, NULL) ||
          sscanf (first, "%4d-%2d-%2d", &y, &mo, &d) == 3)
        return CD_QUEUE_LOG_FLAT;
    }
  return CD_QUEUE_LOG_CSV;
}

static void
read_record (CdQueueLog *self,
             const char *text,
             gsize       len,
             guint       line)
{
  if (len > 0 && text[len - 1] == '\r')
    len--;
  if (len == 0)
    return;
  if (!g_utf8_validate_len (text, len, NULL))
    {
      problem (self, line, _("It is not UTF-8 text."));
      return;
    }
  if (self->format == CD_QUEUE_LOG_AUTO)
    self->format = detect (text, len);

  if (self->format == CD_QUEUE_LOG_FLAT)
    {
      g_autofree char *copy = g_strndup (text, len);
      g_auto(GStrv) fields = g_strsplit (copy, "|", -1);

      read_fields (self, line, fields, g_strv_length (fields));
    }
  else
    {
      gboolean ok;
      g_autoptr(GPtrArray) fields = split_csv (text, len, &ok);

      if (!ok)
        {
          problem (self, line, _("It is not a CSV record (a quote out of place)."));
          return;
        }
      if (!self->header_seen)
        {
          self->header_seen = TRUE;
          if (is_header ((char **) fields->pdata, fields->len))
            {
              read_header (self, (char **) fields->pdata, fields->len);
              return;
            }
        }
      read_fields (self, line, (char **) fields->pdata, fields->len);
    }
}

/**
 * cd_queue_log_feed:
 * @self: a reader
 * @data: (array length=len): the log's next bytes
 * @len: how many
 *
 * Reads every record @data ends; the rest waits for more bytes or for
 * cd_queue_log_finish(). Calls that end come out of
 * cd_queue_log_take_calls(), lines that cannot be read out of
 * cd_queue_log_take_problems().
 */
void
cd_queue_log_feed (CdQueueLog *self,
                   const char *data,
                   gsize       len)
{
  gsize start = 0;

  g_return_if_fail (self != NULL);

  g_string_append_len (self->pending, data, len);
  for (gsize i = self->scanned; i < self->pending->len; i++)
    {
      char c = self->pending->str[i];

      /* In a flat file quotes mean nothing; in CSV a quoted field may
       * hold a line break. Before the format is known, a line is a line. */
      if (c == '"' && self->format == CD_QUEUE_LOG_CSV && !self->skipping)
        self->in_quotes = !self->in_quotes;
      if (c != '\n')
        continue;
      self->line++;
      if (self->skipping)
        {
          self->skipping = FALSE;
          start = i + 1;
          self->pending_line = self->line;
          continue;
        }
      if (self->in_quotes)
        continue;
      read_record (self, self->pending->str + start, i - start, self->pending_line + 1);
      start = i + 1;
      self->pending_line = self->line;
    }
  g_string_erase (self->pending, 0, start);
  if (!self->skipping && self->pending->len > CD_QUEUE_LOG_MAX_RECORD)
    {
      problem (self, self->pending_line + 1,
               _("The line is longer than %u bytes: it is skipped to its end."),
               (guint) CD_QUEUE_LOG_MAX_RECORD);
      self->skipping = TRUE;
      self->in_quotes = FALSE;
    }
  if (self->skipping)
    g_string_truncate (self->pending, 0);
  self->scanned = self->pending->len;
}

/**
 * cd_queue_log_finish:
 * @self: a reader
 *
 * Reads a last record without its line break. The calls still open stay
 * open (cd_queue_log_get_open_calls()): the log may go on.
 */
void
cd_queue_log_finish (CdQueueLog *self)
{
  g_return_if_fail (self != NULL);

  if (self->skipping)
    {
      self->skipping = FALSE;
      self->line++;
      self->pending_line = self->line;
    }
  else if (self->pending->len > 0)
    {
      if (self->in_quotes)
        problem (self, self->pending_line + 1,
                 _("It is not a CSV record (a quote out of place)."));
      else
        read_record (self, self->pending->str, self->pending->len, self->pending_line + 1);
      self->line++;
      self->pending_line = self->line;
    }
  g_string_truncate (self->pending, 0);
  self->scanned = 0;
  self->in_quotes = FALSE;
}

/**
 * cd_queue_log_take_calls:
 * @self: a reader
 *
 * Returns: (transfer full) (element-type CdCall): the calls that ended
 *   since the last call, in the order they ended
 */
GPtrArray *
cd_queue_log_take_calls (CdQueueLog *self)
{
  GPtrArray *calls = self->ended;

  self->ended = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
  return calls;
}

/**
 * cd_queue_log_take_problems:
 * @self: a reader
 *
 * Returns: (transfer full) (element-type CdQueueLogProblem): the lines
 *   that could not be read since the last call, in order
 */
GPtrArray *
cd_queue_log_take_problems (CdQueueLog *self)
{
  GPtrArray *problems = self->problems;

  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_queue_log_problem_free);
  return problems;
}

static int
by_entry (gconstpointer a,
          gconstpointer b)
{
  const CdCall *ca = *(CdCall * const *) a;
  const CdCall *cb = *(CdCall * const *) b;

  if (ca->entered_at != cb->entered_at)
    return ca->entered_at < cb->entered_at ? -1 : 1;
  return strcmp (ca->pbx_id, cb->pbx_id);
}

/**
 * cd_queue_log_get_open_calls:
 * @self: a reader
 *
 * Returns: (transfer container) (element-type CdCall): the calls still
 *   waiting or talking, by time of entry; they belong to @self
 */
GPtrArray *
cd_queue_log_get_open_calls (CdQueueLog *self)
{
  GPtrArray *calls = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer call;

  g_hash_table_iter_init (&iter, self->open);
  while (g_hash_table_iter_next (&iter, NULL, &call))
    g_ptr_array_add (calls, call);

  g_ptr_array_sort (calls, by_entry);
  return calls;
}

CdQueueLogFormat
cd_queue_log_get_format (CdQueueLog *self)
{
  return self->format;
}

/* Records read (known verbs and unknown), not counting headers, blank
 * lines and lines that could not be read. */
guint
cd_queue_log_get_n_records (CdQueueLog *self)
{
  return self->n_records;
}

guint
cd_queue_log_get_n_unknown (CdQueueLog *self)
{
  return self->n_unknown;
}

guint
cd_queue_log_count_verb (CdQueueLog *self,
                         const char *verb)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->verbs, verb));
}
