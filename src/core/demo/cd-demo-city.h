// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-city.h: a deterministic demo city and a year of its tickets
 *
 * A pure model: the same options give the same city and the same stream
 * of dispatch actions, byte for byte, on every machine. No I/O: the caller
 * gets each action, in time order, through a callback and writes it where
 * it likes (citydeskctl demo generate writes it to a store).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_DEMO_CITY_ERROR (cd_demo_city_error_quark ())

/**
 * CdDemoCityError:
 * @CD_DEMO_CITY_ERROR_INVALID: an option is out of range
 */
typedef enum
{
  CD_DEMO_CITY_ERROR_INVALID,
} CdDemoCityError;

/**
 * CdDemoDueFunc:
 * @kind: the ticket's kind
 * @category: its category
 * @channel: its channel
 * @arrival: when it is registered
 * @user_data: the options' due_data
 *
 * The deadline of the ticket's resolution under the SLA policy that
 * applies to it, so that the model aims its on-time share at the deadline
 * the engine will judge; the caller evaluates the policy (the model does
 * no I/O and loads no policy).
 *
 * Returns: Unix seconds, or 0 when no policy sets one (the model keeps
 *   its own deadline)
 */
typedef gint64 (*CdDemoDueFunc) (const char *kind,
                                 const char *category,
                                 const char *channel,
                                 gint64      arrival,
                                 gpointer    user_data);

typedef struct
{
  guint64 seed;
  guint   days;
  guint   tickets_per_day;
  /* Unix seconds, the exclusive end of the generated period; the first
   * day starts @days days before it. Midnight in the city is best. */
  gint64  end;
  /* (nullable): the engine's resolution deadlines */
  CdDemoDueFunc due_func;
  gpointer      due_data;
} CdDemoOptions;

typedef struct
{
  const char *id;
  const char *name;
  /* Multiplies every duration of the executor's work: above 1 is slow. */
  double      speed;
  /* The share of its tickets that "die": no event after a point. */
  double      die_rate;
  /* The share of its resolved tickets the resident says are not fixed. */
  double      reopen_rate;
  /* The share of its tickets it resolves within the deadline. */
  double      on_time_rate;
} CdDemoExecutor;

typedef struct
{
  char       *login;
  char       *name;
  const char *role;
  /* An index into the executors, or -1 for the contact center's staff. */
  int         executor;
} CdDemoUser;

typedef struct
{
  const char *name;
  double      lat;
  double      lon;
} CdDemoDistrict;

typedef struct
{
  char  *name;
  guint  district;
} CdDemoStreet;

typedef struct
{
  guint  street;
  char  *number;
  guint  n_flats;
  double lat;
  double lon;
} CdDemoBuilding;

#define CD_DEMO_MAX_STEPS 32

typedef struct
{
  gint64      time;
  /* An action of the dispatch transition table ("register", "assign"…). */
  const char *action;
  /* An index into the users; the step's role is that user's role. */
  guint       user;
  /* For assign: the executor; otherwise -1. */
  int         executor;
  /* For link: the relation ("repeat_of", or "about" for a complaint about
   * a ticket, the ticket's about); otherwise %NULL. */
  const char *relation;
  /* The note the action needs, or %NULL. */
  const char *note;
  /* For callback: the outcome ("confirmed"…), the attempt from 1, whether
   * it is the feedback policy's last, and the rating (0: none);
   * otherwise %NULL and 0. */
  const char *outcome;
  guint       attempt;
  gboolean    last;
  guint       rating;
  /* A complaint's classify: the class, the person responsible and the
   * systemic cause (or %NULL); its answer: the decision, in whose favour
   * and a refusal's reasons (docs/complaints.md); otherwise %NULL. */
  const char *klass;
  const char *responsible;
  const char *cause;
  const char *decision;
  const char *favour;
  const char *reasons;
  /* A refusal's notice of the resident's right to appeal, or %NULL. */
  const char *appeal;
  /* For extend: the clock's target and the days granted; otherwise %NULL
   * and 0. */
  const char *target;
  guint       days;
} CdDemoStep;

typedef struct
{
  /* The order of registration over the whole run, from 0. */
  guint64     serial;
  char        id[37];
  char        number[16];
  const char *kind;
  const char *category;
  const char *channel;
  guint       building;
  guint       flat;
  char        resident_name[64];
  char        resident_phone[24];
  const char *description;
  guint       executor;
  /* The number of the ticket this one repeats, or "". */
  char        repeat_of[16];
  /* A complaint: the number of the ticket it is about, or "". A complaint
   * about a call is told by its description
   * (cd_demo_complaint_is_about_call()): the call is the PBX model's, so the
   * store links it once the calls are written. */
  char        about[16];
  /* The mass incident the ticket belongs to, from 1, or 0. */
  guint       incident;
  /* The planned deadline of the first resolution (Unix seconds): the SLA
   * engine's, through the options' due_func, or the model's own notion;
   * used to aim at the on-time share. */
  gint64      due;

  guint       n_steps;
  CdDemoStep  steps[CD_DEMO_MAX_STEPS];
} CdDemoTicket;

typedef struct _CdDemoCity CdDemoCity;

/**
 * CdDemoStepFunc:
 * @city: the city
 * @ticket: the ticket the step belongs to; valid until its last step
 * @step: the step, one of @ticket's
 * @user_data: the data given to cd_demo_city_generate()
 * @error: where to report a failure, which stops the generation
 *
 * Returns: %FALSE to stop, with @error set
 */
typedef gboolean (*CdDemoStepFunc) (CdDemoCity          *city,
                                    const CdDemoTicket  *ticket,
                                    const CdDemoStep    *step,
                                    gpointer             user_data,
                                    GError             **error);

GQuark                cd_demo_city_error_quark    (void);
void                  cd_demo_options_init        (CdDemoOptions        *options);
CdDemoCity           *cd_demo_city_new            (const CdDemoOptions  *options,
                                                   GError              **error);
void                  cd_demo_city_free           (CdDemoCity           *self);
const CdDemoDistrict *cd_demo_city_get_districts  (CdDemoCity           *self,
                                                   guint                *n_districts);
const CdDemoStreet   *cd_demo_city_get_streets    (CdDemoCity           *self,
                                                   guint                *n_streets);
const CdDemoBuilding *cd_demo_city_get_buildings  (CdDemoCity           *self,
                                                   guint                *n_buildings);
const CdDemoExecutor *cd_demo_city_get_executors  (CdDemoCity           *self,
                                                   guint                *n_executors);
const CdDemoUser     *cd_demo_city_get_users      (CdDemoCity           *self,
                                                   guint                *n_users);
gint64                cd_demo_city_get_start      (CdDemoCity           *self);
gint64                cd_demo_city_get_end        (CdDemoCity           *self);
gboolean              cd_demo_city_generate       (CdDemoCity           *self,
                                                   CdDemoStepFunc        func,
                                                   gpointer              user_data,
                                                   GError              **error);

gboolean              cd_demo_step_reopens        (const CdDemoStep     *step);
gboolean              cd_demo_complaint_is_about_call (const char       *description);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdDemoCity, cd_demo_city_free)

G_END_DECLS
