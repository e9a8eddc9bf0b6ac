// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydesk-server --demo: the demo city of cd-demo-city.h with its
// history, one account per role (password "demo"), the Open311 api_key
// "demo", and a simulated clock that keeps the city alive: the model's
// later steps (new tickets at the hour's rate, executors accepting and
// resolving, callbacks, tickets left to go stale) are written as the clock
// reaches them. Outside --demo nothing has a default password, and the
// demo writes only into a database the demo city was written into
// (cd_store_demo_check()).
//
// The demo's contact centre is a simulated PBX (cd-demo-pbx.h): its history
// is journaled at creation through the queue_log reader, then its lines are
// appended, as the clock moves, to demo-city.queue_log beside the database,
// which the server follows like a real PBX's (cd-server-queue-log.c). A
// restarted demo starts a fresh PBX at the time it starts: its QUEUESTART
// ends the calls the last run left open, as a real PBX's restart does.

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-server-demo.h"
#include "cd-server-private.h"
#include "cd-store-calls.h"
#include "cd-store-demo-calls.h"
#include "cd-store-demo.h"

#define DEMO_PASSWORD "demo"
#define DEMO_API_KEY "demo"
/* How far ahead the model is generated: how long the city lives on. */
#define HORIZON_DAYS 14
#define TICK_MS 200
/* Real seconds between two readings of the missed calls. */
#define CALL_BACK_EVERY_S 5
#define QUEUE_LOG_NAME "demo-city.queue_log"
/* Past this size the queue_log is renamed to .1 and a new one begun, as
 * Asterisk's `logger rotate` does. */
#define QUEUE_LOG_ROTATE (16 * 1024 * 1024)

static const char * const demo_roles[] = {
  "operator", "supervisor", "qc", "feedback", "executor", "admin",
};

struct _CdServerDemo
{
  GObject      parent_instance;

  CdServer    *server;
  CdStoreDemo *live;
  double       speed;
  char        *executor_org;
  guint        tick_id;

  CdDemoPbx   *pbx;
  char        *queue_log_path;
  /* When the demo next reads its missed calls: simulated, real. */
  gint64       next_call_back;
  gint64       next_call_back_real;
  FILE        *queue_log;
  gint64       queue_log_size;
  /* The last write error, told once. */
  int          queue_log_errno;
};

G_DEFINE_FINAL_TYPE (CdServerDemo, cd_server_demo, G_TYPE_OBJECT)

static void
cd_server_demo_finalize (GObject *object)
{
  CdServerDemo *self = (CdServerDemo *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->live, cd_store_demo_free);
  g_clear_pointer (&self->executor_org, g_free);
  g_clear_pointer (&self->pbx, cd_demo_pbx_free);
  g_clear_pointer (&self->queue_log, fclose);
  g_clear_pointer (&self->queue_log_path, g_free);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (cd_server_demo_parent_class)->finalize (object);
}

static void
cd_server_demo_class_init (CdServerDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_server_demo_finalize;
}

static void
cd_server_demo_init (CdServerDemo *self)
{
}

CdServerDemo *
cd_server_demo_new (CdServer *server,
                    double    speed)
{
  CdServerDemo *self = g_object_new (CD_TYPE_SERVER_DEMO, NULL);
  g_autofree char *dir = g_path_get_dirname (cd_store_get_path (server->store));

  self->server = g_object_ref (server);
  self->speed = speed;
  self->queue_log_path = g_build_filename (dir, QUEUE_LOG_NAME, NULL);
  return self;
}

/**
 * cd_server_demo_get_queue_log:
 * @self: the demo
 *
 * Returns: the queue_log file the demo's PBX writes: demo-city.queue_log
 *   in the database's folder
 */
const char *
cd_server_demo_get_queue_log (CdServerDemo *self)
{
  return self->queue_log_path;
}

static CdDemoPbx *
new_pbx (guint64 seed,
         gint64  start)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (CD_DEMO_CITY_UTC_OFFSET);

  return cd_demo_pbx_new (seed, start, zone);
}

static CdStoreDemo *
build_city (CdServerDemo  *self,
            guint64        seed,
            int            history_days,
            gboolean       write_history,
            GError       **error)
{
  CdDemoOptions options;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  cd_demo_options_init (&options);
  options.seed = seed;
  options.days = (guint) history_days + HORIZON_DAYS;
  options.end = now + HORIZON_DAYS * 86400;
  return cd_store_demo_new (self->server->store, &options, now, write_history, error);
}

/**
 * cd_server_demo_create:
 * @self: the demo
 * @history_days: days of history before now
 * @error: return location for an error
 *
 * Writes the demo city into the server's (empty) store.
 *
 * Returns: whether the city was written
 */
gboolean
cd_server_demo_create (CdServerDemo  *self,
                       int            history_days,
                       GError       **error)
{
  CdDemoOptions defaults;
  CdDemoCity *city;
  guint64 n_calls = 0;

  cd_demo_options_init (&defaults);
  self->live = build_city (self, defaults.seed, history_days, TRUE, error);
  if (self->live == NULL)
    return FALSE;

  /* The PBX's history, up to the time the city's history ends; the same
   * model then goes on live. */
  city = cd_store_demo_get_city (self->live);
  self->pbx = new_pbx (defaults.seed, cd_demo_city_get_start (city));
  if (!cd_store_demo_add_calls (self->server->store, self->pbx,
                                cd_demo_city_get_end (city) - HORIZON_DAYS * 86400, defaults.seed,
                                NULL, NULL, &n_calls, error))
    return FALSE;

  g_printerr (_("citydesk-server: created the demo city in %s: %" PRIu64 " tickets, %" PRIu64
                 " events\n"),
              cd_store_get_path (self->server->store), cd_store_demo_get_n_tickets (self->live),
              cd_store_demo_get_n_events (self->live));
  g_printerr (_("citydesk-server: the demo’s PBX journaled %" PRIu64 " calls of its history\n"),
              n_calls);
  return TRUE;
}

static gboolean
ensure_accounts (CdServerDemo  *self,
                 GError       **error)
{
  CdStore *store = self->server->store;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const CdDemoExecutor *executors;
  guint n;

  executors = cd_demo_city_get_executors (cd_store_demo_get_city (self->live), &n);
  g_free (self->executor_org);
  self->executor_org = g_strdup (n > 0 ? executors[0].id : "demo-executor");

  for (guint i = 0; i < G_N_ELEMENTS (demo_roles); i++)
    {
      g_autoptr(CdUser) user = cd_store_find_user (store, demo_roles[i], NULL);

      if (user != NULL)
        {
          if (user->org != NULL && g_str_equal (demo_roles[i], "executor"))
            {
              g_free (self->executor_org);
              self->executor_org = g_strdup (user->org);
            }
          continue;
        }
      if (!cd_store_demo_add_account (store, demo_roles[i], demo_roles[i],
                                      g_str_equal (demo_roles[i], "executor") ? self->executor_org
                                                                              : NULL,
                                      DEMO_PASSWORD, now, error))
        return FALSE;
    }
  return cd_store_demo_link_agent (store, "operator", error) &&
         cd_store_demo_add_api_key (store, DEMO_API_KEY, now, error);
}

static void
tell_write_error (CdServerDemo *self,
                  int           code)
{
  if (code == self->queue_log_errno)
    return;
  self->queue_log_errno = code;
  g_warning ("The demo’s PBX cannot write %s: %s", self->queue_log_path, g_strerror (code));
}

static gboolean
open_queue_log (CdServerDemo *self)
{
  GStatBuf st;

  self->queue_log = g_fopen (self->queue_log_path, "ab");
  if (self->queue_log == NULL)
    {
      tell_write_error (self, errno);
      return FALSE;
    }
  self->queue_log_size = g_stat (self->queue_log_path, &st) == 0 ? st.st_size : 0;
  return TRUE;
}

static void
write_line (gint64      time,
            const char *line,
            gsize       length,
            gpointer    user_data)
{
  CdServerDemo *self = user_data;

  if (self->queue_log == NULL && !open_queue_log (self))
    return;
  if (fwrite (line, 1, length, self->queue_log) != length)
    tell_write_error (self, errno);
  self->queue_log_size += (gint64) length;
}

/* Runs the PBX to the clock, and hands the lines to the follower. */
static void
advance_pbx (CdServerDemo *self,
             gint64        now)
{
  cd_demo_pbx_advance (self->pbx, now, write_line, self);
  if (self->queue_log == NULL)
    return;
  if (fflush (self->queue_log) != 0)
    tell_write_error (self, errno);
  if (self->queue_log_size > QUEUE_LOG_ROTATE)
    {
      g_autofree char *old = g_strconcat (self->queue_log_path, ".1", NULL);

      g_clear_pointer (&self->queue_log, fclose);
      if (g_rename (self->queue_log_path, old) != 0)
        tell_write_error (self, errno);
      /* Reopened, new and empty, with the next line. */
    }
}

/* The contact centre calls its lost callers back as the clock moves
 * (cd_demo_pbx_plan_callback(), as the history did). Reading the missed
 * calls costs a scan of the calls: once a simulated minute, and no more
 * often than every few seconds. */
static guint
call_back (CdServerDemo *self,
           gint64        now)
{
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 real = g_get_monotonic_time () / G_USEC_PER_SEC;
  guint n = 0;

  if (now < self->next_call_back || real < self->next_call_back_real)
    return 0;
  self->next_call_back = now + 60;
  self->next_call_back_real = real + CALL_BACK_EVERY_S;

  if (!cd_store_list_missed_calls (self->server->store, TRUE, now, "operator", &missed, &error))
    {
      g_warning ("The demo could not read its missed calls: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < missed->len; i++)
    {
      const CdMissedCall *call = missed->pdata[i];
      guint made = 0;

      if (!cd_store_demo_call_back (self->server->store, call->call, call->missed_at,
                                    call->attempts, now, &made, &error))
        {
          g_warning ("The demo could not call a missed caller back: %s", error->message);
          g_clear_error (&error);
        }
      n += made;
    }
  return n;
}

static gboolean
on_tick (gpointer user_data)
{
  CdServerDemo *self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  advance_pbx (self, cd_server_get_time (self->server));
  if (call_back (self, cd_server_get_time (self->server)) > 0)
    {
      cd_server_notify_committed (self->server);
      /* Fewer missed calls awaiting a callback, for the live queue. */
      if (self->server->live != NULL)
        cd_server_live_missed_changed (self->server->live);
    }

  if (!cd_store_demo_advance (self->live, cd_server_get_time (self->server), &n, &error))
    g_warning ("The demo city stopped a step: %s", error->message);
  else if (n > 0)
    cd_server_notify_committed (self->server);
  return G_SOURCE_CONTINUE;
}

/**
 * cd_server_demo_start:
 * @self: the demo
 * @error: return location for an error
 *
 * Makes sure the demo accounts exist and starts the simulated clock. On a
 * database that already holds a city, a fresh model of the coming days
 * (another seed) keeps it alive.
 *
 * Returns: whether the demo runs
 */
gboolean
cd_server_demo_start (CdServerDemo  *self,
                      GError       **error)
{
  if (self->live == NULL)
    {
      self->live = build_city (self, (guint64) (g_get_real_time () / G_USEC_PER_SEC), 0, FALSE,
                               error);
      if (self->live == NULL)
        return FALSE;
    }
  /* Before the follower starts, so that it has a file to read at once. */
  if (self->pbx == NULL)
    {
      self->pbx = new_pbx ((guint64) g_get_real_time (), g_get_real_time () / G_USEC_PER_SEC);
      open_queue_log (self);
    }
  else if (open_queue_log (self))
    /* The model wrote the history: the file goes on from its clock and
     * first says who is on duty, as a new model's first lines do. */
    cd_demo_pbx_announce (self->pbx, write_line, self);
  if (!ensure_accounts (self, error))
    return FALSE;

  cd_server_set_clock (self->server, g_get_real_time () / G_USEC_PER_SEC, self->speed);
  self->tick_id = g_timeout_add (TICK_MS, on_tick, self);
  return TRUE;
}

/**
 * cd_server_demo_print_accounts:
 * @self: the demo
 * @stream: where to print
 */
void
cd_server_demo_print_accounts (CdServerDemo *self,
                               FILE         *stream)
{
  fprintf (stream, "%s\n", _("Demo accounts (password “demo”):"));
  for (guint i = 0; i < G_N_ELEMENTS (demo_roles); i++)
    fprintf (stream, "  %-10s %s%s%s\n", demo_roles[i], demo_roles[i],
             g_str_equal (demo_roles[i], "executor") ? " @ " : "",
             g_str_equal (demo_roles[i], "executor") && self->executor_org != NULL
                 ? self->executor_org
                 : "");
  fprintf (stream, "%s\n", _("Open311 api_key: demo"));
}
