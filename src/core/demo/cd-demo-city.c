// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-city.c: a deterministic demo city and a year of its tickets
 *
 * The shape follows DOMAIN.md: about 70% housing and utilities, 10%
 * transport, street trade third; a winter morning peak (06-08) and summer
 * late-morning (10-12) and evening (16-19) peaks; quieter weekends; mostly
 * phone calls; executors that differ in speed and honesty; repeats at one
 * building; floods after summer rain and heating outages in winter; about
 * 80% resolved within the deadline; a feedback callback before closing.
 *
 * Every random draw comes from one xoshiro256** stream seeded by
 * splitmix64, so the output depends on the options alone. The city's clock
 * is Minsk's: UTC+3 all year round.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-demo-city.h"
#include "cd-ticket.h"

G_DEFINE_QUARK (cd-demo-city-error-quark, cd_demo_city_error)

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define CITY_UTC_OFFSET (3 * HOUR)
#define REPEAT_RING 8192

/* Random numbers */

typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed)
{
  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
static double
rng_double (Rng *rng)
{
  return (rng_next (rng) >> 11) * 0x1.0p-53;
}

static guint
rng_int (Rng   *rng,
         guint  n)
{
  return (guint) (rng_double (rng) * n);
}

static double
rng_range (Rng    *rng,
           double  lo,
           double  hi)
{
  return lo + (hi - lo) * rng_double (rng);
}

static gboolean
rng_chance (Rng    *rng,
            double  p)
{
  return rng_double (rng) < p;
}

static double
rng_normal (Rng *rng)
{
  double u = 1.0 - rng_double (rng);
  double v = rng_double (rng);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* A log-normal duration around @median seconds. */
static gint64
rng_lognormal (Rng    *rng,
               double  median,
               double  sigma)
{
  return (gint64) (median * exp (sigma * rng_normal (rng)));
}

static guint
rng_weighted (Rng          *rng,
              const double *weights,
              guint         n)
{
  double total = 0, x;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = rng_double (rng) * total;
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

/* The city's reference data */

static const CdDemoDistrict districts[] = {
  { "Tsentralny", 53.904, 27.555 },
  { "Sovetsky", 53.925, 27.590 },
  { "Pervomaisky", 53.935, 27.650 },
  { "Partizansky", 53.885, 27.620 },
  { "Zavodskoy", 53.860, 27.660 },
  { "Leninsky", 53.865, 27.590 },
  { "Oktyabrsky", 53.860, 27.530 },
  { "Frunzensky", 53.910, 27.480 },
};

/* Streets are named after people, places and trades, in the Latin
 * transliteration of their Russian names: "ul." a street, "pr." an avenue,
 * "per." a lane. */
static const char * const street_names[] = {
  "pr. Nezavisimosti", "pr. Pobeditelei", "pr. Partizansky", "pr. Dzerzhinskogo",
  "pr. Rokossovskogo", "pr. Mira", "ul. Surganova", "ul. Kalinovskogo",
  "ul. Bogdanovicha", "ul. Kuprevicha", "ul. Yakuba Kolasa", "ul. Yanki Kupaly",
  "ul. Platonova", "ul. Gikalo", "ul. Kozlova", "ul. Odintsova",
  "ul. Rumyantseva", "ul. Kiseleva", "ul. Varvasheni", "ul. Tolstogo",
  "ul. Pushkina", "ul. Lermontova", "ul. Gorkogo", "ul. Chkalova",
  "ul. Gagarina", "ul. Korolyova", "ul. Mayakovskogo", "ul. Shevchenko",
  "ul. Lesi Ukrainki", "ul. Frantsiska Skoriny", "ul. Sharangovicha", "ul. Golubeva",
  "ul. Esenina", "ul. Masherova", "ul. Akademika Kuprevicha", "ul. Marshala Zhukova",
  "ul. Brestskaya", "ul. Grodnenskaya", "ul. Mogilevskaya", "ul. Vitebskaya",
  "ul. Gomelskaya", "ul. Polotskaya", "ul. Pinskaya", "ul. Slutskaya",
  "ul. Borisovskaya", "ul. Nesvizhskaya", "ul. Kievskaya", "ul. Rizhskaya",
  "ul. Volgogradskaya", "ul. Tashkentskaya", "ul. Odesskaya", "ul. Kaunasskaya",
  "Logoisky trakt", "Dolginovsky trakt", "ul. Kuznechnaya", "ul. Sadovaya",
  "ul. Kirpichnaya", "ul. Stroitelei", "ul. Tkatskaya", "ul. Goncharnaya",
  "ul. Zheleznodorozhnaya", "ul. Rabochaya", "ul. Melnichnaya", "ul. Kozhevennaya",
  "ul. Stolyarnaya", "ul. Pekarskaya", "ul. Shakhterov", "ul. Metallistov",
  "ul. Traktorostroitelei", "ul. Energetikov", "ul. Khimikov", "ul. Pochtovaya",
  "per. Kuznechny", "per. Sadovy", "per. Melnichny", "per. Gonchary",
  "ul. Lesnaya", "ul. Rechnaya", "ul. Ozernaya", "ul. Vishnevaya",
};

/* speed, die rate, reopen rate, on-time rate */
static const CdDemoExecutor executors[] = {
  { "zhes-1", "ZhES-1", 0.8, 0.005, 0.03, 0.90 },
  { "zhes-2", "ZhES-2", 1.0, 0.010, 0.05, 0.84 },
  { "zhes-3", "ZhES-3", 1.6, 0.060, 0.08, 0.66 },
  { "zhes-4", "ZhES-4", 1.1, 0.015, 0.16, 0.80 },
  { "zhes-5", "ZhES-5", 0.9, 0.010, 0.04, 0.87 },
  { "vodokanal", "Vodokanal", 0.9, 0.005, 0.04, 0.88 },
  { "heating", "Heating network", 1.0, 0.010, 0.06, 0.84 },
  { "power", "City power grid", 0.7, 0.003, 0.03, 0.92 },
  { "lifts", "Lift service", 1.2, 0.030, 0.11, 0.78 },
  { "lighting", "City lighting", 1.3, 0.040, 0.03, 0.76 },
  { "roads", "Road department", 2.0, 0.050, 0.05, 0.64 },
  { "transport", "Transport department", 1.0, 0.020, 0.02, 0.85 },
  { "trade", "Trade inspection", 1.5, 0.030, 0.02, 0.80 },
  { "parking", "Parking service", 1.2, 0.020, 0.02, 0.82 },
  { "order", "Public order service", 1.0, 0.010, 0.02, 0.86 },
  { "masterservice", "Master-Service LLC", 0.6, 0.002, 0.02, 0.95 },
};

enum
{
  EX_ZHES = 0,
  EX_VODOKANAL = 5,
  EX_HEATING,
  EX_POWER,
  EX_LIFTS,
  EX_LIGHTING,
  EX_ROADS,
  EX_TRANSPORT,
  EX_TRADE,
  EX_PARKING,
  EX_ORDER,
  EX_CONTRACTOR,
};

#define N_ZHES 5

typedef struct
{
  const char *id;
  /* Per mille of all tickets over a year. */
  double      weight;
  /* Multiplies the weight in deep winter; summer gets its inverse share. */
  double      winter;
  double      emergency;
  gboolean    in_flat;
  /* The deadline of a routine ticket, in hours. */
  double      due_hours;
  const char *descriptions[3];
} Category;

static const Category categories[] = {
  { "housing.heating", 100, 1.9, 0.25, TRUE, 72,
    { "No heating in the flat", "Radiators cold in the stairwell",
      "Heating pipe leaking in the basement" } },
  { "housing.hot_water", 110, 0.8, 0.20, TRUE, 72,
    { "No hot water", "Hot water barely warm", "Hot water riser leaking" } },
  { "housing.cold_water", 80, 1.0, 0.25, TRUE, 72,
    { "No cold water", "Low water pressure", "Water leaking from the ceiling" } },
  { "housing.sewerage", 90, 1.0, 0.30, TRUE, 72,
    { "Blocked sewer in the stairwell", "Sewage in the basement", "Toilet drain blocked" } },
  { "housing.power", 70, 1.2, 0.25, TRUE, 72,
    { "No power in the flat", "Sparking switchboard on the landing", "Stairwell lights out" } },
  { "housing.lifts", 90, 1.0, 0.15, FALSE, 24,
    { "Lift stopped between floors", "Lift doors do not close", "Lift button panel broken" } },
  { "housing.roofs", 60, 0.9, 0.00, TRUE, 168,
    { "Roof leaking into the top floor flat", "Icicles hanging over the entrance",
      "Gutter torn off" } },
  { "housing.yards", 100, 1.0, 0.00, FALSE, 168,
    { "Snow not cleared in the yard", "Rubbish bins overflowing",
      "Broken bench on the playground" } },
  { "transport", 100, 1.0, 0.00, FALSE, 240,
    { "Bus did not stop at the stop", "Rude conductor on the trolleybus",
      "Tram timetable not kept" } },
  { "street_trade", 60, 0.8, 0.00, FALSE, 240,
    { "Kiosk trading without a licence", "Kiosk blocking the pavement",
      "Expired goods on sale at the market stall" } },
  { "roads", 45, 1.1, 0.00, FALSE, 240,
    { "Pothole on the carriageway", "Street lights out along the road",
      "Traffic light not working" } },
  { "parking", 35, 1.0, 0.00, FALSE, 120,
    { "Car parked on the lawn", "Abandoned car in the yard",
      "Barrier blocking the fire passage" } },
  { "noise", 30, 0.8, 0.00, TRUE, 24,
    { "Loud repairs after 23:00", "Music from the cafe at night",
      "Neighbours' dog barking all night" } },
  { "other", 30, 1.0, 0.00, FALSE, 240,
    { "Stray dogs in the yard", "Graffiti on the facade", "Question about the heating bill" } },
};

#define CAT_HEATING 0
#define CAT_HOT_WATER 1
#define CAT_COLD_WATER 2
#define CAT_SEWERAGE 3
#define CAT_POWER 4
#define CAT_ROOFS 6
#define CAT_YARDS 7
#define CAT_ROADS 10
#define N_HOUSING 8

static const struct
{
  const char *id;
  double      weight;
} channels[] = {
  { "phone", 72 }, { "web", 8 }, { "account", 5 }, { "messenger", 4 },
  { "email", 3 }, { "social", 3 }, { "chat", 2 }, { "intercom", 1 },
  { "organization", 1 }, { "sms", 0.5 }, { "walk_in", 0.5 },
};

/* Relative arrivals per local hour on a working day. */
static const double winter_hours[24] = {
  1.0, 0.7, 0.5, 0.4, 0.5, 1.6, 6.6, 7.6, 6.2, 5.0, 4.6, 4.4,
  4.0, 4.0, 4.0, 4.1, 4.3, 4.5, 4.3, 3.7, 3.1, 2.6, 2.0, 1.4,
};
static const double summer_hours[24] = {
  1.0, 0.6, 0.4, 0.3, 0.3, 0.6, 1.4, 2.6, 3.8, 4.6, 6.8, 7.1,
  6.6, 4.4, 4.2, 4.4, 6.0, 6.5, 6.4, 5.8, 3.6, 4.1, 3.6, 1.8,
};

static const struct
{
  const char *male;
  const char *female;
} surnames[] = {
  { "Ivanov", "Ivanova" }, { "Petrov", "Petrova" }, { "Kovalev", "Kovaleva" },
  { "Novik", "Novik" }, { "Kozlov", "Kozlova" }, { "Marchenko", "Marchenko" },
  { "Savitsky", "Savitskaya" }, { "Zhuk", "Zhuk" }, { "Karpovich", "Karpovich" },
  { "Lukashevich", "Lukashevich" }, { "Moroz", "Moroz" }, { "Bondarenko", "Bondarenko" },
  { "Tkachuk", "Tkachuk" }, { "Melnik", "Melnik" }, { "Kravchenko", "Kravchenko" },
  { "Shevchuk", "Shevchuk" }, { "Romanov", "Romanova" }, { "Volkov", "Volkova" },
  { "Sokolov", "Sokolova" }, { "Lebedev", "Lebedeva" }, { "Yakovenko", "Yakovenko" },
  { "Abdrakhmanov", "Abdrakhmanova" }, { "Nurlanov", "Nurlanova" }, { "Sidorenko", "Sidorenko" },
};

static const char initials[] = "AVGDEIKLMNOPRSTY";

static const char * const phone_codes[] = { "17", "25", "29", "33", "44" };

/* Notes, in the words the staff would type. */
#define NOTE_NO_ACCESS "No access to the flat: the resident is away"
#define NOTE_REOPEN "Resident says the problem is not solved"
#define NOTE_NO_ANSWER "Callback: no answer"
#define NOTE_UNREACHABLE "Resident unreachable after three callback attempts"
#define NOTE_ESCALATE "No sign of life from the executor"
#define NOTE_REMIND \
  "Reminder: this ticket is past its deadline; please act on it or say what blocks it."
#define NOTE_CANCEL_DUP "Duplicate of a request already registered"
#define NOTE_CANCEL_WITHDRAWN "Withdrawn by the resident"
#define NOTE_PAID_REASSIGN "Housing office did not confirm within 1.5 hours"
#define NOTE_INCIDENT_FLOOD "Flooding after heavy rain"
#define NOTE_INCIDENT_HEATING "Heating outage: main pipe break"

/* Complaints (docs/complaints.md): what they say when they are about an
 * executor's work or about the contact center's call, the causes quality
 * control names for the systemic groups, the reasons of an extension or a
 * refusal, the answers sent and the systemic proposals. */
static const char * const complaint_about_work[] = {
  "The crew came and left without fixing anything",
  "The repair was done badly and the leak is back",
  "The crew was rude and left rubbish in the stairwell",
  "Nobody came although the request was closed as done",
};
static const char * const complaint_about_call[] = {
  "The operator was rude and hung up",
  "The operator gave wrong information about the outage",
  "The operator did not register my request",
};
static const char * const complaint_causes[] = {
  "Worn-out engineering networks",
  "Too few crews on the shift",
  "Poor workmanship of the contractor",
  "Work accepted without checking",
};
static const char * const complaint_call_causes[] = {
  "Operator scripts out of date",
  "Too few operators at the peak hour",
};
#define NOTE_COMPLAINT_APPEAL \
  "You may appeal against this decision to the city's housing board within one month."
#define NOTE_COMPLAINT_EXTEND "Needs an inspection of the building with the contractor"
#define NOTE_COMPLAINT_EXTEND_2 "Waiting for the heating network's answer"
static const char * const complaint_answers[] = {
  /* upheld, partly upheld, refused */
  "Your complaint is upheld: the work is redone and the crew's foreman reprimanded.",
  "Your complaint is partly upheld: the repair is scheduled; the rest was done as required.",
  "Your complaint is refused for the reasons given; you may appeal to the higher organization.",
};
static const char * const complaint_reasons[] = {
  "The work was done in time, the act is signed by the resident",
  "Not confirmed by the call recording",
  "Outside the housing office's responsibility: the building is on the capital repair plan",
};
static const char * const complaint_proposals[] = {
  "Replace the worn-out riser in the building within the quarter",
  "Check every repair at this address before closing it",
  "Add a crew to the evening shift in this district",
};

/* A mass incident of the model: its tickets arrive from one district (and
 * one street for a burst pipe) within a short time, many enough for the
 * store's detection (CD_STORE_MASS_INCIDENT_* in src/store/cd-store.h:
 * 5 in one street or 12 in one district within the hour) to see them. */
typedef enum
{
  INCIDENT_HEATING,
  INCIDENT_FLOOD,
  INCIDENT_BURST_PIPE,
  INCIDENT_POWER_OUTAGE,
} IncidentKind;

typedef struct
{
  IncidentKind kind;
  gint64       start;
  gint64       fixed;
  guint        district;
  /* The street of a burst pipe; -1 for a district-wide incident. */
  int          street;
  gboolean     flood;
  guint        n_tickets;
} Incident;

typedef struct
{
  guint   building;
  guint   category;
  gint64  time;
  char    number[16];
} Recent;

typedef struct
{
  gint64        time;
  guint64       serial;
  CdDemoTicket *ticket;
  guint         step;
} HeapEntry;

struct _CdDemoCity
{
  CdDemoOptions options;
  gint64        start;
  Rng           rng;

  GArray       *streets;
  GArray       *buildings;
  GArray       *users;
  double       *building_weights;

  guint         first_operator;
  guint         n_operators;
  guint         first_supervisor;
  guint         n_supervisors;
  guint         first_qc;
  guint         n_qc;
  guint         first_feedback;
  guint         n_feedback;
  guint         admin;
  guint         executor_users[G_N_ELEMENTS (executors)][2];

  GArray       *incidents;

  /* State of a generation run. */
  GArray       *heap;
  Recent        recent[REPEAT_RING];
  guint         n_recent;
  guint64       serial;
  int           year;
  guint         year_seq;
  /* Per building, when its last complaint came (0: none): a recurring
   * address leads to a systemic proposal. */
  gint64       *complaint_at;
};

void
cd_demo_options_init (CdDemoOptions *options)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 t = g_date_time_to_unix (now) + CITY_UTC_OFFSET;

  options->seed = 115;
  options->days = 365;
  options->tickets_per_day = 1100;
  options->due_func = NULL;
  options->due_data = NULL;
  /* The last midnight in the city. */
  options->end = t - t % DAY - CITY_UTC_OFFSET;
}

static void
add_user (CdDemoCity *self,
          const char *login,
          const char *role,
          int         executor)
{
  CdDemoUser user;
  guint s = rng_int (&self->rng, G_N_ELEMENTS (surnames));
  gboolean female = rng_chance (&self->rng, 0.6);

  user.login = g_strdup (login);
  user.name = g_strdup_printf ("%s %c. %c.",
                               female ? surnames[s].female : surnames[s].male,
                               initials[rng_int (&self->rng, sizeof initials - 1)],
                               initials[rng_int (&self->rng, sizeof initials - 1)]);
  user.role = role;
  user.executor = executor;
  g_array_append_val (self->users, user);
}

static void
build_city (CdDemoCity *self)
{
  static const guint floors[] = { 5, 5, 9, 9, 9, 12, 16 };
  char login[64];

  for (guint i = 0; i < G_N_ELEMENTS (street_names); i++)
    {
      CdDemoStreet street = { g_strdup (street_names[i]),
                              rng_int (&self->rng, G_N_ELEMENTS (districts)) };
      guint n_buildings = 6 + rng_int (&self->rng, 45);

      g_array_append_val (self->streets, street);
      for (guint b = 1; b <= n_buildings; b++)
        {
          CdDemoBuilding building;
          const CdDemoDistrict *d = &districts[street.district];
          guint number = b * 2 - (rng_chance (&self->rng, 0.5) ? 1 : 0);

          building.street = i;
          if (rng_chance (&self->rng, 0.12))
            building.number = g_strdup_printf ("%u/%u", number, 1 + rng_int (&self->rng, 3));
          else
            building.number = g_strdup_printf ("%u", number);
          building.n_flats = floors[rng_int (&self->rng, G_N_ELEMENTS (floors))] *
                             (1 + rng_int (&self->rng, 8)) * 4;
          building.lat = d->lat + rng_range (&self->rng, -0.015, 0.015);
          building.lon = d->lon + rng_range (&self->rng, -0.025, 0.025);
          g_array_append_val (self->buildings, building);
        }
    }

  self->building_weights = g_new (double, self->buildings->len);
  for (guint i = 0; i < self->buildings->len; i++)
    self->building_weights[i] = (i > 0 ? self->building_weights[i - 1] : 0) +
                                g_array_index (self->buildings, CdDemoBuilding, i).n_flats;

  /* Day shift up to 30 operators, night shift 8 (the first eight). */
  self->first_operator = self->users->len;
  self->n_operators = 30;
  for (guint i = 1; i <= self->n_operators; i++)
    {
      g_snprintf (login, sizeof login, "operator%02u", i);
      add_user (self, login, "operator", -1);
    }
  self->first_supervisor = self->users->len;
  self->n_supervisors = 4;
  for (guint i = 1; i <= self->n_supervisors; i++)
    {
      g_snprintf (login, sizeof login, "supervisor%u", i);
      add_user (self, login, "supervisor", -1);
    }
  self->first_qc = self->users->len;
  self->n_qc = 3;
  for (guint i = 1; i <= self->n_qc; i++)
    {
      g_snprintf (login, sizeof login, "qc%u", i);
      add_user (self, login, "qc", -1);
    }
  self->first_feedback = self->users->len;
  self->n_feedback = 8;
  for (guint i = 1; i <= self->n_feedback; i++)
    {
      g_snprintf (login, sizeof login, "feedback%u", i);
      add_user (self, login, "feedback", -1);
    }
  self->admin = self->users->len;
  add_user (self, "admin", "admin", -1);
  for (guint e = 0; e < G_N_ELEMENTS (executors); e++)
    for (guint k = 0; k < 2; k++)
      {
        g_snprintf (login, sizeof login, "%s.dispatcher%u", executors[e].id, k + 1);
        self->executor_users[e][k] = self->users->len;
        add_user (self, login, "executor", e);
      }
}

static int
local_month (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t + CITY_UTC_OFFSET);

  return g_date_time_get_month (dt);
}

/* The everyday bursts, whatever the season: a water main bursts under a
 * street (its residents call within the hour), or a substation fails and
 * a district loses power. One every few days, the first on the second
 * day, so that even a demo of a few days has one to see. They draw from a
 * stream of their own, so that the rest of the city stays as it was. */
static void
plan_bursts (CdDemoCity *self)
{
  Rng rng;
  guint d = MIN (1, self->options.days - 1);
  gboolean pipe = TRUE;

  rng_init (&rng, self->options.seed ^ G_GUINT64_CONSTANT (0x6275727374));
  while (d < self->options.days)
    {
      gint64 day = self->start + (gint64) d * DAY;
      Incident inc = { 0 };

      inc.start = day + (gint64) rng_range (&rng, 7, 20) * HOUR;
      if (pipe)
        {
          const CdDemoStreet *street;

          inc.kind = INCIDENT_BURST_PIPE;
          inc.street = rng_int (&rng, self->streets->len);
          street = &g_array_index (self->streets, CdDemoStreet, inc.street);
          inc.district = street->district;
          inc.fixed = inc.start + (gint64) rng_range (&rng, 5, 14) * HOUR;
          inc.n_tickets = 8 + rng_int (&rng, 12);
        }
      else
        {
          inc.kind = INCIDENT_POWER_OUTAGE;
          inc.street = -1;
          inc.district = rng_int (&rng, G_N_ELEMENTS (districts));
          inc.fixed = inc.start + (gint64) rng_range (&rng, 2, 8) * HOUR;
          inc.n_tickets = (40 + rng_int (&rng, 60)) * self->options.tickets_per_day / 1100;
          inc.n_tickets = MAX (20, inc.n_tickets);
        }
      g_array_append_val (self->incidents, inc);
      pipe = !pipe;
      d += 2 + rng_int (&rng, 4);
    }
}

static void
plan_incidents (CdDemoCity *self)
{
  for (guint d = 0; d < self->options.days; d++)
    {
      gint64 day = self->start + (gint64) d * DAY;
      int month = local_month (day);
      Incident inc = { 0 };

      if (month >= 6 && month <= 8 && rng_chance (&self->rng, 3.0 / 92))
        {
          inc.kind = INCIDENT_FLOOD;
          inc.flood = TRUE;
          inc.start = day + (gint64) rng_range (&self->rng, 13, 20) * HOUR;
          inc.fixed = inc.start + (gint64) rng_range (&self->rng, 18, 60) * HOUR;
          inc.n_tickets = 80 + rng_int (&self->rng, 180);
        }
      else if ((month == 12 || month <= 2) && rng_chance (&self->rng, 2.0 / 90))
        {
          inc.kind = INCIDENT_HEATING;
          inc.start = day + (gint64) rng_range (&self->rng, 4, 8) * HOUR;
          inc.fixed = inc.start + (gint64) rng_range (&self->rng, 6, 20) * HOUR;
          inc.n_tickets = 150 + rng_int (&self->rng, 250);
        }
      else
        continue;

      inc.district = rng_int (&self->rng, G_N_ELEMENTS (districts));
      inc.street = -1;
      inc.n_tickets = MAX (1, inc.n_tickets * self->options.tickets_per_day / 1100);
      g_array_append_val (self->incidents, inc);
    }
  plan_bursts (self);
}

CdDemoCity *
cd_demo_city_new (const CdDemoOptions  *options,
                  GError              **error)
{
  CdDemoCity *self;

  g_return_val_if_fail (options != NULL, NULL);

  if (options->days == 0 || options->days > 3660)
    {
      g_set_error (error, CD_DEMO_CITY_ERROR, CD_DEMO_CITY_ERROR_INVALID,
                   "The demo city covers 1 to 3660 days, not %u.", options->days);
      return NULL;
    }
  if (options->tickets_per_day == 0 || options->tickets_per_day > 100000)
    {
      g_set_error (error, CD_DEMO_CITY_ERROR, CD_DEMO_CITY_ERROR_INVALID,
                   "The demo city gets 1 to 100000 tickets a day, not %u.",
                   options->tickets_per_day);
      return NULL;
    }

  self = g_new0 (CdDemoCity, 1);
  self->options = *options;
  self->start = options->end - (gint64) options->days * DAY;
  rng_init (&self->rng, options->seed);
  self->streets = g_array_new (FALSE, FALSE, sizeof (CdDemoStreet));
  self->buildings = g_array_new (FALSE, FALSE, sizeof (CdDemoBuilding));
  self->users = g_array_new (FALSE, FALSE, sizeof (CdDemoUser));
  self->incidents = g_array_new (FALSE, FALSE, sizeof (Incident));
  self->heap = g_array_new (FALSE, FALSE, sizeof (HeapEntry));

  build_city (self);
  plan_incidents (self);
  self->complaint_at = g_new0 (gint64, self->buildings->len);

  return self;
}

static void
free_heap (CdDemoCity *self)
{
  for (guint i = 0; i < self->heap->len; i++)
    {
      HeapEntry *e = &g_array_index (self->heap, HeapEntry, i);

      g_free (e->ticket);
    }
  g_array_set_size (self->heap, 0);
}

void
cd_demo_city_free (CdDemoCity *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->streets->len; i++)
    g_free (g_array_index (self->streets, CdDemoStreet, i).name);
  for (guint i = 0; i < self->buildings->len; i++)
    g_free (g_array_index (self->buildings, CdDemoBuilding, i).number);
  for (guint i = 0; i < self->users->len; i++)
    {
      g_free (g_array_index (self->users, CdDemoUser, i).login);
      g_free (g_array_index (self->users, CdDemoUser, i).name);
    }
  free_heap (self);
  g_array_unref (self->heap);
  g_array_unref (self->streets);
  g_array_unref (self->buildings);
  g_array_unref (self->users);
  g_array_unref (self->incidents);
  g_free (self->building_weights);
  g_free (self->complaint_at);
  g_free (self);
}

const CdDemoDistrict *
cd_demo_city_get_districts (CdDemoCity *self,
                            guint      *n_districts)
{
  *n_districts = G_N_ELEMENTS (districts);
  return districts;
}

const CdDemoStreet *
cd_demo_city_get_streets (CdDemoCity *self,
                          guint      *n_streets)
{
  *n_streets = self->streets->len;
  return (const CdDemoStreet *) self->streets->data;
}

const CdDemoBuilding *
cd_demo_city_get_buildings (CdDemoCity *self,
                            guint      *n_buildings)
{
  *n_buildings = self->buildings->len;
  return (const CdDemoBuilding *) self->buildings->data;
}

const CdDemoExecutor *
cd_demo_city_get_executors (CdDemoCity *self,
                            guint      *n_executors)
{
  *n_executors = G_N_ELEMENTS (executors);
  return executors;
}

const CdDemoUser *
cd_demo_city_get_users (CdDemoCity *self,
                        guint      *n_users)
{
  *n_users = self->users->len;
  return (const CdDemoUser *) self->users->data;
}

gint64
cd_demo_city_get_start (CdDemoCity *self)
{
  return self->start;
}

gint64
cd_demo_city_get_end (CdDemoCity *self)
{
  return self->options.end;
}

/* The heap of pending steps, earliest first */

static gboolean
heap_less (const HeapEntry *a,
           const HeapEntry *b)
{
  if (a->time != b->time)
    return a->time < b->time;
  if (a->serial != b->serial)
    return a->serial < b->serial;
  return a->step < b->step;
}

static void
heap_push (GArray    *heap,
           HeapEntry *entry)
{
  HeapEntry *h;
  guint i;

  g_array_append_val (heap, *entry);
  h = (HeapEntry *) heap->data;
  i = heap->len - 1;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      HeapEntry tmp;

      if (!heap_less (&h[i], &h[parent]))
        break;
      tmp = h[i];
      h[i] = h[parent];
      h[parent] = tmp;
      i = parent;
    }
}

static void
heap_pop (GArray    *heap,
          HeapEntry *out)
{
  HeapEntry *h = (HeapEntry *) heap->data;
  guint n = heap->len - 1;
  guint i = 0;

  *out = h[0];
  h[0] = h[n];
  g_array_set_size (heap, n);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      HeapEntry tmp;

      if (l < n && heap_less (&h[l], &h[m]))
        m = l;
      if (r < n && heap_less (&h[r], &h[m]))
        m = r;
      if (m == i)
        break;
      tmp = h[i];
      h[i] = h[m];
      h[m] = tmp;
      i = m;
    }
}

/* Tickets */

static guint
pick_building (CdDemoCity *self,
               int         district)
{
  guint n = self->buildings->len;
  double x;
  guint lo = 0, hi = n - 1;

  if (district >= 0)
    {
      /* A few tries at a building in the district, then any. */
      for (guint tries = 0; tries < 64; tries++)
        {
          guint b = rng_int (&self->rng, n);
          const CdDemoBuilding *building = &g_array_index (self->buildings, CdDemoBuilding, b);

          if (g_array_index (self->streets, CdDemoStreet, building->street).district ==
              (guint) district)
            return b;
        }
    }

  x = rng_double (&self->rng) * self->building_weights[n - 1];
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (self->building_weights[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* A building of @street: a street's buildings lie together in the array. */
static guint
pick_building_on_street (CdDemoCity *self,
                         guint       street)
{
  guint first = G_MAXUINT, n = 0;

  for (guint b = 0; b < self->buildings->len; b++)
    if (g_array_index (self->buildings, CdDemoBuilding, b).street == street)
      {
        first = MIN (first, b);
        n++;
      }
  return first + rng_int (&self->rng, n);
}

static guint
route (CdDemoCity   *self,
       CdDemoTicket *t,
       guint         category)
{
  const CdDemoBuilding *b = &g_array_index (self->buildings, CdDemoBuilding, t->building);
  guint district = g_array_index (self->streets, CdDemoStreet, b->street).district;
  guint zhes = EX_ZHES + district % N_ZHES;

  switch (category)
    {
    case 0: case 1:
      return EX_HEATING;
    case 2: case 3:
      return t->flat != 0 ? zhes : EX_VODOKANAL;
    case 4:
      return rng_chance (&self->rng, 0.5) ? EX_POWER : zhes;
    case 5:
      return EX_LIFTS;
    case 6: case 7:
      return zhes;
    case 8:
      return EX_TRANSPORT;
    case 9:
      return EX_TRADE;
    case 10:
      return rng_chance (&self->rng, 0.3) ? EX_LIGHTING : EX_ROADS;
    case 11:
      return EX_PARKING;
    case 12:
      return EX_ORDER;
    default:
      return rng_chance (&self->rng, 0.4) ? EX_LIGHTING : zhes;
    }
}

static guint
operator_at (CdDemoCity *self,
             gint64      t)
{
  int hour = ((t + CITY_UTC_OFFSET) % DAY) / HOUR;
  gboolean night = hour >= 22 || hour < 8;

  return self->first_operator + rng_int (&self->rng, night ? 8 : self->n_operators);
}

static guint
executor_user (CdDemoCity *self,
               guint       executor)
{
  return self->executor_users[executor][rng_int (&self->rng, 2)];
}

static guint
pick (CdDemoCity *self,
      guint       first,
      guint       n)
{
  return first + rng_int (&self->rng, n);
}

/* The next moment between 09:00 and 20:00 in the city, at or after @t. */
static gint64
office_hours (CdDemoCity *self,
              gint64      t)
{
  gint64 local = t + CITY_UTC_OFFSET;
  gint64 sec = local % DAY;

  if (sec < 9 * HOUR)
    return t - sec + 9 * HOUR + rng_int (&self->rng, 2 * HOUR);
  if (sec >= 20 * HOUR)
    return t - sec + DAY + 9 * HOUR + rng_int (&self->rng, 2 * HOUR);
  return t;
}

static void
add_step (CdDemoTicket *t,
          gint64        time,
          const char   *action,
          guint         user,
          int           executor,
          const char   *note)
{
  CdDemoStep *s;

  g_assert (t->n_steps < CD_DEMO_MAX_STEPS);
  /* Each step strictly after the one before it. */
  if (t->n_steps > 0 && time <= t->steps[t->n_steps - 1].time)
    time = t->steps[t->n_steps - 1].time + 1 + (time & 7);
  s = &t->steps[t->n_steps++];
  s->time = time;
  s->action = action;
  s->user = user;
  s->executor = executor;
  s->relation = NULL;
  s->note = note;
  s->outcome = NULL;
  s->attempt = 0;
  s->last = FALSE;
  s->rating = 0;
  s->klass = NULL;
  s->responsible = NULL;
  s->cause = NULL;
  s->decision = NULL;
  s->favour = NULL;
  s->reasons = NULL;
  s->appeal = NULL;
  s->target = NULL;
  s->days = 0;
}

/* The executor's work from acceptance to resolution, between @from and
 * @resolve_at; with a pause for access to the flat now and then. */
static void
plan_work (CdDemoCity   *self,
           CdDemoTicket *t,
           gint64        from,
           gint64        resolve_at,
           gboolean      may_wait)
{
  gint64 span = MAX (resolve_at - from, 10 * MINUTE);
  guint who = executor_user (self, t->executor);
  double speed = executors[t->executor].speed;
  gboolean urgent = g_str_equal (t->kind, "emergency");
  /* The policies give half an hour to accept (and, in an emergency, to be
   * on site): a dispatcher takes a ticket within minutes, a slow one
   * later; the work itself fills the rest of the span. */
  gint64 accept = from +
                  MAX (60, (gint64) MIN (rng_lognormal (&self->rng, 7 * MINUTE * speed, 0.55),
                                         span * 0.3));
  gint64 start = urgent ? accept +
                              MAX (60, (gint64) rng_lognormal (&self->rng, 8 * MINUTE * speed, 0.5))
                        : accept + (gint64) (span * rng_range (&self->rng, 0.05, 0.4));

  resolve_at = MAX (resolve_at, start + 5 * MINUTE);

  add_step (t, accept, "accept", who, -1, NULL);
  add_step (t, start, "start", who, -1, NULL);
  if (may_wait && t->flat != 0 && rng_chance (&self->rng, 0.14))
    {
      gint64 wait = start + (resolve_at - start) / 4;
      gint64 resume = wait + (resolve_at - wait) / 2;

      add_step (t, wait, "wait", who, -1, NOTE_NO_ACCESS);
      add_step (t, resume, "resume", who, -1, NULL);
    }
  add_step (t, resolve_at, "resolve", who, -1, NULL);
}

/* A callback to the resident (docs/feedback.md): its attempt of the
 * policy's three, and a rating when the resident gives one; the rating
 * comes from the time rather than the generator, so that the rest of the
 * city stays as it was. */
static void
add_callback (CdDemoTicket *t,
              gint64        time,
              guint         user,
              const char   *outcome,
              guint         attempt,
              const char   *note)
{
  CdDemoStep *s;

  add_step (t, time, "callback", user, -1, note);
  s = &t->steps[t->n_steps - 1];
  s->outcome = outcome;
  s->attempt = attempt;
  s->last = attempt >= 3;
  if (g_str_equal (outcome, "confirmed"))
    s->rating = 3 + (guint) (s->time % 3);
  else if (g_str_equal (outcome, "not_fixed"))
    s->rating = 1 + (guint) (s->time % 2);
}

/**
 * cd_demo_step_reopens:
 * @step: a step
 *
 * Returns: whether @step reopens its ticket: a `reopen`, or a callback in
 *   which the resident says the work is not done
 */
gboolean
cd_demo_step_reopens (const CdDemoStep *step)
{
  return g_str_equal (step->action, "reopen") ||
         (g_str_equal (step->action, "callback") && step->outcome != NULL &&
          (g_str_equal (step->outcome, "not_fixed") ||
           g_str_equal (step->outcome, "partly_fixed")));
}

/* The feedback department's callback after a resolution: the calls of
 * the feedback policy's tasks, except for information requests, which
 * nobody calls back (they are closed). Returns whether the ticket was
 * reopened (the caller plans the work again). */
static gboolean
plan_callback (CdDemoCity   *self,
               CdDemoTicket *t,
               double        reopen_rate)
{
  gint64 resolved = t->steps[t->n_steps - 1].time;
  gint64 call = office_hours (self, resolved + HOUR + rng_lognormal (&self->rng, 5 * HOUR, 0.8));
  guint who = pick (self, self->first_feedback, self->n_feedback);
  double x = rng_double (&self->rng);

  if (!g_str_equal (t->kind, "information"))
    {
      if (x < reopen_rate)
        {
          add_callback (t, call, who, "not_fixed", 1, NOTE_REOPEN);
          return TRUE;
        }
      if (x < reopen_rate + 0.06)
        {
          gint64 second = office_hours (self, call + 3 * HOUR);
          gint64 third = office_hours (self, second + DAY);

          add_callback (t, call, who, "no_answer", 1, NULL);
          add_callback (t, second, who, "busy", 2, NULL);
          add_callback (t, third, who, "no_answer", 3, NOTE_UNREACHABLE);
          return FALSE;
        }
      if (x < reopen_rate + 0.15)
        {
          add_callback (t, call, who, "no_answer", 1, NULL);
          add_callback (t, office_hours (self, call + 3 * HOUR), who, "confirmed", 2, NULL);
          return FALSE;
        }
      add_callback (t, call, who, "confirmed", 1, NULL);
      return FALSE;
    }

  if (x < reopen_rate)
    {
      add_step (t, call, "reopen", who, -1, NOTE_REOPEN);
      return TRUE;
    }
  if (x < reopen_rate + 0.06)
    {
      gint64 second = office_hours (self, call + 3 * HOUR);
      gint64 third = office_hours (self, second + DAY);

      add_step (t, call, "comment", who, -1, NOTE_NO_ANSWER);
      add_step (t, second, "comment", who, -1, NOTE_NO_ANSWER);
      add_step (t, third, "close_unconfirmed", who, -1, NOTE_UNREACHABLE);
      return FALSE;
    }
  if (x < reopen_rate + 0.15)
    {
      add_step (t, call, "comment", who, -1, NOTE_NO_ANSWER);
      call = office_hours (self, call + 3 * HOUR);
    }
  add_step (t, call, "close", who, -1, NULL);
  return FALSE;
}

static void
remember (CdDemoCity   *self,
          CdDemoTicket *t,
          guint         category)
{
  Recent *r = &self->recent[self->n_recent++ % REPEAT_RING];

  r->building = t->building;
  r->category = category;
  r->time = t->steps[0].time;
  memcpy (r->number, t->number, sizeof r->number);
}

/**
 * cd_demo_complaint_is_about_call:
 * @description: a complaint's description
 *
 * Returns: whether the model's complaint is about the contact center's
 *   call, which the store links to a call of the PBX model when it writes
 *   the calls (cd_store_demo_add_calls())
 */
gboolean
cd_demo_complaint_is_about_call (const char *description)
{
  for (guint i = 0; i < G_N_ELEMENTS (complaint_about_call); i++)
    if (g_strcmp0 (description, complaint_about_call[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A complaint's life (docs/complaints.md): what it is about, classified by
 * quality control within the working day (A most, B some, C few) with the
 * person responsible, B sometimes extended once, answered within the nine
 * days (some late) as upheld, partly upheld or refused with reasons, a
 * systemic proposal at a recurring address, and closed. Steps past the
 * end of the period are left out, so the last days' complaints are open. */
static void
plan_complaint (CdDemoCity   *self,
                CdDemoTicket *t,
                gint64        arrival,
                guint         op)
{
  guint qc = pick (self, self->first_qc, self->n_qc);
  const CdDemoUser *responsible = &g_array_index (self->users, CdDemoUser, qc);
  double about = rng_double (&self->rng);
  const char *klass;
  double x;
  gint64 classify_at, answer_at, due = arrival + 9 * DAY;
  guint decision;
  gboolean recurring;
  CdDemoStep *step;

  /* About a recent ticket at the complainant's address (its executor), a
   * call of the contact center (its operator), or neither. */
  if (about < 0.45 && self->n_recent > 1)
    {
      guint n = MIN (self->n_recent - 1, REPEAT_RING - 1);
      const Recent *r =
          &self->recent[(self->n_recent - 2 - rng_int (&self->rng, MIN (n, 2000))) % REPEAT_RING];

      if (arrival - r->time < 30 * DAY && arrival > r->time)
        {
          const CdDemoBuilding *b;

          memcpy (t->about, r->number, sizeof t->about);
          t->building = r->building;
          t->category = categories[r->category].id;
          b = &g_array_index (self->buildings, CdDemoBuilding, t->building);
          t->flat = t->flat != 0 ? 1 + t->flat % b->n_flats : 0;
          t->description =
              complaint_about_work[rng_int (&self->rng, G_N_ELEMENTS (complaint_about_work))];
          add_step (t, arrival + 30 + rng_int (&self->rng, 90), "link", op, -1, NULL);
          t->steps[t->n_steps - 1].relation = "about";
        }
    }
  else if (about < 0.62)
    t->description =
        complaint_about_call[rng_int (&self->rng, G_N_ELEMENTS (complaint_about_call))];
  recurring = self->complaint_at[t->building] != 0 &&
              arrival - self->complaint_at[t->building] < 45 * DAY;
  self->complaint_at[t->building] = arrival;

  /* Classified within the working day, mostly in its first hours. */
  classify_at = office_hours (self, arrival + rng_lognormal (&self->rng, 90 * MINUTE, 0.8));
  if (rng_chance (&self->rng, 0.06))
    classify_at += DAY + rng_int (&self->rng, 2 * DAY);
  add_step (t, classify_at, "classify", qc, -1, NULL);
  step = &t->steps[t->n_steps - 1];
  x = rng_double (&self->rng);
  klass = step->klass = x < 0.68 ? "A" : x < 0.93 ? "B" : "C";
  step->responsible = responsible->name;
  if (cd_demo_complaint_is_about_call (t->description))
    step->cause =
        complaint_call_causes[rng_int (&self->rng, G_N_ELEMENTS (complaint_call_causes))];
  else if (t->about[0] != '\0' || recurring || rng_chance (&self->rng, 0.3))
    step->cause = complaint_causes[rng_int (&self->rng, G_N_ELEMENTS (complaint_causes))];

  /* B needs analysis: sometimes one extension, with its reason. */
  if (g_str_equal (klass, "B") && rng_chance (&self->rng, 0.3))
    {
      guint days = 3 + rng_int (&self->rng, 8);

      add_step (t, office_hours (self, classify_at + DAY + rng_int (&self->rng, 5 * DAY)),
                "extend", pick (self, self->first_supervisor, self->n_supervisors), -1,
                rng_chance (&self->rng, 0.5) ? NOTE_COMPLAINT_EXTEND : NOTE_COMPLAINT_EXTEND_2);
      step = &t->steps[t->n_steps - 1];
      step->target = "answer";
      step->days = days;
      due += days * DAY;
    }

  /* Answered within the term, a few late: A soon, C near the end. */
  x = rng_double (&self->rng);
  if (rng_chance (&self->rng, 0.9))
    {
      gint64 from = t->steps[t->n_steps - 1].time;
      double shape = g_str_equal (klass, "A") ? 1.8 : g_str_equal (klass, "B") ? 1.0 : 0.5;

      answer_at = from + (gint64) ((due - 4 * HOUR - from) * pow (x, shape));
    }
  else
    answer_at = due + HOUR + (gint64) (x * 4 * DAY);
  answer_at = office_hours (self, answer_at);
  decision = rng_weighted (&self->rng, (const double[]) { 0.45, 0.20, 0.35 }, 3);
  add_step (t, answer_at, "answer", qc, -1, complaint_answers[decision]);
  step = &t->steps[t->n_steps - 1];
  step->decision = (const char *[]) { "upheld", "partly_upheld", "refused" }[decision];
  step->favour = decision == 0 || (decision == 1 && rng_chance (&self->rng, 0.6))
                     ? "resident" : "organization";
  if (decision == 2)
    {
      step->reasons = complaint_reasons[rng_int (&self->rng, G_N_ELEMENTS (complaint_reasons))];
      step->appeal = NOTE_COMPLAINT_APPEAL;
    }

  /* A recurring address: a systemic proposal within the 20 days. */
  if (recurring && rng_chance (&self->rng, 0.3))
    add_step (t, office_hours (self, answer_at + rng_lognormal (&self->rng, 2 * DAY, 0.6)),
              "propose", qc, -1,
              complaint_proposals[rng_int (&self->rng, G_N_ELEMENTS (complaint_proposals))]);
  add_step (t, office_hours (self, t->steps[t->n_steps - 1].time +
                                       rng_lognormal (&self->rng, 2 * DAY, 0.7)),
            "close", pick (self, self->first_feedback, self->n_feedback), -1, NULL);
}

/* Time-ordered, as the store makes them (cd_ticket_format_id()). */
static void
format_uuid (CdDemoCity *self,
             gint64      arrival,
             char        out[37])
{
  guint64 a = rng_next (&self->rng);
  guint64 b = rng_next (&self->rng);

  cd_ticket_format_id (arrival * 1000 + (gint64) (a % 1000), a >> 10, b, out);
}

static CdDemoTicket *
make_ticket (CdDemoCity     *self,
             gint64          arrival,
             guint           category,
             const Incident *incident,
             guint           incident_index)
{
  CdDemoTicket *t = g_new0 (CdDemoTicket, 1);
  const Category *cat;
  const CdDemoExecutor *ex;
  const CdDemoBuilding *building;
  double channel_weights[G_N_ELEMENTS (channels)];
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_utc (arrival + CITY_UTC_OFFSET);
  int year = g_date_time_get_year (local);
  guint s = rng_int (&self->rng, G_N_ELEMENTS (surnames));
  gboolean emergency, complaint = FALSE, information = FALSE, paid = FALSE;
  gint64 due_span, resolve_span, assign_at;
  guint op = operator_at (self, arrival);
  guint reopens = 0;

  if (year != self->year)
    {
      self->year = year;
      self->year_seq = 0;
    }

  t->serial = self->serial++;
  format_uuid (self, arrival, t->id);
  g_snprintf (t->number, sizeof t->number, "%04d-%06u", year, ++self->year_seq);

  /* A repeat: the same building and category as a recent ticket. */
  if (incident == NULL && category < N_HOUSING && self->n_recent > 0 &&
      rng_chance (&self->rng, 0.07))
    {
      guint n = MIN (self->n_recent, REPEAT_RING);
      const Recent *r =
          &self->recent[(self->n_recent - 1 - rng_int (&self->rng, MIN (n, 2000))) % REPEAT_RING];

      if (arrival - r->time < 30 * DAY)
        {
          category = r->category;
          t->building = r->building;
          memcpy (t->repeat_of, r->number, sizeof t->repeat_of);
        }
    }
  if (t->repeat_of[0] == '\0' && incident != NULL && incident->street >= 0)
    t->building = pick_building_on_street (self, incident->street);
  else if (t->repeat_of[0] == '\0')
    t->building = pick_building (self, incident != NULL ? (int) incident->district : -1);

  cat = &categories[category];
  building = &g_array_index (self->buildings, CdDemoBuilding, t->building);
  t->category = cat->id;
  t->flat = cat->in_flat && rng_chance (&self->rng, 0.8)
                ? 1 + rng_int (&self->rng, building->n_flats)
                : 0;
  t->description = cat->descriptions[rng_int (&self->rng, 3)];
  g_snprintf (t->resident_name, sizeof t->resident_name, "%s %c. %c.",
              rng_chance (&self->rng, 0.6) ? surnames[s].female : surnames[s].male,
              initials[rng_int (&self->rng, sizeof initials - 1)],
              initials[rng_int (&self->rng, sizeof initials - 1)]);
  g_snprintf (t->resident_phone, sizeof t->resident_phone, "+375 %s %03u-%02u-%02u",
              phone_codes[rng_int (&self->rng, G_N_ELEMENTS (phone_codes))],
              100 + rng_int (&self->rng, 900), rng_int (&self->rng, 100),
              rng_int (&self->rng, 100));

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    channel_weights[i] = channels[i].weight;
  if (category != 5)
    channel_weights[7] = 0; /* lift intercoms only report lifts */
  t->channel = channels[rng_weighted (&self->rng, channel_weights, G_N_ELEMENTS (channels))].id;

  t->incident = incident != NULL ? incident_index + 1 : 0;
  emergency = incident != NULL ? !incident->flood || category != CAT_YARDS
                               : rng_chance (&self->rng, cat->emergency);
  if (!emergency && incident == NULL)
    {
      double x = rng_double (&self->rng);

      /* About 20,000 complaints a year at the default volume (DOMAIN.md). */
      complaint = x < 0.056;
      information = x >= 0.056 && x < 0.106;
      paid = x >= 0.106 && x < 0.146 && category < N_HOUSING;
    }
  t->kind = emergency     ? "emergency"
            : complaint   ? "complaint"
            : information ? "information"
            : paid        ? "paid"
                          : "routine";
  t->executor = route (self, t, category);
  ex = &executors[t->executor];

  add_step (t, arrival, "register", op, -1, NULL);
  if (t->repeat_of[0] != '\0')
    {
      add_step (t, arrival + 30 + rng_int (&self->rng, 90), "link", op, -1, NULL);
      t->steps[t->n_steps - 1].relation = "repeat_of";
    }
  if (incident == NULL)
    remember (self, t, category);

  /* Withdrawn, or a duplicate noticed by the operator. */
  if (incident == NULL && rng_chance (&self->rng, 0.015))
    {
      add_step (t, arrival + 2 * MINUTE + rng_int (&self->rng, 30 * MINUTE), "cancel",
                pick (self, self->first_supervisor, self->n_supervisors), -1,
                rng_chance (&self->rng, 0.5) ? NOTE_CANCEL_DUP : NOTE_CANCEL_WITHDRAWN);
      return t;
    }

  if (complaint)
    {
      plan_complaint (self, t, arrival, op);
      return t;
    }

  assign_at = arrival + (emergency ? 60 + rng_int (&self->rng, 3 * MINUTE)
                                   : MINUTE + rng_int (&self->rng, 7 * MINUTE));

  /* Paid work: the housing office has 1.5 hours to confirm, then a private
   * contractor gets it. */
  if (paid)
    {
      guint zhes = EX_ZHES + t->executor % N_ZHES;

      if (t->executor >= N_ZHES)
        t->executor = zhes;
      add_step (t, assign_at, "assign", op, t->executor, NULL);
      if (rng_chance (&self->rng, 0.35))
        {
          assign_at += 90 * MINUTE + rng_int (&self->rng, 20 * MINUTE);
          t->executor = EX_CONTRACTOR;
          ex = &executors[t->executor];
          add_step (t, assign_at - 60, "comment",
                    pick (self, self->first_supervisor, self->n_supervisors), -1,
                    NOTE_PAID_REASSIGN);
          add_step (t, assign_at, "assign",
                    pick (self, self->first_supervisor, self->n_supervisors), t->executor, NULL);
        }
      ex = &executors[t->executor];
    }
  else
    add_step (t, assign_at, "assign", op, t->executor, NULL);

  /* The deadline, and when the work is really done. */
  if (emergency)
    due_span = 24 * HOUR;
  else if (complaint)
    due_span = 9 * DAY;
  else if (information)
    due_span = 1 * DAY;
  else if (paid)
    due_span = 3 * DAY;
  else
    due_span = (gint64) (cat->due_hours * HOUR);
  if (self->options.due_func != NULL)
    {
      gint64 due = self->options.due_func (t->kind, t->category, t->channel, arrival,
                                           self->options.due_data);

      if (due > arrival)
        due_span = due - arrival;
    }
  t->due = arrival + due_span;

  if (incident != NULL)
    resolve_span = MAX (incident->fixed - arrival, HOUR) + rng_int (&self->rng, 3 * HOUR);
  else if (rng_chance (&self->rng, ex->on_time_rate))
    resolve_span = (gint64) (due_span *
                             (0.05 + 0.9 * pow (rng_double (&self->rng), 1.4 * ex->speed)));
  else
    resolve_span = (gint64) (due_span * (1.02 + fabs (rng_normal (&self->rng)) * ex->speed));
  if (information)
    resolve_span = MIN (resolve_span, (gint64) rng_lognormal (&self->rng, 3 * HOUR, 0.7));
  resolve_span = MAX (resolve_span, 20 * MINUTE);

  /* Dying: nothing more happens; a supervisor sometimes notices. */
  if (incident == NULL && rng_chance (&self->rng, ex->die_rate))
    {
      gboolean accepted = rng_chance (&self->rng, 0.5);
      gint64 last = assign_at;

      if (accepted)
        {
          last = assign_at + rng_lognormal (&self->rng, HOUR, 0.8) + 60;
          add_step (t, last, "accept", executor_user (self, t->executor), -1, NULL);
        }
      if (!rng_chance (&self->rng, 0.4))
        {
          /* Left to die, though a supervisor reminded the executor: a
           * reminder is no progress, and the ticket stays stale. */
          if (rng_chance (&self->rng, 0.5))
            add_step (t, last + DAY + rng_int (&self->rng, 2 * DAY), "remind",
                      pick (self, self->first_supervisor, self->n_supervisors), -1, NOTE_REMIND);
          return t;
        }
      /* Rescued: escalated after a few days of silence, then done late. */
      last += 2 * DAY + rng_int (&self->rng, 5 * DAY);
      add_step (t, last, "escalate", pick (self, self->first_supervisor, self->n_supervisors), -1,
                NOTE_ESCALATE);
      resolve_span = MAX (resolve_span, last - arrival + rng_lognormal (&self->rng, DAY, 0.6));
      if (accepted)
        {
          guint who = executor_user (self, t->executor);

          add_step (t, last + rng_lognormal (&self->rng, 2 * HOUR, 0.7), "start", who, -1, NULL);
          add_step (t, arrival + resolve_span, "resolve", who, -1, NULL);
        }
      else
        plan_work (self, t, last, arrival + resolve_span, TRUE);
    }
  else
    plan_work (self, t, assign_at, arrival + resolve_span, !emergency && !information);

  while (plan_callback (self, t, reopens == 0 ? ex->reopen_rate : ex->reopen_rate / 3) &&
         reopens < 2)
    {
      gint64 reopened = t->steps[t->n_steps - 1].time;

      reopens++;
      plan_work (self, t, reopened,
                 reopened + (gint64) (resolve_span * rng_range (&self->rng, 0.2, 0.8)) + HOUR,
                 FALSE);
    }
  if (cd_demo_step_reopens (&t->steps[t->n_steps - 1]))
    {
      /* Reopened a third time: the executor accepts and the story goes on
       * beyond the demo's detail; it resolves once more and is closed. */
      gint64 reopened = t->steps[t->n_steps - 1].time;

      plan_work (self, t, reopened, reopened + DAY, FALSE);
      add_step (t, office_hours (self, t->steps[t->n_steps - 1].time + 2 * HOUR), "close",
                pick (self, self->first_feedback, self->n_feedback), -1, NULL);
    }

  return t;
}

/* Arrivals */

/* 0 in mid-January, 1 in mid-July. */
static double
summer_weight (gint64 day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day + CITY_UTC_OFFSET + 12 * HOUR);
  int doy = g_date_time_get_day_of_year (dt);

  return (1.0 - cos (2.0 * G_PI * (doy - 15) / 365.25)) / 2.0;
}

static gboolean
is_weekend (gint64 day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day + CITY_UTC_OFFSET + 12 * HOUR);

  return g_date_time_get_day_of_week (dt) >= 6;
}

#define WEEKEND_FACTOR 0.72

static double
day_factor (gint64 day)
{
  double summer = summer_weight (day);

  return (is_weekend (day) ? WEEKEND_FACTOR : 1.0) * (1.10 - 0.20 * summer);
}

static gint64
arrival_time (CdDemoCity *self,
              gint64      day,
              double      summer,
              gboolean    weekend)
{
  double w[24];
  guint hour;

  for (guint h = 0; h < 24; h++)
    {
      w[h] = (1 - summer) * winter_hours[h] + summer * summer_hours[h];
      /* People sleep longer at the weekend: the morning peak moves later. */
      if (weekend && h >= 6 && h <= 9)
        w[h] *= 0.6;
      else if (weekend && h >= 10 && h <= 14)
        w[h] *= 1.15;
    }
  hour = rng_weighted (&self->rng, w, 24);
  return day + hour * HOUR + rng_int (&self->rng, HOUR);
}

static guint
pick_category (CdDemoCity *self,
               double      summer)
{
  double w[G_N_ELEMENTS (categories)];

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      double winter = categories[i].winter;

      /* Between the winter factor and its mirror in summer. */
      w[i] = categories[i].weight * ((1 - summer) * winter + summer * (2.0 - winter));
      if (i == CAT_HEATING)
        w[i] = categories[i].weight * ((1 - summer) * 1.85 + summer * 0.15);
    }
  return rng_weighted (&self->rng, w, G_N_ELEMENTS (categories));
}

static int
compare_tickets (gconstpointer a,
                 gconstpointer b)
{
  const CdDemoTicket *ta = *(CdDemoTicket * const *) a;
  const CdDemoTicket *tb = *(CdDemoTicket * const *) b;

  return ta->steps[0].time < tb->steps[0].time ? -1 : ta->steps[0].time > tb->steps[0].time;
}

typedef struct
{
  gint64 time;
  guint  category;
  int    incident;
} Arrival;

static int
compare_arrivals (gconstpointer a,
                  gconstpointer b)
{
  const Arrival *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return 0;
}

static gboolean
emit_until (CdDemoCity      *self,
            gint64           until,
            CdDemoStepFunc   func,
            gpointer         user_data,
            GError         **error)
{
  while (self->heap->len > 0)
    {
      HeapEntry e = g_array_index (self->heap, HeapEntry, 0);

      if (e.time >= until)
        break;
      heap_pop (self->heap, &e);
      if (!func (self, e.ticket, &e.ticket->steps[e.step], user_data, error))
        {
          g_free (e.ticket);
          return FALSE;
        }
      e.step++;
      if (e.step < e.ticket->n_steps && e.ticket->steps[e.step].time < self->options.end)
        {
          e.time = e.ticket->steps[e.step].time;
          heap_push (self->heap, &e);
        }
      else
        g_free (e.ticket);
    }
  return TRUE;
}

/**
 * cd_demo_city_generate:
 * @self: the city
 * @func: called for each step, in time order
 * @user_data: for @func
 * @error: the error @func reported
 *
 * Generates the tickets of the whole period and hands their steps to
 * @func in time order (ties in registration order). Steps after the end of
 * the period are left out: those tickets are still open at its end. Each
 * ticket's steps form a history that the dispatch transition table
 * accepts. Runs once per city.
 *
 * Returns: %FALSE when @func stopped the generation
 */
gboolean
cd_demo_city_generate (CdDemoCity      *self,
                       CdDemoStepFunc   func,
                       gpointer         user_data,
                       GError         **error)
{
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_autoptr(GPtrArray) day_tickets = g_ptr_array_new ();
  double mean = 0;

  g_return_val_if_fail (self->serial == 0, FALSE);

  for (guint d = 0; d < self->options.days; d++)
    mean += day_factor (self->start + (gint64) d * DAY);
  mean /= self->options.days;

  for (guint d = 0; d < self->options.days; d++)
    {
      gint64 day = self->start + (gint64) d * DAY;
      double summer = summer_weight (day);
      gboolean weekend = is_weekend (day);
      double expected = self->options.tickets_per_day * day_factor (day) / mean;
      gint64 n = (gint64) llround (expected + sqrt (expected) * rng_normal (&self->rng));

      g_array_set_size (arrivals, 0);
      for (gint64 i = 0; i < n; i++)
        {
          Arrival a = { arrival_time (self, day, summer, weekend), pick_category (self, summer),
                        -1 };

          g_array_append_val (arrivals, a);
        }
      for (guint i = 0; i < self->incidents->len; i++)
        {
          const Incident *inc = &g_array_index (self->incidents, Incident, i);

          if (inc->start < day || inc->start >= day + DAY)
            continue;
          for (guint k = 0; k < inc->n_tickets; k++)
            {
              Arrival a;
              gint64 dt;

              /* A burst is noticed at once: its calls come within the
               * hour. A flood or a heating outage spreads over hours. */
              if (inc->kind == INCIDENT_BURST_PIPE || inc->kind == INCIDENT_POWER_OUTAGE)
                dt = MINUTE + rng_int (&self->rng, 50 * MINUTE);
              else
                dt = (gint64) (-log (1.0 - rng_double (&self->rng)) * 1.5 * HOUR);

              a.time = MIN (inc->start + dt, day + DAY - 1);
              a.incident = i;
              switch (inc->kind)
                {
                case INCIDENT_FLOOD:
                  {
                    static const double flood[] = { 0.3, 0.3, 0.25, 0.15 };
                    static const guint flood_categories[] = {
                      CAT_ROOFS, CAT_SEWERAGE, CAT_ROADS, CAT_YARDS,
                    };

                    a.category = flood_categories[rng_weighted (&self->rng, flood, 4)];
                  }
                  break;
                case INCIDENT_BURST_PIPE:
                  a.category = CAT_COLD_WATER;
                  break;
                case INCIDENT_POWER_OUTAGE:
                  a.category = CAT_POWER;
                  break;
                case INCIDENT_HEATING:
                default:
                  a.category = CAT_HEATING;
                  break;
                }
              g_array_append_val (arrivals, a);
            }
        }
      /* A stable order: equal times keep their draw order. */
      g_array_sort (arrivals, compare_arrivals);

      g_ptr_array_set_size (day_tickets, 0);
      for (guint i = 0; i < arrivals->len; i++)
        {
          const Arrival *a = &g_array_index (arrivals, Arrival, i);
          const Incident *inc = a->incident >= 0
                                    ? &g_array_index (self->incidents, Incident, a->incident)
                                    : NULL;
          g_ptr_array_add (day_tickets, make_ticket (self, a->time, a->category, inc, a->incident));
        }
      g_ptr_array_sort (day_tickets, compare_tickets);

      for (guint i = 0; i < day_tickets->len; i++)
        {
          CdDemoTicket *t = g_ptr_array_index (day_tickets, i);
          HeapEntry e = { t->steps[0].time, t->serial, t, 0 };

          heap_push (self->heap, &e);
        }

      if (!emit_until (self, day + DAY, func, user_data, error))
        {
          free_heap (self);
          return FALSE;
        }
    }

  free_heap (self);
  return TRUE;
}
