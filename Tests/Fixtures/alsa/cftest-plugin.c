/*
 * cftest: an ALSA external I/O plugin (alsa-lib ioplug API) that simulates a failing capture device,
 * so that the real alsa-lib and the real classroomd meet the failures of a real microphone on a
 * machine without a sound kernel (the way umockdev simulates udev devices).
 *
 *   pcm_type.cftest { lib "/path/libasound_module_pcm_cftest.so" }
 *   pcm.busy   { type cftest mode "busy" }                 # open fails with -EBUSY
 *   pcm.vanish { type cftest mode "vanish" frames 16000 }  # N frames of a 440 Hz tone, then -ENODEV
 *
 * "vanish" behaves like a USB microphone pulled out mid-capture: after `frames` frames every transfer,
 * pointer, prepare and start call fails with -ENODEV (the kernel answers every ioctl of a
 * disconnected PCM that way), so a recovery loop that re-prepares after an overrun cannot spin forever.
 * Built by scripts/test.d/35-alsa-failure-plugin.sh through Tests/Fixtures/alsa/build-cftest-plugin.sh.
 */
#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

typedef struct {
    snd_pcm_ioplug_t io;
    int event_fd;                /* always readable: data is always "ready" */
    long limit;                  /* frames delivered before the device vanishes */
    long delivered;              /* frames handed to the application so far */
    snd_pcm_uframes_t hw;        /* frames produced, a running count */
    double phase;
} cftest_t;

static int gone(const cftest_t *c) { return c->delivered >= c->limit; }

static int cftest_start(snd_pcm_ioplug_t *io) { return gone(io->private_data) ? -ENODEV : 0; }
static int cftest_stop(snd_pcm_ioplug_t *io) { (void)io; return 0; }

static int cftest_prepare(snd_pcm_ioplug_t *io) {
    cftest_t *c = io->private_data;
    if (gone(c)) return -ENODEV;
    c->hw = 0;
    return 0;
}

/* Keeps one period ready beyond the application pointer: a device that is never late. */
static snd_pcm_sframes_t cftest_pointer(snd_pcm_ioplug_t *io) {
    cftest_t *c = io->private_data;
    if (gone(c)) return -ENODEV;
    snd_pcm_uframes_t appl = io->appl_ptr;
    if (c->hw < appl + io->period_size) c->hw = appl + io->period_size;
    return (snd_pcm_sframes_t)(c->hw % io->buffer_size);
}

static snd_pcm_sframes_t cftest_transfer(snd_pcm_ioplug_t *io, const snd_pcm_channel_area_t *areas,
                                         snd_pcm_uframes_t offset, snd_pcm_uframes_t size) {
    cftest_t *c = io->private_data;
    if (gone(c)) return -ENODEV;
    if ((long)size > c->limit - c->delivered) size = (snd_pcm_uframes_t)(c->limit - c->delivered);
    int16_t *dst = (int16_t *)((char *)areas[0].addr + (areas[0].first + areas[0].step * offset) / 8);
    unsigned int step = areas[0].step / 16;
    for (snd_pcm_uframes_t i = 0; i < size; i++) {
        dst[i * step] = (int16_t)(0.3 * 32767 * sin(c->phase));
        c->phase += 2 * M_PI * 440 / io->rate;
        if (c->phase > 2 * M_PI) c->phase -= 2 * M_PI;
    }
    c->delivered += (long)size;
    return (snd_pcm_sframes_t)size;
}

static int cftest_close(snd_pcm_ioplug_t *io) {
    cftest_t *c = io->private_data;
    close(c->event_fd);
    free(c);
    return 0;
}

static const snd_pcm_ioplug_callback_t callbacks = {
    .start = cftest_start,
    .stop = cftest_stop,
    .pointer = cftest_pointer,
    .transfer = cftest_transfer,
    .close = cftest_close,
    .prepare = cftest_prepare,
};

SND_PCM_PLUGIN_DEFINE_FUNC(cftest) {
    const char *kind = "vanish";
    long frames = 16000;
    snd_config_iterator_t i, next;
    snd_config_for_each(i, next, conf) {
        snd_config_t *n = snd_config_iterator_entry(i);
        const char *id;
        if (snd_config_get_id(n, &id) < 0) continue;
        if (!strcmp(id, "comment") || !strcmp(id, "type") || !strcmp(id, "hint")) continue;
        if (!strcmp(id, "mode")) {
            if (snd_config_get_string(n, &kind) < 0) return -EINVAL;
        } else if (!strcmp(id, "frames")) {
            if (snd_config_get_integer(n, &frames) < 0 || frames < 0) return -EINVAL;
        } else {
            SNDERR("cftest: unknown field %s", id);
            return -EINVAL;
        }
    }
    if (!strcmp(kind, "busy")) return -EBUSY;  /* another program holds the device */
    if (strcmp(kind, "vanish")) {
        SNDERR("cftest: mode must be \"busy\" or \"vanish\", not \"%s\"", kind);
        return -EINVAL;
    }
    if (stream != SND_PCM_STREAM_CAPTURE) return -EINVAL;

    cftest_t *c = calloc(1, sizeof(*c));
    if (!c) return -ENOMEM;
    c->limit = frames;
    c->event_fd = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
    if (c->event_fd < 0) {
        int err = -errno;
        free(c);
        return err;
    }
    c->io.version = SND_PCM_IOPLUG_VERSION;
    c->io.name = "ClassroomFleet failing capture device (test)";
    c->io.callback = &callbacks;
    c->io.private_data = c;
    c->io.poll_fd = c->event_fd;
    c->io.poll_events = POLLIN;
    c->io.mmap_rw = 0;
    int err = snd_pcm_ioplug_create(&c->io, name, stream, mode);
    if (err < 0) {
        close(c->event_fd);
        free(c);
        return err;
    }
    static const unsigned int access_list[] = {SND_PCM_ACCESS_RW_INTERLEAVED};
    static const unsigned int format_list[] = {SND_PCM_FORMAT_S16_LE};
    if ((err = snd_pcm_ioplug_set_param_list(&c->io, SND_PCM_IOPLUG_HW_ACCESS, 1, access_list)) < 0 ||
        (err = snd_pcm_ioplug_set_param_list(&c->io, SND_PCM_IOPLUG_HW_FORMAT, 1, format_list)) < 0 ||
        (err = snd_pcm_ioplug_set_param_minmax(&c->io, SND_PCM_IOPLUG_HW_CHANNELS, 1, 1)) < 0 ||
        (err = snd_pcm_ioplug_set_param_minmax(&c->io, SND_PCM_IOPLUG_HW_RATE, 16000, 16000)) < 0) {
        snd_pcm_ioplug_delete(&c->io);
        return err;
    }
    *pcmp = c->io.pcm;
    return 0;
}
SND_PCM_PLUGIN_SYMBOL(cftest);
