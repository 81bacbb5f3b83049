/*
 * main.c -- dnngen's entry point: parse the subcommand and dispatch, nothing else.
 * Exit statuses: 0 ok, 1 verification failure, 2 usage or bad input, 3 tool failure.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"

static const char usage[] =
    "usage: dnngen <command> [options]\n"
    "\n"
    "commands:\n"
    "  list [BLOCK]        blocks, and each parameter with default, legal values and doc\n"
    "  gen BLOCK ...       write Verilog, filelist, manifest.json, C header and SDC\n"
    "  golden BLOCK ...    write stimulus and expected results from the golden model\n"
    "  verify BLOCK ...    co-simulate the RTL against the golden model\n"
    "  synth BLOCK ...     synthesize with Yosys to a liberty, time with OpenSTA\n"
    "  schedule LAYER ...  order a layer's output channels on fpap_array (genetic algorithm)\n"
    "  layer --random ...  write a reproducible random convolution layer file\n"
    "  regress PLAN ...    run a regression plan in parallel; JUnit, Markdown, HTML, coverage\n"
    "  sweep SPEC ...      design-space sweep: synthesis, cycles, SQLite, Pareto front plots\n"
    "  mutate BLOCK ...    mutation score of the block's tests (Yosys mutate, equivalence)\n"
    "  compress MODEL ...  E-LSTM compression: top-k pruning, LogQ codes, weight memories\n"
    "  storage NET ...     on-chip pixel storage: layer-wise vs inter-layer partial (T_r rows)\n"
    "  onnx-info MODEL     print an ONNX model's graph (nodes, attributes, initializers)\n"
    "  stats MODEL ...     essential Booth terms of a TF.js model: WD, AD, per-MAC best\n"
    "  vad WAV --model M   Silero VAD v5 speech probabilities per frame and speech segments\n"
    "\n"
    "Run 'dnngen <command> --help' for a command's options; 'dnngen --version'.\n"
    "Exit status: 0 ok, 1 verification failure, 2 bad input, 3 tool failure.\n";

int main(int argc, char **argv)
{
    const char *c;
    if (argc < 2) {
        fputs(usage, stderr);
        return DNN_EUSAGE;
    }
    c = argv[1];
    if (strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0 || strcmp(c, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(c, "--version") == 0 || strcmp(c, "version") == 0) {
        printf("dnngen %s\n", DNN_VERSION);
        return 0;
    }
    if (strcmp(c, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(c, "gen") == 0)
        return cmd_gen(argc - 1, argv + 1);
    if (strcmp(c, "golden") == 0)
        return cmd_golden(argc - 1, argv + 1);
    if (strcmp(c, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    if (strcmp(c, "synth") == 0)
        return cmd_synth(argc - 1, argv + 1);
    if (strcmp(c, "schedule") == 0)
        return cmd_schedule(argc - 1, argv + 1);
    if (strcmp(c, "layer") == 0)
        return cmd_layer(argc - 1, argv + 1);
    if (strcmp(c, "regress") == 0)
        return cmd_regress(argc - 1, argv + 1);
    if (strcmp(c, "sweep") == 0)
        return cmd_sweep(argc - 1, argv + 1);
    if (strcmp(c, "compress") == 0)
        return cmd_compress(argc - 1, argv + 1);
    if (strcmp(c, "storage") == 0)
        return cmd_storage(argc - 1, argv + 1);
    if (strcmp(c, "mutate") == 0)
        return cmd_mutate(argc - 1, argv + 1);
    if (strcmp(c, "onnx-info") == 0)
        return cmd_onnx_info(argc - 1, argv + 1);
    if (strcmp(c, "stats") == 0)
        return cmd_stats(argc - 1, argv + 1);
    if (strcmp(c, "vad") == 0)
        return cmd_vad(argc - 1, argv + 1);
    fprintf(stderr, "dnngen: unknown command '%.60s' (legal: list, gen, golden, verify, "
                    "synth, schedule, layer, regress, sweep, compress, storage, "
                    "mutate, onnx-info, stats, vad)\n",
            c);
    return DNN_EUSAGE;
}
