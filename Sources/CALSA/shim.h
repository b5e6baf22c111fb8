#pragma once
#include <alsa/asoundlib.h>
#include <stdarg.h>

/// ALSA prints its own diagnostics to stderr through a variadic handler that Swift cannot
/// implement. Every ALSA failure already reaches Swift as a negative return code, which
/// LinuxHardware turns into a typed error with a clear message, so the library's own chatter
/// is silenced here.
static void classroomfleet_alsa_silent_handler(const char *file, int line, const char *function, int err,
                                               const char *fmt, ...) {
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

/// Installs the silent error handler (idempotent); returns ALSA's result code.
static inline int classroomfleet_alsa_silence_errors(void) {
    return snd_lib_error_set_handler(classroomfleet_alsa_silent_handler);
}

/// Restores ALSA's default handler (prints to stderr), for debugging.
static inline int classroomfleet_alsa_default_errors(void) {
    return snd_lib_error_set_handler(NULL);
}
