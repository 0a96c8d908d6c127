// The C side of the ncurses wrapper: the wide-character API switched on (SwiftPM drops the -D flags
// of pkg-config), small inline wrappers for the function-like macros Swift cannot import, and the
// signal handlers that restore the terminal (written in C so that they run no Swift code).
#ifndef FLOW_EXPLORER_CNCURSES_SHIM_H
#define FLOW_EXPLORER_CNCURSES_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncurses.h>

/* Function-like macros and global variables, as functions. */
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_err(void) { return ERR; }

/* newterm on the process's stdout / stdin (returns NULL instead of exiting on failure) and its
   standard screen; the C globals stdout, stdin and stdscr are not concurrency-safe in Swift 6. */
static inline WINDOW *cn_start(void) {
  SCREEN *screen = newterm(NULL, stdout, stdin);
  if (screen == NULL) return NULL;
  set_term(screen);
  return stdscr;
}

/* Writes one wide character with attributes and a colour pair at (y, x) of `win`. */
static inline int cn_put(WINDOW *win, int y, int x, wchar_t ch, attr_t attrs, short pair) {
  wchar_t text[2] = {ch, 0};
  cchar_t cell;
  if (setcchar(&cell, text, attrs, pair, NULL) == ERR) return ERR;
  return mvwadd_wch(win, y, x, &cell);
}

/* Terminal restoration. `cn_active` is set while curses owns the terminal. */
static volatile sig_atomic_t cn_active = 0;

static inline void cn_set_active(int active) { cn_active = active; }

/* Leaves curses mode once (idempotent); used by atexit, the signal handlers and normal exit. */
static inline void cn_restore(void) {
  if (cn_active) {
    cn_active = 0;
    endwin();
  }
}

/* SIGTERM, SIGHUP, SIGINT, SIGQUIT: restore the terminal and exit with 128 + signal. */
static inline void cn_exit_handler(int sig) {
  cn_restore();
  _exit(128 + sig);
}

/* Crashes (Swift traps raise SIGILL / SIGTRAP): restore, then die of the same signal. */
static inline void cn_crash_handler(int sig) {
  cn_restore();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Installs the handlers above (before initscr, so ncurses keeps its own SIGTSTP / SIGWINCH
   handling and does not install its SIGINT / SIGTERM ones) and an atexit hook. */
static inline void cn_install_signal_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = cn_exit_handler;
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGQUIT, &action, NULL);
  action.sa_handler = cn_crash_handler;
  action.sa_flags = SA_RESETHAND | SA_NODEFER;
  sigaction(SIGSEGV, &action, NULL);
  sigaction(SIGBUS, &action, NULL);
  sigaction(SIGILL, &action, NULL);
  sigaction(SIGTRAP, &action, NULL);
  sigaction(SIGFPE, &action, NULL);
  sigaction(SIGABRT, &action, NULL);
  atexit(cn_restore);
}

/* Ctrl-Z in raw mode arrives as a key: leave curses, stop (SIGSTOP cannot be caught), and come
   back into curses when continued. */
static inline void cn_suspend(void) {
  def_prog_mode();
  endwin();
  raise(SIGSTOP);
  reset_prog_mode();
  refresh();
}

#endif
