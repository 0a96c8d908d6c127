// The C side of the ncurses wrapper: the wide-character API switched on, small inline wrappers for
// the function-like macros Swift cannot import, and the signal handlers that restore the terminal
// (written in C so that they run no Swift code). The library is linked by the NcursesTerminal target
// (Package.swift): ncursesw on Linux, ncurses on macOS.
#ifndef FLOW_EXPLORER_CNCURSES_SHIM_H
#define FLOW_EXPLORER_CNCURSES_SHIM_H

// The feature macros `pkg-config --cflags ncursesw` gives on Debian and Ubuntu; they are defined
// here, before any header, because SwiftPM refuses -D flags from pkg-config (with a warning on every
// build). macOS needs none of them.
#if defined(__linux__)
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 600
#endif
#endif
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
static inline int cn_ok(void) { return OK; }

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

/* Terminal restoration. `cn_active` is set while curses owns the terminal; `cn_cleanup`, when set,
   runs in every handler before the process ends (it removes temporary files; it must be
   async-signal-safe). Both are static: set them from the Swift file that installs the handlers. */
static volatile sig_atomic_t cn_active = 0;
static void (*volatile cn_cleanup)(void) = NULL;
static volatile sig_atomic_t cn_atexit_installed = 0;

static volatile sig_atomic_t cn_mouse_on = 0;

static inline void cn_set_active(int active) { cn_active = active; }

/* Mouse reports: button presses, releases and drags (1002) in SGR form (1006), switched on and
   off by writing the modes to the terminal (write(2) is async-signal-safe, so the handlers can
   switch them off too). */
static inline void cn_mouse(int on) {
  static const char enable[] = "\033[?1002h\033[?1006h";
  static const char disable[] = "\033[?1006l\033[?1002l";
  ssize_t unused = on ? write(STDOUT_FILENO, enable, sizeof enable - 1) : write(STDOUT_FILENO, disable, sizeof disable - 1);
  (void)unused;
  cn_mouse_on = on;
}
static inline void cn_set_cleanup(void (*cleanup)(void)) { cn_cleanup = cleanup; }

/* Leaves curses mode once (idempotent); used by atexit, the signal handlers and normal exit. */
static inline void cn_restore(void) {
  if (cn_mouse_on) cn_mouse(0);
  if (cn_active) {
    cn_active = 0;
    endwin();
  }
}

/* HUP, INT, QUIT, TERM, USR1, USR2, ALRM, PIPE, XCPU, XFSZ, VTALRM, PROF: restore the terminal,
   clean up and exit with 128 + signal (no core, no backtrace). */
static inline void cn_exit_handler(int sig) {
  cn_restore();
  if (cn_cleanup) cn_cleanup();
  _exit(128 + sig);
}

/* Crashes (Swift traps raise SIGILL / SIGTRAP): restore, clean up, then die of the same signal. */
static inline void cn_crash_handler(int sig) {
  cn_restore();
  if (cn_cleanup) cn_cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Installs `handler` for `sig`; with `keep_ignored`, a signal the parent set to be ignored (nohup,
   `trap '' HUP`) stays ignored. */
static inline void cn_handle(int sig, void (*handler)(int), int flags, int keep_ignored) {
  struct sigaction action;
  if (keep_ignored && sigaction(sig, NULL, &action) == 0 && action.sa_handler == SIG_IGN) return;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = handler;
  action.sa_flags = flags;
  sigaction(sig, &action, NULL);
}

/* Installs the handlers above (before initscr, so ncurses keeps its own SIGTSTP / SIGWINCH
   handling and does not install its SIGINT / SIGTERM ones) and an atexit hook, once. */
static inline void cn_install_signal_handlers(int keep_ignored) {
  static const int exits[] = {SIGTERM, SIGHUP,  SIGINT,  SIGQUIT,   SIGUSR1, SIGUSR2,
                              SIGALRM, SIGPIPE, SIGXCPU, SIGXFSZ,   SIGVTALRM, SIGPROF};
  static const int crashes[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT, SIGSYS};
  for (size_t i = 0; i < sizeof exits / sizeof exits[0]; i++) cn_handle(exits[i], cn_exit_handler, 0, keep_ignored);
  for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
    cn_handle(crashes[i], cn_crash_handler, SA_RESETHAND | SA_NODEFER, 0);
  if (!cn_atexit_installed) {
    cn_atexit_installed = 1;
    atexit(cn_restore);
  }
}

/* Ctrl-Z in raw mode arrives as a key: leave curses, stop (SIGSTOP cannot be caught), and come
   back into curses when continued. */
static inline void cn_suspend(void) {
  int mouse = cn_mouse_on;
  if (mouse) cn_mouse(0);
  def_prog_mode();
  endwin();
  raise(SIGSTOP);
  reset_prog_mode();
  refresh();
  if (mouse) cn_mouse(1);
}

#endif
