// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-allocator.c: how the programs set up their allocator, jemalloc
 *
 * Linked into each program when the build found jemalloc (meson option
 * `jemalloc`; never under a sanitizer, which brings its own). The
 * desktop's sync makes events on one thread and frees them on another,
 * millions of them in a first sync, and glibc's malloc handles that worst:
 * over seven alternated runs of bench-sync on the demo year, a median of
 * 29.2 s with glibc and 26.3 s with jemalloc, and 0.5 GB less at the peak
 * (docs/journal.md, "Importing").
 *
 * jemalloc reads its settings from this string. background_thread: freed
 * memory goes back to the system from a thread of jemalloc's own, not from
 * whichever thread frees; otherwise the main loop stalled for up to 138 ms
 * during that sync (70 ms with it, as with glibc).
 */

#include "config.h"

extern const char *const malloc_conf;
const char *const malloc_conf = "background_thread:true";
