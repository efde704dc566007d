#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <string.h>
#include "CSystem.h"

static volatile sig_atomic_t stop_signal = 0;

static void on_stop(int sig) {
  if (sig == SIGPIPE) {
    // Only the reader of our output leaving stops the run (`arrakis ask … | head -1`). A SIGPIPE from a
    // socket the server closed is not the user's doing: the write fails with EPIPE and curl reports it.
    struct pollfd fds[2] = {{.fd = 1, .events = 0}, {.fd = 2, .events = 0}};
    if (poll(fds, 2, 0) <= 0) return;
    if (!((fds[0].revents | fds[1].revents) & (POLLERR | POLLHUP))) return;
  }
  stop_signal = sig;
}

void arrakis_install_stop_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &sa, NULL);
}

int arrakis_stop_signal(void) { return stop_signal; }

void arrakis_clear_stop_signal(void) { stop_signal = 0; }
