// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint-template.c: filling in a complaint's letter */

#include "config.h"

#include "cd-complaint-template.h"
#include "cd-ticket.h"

/* In the order of the values render_values() fills in. */
static const char * const field_names[] = {
  "number", "received", "name", "address", "summary", "class", "responsible",
  "decision", "favour", "reasons", "about", NULL,
};
enum { N_FIELDS = G_N_ELEMENTS (field_names) - 1 };
G_STATIC_ASSERT (N_FIELDS == 11);

/* The address as a letter names it: street and building, flat, district;
 * the resident's name is a field of its own. */
static char *
address (const CdTicket *t)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char * const parts[] = { t->flat, t->district };

  if (t->street != NULL)
    g_string_append (s, t->street);
  if (t->building != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", t->building);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", parts[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * cd_complaint_template_check:
 * @file: the template's name in messages
 * @text: the template
 * @error: a #CD_FIELD_TEMPLATE_ERROR naming @file and the line
 *
 * Returns: whether @text is a complaint template (every field known)
 */
gboolean
cd_complaint_template_check (const char  *file,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(CdFieldTemplate) template = cd_field_template_parse (file, text, field_names, error);

  return template != NULL;
}

/**
 * cd_complaint_template_render:
 * @file: the template's name in messages (its file)
 * @text: the template, UTF-8
 * @complaint: what to fill in
 * @zone: the zone of {received}
 * @error: a #CD_FIELD_TEMPLATE_ERROR naming @file and the line
 *
 * {received} is the registration date as `DD.MM.YYYY`, {decision} and
 * {favour} the journal's words; a field the complaint does not have yet
 * (the class before classify) renders as nothing.
 *
 * Returns: (transfer full): the letter, without a final newline, or %NULL
 *   with @error set
 */
char *
cd_complaint_template_render (const char         *file,
                              const char         *text,
                              const CdComplaint  *complaint,
                              GTimeZone          *zone,
                              GError            **error)
{
  g_autoptr(CdFieldTemplate) template = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *received = NULL;
  g_autofree char *where = NULL;
  const CdTicket *t = complaint->ticket;
  const char *values[N_FIELDS];
  const char *decision, *favour;

  g_return_val_if_fail (complaint != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  if ((template = cd_field_template_parse (file, text, field_names, error)) == NULL)
    return NULL;
  utc = g_date_time_new_from_unix_utc (complaint->received);
  local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
  received = local != NULL ? g_date_time_format (local, "%d.%m.%Y") : NULL;
  where = t != NULL ? address (t) : NULL;
  decision = cd_complaint_decision_label (complaint->decision);
  favour = cd_complaint_favour_label (complaint->favour);

  values[0] = complaint->number;
  values[1] = received;
  values[2] = t != NULL ? t->resident_name : NULL;
  values[3] = where;
  values[4] = complaint->summary;
  values[5] = complaint->klass;
  values[6] = complaint->responsible;
  values[7] = decision;
  values[8] = favour;
  values[9] = complaint->reasons;
  values[10] = complaint->about;
  return cd_field_template_render (template, values);
}
