/*
 * hotplug-driver: runs a command on a umockdev testbed and plays a hotplug script against it.
 *
 *   umockdev-wrapper hotplug-driver TREE.umockdev SCRIPT -- COMMAND [ARG...]
 *
 * The testbed is built from TREE (libumockdev's testbed API); COMMAND inherits LD_PRELOAD and
 * UMOCKDEV_DIR, so its libudev sees the simulated /sys and receives the uevents injected here.
 * COMMAND's standard output is copied to ours line by line. SCRIPT has one step per line:
 *   wait-line            wait until COMMAND has printed one more line (e.g. "ready")
 *   sleep MS             pause MS milliseconds
 *   add FILE             add the devices of a .umockdev FILE and send "add" for its first device
 *   remove SYSPATH       send "remove" for /sys/devices/... and delete it from the testbed
 *   attr SYSPATH NAME VALUE   set a sysfs attribute (no event)
 *   uevent SYSPATH ACTION     send ACTION (e.g. change) for SYSPATH
 * After the script, output is copied until COMMAND exits; the exit status is COMMAND's.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <umockdev.h>
#include <unistd.h>

static FILE *child_out;

static int copy_line(void) {
    char line[65536];
    if (!fgets(line, sizeof line, child_out)) return 0;
    fputs(line, stdout);
    fflush(stdout);
    return 1;
}

static char *first_syspath(const char *file) {
    gchar *contents = NULL;
    if (!g_file_get_contents(file, &contents, NULL, NULL)) return NULL;
    char *p = strstr(contents, "P: ");
    char *result = NULL;
    if (p) {
        char *end = strchr(p, '\n');
        result = g_strdup_printf("/sys%.*s", (int)(end ? end - p - 3 : (long)strlen(p + 3)), p + 3);
    }
    g_free(contents);
    return result;
}

static int run_step(UMockdevTestbed *bed, char *line) {
    char *words[4] = {0};
    int n = 0;
    for (char *save = NULL, *w = strtok_r(line, " \t\r\n", &save); w && n < 4; w = strtok_r(NULL, n == 3 ? "\r\n" : " \t\r\n", &save))
        words[n++] = w;
    if (n == 0 || words[0][0] == '#') return 0;
    GError *error = NULL;
    if (!strcmp(words[0], "wait-line")) {
        if (!copy_line()) { fprintf(stderr, "hotplug-driver: command ended before printing a line\n"); return -1; }
    } else if (!strcmp(words[0], "sleep") && n == 2) {
        g_usleep((gulong)atol(words[1]) * 1000);
    } else if (!strcmp(words[0], "add") && n == 2) {
        char *syspath = first_syspath(words[1]);
        if (!syspath || !umockdev_testbed_add_from_file(bed, words[1], &error)) {
            fprintf(stderr, "hotplug-driver: cannot add %s: %s\n", words[1], error ? error->message : "no P: line");
            return -1;
        }
        umockdev_testbed_uevent(bed, syspath, "add");
        g_free(syspath);
    } else if (!strcmp(words[0], "remove") && n == 2) {
        umockdev_testbed_uevent(bed, words[1], "remove");
        umockdev_testbed_remove_device(bed, words[1]);
    } else if (!strcmp(words[0], "attr") && n == 4) {
        umockdev_testbed_set_attribute(bed, words[1], words[2], words[3]);
    } else if (!strcmp(words[0], "uevent") && n == 3) {
        umockdev_testbed_uevent(bed, words[1], words[2]);
    } else {
        fprintf(stderr, "hotplug-driver: bad script line: %s\n", words[0]);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[3], "--")) {
        fprintf(stderr, "usage: umockdev-wrapper %s TREE.umockdev SCRIPT -- COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    UMockdevTestbed *bed = umockdev_testbed_new();
    GError *error = NULL;
    if (!umockdev_testbed_add_from_file(bed, argv[1], &error)) {
        fprintf(stderr, "hotplug-driver: %s: %s\n", argv[1], error->message);
        return 2;
    }
    FILE *script = fopen(argv[2], "r");
    if (!script) { perror(argv[2]); return 2; }
    int pipe_fds[2];
    if (pipe(pipe_fds)) { perror("pipe"); return 2; }
    pid_t child = fork();
    if (child == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execvp(argv[4], argv + 4);
        perror(argv[4]);
        _exit(127);
    }
    close(pipe_fds[1]);
    child_out = fdopen(pipe_fds[0], "r");
    char line[4096];
    int failed = 0;
    while (!failed && fgets(line, sizeof line, script)) failed = run_step(bed, line) < 0;
    if (failed) kill(child, SIGTERM);
    while (copy_line()) {}
    int status = 0;
    waitpid(child, &status, 0);
    g_object_unref(bed);
    if (failed) return 3;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
