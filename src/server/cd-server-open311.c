// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-open311.c: Open311 GeoReport v2 under /open311/v2/
 *
 * Existing 311 apps and public portals talk to us unchanged: the spec's
 * resources, field names, status values and error list
 * (`[{"code":400,"description":"…"}]`), in JSON or XML as the resource's
 * extension says. A POSTed request goes
 * through the same store and dispatch code as /api/v1, in one transaction
 * with its Idempotency-Key, so a retry never registers twice. See
 * docs/open311.md.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cd-input.h"
#include "cd-json-tree.h"
#include "cd-open311.h"
#include "cd-rate-limit.h"
#include "cd-server-open311.h"
#include "cd-server-private.h"
#include "cd-store-search.h"

#define PREFIX "/open311/v2"
/* The spec: at most 1000 values in a list filter, and a default window
 * of the last 90 days when a client gives no dates. A page holds at most
 * open311-max-page-size requests ([server]): the list is public, and one
 * page of 1000 requests with their events held the main loop for long
 * enough to starve the API. */
#define MAX_PAGE_SIZE 1000
#define DEFAULT_WINDOW (90 * 24 * 60 * 60)
#define IDEMPOTENCY_KEY_MAX 128
/* When the service list last changed: it is built from the classifier
 * tree shipped with the program, so it changes only with a release. */
#define SERVICES_CHANGESET "2026-11-23T00:00:00Z"

/* Which format the client asked for (the resource's extension), kept on
 * the message so that every answer, errors included, is given in it. */
static const char *xml_key = "cd-open311-xml";

static gboolean
wants_xml (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), xml_key) != NULL;
}

/* @node as the answer's text, in XML with @root as its root element or in
 * JSON; any thread may call it. */
static char *
render_node (JsonNode   *node,
             const char *root,
             gboolean    xml,
             gsize      *len)
{
  g_autoptr(JsonGenerator) generator = NULL;
  char *text;

  if (xml)
    {
      text = cd_open311_to_xml (node, root);
      *len = strlen (text);
      return text;
    }
  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, len);
}

/* Takes @text, which render_node() wrote; @packed is its JSON compressed. */
static void
send_rendered (SoupServerMessage *msg,
               guint              status,
               char              *text,
               gsize              len,
               GBytes            *packed)
{
  if (!wants_xml (msg))
    {
      cd_server_send_json_packed (msg, status, text, len, packed);
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/xml; charset=utf-8", SOUP_MEMORY_TAKE, text, len);
}

/* @root names the answer's XML root element. */
static void
send_node (SoupServerMessage *msg,
           guint              status,
           JsonNode          *node,
           const char        *root)
{
  gsize len = 0;
  char *text = render_node (node, root, wants_xml (msg), &len);

  send_rendered (msg, status, text, len, NULL);
}

static void
send_error_list (SoupServerMessage *msg,
                 guint              status,
                 const char        *description)
{
  g_autoptr(JsonNode) node = cd_open311_error_list (status, description);

  send_node (msg, status, node, "errors");
}

/**
 * cd_server_open311_send_error:
 * @msg: a request under /open311/v2/
 * @status: a 4xx or 5xx status
 * @description: what is wrong
 *
 * Answers in the Open311 error list, in XML when the resource asked for
 * it, for checks that run before the Open311 handler (the query string).
 */
void
cd_server_open311_send_error (SoupServerMessage *msg,
                              guint              status,
                              const char        *description)
{
  if (g_str_has_suffix (cd_server_path (msg), ".xml"))
    g_object_set_data (G_OBJECT (msg), xml_key, GINT_TO_POINTER (TRUE));
  send_error_list (msg, status, description);
}

/* A database another connection holds locked, or one that cannot be
 * reached (a restart, a failover), is 503 with Retry-After, as on the
 * API; anything else is logged and answered without details. */
static void
send_store_error (SoupServerMessage *msg,
                  const GError      *error)
{
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_BUSY) ||
      g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
    {
      if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
        cd_server_log_failure ("Open311", error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    "1");
      send_error_list (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, cd_server_busy_message (error));
      return;
    }
  g_warning ("Open311: %s", error->message);
  send_error_list (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                   _("The server failed; the failure is logged."));
}

static void
send_array (SoupServerMessage *msg,
            guint              status,
            JsonArray         *array,
            const char        *root)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, array);
  send_node (msg, status, node, root);
}

static void
send_object (SoupServerMessage *msg,
             guint              status,
             JsonObject        *object,
             const char        *root)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  send_node (msg, status, node, root);
}

/* A stored JSON answer (of a POST), in the format this request wants. */
static void
send_stored (SoupServerMessage *msg,
             guint              status,
             const char        *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!wants_xml (msg) || !json_parser_load_from_data (parser, json, -1, NULL))
    {
      cd_server_send_text (msg, status, json, strlen (json));
      return;
    }
  send_node (msg, status, json_parser_get_root (parser),
             JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)) && status < 400
                 ? "service_requests"
                 : "errors");
}

static gboolean
check_method (SoupServerMessage *msg,
              const char        *method)
{
  const char *got = soup_server_message_get_method (msg);
  g_autofree char *description = NULL;

  if (g_str_equal (got, method))
    return TRUE;
  description = g_strdup_printf (_("This resource accepts only %s, not %s."), method, got);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  send_error_list (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, description);
  return FALSE;
}

static GTimeZone *
server_zone (void)
{
  return g_time_zone_new_local ();
}

/* discovery.json {{{1 */

static void
handle_discovery (CdServer          *self,
                  SoupServerMessage *msg)
{
  g_autoptr(JsonObject) root = json_object_new ();
  GUri *uri = soup_server_message_get_uri (msg);
  JsonObject *endpoint = json_object_new ();
  JsonArray *endpoints = json_array_new ();
  JsonArray *formats = json_array_new ();
  const char *changeset = SERVICES_CHANGESET;
  g_autofree char *url = NULL;

  if (!check_method (msg, SOUP_METHOD_GET))
    return;

  url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                    g_uri_get_port (uri), PREFIX, NULL, NULL);

  json_object_set_string_member (root, "changeset", changeset);
  json_object_set_string_member (root, "contact", _("The city contact center"));
  json_object_set_string_member (root, "key_service",
                                 _("Ask the contact center's administrator for an api_key."));
  json_object_set_string_member (endpoint, "specification", CD_OPEN311_SPECIFICATION);
  json_object_set_string_member (endpoint, "url", url);
  json_object_set_string_member (endpoint, "changeset", changeset);
  json_object_set_string_member (endpoint, "type", "production");
  json_array_add_string_element (formats, "text/xml");
  json_array_add_string_element (formats, "application/json");
  json_object_set_array_member (endpoint, "formats", formats);
  json_array_add_object_element (endpoints, endpoint);
  json_object_set_array_member (root, "endpoints", endpoints);
  send_object (msg, SOUP_STATUS_OK, root, "discovery");
}

/* services {{{1 */

static void
handle_services (CdServer          *self,
                 SoupServerMessage *msg)
{
  JsonArray *services = json_array_new ();
  const CdCategory *categories;
  guint n;

  if (!check_method (msg, SOUP_METHOD_GET))
    {
      json_array_unref (services);
      return;
    }
  categories = cd_category_get_all (&n);
  for (guint i = 0; i < n; i++)
    if (cd_open311_is_service (&categories[i]))
      json_array_add_object_element (services, cd_open311_service_to_json (&categories[i]));
  send_array (msg, SOUP_STATUS_OK, services, "services");
  json_array_unref (services);
}

static void
handle_service_definition (CdServer          *self,
                           SoupServerMessage *msg,
                           const char        *code)
{
  const CdCategory *category = cd_category_lookup (code);
  g_autoptr(JsonObject) definition = NULL;

  if (!check_method (msg, SOUP_METHOD_GET))
    return;
  if (!cd_open311_is_service (category))
    {
      g_autofree char *description = g_strdup_printf (_("service_code “%s” was not found."), code);

      send_error_list (msg, SOUP_STATUS_NOT_FOUND, description);
      return;
    }
  definition = cd_open311_service_definition (category);
  send_object (msg, SOUP_STATUS_OK, definition, "service_definition");
}

/* GET requests {{{1 */

static const char *
query_get (GHashTable *query,
           const char *name)
{
  const char *value = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL && *value != '\0' ? value : NULL;
}

/* A comma-delimited list, without empty items. */
static GStrv
split_list (const char *text)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);

      if (*item != '\0')
        g_strv_builder_add (builder, item);
    }
  return g_strv_builder_end (builder);
}

/* Each item is a bound SQL parameter: keep the list well below SQLite's
 * limit, and at the page size, which no longer list could fill anyway. */
static gboolean
check_list_length (GStrv        items,
                   const char  *name,
                   GError     **error)
{
  if (g_strv_length (items) <= MAX_PAGE_SIZE)
    return TRUE;
  g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
               _("%s lists more than %d values."), name, MAX_PAGE_SIZE);
  return FALSE;
}

static gboolean
query_time (GHashTable  *query,
            const char  *name,
            gint64      *time,
            GError     **error)
{
  const char *text = query_get (query, name);

  *time = 0;
  if (text == NULL)
    return TRUE;
  if (!cd_open311_parse_time (text, time))
    {
      g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                   _("%s “%s” is not a W3C date and time such as 2026-11-23T16:00:00+03:00."),
                   name, text);
      return FALSE;
    }
  /* 0 means "no bound" to the search. */
  if (*time == 0)
    *time = 1;
  return TRUE;
}

static gboolean
query_uint (GHashTable  *query,
            const char  *name,
            guint        min,
            guint        max,
            guint       *value,
            GError     **error)
{
  const char *text = query_get (query, name);
  guint64 parsed;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &parsed, NULL))
    {
      g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                   _("%s “%s” is not a whole number from %u to %u."), name, text, min, max);
      return FALSE;
    }
  *value = (guint) parsed;
  return TRUE;
}

static gboolean
query_extensions (GHashTable  *query,
                  gboolean    *extensions,
                  GError     **error)
{
  const char *text = query_get (query, "extensions");

  *extensions = FALSE;
  if (text == NULL || g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0"))
    return TRUE;
  if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1"))
    {
      *extensions = TRUE;
      return TRUE;
    }
  g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
               _("extensions “%s” is neither true nor false."), text);
  return FALSE;
}

/* The states behind the statuses a client asked for. */
static GStrv
states_for_status (const char  *status,
                   GError     **error)
{
  g_auto(GStrv) wanted = split_list (status);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean want[2] = { FALSE, FALSE };

  for (guint i = 0; wanted[i] != NULL; i++)
    {
      if (g_str_equal (wanted[i], "open"))
        want[0] = TRUE;
      else if (g_str_equal (wanted[i], "closed"))
        want[1] = TRUE;
      else
        {
          g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                       _("status “%s” is neither open nor closed."), wanted[i]);
          return NULL;
        }
    }
  for (CdTicketState s = CD_TICKET_STATE_REGISTERED; s < CD_TICKET_N_STATES; s++)
    if (want[g_str_equal (cd_open311_status_for_state (s), "closed")])
      g_strv_builder_add (builder, cd_ticket_state_to_string (s));
  return g_strv_builder_end (builder);
}

/* The service requests of @tickets, in their order, with their events
 * read in one statement; NULL with @error set, or when @cancellable (the
 * client left) is cancelled. */
static JsonArray *
requests_json (CdStore       *store,
               GPtrArray     *tickets,
               gboolean       extensions,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GTimeZone) tz = server_zone ();
  g_autoptr(GHashTable) events = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonArray *array;

  for (guint i = 0; i < tickets->len; i++)
    g_ptr_array_add (ids, ((CdTicket *) tickets->pdata[i])->id);
  if ((events = cd_store_list_events_of (store, (const char * const *) ids->pdata, ids->len,
                                         error)) == NULL)
    return NULL;

  array = json_array_new ();
  for (guint i = 0; i < tickets->len; i++)
    {
      CdTicket *ticket = tickets->pdata[i];
      GPtrArray *own = g_hash_table_lookup (events, ticket->id);
      CdEvent * const *history = own != NULL ? (CdEvent * const *) own->pdata : NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          json_array_unref (array);
          return NULL;
        }
      json_array_add_object_element (array,
                                     cd_open311_request_to_json (ticket, history,
                                                                 own != NULL ? own->len : 0,
                                                                 extensions, tz));
    }
  return array;
}

static void
send_requests (CdServer          *self,
               SoupServerMessage *msg,
               GPtrArray         *tickets,
               gboolean           extensions)
{
  g_autoptr(GError) error = NULL;
  JsonArray *array = requests_json (self->store, tickets, extensions, NULL, &error);

  if (array == NULL)
    {
      send_store_error (msg, error);
      return;
    }
  send_array (msg, SOUP_STATUS_OK, array, "service_requests");
  json_array_unref (array);
}

/* Pages of the list, off the main loop {{{2 */

/* The list is public and a page costs far more than a thin read: pages
 * are built (the search, the events, the JSON or XML text and its gzip)
 * by OPEN311_WORKERS threads of the list's own, on read-only connections
 * of their own, which WAL lets read beside the writer, so that the main
 * loop stays free for everyone else and, on a machine of two cores, keeps
 * one. The threads run at a lower priority (OPEN311_NICE): when the CPU is
 * short, the pages wait, not the API. The request is paused meanwhile; at
 * most open311-queue pages wait for a worker, and more are answered 503
 * with Retry-After. A client that leaves has its page dropped from the
 * queue, or abandoned between two tickets. */
#define OPEN311_WORKERS 1
/* How long, at most, a refusal of a page is held back. */
#define MAX_HOLD_MS 1000
/* Client addresses whose list rate is remembered at most. */
#define MAX_RATE_KEYS 10000
#define OPEN311_NICE 10

struct _CdServerOpen311
{
  guint         running;
  GQueue        waiting;
  GThreadPool  *pool;
  /* Where the answers are sent from: the server's main loop. */
  GMainContext *context;
  /* Read-only stores (CdStore), one per worker that needed one: a store
   * belongs to one thread at a time. */
  GAsyncQueue  *readers;
  /* Pages served a second, to all and to each address: what the public
   * list may take of the server however many clients page through it. */
  CdRateLimit  *list_limit;
};

typedef struct
{
  CdServer          *server;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;
  GCancellable      *cancellable;
  GAsyncQueue       *readers;
  char              *path;
  int                busy_timeout;

  CdTicketFilter     search;
  guint              limit;
  guint              offset;
  GStrv              numbers;
  GStrv              codes;
  GStrv              states;
  gboolean           extensions;
  gboolean           xml;
  gboolean           gzip;

  /* The answer, written by the worker. */
  guint              status;
  gboolean           busy;
  gint64             total;
  char              *text;
  gsize              len;
  GBytes            *packed;
} PageJob;

static void
page_job_free (PageJob *job)
{
  g_clear_signal_handler (&job->finished_id, job->msg);
  g_clear_object (&job->msg);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->readers, g_async_queue_unref);
  g_free (job->path);
  g_strfreev (job->numbers);
  g_strfreev (job->codes);
  g_strfreev (job->states);
  g_free (job->text);
  g_clear_pointer (&job->packed, g_bytes_unref);
  g_clear_object (&job->server);
  g_free (job);
}

void
cd_server_open311_free (CdServerOpen311 *open311)
{
  if (open311 == NULL)
    return;
  g_queue_clear_full (&open311->waiting, (GDestroyNotify) page_job_free);
  /* Running jobs hold the server: none is left by now. */
  g_thread_pool_free (open311->pool, TRUE, TRUE);
  g_main_context_unref (open311->context);
  g_async_queue_unref (open311->readers);
  cd_rate_limit_free (open311->list_limit);
  g_free (open311);
}

static void
page_job_set_error (PageJob    *job,
                    guint       status,
                    const char *description)
{
  g_autoptr(JsonNode) node = cd_open311_error_list (status, description);

  job->status = status;
  job->text = render_node (node, "errors", job->xml, &job->len);
}

static void
build_page_text (PageJob      *job,
                 GCancellable *cancellable)
{
  g_autoptr(CdStore) reader = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    return;
  reader = g_async_queue_try_pop (job->readers);
  if (reader == NULL && (reader = cd_store_open_reader (job->path, &error)) != NULL)
    cd_store_set_busy_timeout (reader, job->busy_timeout);
  if (reader != NULL &&
      (tickets = cd_store_search_tickets (reader, &job->search, job->limit, job->offset,
                                          &job->total, &error)) != NULL)
    array = requests_json (reader, tickets, job->extensions, cancellable, &error);
  if (reader != NULL)
    g_async_queue_push (job->readers, g_steal_pointer (&reader));

  if (array == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ;
      else if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_BUSY) ||
               g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
        {
          if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
            cd_server_log_failure ("Open311", error);
          job->busy = TRUE;
          page_job_set_error (job, SOUP_STATUS_SERVICE_UNAVAILABLE,
                              cd_server_busy_message (error));
        }
      else
        {
          g_warning ("Open311: %s", error->message);
          page_job_set_error (job, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                              _("The server failed; the failure is logged."));
        }
      return;
    }

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  job->status = SOUP_STATUS_OK;
  job->text = render_node (node, "service_requests", job->xml, &job->len);
  if (job->gzip && !job->xml)
    job->packed = cd_server_pack_json (job->text, job->len);
}
static gboolean on_page_built (gpointer user_data);

/* The worker: the page's text into @job, then back to the main loop. */
static void
build_page (gpointer data,
            gpointer user_data)
{
  PageJob *job = data;
  CdServerOpen311 *open311 = user_data;
  GCancellable *cancellable = job->cancellable;
  g_autoptr(GSource) source = g_idle_source_new ();

  /* Linux gives each thread its own nice value; failing to lower it
   * costs only the priority. */
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), OPEN311_NICE);
  build_page_text (job, cancellable);
  /* Never g_main_context_invoke(): it would answer from this thread when
   * the main loop does not hold its context at that moment. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, on_page_built, job, NULL);
  g_source_attach (source, open311->context);
}

static void start_page (CdServerOpen311 *open311,
                        PageJob         *job);

/* A waiting page whose client left is not built: libsoup is let go of the
 * request (it finds the connection closed when it writes the answer). */
static gboolean
drop_if_gone (PageJob *job)
{
  if (!job->finished && !cd_server_client_gone (job->msg))
    return FALSE;
  if (!job->finished)
    {
      soup_server_message_set_status (job->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (job->msg);
    }
  page_job_free (job);
  return TRUE;
}

/* Starts waiting pages while a worker is free. */
static void
start_waiting (CdServerOpen311 *open311)
{
  while (open311->running < OPEN311_WORKERS && !g_queue_is_empty (&open311->waiting))
    {
      PageJob *next = g_queue_pop_head (&open311->waiting);

      if (!drop_if_gone (next))
        start_page (open311, next);
    }
}

/* Drops the waiting pages whose clients left. */
static void
drop_gone (CdServerOpen311 *open311)
{
  for (GList *l = open311->waiting.head; l != NULL;)
    {
      GList *next = l->next;

      if (drop_if_gone (l->data))
        g_queue_delete_link (&open311->waiting, l);
      l = next;
    }
}

static gboolean
on_page_built (gpointer user_data)
{
  PageJob *job = user_data;
  CdServerOpen311 *open311 = job->server->open311;

  open311->running--;
  if (!job->finished && job->text != NULL)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);

      if (job->status == SOUP_STATUS_OK)
        {
          /* Paging clients read the count without walking every page. */
          g_autofree char *total_text = g_strdup_printf ("%" G_GINT64_FORMAT, job->total);

          soup_message_headers_replace (headers, "X-Total-Count", total_text);
        }
      if (job->busy)
        soup_message_headers_replace (headers, "Retry-After", "1");
      send_rendered (job->msg, job->status, g_steal_pointer (&job->text), job->len, job->packed);
      soup_server_message_unpause (job->msg);
    }
  page_job_free (job);
  start_waiting (open311);
  return G_SOURCE_REMOVE;
}

static void
on_page_message_finished (SoupServerMessage *msg,
                          PageJob           *job)
{
  job->finished = TRUE;
  g_cancellable_cancel (job->cancellable);
}

static void
start_page (CdServerOpen311 *open311,
            PageJob         *job)
{
  open311->running++;
  /* The pool has its threads: pushing cannot fail. */
  g_thread_pool_push (open311->pool, job, NULL);
}

/* Takes @job, whose search is ready: queues it for a worker, or answers
 * 503 when too many pages wait already. */
static void
queue_page (CdServer          *self,
            SoupServerMessage *msg,
            PageJob           *job)
{
  CdServerOpen311 *open311 = self->open311;

  if (open311->running >= OPEN311_WORKERS &&
      g_queue_get_length (&open311->waiting) >= (guint) self->config->open311_queue)
    drop_gone (open311);
  if (open311->running >= OPEN311_WORKERS &&
      g_queue_get_length (&open311->waiting) >= (guint) self->config->open311_queue)
    {
      page_job_free (job);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    "1");
      send_error_list (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       _("The server is building too many pages of this list: send the request "
                          "again in a moment."));
      return;
    }

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->cancellable = g_cancellable_new ();
  job->readers = g_async_queue_ref (open311->readers);
  job->path = g_strdup (cd_store_get_path (self->store));
  job->busy_timeout = (int) self->config->db_busy_timeout;
  job->xml = wants_xml (msg);
  job->gzip = cd_server_accepts_gzip (msg);
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_page_message_finished), job);
  soup_server_message_pause (msg);
  if (open311->running < OPEN311_WORKERS)
    start_page (open311, job);
  else
    g_queue_push_tail (&open311->waiting, job);
}

/* Whether the list may serve @msg a page now; otherwise answers 429 with
 * Retry-After. The refusal is the cheapest answer the server has. */
static gboolean
take_list_turn (CdServer          *self,
                SoupServerMessage *msg)
{
  g_autoptr(GInetAddress) address = cd_server_client_address (self, msg);
  g_autofree char *key = address != NULL ? g_inet_address_to_string (address) : g_strdup ("-");
  g_autofree char *seconds = NULL;
  gint64 retry_after_us = 0;

  if (cd_rate_limit_take (self->open311->list_limit, key, g_get_monotonic_time (), &retry_after_us))
    return TRUE;
  seconds = g_strdup_printf ("%" G_GINT64_FORMAT,
                             (retry_after_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                seconds);
  send_error_list (msg, 429,
                   _("Too many pages of this list were asked for: send the request again after "
                      "the time Retry-After gives."));
  cd_server_hold_answer (msg, MIN (retry_after_us / 1000, MAX_HOLD_MS));
  return FALSE;
}

static void
handle_get_requests (CdServer          *self,
                     SoupServerMessage *msg,
                     GHashTable        *query)
{
  PageJob *job = g_new0 (PageJob, 1);
  CdTicketFilter *search = &job->search;
  g_autoptr(GError) error = NULL;
  guint max_page_size = (guint) MIN (self->config->open311_max_page_size, MAX_PAGE_SIZE);
  guint page = 1, page_size = max_page_size;

  if (!query_uint (query, "page", 1, G_MAXINT / MAX_PAGE_SIZE, &page, &error) ||
      !query_uint (query, "page_size", 1, MAX_PAGE_SIZE, &page_size, &error) ||
      !query_extensions (query, &job->extensions, &error))
    goto bad;

  if (query_get (query, "service_request_id") != NULL)
    {
      /* The spec: a list of ids overrides every other filter. */
      job->numbers = split_list (query_get (query, "service_request_id"));
      if (!check_list_length (job->numbers, "service_request_id", &error))
        goto bad;
      search->numbers = (const char * const *) job->numbers;
    }
  else
    {
      if (query_get (query, "service_code") != NULL)
        {
          job->codes = split_list (query_get (query, "service_code"));
          if (!check_list_length (job->codes, "service_code", &error))
            goto bad;
          search->categories = (const char * const *) job->codes;
        }
      if (query_get (query, "status") != NULL)
        {
          if ((job->states = states_for_status (query_get (query, "status"), &error)) == NULL)
            goto bad;
          search->states = (const char * const *) job->states;
        }
      if (!query_time (query, "start_date", &search->created_from, &error) ||
          !query_time (query, "end_date", &search->created_to, &error) ||
          !query_time (query, "updated_after", &search->updated_from, &error) ||
          !query_time (query, "updated_before", &search->updated_to, &error))
        goto bad;

      if (search->created_from != 0 && search->created_to != 0)
        {
          if (search->created_from > search->created_to)
            {
              g_set_error_literal (&error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                                   _("start_date is after end_date."));
              goto bad;
            }
          if (search->created_to - search->created_from > DEFAULT_WINDOW)
            {
              g_set_error_literal (&error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                                   _("start_date and end_date may not span more than 90 days."));
              goto bad;
            }
        }
      else if (search->created_to != 0)
        search->created_from = search->created_to - DEFAULT_WINDOW;
      else if (search->created_from == 0 && search->updated_from == 0 && search->updated_to == 0)
        search->created_from = cd_server_now (self) - DEFAULT_WINDOW;
    }

  /* A larger page asked for is the largest served: X-Total-Count tells
   * the client how many pages there are. */
  job->limit = MIN (page_size, max_page_size);
  job->offset = (page - 1) * page_size;
  queue_page (self, msg, job);
  return;

bad:
  page_job_free (job);
  send_error_list (msg, SOUP_STATUS_BAD_REQUEST, error->message);
}

static void
handle_get_request (CdServer          *self,
                    SoupServerMessage *msg,
                    GHashTable        *query,
                    const char        *id)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  gboolean extensions = FALSE;

  if (!check_method (msg, SOUP_METHOD_GET))
    return;
  if (!query_extensions (query, &extensions, &error))
    {
      send_error_list (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if ((ticket = cd_store_load_ticket (self->store, id, &error)) == NULL)
    {
      g_autofree char *description = NULL;

      if (!g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
        {
          send_store_error (msg, error);
          return;
        }
      description = g_strdup_printf (_("service_request_id “%s” was not found."), id);
      send_error_list (msg, SOUP_STATUS_NOT_FOUND, description);
      return;
    }
  g_ptr_array_add (tickets, g_steal_pointer (&ticket));
  send_requests (self, msg, tickets, extensions);
}

/* POST requests {{{1 */

/* The fields of a POST as text, from a form (the spec's encoding), a
 * multipart form or a JSON object (which many apps send anyway). Every
 * value, whichever decoding produced it, passes cd_input_check_text()
 * for its field; @bad_field names the one that did not. */
static GHashTable *
read_post_fields (SoupServerMessage  *msg,
                  GBytes             *body,
                  char              **bad_field,
                  GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  *bad_field = NULL;

  /* Apps that attach a photo send multipart/form-data; the photo itself is
   * not kept (media_url is the spec's way to give one). */
  if (type != NULL && g_ascii_strcasecmp (type, "multipart/form-data") == 0)
    {
      g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (headers, body);

      if (multipart == NULL)
        {
          g_set_error_literal (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                               _("The request body is not valid multipart/form-data."));
          return NULL;
        }
      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers = NULL;
          GBytes *part_body = NULL;
          g_autoptr(GHashTable) params = NULL;
          g_autofree char *disposition = NULL;
          const char *name;
          gsize part_len = 0;
          const char *part_data;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body) ||
              !soup_message_headers_get_content_disposition (part_headers, &disposition, &params) ||
              (name = g_hash_table_lookup (params, "name")) == NULL ||
              g_hash_table_contains (params, "filename"))
            continue;
          if (!cd_input_text_is_clean (name, strlen (name), FALSE, NULL) || strlen (name) > 64)
            {
              g_set_error_literal (
                  error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                  _("A multipart/form-data field’s name is not one line of UTF-8 text."));
              return NULL;
            }
          part_data = g_bytes_get_data (part_body, &part_len);
          if (!cd_input_check_text (name, part_data != NULL ? part_data : "", part_len, error))
            {
              *bad_field = g_strdup (name);
              return NULL;
            }
          g_hash_table_insert (fields, g_strdup (name), g_strndup (part_data, part_len));
        }
      return g_steal_pointer (&fields);
    }

  if (type != NULL && g_ascii_strcasecmp (type, "application/json") == 0)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      /* The API's strict reader and nesting limit, before the api_key is
       * looked at. */
      root = cd_json_parse (data, len, CD_JSON_INPUT_MAX_DEPTH, NULL, bad_field, &local_error);
      if (root == NULL)
        {
          if (!g_error_matches (local_error, CD_JSON_ERROR, CD_JSON_ERROR_REFUSED))
            g_clear_pointer (bad_field, g_free);
          if (g_error_matches (local_error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP))
            g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                         _("The JSON is nested deeper than %d levels."), CD_JSON_INPUT_MAX_DEPTH);
          else
            g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                         _("The request body is not valid JSON: %s"), local_error->message);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error_literal (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                               _("The request body must be a JSON object."));
          return NULL;
        }
      json_object_iter_init (&iter, json_node_get_object (root));
      while (json_object_iter_next (&iter, &member, &node))
        {
          GType value_type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                          : G_TYPE_INVALID;
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          const char *value;

          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (value_type == G_TYPE_STRING)
            value = json_node_get_string (node);
          else if (value_type == G_TYPE_INT64)
            value = g_ascii_formatd (buffer, sizeof buffer, "%.0f",
                                     (double) json_node_get_int (node));
          /* Plain decimal, as a form would give it. */
          else if (value_type == G_TYPE_DOUBLE)
            value = g_ascii_formatd (buffer, sizeof buffer, "%.9f", json_node_get_double (node));
          else
            {
              *bad_field = g_strdup (member);
              g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                           _("%s must be a string or a number."), member);
              return NULL;
            }
          if (!cd_input_check_text (member, value, strlen (value), error))
            {
              *bad_field = g_strdup (member);
              return NULL;
            }
          g_hash_table_insert (fields, g_strdup (member), g_strdup (value));
        }
      return g_steal_pointer (&fields);
    }

  text = g_strndup (data, len);
  if (strlen (text) != len)
    {
      g_set_error_literal (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                           _("The request body is not UTF-8 text."));
      return NULL;
    }
  return cd_server_decode_form (text, bad_field, error);
}

static const char *
field (GHashTable *fields,
       const char *name)
{
  const char *value = g_hash_table_lookup (fields, name);

  return value != NULL && *g_strstrip ((char *) value) != '\0' ? value : NULL;
}

static gboolean
field_coordinate (GHashTable  *fields,
                  const char  *name,
                  double       limit,
                  double      *value,
                  GError     **error)
{
  const char *text = field (fields, name);
  g_autoptr(GError) local_error = NULL;

  if (!cd_input_parse_number (name, text, value, &local_error))
    {
      g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                   _("%s “%s” is not a number from %g to %g: %s"), name, text, -limit, limit,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* The `register` payload for a POSTed request, or NULL with @status set to
 * 400 (a field is missing or wrong) or 404 (no such service). */
static JsonObject *
registration_from_fields (GHashTable  *fields,
                          guint       *status,
                          GError     **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *district = NULL;
  g_autofree char *street = NULL;
  g_autofree char *building = NULL;
  g_autofree char *name = NULL;
  const char *code;
  const char *address = field (fields, "address_string");
  const CdCategory *category;
  gboolean has_lat, has_long;
  double lat = 0, lon = 0;

  *status = SOUP_STATUS_BAD_REQUEST;
  /* Numbers as sent, before field() trims white space off every value. */
  for (guint i = 0; i < 2; i++)
    {
      const char *coordinate = i == 0 ? "lat" : "long";
      const char *raw = g_hash_table_lookup (fields, coordinate);
      double ignored;

      if (raw != NULL && *raw != '\0' && !cd_input_parse_number (coordinate, raw, &ignored, error))
        return NULL;
    }
  has_lat = field (fields, "lat") != NULL;
  has_long = field (fields, "long") != NULL;
  code = field (fields, "service_code");
  if (code == NULL)
    {
      g_set_error_literal (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                           _("service_code is required."));
      return NULL;
    }
  category = cd_category_lookup (code);
  if (!cd_open311_is_service (category))
    {
      *status = SOUP_STATUS_NOT_FOUND;
      g_set_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                   _("service_code “%s” was not found."), code);
      return NULL;
    }
  if (has_lat != has_long)
    {
      g_set_error_literal (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
                           has_lat ? _("long is required with lat.")
                                   : _("lat is required with long."));
      return NULL;
    }
  if (has_lat && (!field_coordinate (fields, "lat", 90.0, &lat, error) ||
                  !field_coordinate (fields, "long", 180.0, &lon, error)))
    return NULL;
  if (address == NULL)
    address = field (fields, "address_id");
  if (address == NULL && !has_lat)
    {
      g_set_error_literal (
          error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_INVALID,
          _("A location is required: lat and long, address_string or address_id."));
      return NULL;
    }

  if (address != NULL)
    cd_open311_split_address (address, field (fields, "zipcode"), &district, &street, &building);
  else
    {
      district = g_strdup ("unknown");
      street = g_strdup_printf ("%.6f, %.6f", lat, lon);
      building = g_strdup ("—");
    }

  json_object_set_string_member (payload, "kind", "routine");
  json_object_set_string_member (payload, "category", category->id);
  json_object_set_string_member (payload, "channel", "open311");
  json_object_set_string_member (payload, "district", district);
  json_object_set_string_member (payload, "street", street);
  json_object_set_string_member (payload, "building", building);
  if (has_lat)
    {
      json_object_set_double_member (payload, "lat", lat);
      json_object_set_double_member (payload, "lon", lon);
    }
  if (field (fields, "description") != NULL)
    json_object_set_string_member (payload, "description", field (fields, "description"));
  name = g_strjoin (" ", field (fields, "first_name") ? field (fields, "first_name") : "",
                    field (fields, "last_name") ? field (fields, "last_name") : "", NULL);
  if (*g_strstrip (name) != '\0')
    json_object_set_string_member (payload, "name", name);
  if (field (fields, "phone") != NULL)
    json_object_set_string_member (payload, "phone", field (fields, "phone"));

  /* What the address was split into, and the joined name, by the same
   * table as the API's registrations. */
  if (!cd_input_check_object (payload, NULL, error))
    return NULL;
  return g_steal_pointer (&payload);
}

static gboolean
valid_idempotency_key (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > IDEMPOTENCY_KEY_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (key[i] < 0x20 || key[i] > 0x7e)
      return FALSE;
  return TRUE;
}

static char *
answer_text (guint       status,
             const char *number,
             gsize      *len)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  JsonObject *object;

  if (number == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  array = json_array_new ();
  object = json_object_new ();
  json_object_set_string_member (object, "service_request_id", number);
  json_object_set_null_member (object, "service_notice");
  json_object_set_null_member (object, "account_id");
  json_array_add_object_element (array, object);
  json_node_take_array (node, array);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, len);
}

static void
handle_post_request (CdServer          *self,
                     SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *request_hash = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bad_field = NULL;
  const char *api_key;
  gint64 now, head;
  guint status;
  gsize len = 0;

  if ((gint64) g_bytes_get_size (body) > self->config->max_body)
    {
      g_autofree char *description = g_strdup_printf (_("The request body is larger than %" PRId64
                                                         " bytes."),
                                                      self->config->max_body);

      send_error_list (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, description);
      return;
    }
  if ((fields = read_post_fields (msg, body, &bad_field, &error)) == NULL)
    {
      send_error_list (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }

  api_key = field (fields, "api_key");
  if (!cd_store_check_api_key (self->store, api_key, &error))
    {
      if (!g_error_matches (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY))
        {
          send_store_error (msg, error);
          return;
        }
      send_error_list (msg, SOUP_STATUS_FORBIDDEN,
                       api_key == NULL ? _("api_key was not provided.")
                                       : _("api_key is not valid."));
      return;
    }

  /* Keys belong to the api key that used them; the key itself is not kept. */
  if (key != NULL)
    {
      g_autoptr(CdIdempotentAnswer) first = NULL;
      g_autofree char *key_hash = cd_store_sha256_hex (api_key, strlen (api_key));
      gconstpointer data = g_bytes_get_data (body, &len);
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

      if (!valid_idempotency_key (key))
        {
          send_error_list (msg, SOUP_STATUS_BAD_REQUEST,
                           _("Idempotency-Key must be 1 to 128 printable ASCII characters."));
          return;
        }
      scope = g_strconcat ("open311:", key_hash, NULL);
      g_checksum_update (checksum, (const guchar *) "POST " PREFIX "/requests\n", -1);
      g_checksum_update (checksum, data, len);
      request_hash = g_strdup (g_checksum_get_string (checksum));

      first = cd_store_find_idempotent_answer (self->store, scope, key, &error);
      if (first != NULL)
        {
          if (!g_str_equal (first->request_hash, request_hash))
            {
              send_error_list (
                  msg, SOUP_STATUS_CONFLICT,
                  _("This Idempotency-Key was already used with a different request."));
              return;
            }
          send_stored (msg, first->status, first->response);
          return;
        }
      if (!g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
        goto failed;
      g_clear_error (&error);
    }

  if ((payload = registration_from_fields (fields, &status, &error)) == NULL)
    {
      send_error_list (msg, status, error->message);
      return;
    }

  /* The ticket, its routing and the idempotency key commit together or
   * not at all. */
  now = cd_server_now (self);
  if (!cd_store_begin (self->store, &error))
    goto failed;
  if ((head = cd_store_get_last_seq (self->store, &error)) < 0 ||
      (ticket = cd_store_register (self->store, payload, "open311", "operator", now, &error)) ==
          NULL)
    {
      cd_store_rollback (self->store);
      if (error->domain == CD_DISPATCH_ERROR)
        {
          send_error_list (msg, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }
      goto failed;
    }

  text = answer_text (SOUP_STATUS_CREATED, ticket->number, &len);
  if (key != NULL)
    {
      CdIdempotentAnswer answer = {
        .request_hash = request_hash,
        .status = SOUP_STATUS_CREATED,
        .response = text,
        .first_seq = head + 1,
        .last_seq = ticket->last_seq,
      };

      if (!cd_store_save_idempotent_answer (self->store, scope, key, &answer, now, &error))
        {
          cd_store_rollback (self->store);
          goto failed;
        }
    }
  if (!cd_store_commit (self->store, &error))
    goto failed;

  cd_server_notify_committed (self);
  send_stored (msg, SOUP_STATUS_CREATED, text);
  return;

failed:
  send_store_error (msg, error);
}

/* Routing {{{1 */

/* "requests/2026-000123.json" -> "2026-000123"; NULL when the name ends
 * in neither .json nor .xml. */
static char *
strip_format (const char *name,
              gboolean   *xml)
{
  const char *suffix = NULL;

  *xml = g_str_has_suffix (name, ".xml");
  if (*xml)
    suffix = ".xml";
  else if (g_str_has_suffix (name, ".json"))
    suffix = ".json";
  if (suffix == NULL)
    return NULL;
  return g_strndup (name, strlen (name) - strlen (suffix));
}

static void
handle_open311 (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CdServer *self = user_data;
  const char *rest = path + strlen (PREFIX);
  g_autofree char *resource = NULL;
  gboolean xml = FALSE;

  if (*rest == '/')
    rest++;
  resource = strip_format (rest, &xml);
  if (xml)
    g_object_set_data (G_OBJECT (msg), xml_key, GINT_TO_POINTER (TRUE));
  if (resource == NULL)
    {
      g_autofree char *description =
          g_strdup_printf (_("No such Open311 resource (ask for .json or .xml): %s"), path);

      send_error_list (msg, SOUP_STATUS_NOT_FOUND, description);
      return;
    }

  if (g_str_equal (resource, "discovery"))
    handle_discovery (self, msg);
  else if (g_str_equal (resource, "services"))
    handle_services (self, msg);
  else if (g_str_has_prefix (resource, "services/") &&
           strchr (resource + strlen ("services/"), '/') == NULL)
    handle_service_definition (self, msg, resource + strlen ("services/"));
  else if (g_str_equal (resource, "requests"))
    {
      if (g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
        handle_post_request (self, msg);
      else if (check_method (msg, SOUP_METHOD_GET) && take_list_turn (self, msg))
        handle_get_requests (self, msg, query);
    }
  else if (g_str_has_prefix (resource, "requests/") &&
           strchr (resource + strlen ("requests/"), '/') == NULL &&
           resource[strlen ("requests/")] != '\0')
    handle_get_request (self, msg, query, resource + strlen ("requests/"));
  else
    {
      g_autofree char *description = g_strdup_printf (_("No such Open311 resource: %s"), path);

      send_error_list (msg, SOUP_STATUS_NOT_FOUND, description);
    }
}

/**
 * cd_server_open311_install:
 * @self: the server
 *
 * Adds the Open311 GeoReport v2 resources under /open311/v2/.
 */
void
cd_server_open311_install (CdServer *self)
{
  g_return_if_fail (CD_IS_SERVER (self));

  self->open311 = g_new0 (CdServerOpen311, 1);
  g_queue_init (&self->open311->waiting);
  self->open311->readers = g_async_queue_new_full (g_object_unref);
  self->open311->context = g_main_context_ref_thread_default ();
  self->open311->pool = g_thread_pool_new (build_page, self->open311, OPEN311_WORKERS, TRUE, NULL);
  self->open311->list_limit = cd_rate_limit_new ((double) self->config->open311_list_rate,
                                                 (double)
                                                     self->config->open311_list_rate_per_address,
                                                 MAX_RATE_KEYS);
  soup_server_add_handler (self->soup, PREFIX, handle_open311, self, NULL);
}
