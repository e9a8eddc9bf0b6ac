// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl erlang: the staffing engine from a terminal. Without --agents
// it finds the operators a load needs on the phones and on the schedule;
// with it, what that many operators deliver. --patience switches from
// Erlang C to Erlang A. Durations are read as the sla commands read them.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-cli-sla.h"
#include "cd-erlang.h"
#include "cd-format.h"

typedef struct
{
  char *calls;
  char *interval;
  char *aht;
  char *target;
  char *sl;
  char *max_occupancy;
  char *shrinkage;
  char *patience;
  char *agents;
  gboolean json;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->calls);
  g_free (options->interval);
  g_free (options->aht);
  g_free (options->target);
  g_free (options->sl);
  g_free (options->max_occupancy);
  g_free (options->shrinkage);
  g_free (options->patience);
  g_free (options->agents);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* A number from @text; every check is written so that NaN fails it. */
static gboolean
parse_number (const char *prog,
              const char *option,
              const char *text,
              double      min,
              gboolean    min_included,
              double      max,
              gboolean    max_included,
              double     *out,
              int        *status)
{
  g_autofree char *message = NULL;
  char *end = NULL;
  double value;

  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    message = g_strdup_printf (_("%s: “%s” is not a number"), option, text);
  else if (!(min_included ? value >= min : value > min)
           || !(max_included ? value <= max : value < max))
    {
      g_autofree char *range = NULL;

      if (max == G_MAXDOUBLE)
        range = g_strdup_printf ("%c%g, ∞)", min_included ? '[' : '(', min);
      else
        range = g_strdup_printf ("%c%g, %g%c", min_included ? '[' : '(', min, max,
                                 max_included ? ']' : ')');
      message = g_strdup_printf (_("%s: %s is not within %s"), option, text, range);
    }
  if (message != NULL)
    return cd_cli_db_refuse (prog, message, status);
  *out = value;
  return TRUE;
}

/* A duration in seconds, as the engine takes it. */
static gboolean
parse_seconds (const char *prog,
               const char *option,
               const char *text,
               gboolean    zero_allowed,
               double     *out,
               int        *status)
{
  gint64 seconds = 0;

  if (!cd_cli_db_parse_duration (prog, option, text, zero_allowed, &seconds, status))
    return FALSE;
  *out = seconds;
  return TRUE;
}

/* The rows of the text output, label and value, gathered so that the
 * values line up after the longest label in the reader's language. */
static void
add_row (GPtrArray  *rows,
         const char *label,
         const char *value)
{
  g_ptr_array_add (rows, g_strdup (label));
  g_ptr_array_add (rows, g_strdup (value));
}

static void
add_share (GPtrArray  *rows,
           const char *label,
           double      share)
{
  g_autofree char *value = g_strdup_printf ("%.1f%%", 100.0 * share);

  add_row (rows, label, value);
}

static void
add_seconds (GPtrArray  *rows,
             const char *label,
             double      seconds)
{
  g_autofree char *value = g_strdup_printf (_("%.1f s"), seconds);

  add_row (rows, label, value);
}

/* printf pads by bytes, and a Cyrillic letter is two: pad by characters. */
static void
print_rows (GPtrArray *rows)
{
  glong widest = 0;

  for (guint i = 0; i < rows->len; i += 2)
    widest = MAX (widest, g_utf8_strlen (g_ptr_array_index (rows, i), -1));
  for (guint i = 0; i < rows->len; i += 2)
    {
      const char *label = g_ptr_array_index (rows, i);

      printf ("%s%*s %s\n", label, (int) (widest - g_utf8_strlen (label, -1)), "",
              (const char *) g_ptr_array_index (rows, i + 1));
    }
}

static void
print_text (const CdErlangLoad      *load,
            const CdErlangTarget    *target,
            const CdErlangFigures   *f,
            const CdErlangStaffing  *staffing)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target_text = cd_format_duration ((gint64) load->target);
  g_autofree char *load_text = g_strdup_printf ("%.2f", cd_erlang_load_erlangs (load));
  g_autofree char *agents_text = g_strdup_printf ("%u", f->agents);
  g_autofree char *label = NULL;

  add_row (rows, _("Model:"), load->patience > 0.0
                              ? _("Erlang A (callers abandon after their patience)")
                              : _("Erlang C (callers wait as long as it takes)"));
  add_row (rows, _("Offered load (Erlangs):"), load_text);
  add_row (rows, _("Agents on the phones:"), agents_text);
  if (staffing != NULL)
    {
      g_autofree char *scheduled = g_strdup_printf ("%u", staffing->scheduled);

      add_row (rows, _("Agents scheduled (with shrinkage):"), scheduled);
      if (staffing->limited_by_occupancy)
        add_row (rows, _("Set by:"), _("the maximum occupancy"));
      else
        add_row (rows, _("Set by:"), _("the service level"));
    }
  label = g_strdup_printf (_("Service level within %s, of offered calls:"), target_text);
  add_share (rows, label, f->service_level_of_offered);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf (_("Service level within %s, of answered calls:"), target_text);
  add_share (rows, label, f->service_level_of_answered);
  add_seconds (rows, _("ASA, all answered calls:"), f->asa_all_calls);
  add_seconds (rows, _("ASA, queued calls:"), f->asa_queued_calls);
  add_share (rows, _("Probability of waiting:"), f->wait_probability);
  if (load->patience > 0.0)
    add_share (rows, _("Abandonment, of offered calls:"), f->abandonment);
  add_share (rows, _("Occupancy:"), f->occupancy);
  if (staffing == NULL)
    add_row (rows, _("Meets the target:"),
             f->service_level_of_offered >= target->service_level
             && f->occupancy <= target->max_occupancy ? _("yes") : _("no"));
  print_rows (rows);
}

static JsonObject *
json_inputs (const CdErlangLoad   *load,
             const CdErlangTarget *target)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "model", load->patience > 0.0 ? "erlang-a" : "erlang-c");
  json_object_set_double_member (object, "calls", load->calls);
  json_object_set_double_member (object, "interval_seconds", load->interval);
  json_object_set_double_member (object, "aht_seconds", load->aht);
  json_object_set_double_member (object, "target_seconds", load->target);
  if (load->patience > 0.0)
    json_object_set_double_member (object, "patience_seconds", load->patience);
  else
    json_object_set_null_member (object, "patience_seconds");
  json_object_set_double_member (object, "service_level_goal", target->service_level);
  json_object_set_double_member (object, "max_occupancy", target->max_occupancy);
  json_object_set_double_member (object, "shrinkage", target->shrinkage);
  json_object_set_double_member (object, "load_erlangs", cd_erlang_load_erlangs (load));
  return object;
}

static void
print_json (const CdErlangLoad      *load,
            const CdErlangTarget    *target,
            const CdErlangFigures   *f,
            const CdErlangStaffing  *staffing)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_inputs (load, target);

  json_object_set_boolean_member (object, "stable", TRUE);
  json_object_set_int_member (object, "agents_on_phones", f->agents);
  if (staffing != NULL)
    {
      json_object_set_int_member (object, "agents_scheduled", staffing->scheduled);
      json_object_set_string_member (object, "set_by", staffing->limited_by_occupancy
                                                       ? "max_occupancy" : "service_level");
    }
  else
    json_object_set_boolean_member (object, "meets_target",
                                    f->service_level_of_offered >= target->service_level
                                    && f->occupancy <= target->max_occupancy);
  json_object_set_double_member (object, "service_level_of_offered",
                                 f->service_level_of_offered);
  json_object_set_double_member (object, "service_level_of_answered",
                                 f->service_level_of_answered);
  json_object_set_double_member (object, "asa_all_calls_seconds", f->asa_all_calls);
  json_object_set_double_member (object, "asa_queued_calls_seconds", f->asa_queued_calls);
  json_object_set_double_member (object, "wait_probability", f->wait_probability);
  json_object_set_double_member (object, "abandonment", f->abandonment);
  json_object_set_double_member (object, "occupancy", f->occupancy);
  json_object_set_double_member (object, "erlang_b_blocking", f->blocking);
  json_node_take_object (root, object);
  cd_cli_db_print_json (root);
}

/* Erlang C with no fewer Erlangs than agents: no figure exists. JSON
 * readers still get an object that says so. */
static int
print_unstable (const char           *prog,
                const CdErlangLoad   *load,
                const CdErlangTarget *target,
                guint                 agents,
                gboolean              json,
                const GError         *error)
{
  fprintf (stderr, "%s: %s\n", prog, error->message);
  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_inputs (load, target);

      json_object_set_boolean_member (object, "stable", FALSE);
      json_object_set_int_member (object, "agents_on_phones", agents);
      json_node_take_object (root, object);
      cd_cli_db_print_json (root);
    }
  return CD_CLI_EXIT_FOUND;
}

static gboolean
parse_agents (const char *prog,
              const char *text,
              double     *agents,
              int        *status)
{
  g_autofree char *message = NULL;

  if (!parse_number (prog, "--agents", text, 1, TRUE, CD_ERLANG_MAX_AGENTS, TRUE, agents,
                     status))
    return FALSE;
  if (*agents == floor (*agents))
    return TRUE;
  message = g_strdup_printf (_("%s: %s is not a whole number of agents"), "--agents", text);
  return cd_cli_db_refuse (prog, message, status);
}

static gboolean
parse_all (const char     *prog,
           const Options  *o,
           CdErlangLoad   *load,
           CdErlangTarget *target,
           double         *agents,
           int            *status)
{
  static const char * const required[] = { "--calls", "--interval", "--aht", "--target" };
  const char *values[] = { o->calls, o->interval, o->aht, o->target };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (values[i] == NULL)
      {
        g_autofree char *message = g_strdup_printf (_("missing option %s (see --help)"),
                                                    required[i]);

        return cd_cli_db_refuse (prog, message, status);
      }

  *load = (CdErlangLoad) { 0 };
  *target = (CdErlangTarget) { 0.8, 1.0, 0.0 };
  *agents = 0;
  return parse_number (prog, "--calls", o->calls, 0, TRUE, G_MAXDOUBLE, TRUE, &load->calls,
                       status)
         && parse_seconds (prog, "--interval", o->interval, FALSE, &load->interval, status)
         && parse_seconds (prog, "--aht", o->aht, FALSE, &load->aht, status)
         && parse_seconds (prog, "--target", o->target, TRUE, &load->target, status)
         && (o->patience == NULL
             || parse_seconds (prog, "--patience", o->patience, FALSE, &load->patience, status))
         && (o->sl == NULL
             || parse_number (prog, "--sl", o->sl, 0, FALSE, 1, FALSE, &target->service_level,
                              status))
         && (o->max_occupancy == NULL
             || parse_number (prog, "--max-occupancy", o->max_occupancy, 0, FALSE, 1, TRUE,
                              &target->max_occupancy, status))
         && (o->shrinkage == NULL
             || parse_number (prog, "--shrinkage", o->shrinkage, 0, TRUE, 1, FALSE,
                              &target->shrinkage, status))
         && (o->agents == NULL || parse_agents (prog, o->agents, agents, status));
}

int
cd_cli_erlang (int    argc,
               char **argv)
{
  g_auto(Options) o = { 0 };
  GOptionEntry entries[] = {
    { "calls", 0, 0, G_OPTION_ARG_STRING, &o.calls, N_("Calls offered in one interval"),
      "N" },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &o.interval, N_("The interval’s length"),
      "DUR" },
    { "aht", 0, 0, G_OPTION_ARG_STRING, &o.aht,
      N_("Average handling time: talk and wrap-up"), "DUR" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &o.target,
      N_("The service level’s time: answered within it"), "DUR" },
    { "sl", 0, 0, G_OPTION_ARG_STRING, &o.sl,
      N_("The share of offered calls to answer within the target (default 0.8)"), "X" },
    { "max-occupancy", 0, 0, G_OPTION_ARG_STRING, &o.max_occupancy,
      N_("The highest share of time on calls allowed (default 1)"), "X" },
    { "shrinkage", 0, 0, G_OPTION_ARG_STRING, &o.shrinkage,
      N_("The share of paid time off the phones (default 0)"), "X" },
    { "patience", 0, 0, G_OPTION_ARG_STRING, &o.patience,
      N_("Callers’ average patience: use Erlang A, with abandonment"), "DUR" },
    { "agents", 0, 0, G_OPTION_ARG_STRING, &o.agents,
      N_("Show the figures for this many agents instead of finding how many are needed"),
      "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  CdErlangStaffing staffing;
  CdErlangTarget target;
  CdErlangFigures figures;
  CdErlangLoad load;
  double agents;
  int status;

  if (!cd_cli_db_parse (&argc, &argv,
                        "--calls N --interval DUR --aht DUR --target DUR",
                        _("Operators needed for a call load (Erlang C, or Erlang A with "
                          "--patience), or the figures for a given number of them."),
                        entries, 0, &status))
    return status;
  if (!parse_all (argv[0], &o, &load, &target, &agents, &status))
    return status;

  if (o.agents == NULL)
    {
      if (!cd_erlang_agents_needed (&load, &target, &staffing, &error))
        return cd_cli_db_fail (argv[0], error->message);
      if (o.json)
        print_json (&load, &target, &staffing.figures, &staffing);
      else
        print_text (&load, &target, &staffing.figures, &staffing);
      return CD_CLI_EXIT_OK;
    }

  if (!cd_erlang_figures (&load, (guint) agents, &figures, &error))
    {
      if (g_error_matches (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_UNSTABLE))
        return print_unstable (argv[0], &load, &target, (guint) agents, o.json, error);
      return cd_cli_db_fail (argv[0], error->message);
    }
  if (o.json)
    print_json (&load, &target, &figures, NULL);
  else
    print_text (&load, &target, &figures, NULL);
  return CD_CLI_EXIT_OK;
}
