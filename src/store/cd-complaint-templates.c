// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint-templates.c: reading the complaint letters of a data folder
 *
 * All four are read and checked at once, so that a wrong field stops the
 * first refusal that needs a notice (or the server) with the file and the
 * line, rather than a resident's letter saying "{adress}".
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-complaint-template.h"
#include "cd-complaint-templates.h"

static const char * const names[] = { "A", "B", "C", "appeal" };
static const char * const files[] = { "answer-A", "answer-B", "answer-C", "appeal" };
G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (files));

struct _CdComplaintTemplates
{
  char *texts[G_N_ELEMENTS (names)];
  char *paths[G_N_ELEMENTS (names)];
};

void
cd_complaint_templates_free (CdComplaintTemplates *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_free (self->texts[i]);
      g_free (self->paths[i]);
    }
  g_free (self);
}

/* The language's file if there is one, else the plain one; NULL if
 * neither exists. */
static char *
find_file (const char *dir,
           const char *base,
           const char *language)
{
  g_autofree char *plain = NULL;

  if (language != NULL && *language != '\0' && !g_str_equal (language, "en"))
    {
      g_autofree char *name = g_strdup_printf ("%s.%s.txt", base, language);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  plain = g_strdup_printf ("%s.txt", base);
  return g_build_filename (dir, plain, NULL);
}

/**
 * cd_complaint_templates_load:
 * @data_dir: the data folder (the one holding `policies/`)
 * @language: (nullable): e.g. "ru"; %NULL or "en" for the plain files
 * @error: a file that cannot be read, is not UTF-8, or names an unknown
 *   field (with its line)
 *
 * A template missing in both forms is no error: that letter has no
 * template (cd_complaint_templates_get() says %NULL).
 *
 * Returns: (transfer full): the templates, or %NULL with @error set
 */
CdComplaintTemplates *
cd_complaint_templates_load (const char  *data_dir,
                             const char  *language,
                             GError     **error)
{
  g_autoptr(CdComplaintTemplates) self = g_new0 (CdComplaintTemplates, 1);
  g_autofree char *dir = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  dir = g_build_filename (data_dir, "complaints", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = find_file (dir, files[i], language);
      g_autofree char *text = NULL;
      gsize len;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      if (!g_file_get_contents (path, &text, &len, error))
        {
          g_prefix_error (error, _("Cannot read the complaint template “%s”: "), path);
          return NULL;
        }
      if (!g_utf8_validate (text, len, NULL))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("The complaint template “%s” is not UTF-8 text."), path);
          return NULL;
        }
      if (!cd_complaint_template_check (path, text, error))
        return NULL;
      self->texts[i] = g_steal_pointer (&text);
      self->paths[i] = g_steal_pointer (&path);
    }
  return g_steal_pointer (&self);
}

static int
find_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return (int) i;
  return -1;
}

/**
 * cd_complaint_templates_get:
 * @self: the templates
 * @name: "A", "B", "C" (the answer for that class) or "appeal"
 *
 * Returns: (nullable): the template's text, or %NULL if there is none
 */
const char *
cd_complaint_templates_get (CdComplaintTemplates *self,
                            const char           *name)
{
  int i = find_name (name);

  g_return_val_if_fail (self != NULL, NULL);
  return i >= 0 ? self->texts[i] : NULL;
}

/**
 * cd_complaint_templates_get_file:
 * @self: the templates
 * @name: as for cd_complaint_templates_get()
 *
 * Returns: (nullable): the file the template was read from
 */
const char *
cd_complaint_templates_get_file (CdComplaintTemplates *self,
                                 const char           *name)
{
  int i = find_name (name);

  g_return_val_if_fail (self != NULL, NULL);
  return i >= 0 ? self->paths[i] : NULL;
}
