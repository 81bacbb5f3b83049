/*
 * gm_silero.h -- float golden model of Silero VAD v5, the 16 kHz branch of its ONNX graph
 * (docs/models.md), and the WAV reader that feeds it.
 *
 * One call per 512-sample frame (32 ms at 16 kHz). Like Silero v5 itself, each frame is
 * preceded by the last 64 samples of the previous input (zeros at the start), so the model
 * sees 576 samples:
 *   reflect-pad 64 on the right (640) -> STFT as a conv1d with the model's basis [258,1,256],
 *   hop 128 (4 columns; magnitude of 129 bins) -> four conv1d k=3 pad 1 + ReLU
 *   (129->128 s1, 128->64 s2, 64->64 s2, 64->128 s1; one column left) -> LSTM cell 128->128
 *   (state h, c carried across frames) -> ReLU -> 1x1 conv 128->1 -> sigmoid = P(speech).
 * The weights are read from the model file (gm_onnx), checked by name and shape; the LSTM is
 * kept in PyTorch's gate order i, f, g, o as the model stores it (decoder.rnn.weight_ih,
 * [512,128]); the graph's Slice/Concat nodes reorder it to ONNX's i, o, f, c for its LSTM op.
 */
#ifndef GM_SILERO_H
#define GM_SILERO_H

#include <stddef.h>
#include <stdint.h>

#include "gm_lstm.h"
#include "gm_onnx.h"

#define GM_SILERO_FRAME 512
#define GM_SILERO_CTX 64
#define GM_SILERO_HID 128
#define GM_SILERO_RATE 16000

typedef struct gm_silero {
    float *basis;              /* [258][256]: 129 real rows, then 129 imaginary rows */
    float *cw[4], *cb[4];      /* encoder conv weights [cout][cin][3], biases [cout] */
    int cin[4], cout[4], stride[4];
    float *wih, *whh, *bih, *bhh; /* LSTM, PyTorch gate order i, f, g, o: [512][128], [512] */
    float dw[GM_SILERO_HID], db;  /* decoder 1x1 conv */
    int hop;                   /* STFT stride (128) */
} gm_silero;

typedef struct gm_silero_state {
    float h[GM_SILERO_HID], c[GM_SILERO_HID];
    float ctx[GM_SILERO_CTX];
} gm_silero_state;

/* Take the 16 kHz branch's weights out of a loaded Silero v5 model. 0, or -1 with a one-line
 * message naming what is missing or misshapen. */
int gm_silero_from_onnx(gm_silero *s, const gm_onnx_model *m, char *err, size_t n);
void gm_silero_free(gm_silero *s);
void gm_silero_reset(gm_silero_state *st);

/* One frame of GM_SILERO_FRAME samples in [-1, 1): returns P(speech) and advances st.
 * lstm_in (may be NULL) receives the encoder output that enters the LSTM. */
float gm_silero_frame(const gm_silero *s, gm_silero_state *st, const float *x, float *lstm_in);

/* The LSTM cell alone (PyTorch gate order), and the decoder, for users that replace the
 * LSTM by a compressed one: h, c updated in place; returns P(speech) of h. */
void gm_silero_lstm(const gm_silero *s, const float *x, float *h, float *c);
float gm_silero_decode(const gm_silero *s, const float *h);

/* The LSTM as a gm_lstm float model (docs/lstm.md: W 4H x I, U 4H x H, b 4H, gates i, f, g,
 * o): W = weight_ih, U = weight_hh, b = bias_ih + bias_hh, rows unchanged since the stored
 * PyTorch order is the same. 0, or -1 (no memory). */
int gm_silero_lstm_model(const gm_silero *s, gm_lstm_float *m);
/* Load a Silero v5 ONNX file and return its LSTM that way (for `dnngen compress M.onnx`). */
int gm_silero_lstm_load(gm_lstm_float *m, const char *path, char *err, size_t n);

/* A RIFF WAV file in memory: 16 kHz, mono, 16-bit PCM only. *x gets the samples / 32768.
 * 0, or -1 with a one-line message. */
int gm_wav_parse(const uint8_t *data, size_t len, float **x, size_t *nsamples, char *err,
                 size_t n);

/* Speech segments from per-frame probabilities (docs/models.md): a segment starts at the
 * first frame with p >= thr, ends at the first frame of a run of frames with p < thr - 0.15
 * lasting at least min_sil_ms; segments shorter than min_speech_ms are dropped. Writes up to
 * max pairs (start, end) in samples; returns the number of segments found. */
size_t gm_silero_segments(const float *p, size_t nframes, float thr, int min_speech_ms,
                          int min_sil_ms, int64_t *seg, size_t max);

#endif
